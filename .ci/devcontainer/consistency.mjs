// What the dev container promises and the schema cannot check: it forwards, with a label, exactly the ports of the
// launch profiles (the dashboard, the Web and the Api), and installs exactly the extensions .vscode recommends.
//
// Usage: node consistency.mjs REPO_ROOT PARSED_DIR   (PARSED_DIR: the plain JSON parse-jsonc.mjs wrote)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "jsonc-parser";

const [root, parsed] = process.argv.slice(2);
const read = (path) => parse(readFileSync(path, "utf8"));
const devcontainer = read(join(parsed, "devcontainer.json"));
const problems = [];

// Ports: the http profile's applicationUrl of each project the dashboard and the browser reach.
const profilePorts = ["AppHost", "Web", "Api"].map((project) => {
  const file = join(root, project, "Properties", "launchSettings.json");
  const url = read(file).profiles?.http?.applicationUrl;
  if (!url) problems.push(`${file}: no http profile with an applicationUrl`);
  return url ? Number(new URL(url.split(";")[0]).port) : NaN;
});
const forwarded = devcontainer.forwardPorts ?? [];
if (JSON.stringify([...forwarded].sort()) !== JSON.stringify([...profilePorts].sort())) {
  problems.push(`forwardPorts is [${forwarded}], the launch profiles listen on [${profilePorts}] (AppHost, Web, Api)`);
}
for (const port of forwarded) {
  if (!devcontainer.portsAttributes?.[String(port)]?.label) problems.push(`forwarded port ${port} has no label in portsAttributes`);
}

// Extensions: the container installs what the folder recommends, no more and no less.
const recommended = read(join(parsed, "extensions.json")).recommendations ?? [];
const installed = devcontainer.customizations?.vscode?.extensions ?? [];
const missing = recommended.filter((id) => !installed.includes(id));
const extra = installed.filter((id) => !recommended.includes(id));
if (missing.length) problems.push(`.vscode/extensions.json recommends ${missing.join(", ")}, which the dev container does not install`);
if (extra.length) problems.push(`the dev container installs ${extra.join(", ")}, which .vscode/extensions.json does not recommend`);

for (const problem of problems) console.error(`devcontainer: ${problem}`);
process.exit(problems.length ? 1 : 0);
