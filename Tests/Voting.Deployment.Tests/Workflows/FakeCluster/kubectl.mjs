// Stands in for the Kubernetes API server behind kubectl in the push-mode deployment tests (no API server can run
// here). It keeps the cluster's objects in $FAKE_CLUSTER/state.json, each field with the field managers that own it,
// and applies the rules the deployment depends on:
// - server-side apply: a field owned by other managers, with another value, is a conflict (the object is not
//   changed, kubectl exits 1) unless --force-conflicts; fields a manager stops applying are removed when it was
//   their only owner;
// - --prune with an ApplySet deletes the set's objects in the namespace that the apply does not hold (after an
//   apply with no failure, as kubectl);
// - `rollout undo` writes the previous pod template as the field manager kubectl-rollout, as kubectl does;
// - `rollout status` fails for a workload that runs an image listed in $BROKEN_IMAGES (comma-separated).
// Every call is appended to $FAKE_CLUSTER/calls. Rendering (`kubectl kustomize`, `create --dry-run=client`) is the
// real kubectl's job: the wrapper the test writes sends those there.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const YAML = createRequire(`${process.env.YAML_TOOLS}/`)("yaml");
const dir = process.env.FAKE_CLUSTER;
const statePath = `${dir}/state.json`;
const args = process.argv.slice(2);
appendFileSync(`${dir}/calls`, `${args.join(" ")}\n`);

const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : { objects: {} };
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const flag = (name) => {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].slice(name.length + 1) : args[i + 1];
};
const has = (name) => args.includes(name);
const kinds = { deployment: "Deployment", statefulset: "StatefulSet", configmap: "ConfigMap" };

// Every leaf of an object as [path, value]; list items with a name are keyed by it, as Kubernetes keys containers.
function leaves(value, path = [], out = {}) {
  if (Array.isArray(value) && value.every((item) => item && typeof item === "object" && "name" in item)) {
    for (const item of value) leaves(item, [...path, `[name=${JSON.stringify(item.name)}]`], out);
  } else if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], out);
  } else {
    out[JSON.stringify(path)] = JSON.stringify(value);
  }
  return out;
}
const shown = (path) => "." + JSON.parse(path).join(".").replaceAll(".[", "[");
const isTemplate = (path) => path.startsWith('["spec","template",');
const isImage = (path) => /"containers","\[name=.*\]","image"\]$/.test(path);

function apply(manifest, namespace, manager, applyset) {
  const key = `${manifest.kind}/${manifest.metadata.namespace ?? namespace}/${manifest.metadata.name}`;
  const object = state.objects[key] ?? { fields: {}, templates: [] };
  const fields = leaves(manifest);
  const conflicts = Object.entries(fields).filter(([path, value]) => {
    const current = object.fields[path];
    return current && current.value !== value && !current.managers.includes(manager) && current.managers.length > 0;
  });
  if (conflicts.length > 0 && !has("--force-conflicts")) {
    const owners = [...new Set(conflicts.flatMap(([path]) => object.fields[path].managers))];
    console.error(`error: Apply failed with ${conflicts.length} conflicts: conflict with ${owners.map((o) => JSON.stringify(o)).join(", ")}: ${conflicts.map(([p]) => shown(p)).join(", ")}`);
    return false;
  }
  for (const [path, current] of Object.entries(object.fields)) {
    if (path in fields || !current.managers.includes(manager)) continue;
    current.managers = current.managers.filter((m) => m !== manager);
    if (current.managers.length === 0) delete object.fields[path];
  }
  for (const [path, value] of Object.entries(fields)) {
    const current = object.fields[path];
    object.fields[path] = current && current.value === value
      ? { value, managers: [...new Set([...current.managers, manager])] }
      : { value, managers: [manager] };
  }
  const template = Object.fromEntries(Object.entries(object.fields).filter(([p]) => isTemplate(p)).map(([p, f]) => [p, f.value]));
  if (Object.keys(template).length > 0 && JSON.stringify(template) !== JSON.stringify(object.templates.at(-1))) {
    object.templates.push(template);
  }
  object.applyset = applyset ?? object.applyset ?? null;
  state.objects[key] = object;
  console.log(`${manifest.kind.toLowerCase()}/${manifest.metadata.name} serverside-applied`);
  return key;
}

function workload(reference, namespace) {
  const [kind, name] = reference.split("/");
  return state.objects[`${kinds[kind]}/${namespace}/${name}`];
}

const [verb, sub] = args;
const namespace = flag("--namespace");
if (verb === "apply") {
  const file = flag("--filename");
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  const applyset = has("--prune") ? flag("--applyset") : undefined;
  const applied = YAML.parseAllDocuments(text).map((doc) => doc.toJS()).filter(Boolean)
    .map((manifest) => apply(manifest, namespace, flag("--field-manager") ?? "kubectl", applyset));
  // As kubectl: no pruning after an apply that failed.
  if (applyset && applied.every(Boolean)) {
    for (const [key, object] of Object.entries(state.objects)) {
      if (object.applyset === applyset && key.split("/")[1] === namespace && !applied.includes(key)) {
        delete state.objects[key];
        console.log(`${key.split("/")[0].toLowerCase()}/${key.split("/")[2]} pruned`);
      }
    }
  }
  save();
  process.exit(applied.every(Boolean) ? 0 : 1);
} else if (verb === "get" && sub === "configmap") {
  const object = state.objects[`ConfigMap/${namespace}/${args[2]}`];
  const field = object?.fields[JSON.stringify(["data", "manifest.yaml"])];
  if (!object && !has("--ignore-not-found")) {
    console.error(`Error from server (NotFound): configmaps "${args[2]}" not found`);
    process.exit(1);
  }
  process.stdout.write(field ? JSON.parse(field.value) : "");
} else if (verb === "rollout" && sub === "status") {
  const object = workload(args[2], namespace);
  const broken = (process.env.BROKEN_IMAGES ?? "").split(",").filter(Boolean);
  const images = Object.entries(object?.fields ?? {}).filter(([p]) => isImage(p)).map(([, f]) => JSON.parse(f.value));
  if (!object || images.some((image) => broken.includes(image))) {
    console.error(`error: ${args[2]} exceeded its progress deadline`);
    process.exit(1);
  }
  console.log(`${args[2]} successfully rolled out`);
} else if (verb === "rollout" && sub === "undo") {
  const object = workload(args[2], namespace);
  const previous = object?.templates.at(-2);
  if (!previous) {
    console.error(`error: no rollout history found for ${args[2]}`);
    process.exit(1);
  }
  for (const [path, value] of Object.entries(previous)) {
    if (object.fields[path]?.value !== value) object.fields[path] = { value, managers: ["kubectl-rollout"] };
  }
  object.templates.push(previous);
  save();
  console.log(`${args[2]} rolled back`);
} else {
  console.error(`fake cluster: no model for 'kubectl ${args.join(" ")}'`);
  process.exit(64);
}
