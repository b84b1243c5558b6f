// Validates CycloneDX JSON documents against the CycloneDX schema of the version each one declares, strictly
// (no property the schema does not define), with the schemas the CycloneDX JavaScript library ships: no download.
// Usage: node validate-sbom.mjs FILE.json...   Exit 1 when any document is invalid.
import { readFile } from 'node:fs/promises';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error('usage: node validate-sbom.mjs FILE.json...');
    process.exit(2);
}

let failed = 0;
for (const file of files) {
    const text = await readFile(file, 'utf8');
    const declared = JSON.parse(text).specVersion;
    const version = Object.values(Spec.Version).find(v => v === declared);
    if (version === undefined) {
        console.error(`${file}: unknown CycloneDX specVersion ${JSON.stringify(declared)}`);
        failed++;
        continue;
    }
    const errors = await new Validation.JsonStrictValidator(version).validate(text);
    if (errors === null) {
        console.log(`${file}: valid CycloneDX ${version}`);
    } else {
        console.error(`${file}: NOT valid CycloneDX ${version}:\n${JSON.stringify(errors, null, 2)}`);
        failed++;
    }
}
process.exit(failed === 0 ? 0 : 1);
