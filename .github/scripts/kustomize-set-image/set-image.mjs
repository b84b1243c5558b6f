// Does what `kustomize edit set image` does to kustomization.yaml, for machines where no kustomize binary can be
// installed (kubectl's built-in kustomize renders but cannot edit). GitHub's runners have kustomize, so workflows
// never get here; set-image-tags.sh picks this only when kustomize is missing.
//
// Usage: node set-image.mjs DIR NAME=NEWNAME[:TAG|@DIGEST]...
//
// Semantics copied from kustomize/commands/edit/set/setimage.go: each argument replaces the whole entry with that
// name (so a digest drops an old newTag and vice versa), other entries are kept, and entries are sorted by name.
// The file is edited as a YAML document, not as text, so comments and every other field survive untouched.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const [dir, ...args] = process.argv.slice(2);
if (!dir || args.length === 0) {
  fail('usage: set-image.mjs DIR NAME=NEWNAME[:TAG|@DIGEST]...');
}

const path = join(dir, 'kustomization.yaml');
const doc = parseDocument(readFileSync(path, 'utf8'));
if (doc.errors.length > 0) {
  fail(`${path}: ${doc.errors[0].message}`);
}

// Entries are replaced node by node, so comments on the entries left alone stay where they were.
if (!doc.has('images')) {
  doc.set('images', doc.createNode([]));
}
const images = doc.get('images');
for (const arg of args) {
  const image = doc.createNode(parseArgument(arg));
  const index = images.items.findIndex((item) => item.get('name') === image.get('name'));
  if (index >= 0) {
    images.items[index] = image;
  } else {
    images.items.push(image);
  }
}
images.items.sort((a, b) => String(a.get('name')).localeCompare(String(b.get('name')), 'en'));
// Sequences unindented under their key, as kustomize (and the AppHost's generator) write them, so regenerating
// after this edit changes nothing.
writeFileSync(path, doc.toString({ indentSeq: false }));

// NAME=NEWNAME:TAG, NAME=NEWNAME@DIGEST or NAME=NEWNAME. A tag is what follows the last ':' after the last '/',
// so a registry port (myregistry:5000/voting/api) is not mistaken for one.
function parseArgument(arg) {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) {
    fail(`expected NAME=NEWNAME[:TAG|@DIGEST], got '${arg}'`);
  }

  const name = arg.slice(0, eq);
  let newName = arg.slice(eq + 1);
  let digest;
  const at = newName.indexOf('@');
  if (at >= 0) {
    digest = newName.slice(at + 1);
    newName = newName.slice(0, at);
  }

  let newTag;
  const colon = newName.lastIndexOf(':');
  if (colon > newName.lastIndexOf('/')) {
    newTag = newName.slice(colon + 1);
    newName = newName.slice(0, colon);
  }

  if (!newName || digest === '' || newTag === '') {
    fail(`expected NAME=NEWNAME[:TAG|@DIGEST], got '${arg}'`);
  }

  // Field order as kustomize writes it; absent fields are left out, as its omitempty does.
  return { name, newName, ...(newTag && { newTag }), ...(digest && { digest }) };
}

function fail(message) {
  console.error(`set-image: ${message}`);
  process.exit(2);
}
