// Validates a plain JSON devcontainer.json against schemas/devcontainer.schema.json (JSON Schema 2019-09), printing
// every error with the path of the value it concerns.
//
// Usage: node validate-schema.mjs DEVCONTAINER_JSON
import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";

const schemas = new URL("./schemas/", import.meta.url);
const load = (name) => JSON.parse(readFileSync(new URL(name, schemas), "utf8"));

// strict: false, because the specification's schema carries editor keywords (markdownDescription,
// deprecationMessage, allowComments...) that are not JSON Schema.
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(load("devContainer.base.schema.json"), "devContainer.base.schema.json");
ajv.addSchema(load("customizations.schema.json"), "customizations.schema.json");
const validate = ajv.compile(load("devcontainer.schema.json"));

const [file] = process.argv.slice(2);
if (validate(JSON.parse(readFileSync(file, "utf8")))) {
  process.exit(0);
}
for (const error of validate.errors) {
  const where = error.instancePath || "(top level)";
  console.error(`devcontainer.json ${where}: ${error.message} ${JSON.stringify(error.params)}`);
}
process.exit(1);
