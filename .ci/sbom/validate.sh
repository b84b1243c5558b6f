#!/usr/bin/env bash
# Validates CycloneDX SBOMs (JSON) against the official CycloneDX schema, offline, with the validator pinned in
# .ci/sbom/package-lock.json. Needs node and npm.
#
# Usage: bash .ci/sbom/validate.sh FILE.json...
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(($# > 0)) || { echo "usage: $0 FILE.json..." >&2; exit 2; }

# Reinstalls only when the lock file changed since the last install (a copy of it marks the install).
stamp=$here/node_modules/.installed-from-lock.json
if ! cmp -s "$here/package-lock.json" "$stamp" 2>/dev/null; then
    npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$here/package-lock.json" "$stamp"
fi
node "$here/validate-sbom.mjs" "$@"
