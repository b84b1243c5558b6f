// Parses each file as VS Code does (JSON with comments; no trailing commas) and writes it as plain JSON into OUT_DIR,
// under its own name, for the schema check. Reports every syntax error as FILE:LINE:COLUMN.
//
// Usage: node parse-jsonc.mjs OUT_DIR FILE...
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, printParseErrorCode } from "jsonc-parser";

const [outDir, ...files] = process.argv.slice(2);
let failed = false;

for (const file of files) {
  const text = readFileSync(file, "utf8");
  const errors = [];
  const value = parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  for (const error of errors) {
    const before = text.slice(0, error.offset).split("\n");
    console.error(`${file}:${before.length}:${before.at(-1).length + 1}: ${printParseErrorCode(error.error)}`);
    failed = true;
  }
  if (errors.length === 0) {
    writeFileSync(join(outDir, basename(file)), JSON.stringify(value, null, 2));
  }
}

process.exit(failed ? 1 : 0);
