#!/usr/bin/env bash
# Checks the editor setup offline:
#   - .devcontainer/devcontainer.json and .vscode/*.json parse as VS Code reads them (comments allowed, no trailing
#     commas), with jsonc-parser, the parser VS Code itself uses;
#   - devcontainer.json against the dev container specification's JSON schema (devcontainers/spec, kept in
#     .ci/devcontainer/schemas/ because no package ships it) and the editor customizations, with ajv;
#   - it forwards the launch profiles' ports with labels and installs the extensions .vscode recommends.
# Needs node and npm; the validators are pinned in .ci/devcontainer/package-lock.json.
#
# Usage: bash .ci/checks/validate-devcontainer.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=$repo/.ci/devcontainer
cd "$repo"

# Reinstalls only when the lock file changed since the last install (a copy of it marks the install).
stamp=$tools/node_modules/.installed-from-lock.json
if ! cmp -s "$tools/package-lock.json" "$stamp" 2>/dev/null; then
    npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$tools/package-lock.json" "$stamp"
fi

parsed=$(mktemp -d)
trap 'rm -rf "$parsed"' EXIT

echo "validate-devcontainer: parse .devcontainer/devcontainer.json and .vscode/*.json"
node "$tools/parse-jsonc.mjs" "$parsed" .devcontainer/devcontainer.json .vscode/*.json

echo "validate-devcontainer: devcontainer.json against the dev container schema"
node "$tools/validate-schema.mjs" "$parsed/devcontainer.json"

echo "validate-devcontainer: ports and extensions"
node "$tools/consistency.mjs" "$repo" "$parsed"
