// Validates rendered Kubernetes manifests offline. Usage: node validate.mjs FILE...
// Each FILE is multi-document YAML (the output of `kubectl kustomize`). Three checks, all must be clean:
//   1. kubernetes-models: types, required fields and enums, Argo CD, Flux and Gateway API kinds included;
//      kinds no npm model covers (SecretProviderClass) against a closed JSON schema of our own in schemas/, with ajv;
//      any other kind is a finding, never skipped;
//   2. tsc --strict over each document typed as its I<Kind>: misspelled or unknown fields (the schemas of step 1
//      are closed at every level, so their kinds are checked for this there);
//   3. @monokle/validation: Pod Security Standards and best-practice rules (CDN plugins off).
// Prints every finding and exits 1 if there is any.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import {
  AnnotationSuppressor, DefaultPluginLoader, DisabledFixer, MonokleValidator, ResourceParser, SchemaLoader,
} from "@monokle/validation";
import { MONOKLE_CONFIG, SUPPRESSED_RULES } from "./monokle-config.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const findings = [];

const documents = process.argv.slice(2).flatMap((file) =>
  parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc, index) => ({ file, index, object: doc.toJS(), text: String(doc) }))
    .filter((doc) => doc.object));

// Where kubernetes-models keeps a kind: "apps/v1" -> kubernetes-models/apps/v1/Deployment.
function modelModule({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "argoproj.io") return `@kubernetes-models/argo-cd/${group}/${version}/${kind}`;
  if (group.endsWith(".toolkit.fluxcd.io")) return `@kubernetes-models/flux-cd/${group}/${version}/${kind}`;
  // ESM-only: loaded with import() below, and typed through `import type`, never require().
  if (group === "gateway.networking.k8s.io") return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

// Kinds without an npm model: schemas written from their CRDs' documented fields (see each schema's description).
const ajv = new Ajv({ allErrors: true, strict: true });
const LOCAL_SCHEMAS = {
  "secrets-store.csi.x-k8s.io/v1/SecretProviderClass": "schemas/secretproviderclass-v1.json",
};
const localSchema = ({ apiVersion, kind }) => LOCAL_SCHEMAS[`${apiVersion}/${kind}`];
const localValidators = Object.fromEntries(Object.entries(LOCAL_SCHEMAS).map(([key, file]) =>
  [key, ajv.compile(JSON.parse(readFileSync(join(here, file), "utf8")))]));

const label = (doc) => `${doc.file}: ${doc.object.kind}/${doc.object.metadata?.name}`;

// 1. Schema validation.
for (const doc of documents) {
  if (localSchema(doc.object)) {
    const validate = localValidators[`${doc.object.apiVersion}/${doc.object.kind}`];
    if (!validate(doc.object)) {
      findings.push(...validate.errors.map((e) => `[schema] ${label(doc)}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`));
    }
    continue;
  }
  try {
    const module = await import(modelModule(doc.object));
    new module[doc.object.kind](doc.object).validate();
  } catch (error) {
    findings.push(`[schema] ${label(doc)}: ${error.message}`);
  }
}

// 2. Excess-property check: an object literal typed as I<Kind> may not have fields the type lacks.
const work = join(here, ".work");
rmSync(work, { recursive: true, force: true });
mkdirSync(work);
const typed = documents.filter((doc) => !localSchema(doc.object));
const source = typed.map((doc, i) => [
  `// ${label(doc)}`,
  `import type { I${doc.object.kind} as T${i} } from "${modelModule(doc.object)}";`,
  `export const doc${i}: T${i} = ${JSON.stringify(doc.object, null, 2)};`,
].join("\n")).join("\n\n");
writeFileSync(join(work, "documents.ts"), source);
try {
  execFileSync(join(here, "node_modules/.bin/tsc"),
    ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", join(work, "documents.ts")],
    { cwd: here, encoding: "utf8", stdio: "pipe" });
} catch (error) {
  findings.push(...`${error.stdout}`.trim().split("\n").filter(Boolean).map((line) => `[fields] ${line}`));
}

// 3. Pod Security Standards and practices, with the built-in plugins only (no network).
// DefaultPluginLoader knows only the built-in plugins; the default RemotePluginLoader would fetch others.
const validator = new MonokleValidator({
  loader: new DefaultPluginLoader(),
  parser: new ResourceParser(),
  schemaLoader: new SchemaLoader(),
  suppressors: [new AnnotationSuppressor()],
  fixer: new DisabledFixer(),
});
await validator.preload(MONOKLE_CONFIG);
// A plugin that fails to load reports nothing, which must not pass for "no findings".
for (const failed of validator._failedPlugins ?? []) findings.push(`[monokle] plugin ${failed} did not load`);
const resources = documents.map((doc) => ({
  id: `${doc.file}:${doc.index}`,
  fileId: doc.file,
  filePath: doc.file,
  fileOffset: 0,
  name: doc.object.metadata?.name ?? "",
  apiVersion: doc.object.apiVersion,
  kind: doc.object.kind,
  namespace: doc.object.metadata?.namespace,
  content: doc.object,
  text: doc.text,
}));
const response = await validator.validate({ resources });
for (const run of response.runs) {
  for (const result of run.results ?? []) {
    const resource = resources.find((r) => r.id === result.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
    const where = result.locations?.[1]?.logicalLocations?.[1]?.fullyQualifiedName ?? "";
    findings.push(`[monokle] ${result.ruleId} ${resource?.filePath}: ${resource?.kind}/${resource?.name} ${where}: ${result.message.text}`);
  }
}

if (findings.length > 0) {
  console.error(findings.join("\n"));
  console.error(`${findings.length} finding(s) in ${documents.length} documents`);
  process.exit(1);
}
console.log(`Monokle rules off (see monokle-config.mjs): ${Object.values(SUPPRESSED_RULES).join(", ")}`);
console.log(`0 findings in ${documents.length} documents (${process.argv.slice(2).join(", ")})`);
