// Prints the `images:` entries of DIR/kustomization.yaml as NAME=IMAGE arguments, one a line, in the form
// set-image-tags.sh takes: so an environment's images can be given to another (promotion) exactly as they are.
//
// Usage: node list-images.mjs DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: list-images.mjs DIR');
  process.exit(2);
}

const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) ?? {};
for (const image of kustomization.images ?? []) {
  const name = image.newName ?? image.name;
  const reference = image.digest ? `${name}@${image.digest}` : image.newTag ? `${name}:${image.newTag}` : name;
  console.log(`${image.name}=${reference}`);
}
