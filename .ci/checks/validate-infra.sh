#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ offline, with zero diagnostics allowed: infra/bicepconfig.json
# makes every linter rule an error, and any compiler warning (an unknown property, a missing type) fails too.
# Also checks that the committed Grafana dashboard is JSON.
#
# Usage: bash .ci/checks/validate-infra.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
bicep=$(bash .ci/bicep.sh)
"$bicep" --version

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One process per command (the CLI starts in seconds): --pattern covers every file, the parameters file included.
status=0
diagnostics=$({
    "$bicep" lint --pattern 'infra/**/*.bicep' &&
        "$bicep" lint --pattern 'infra/**/*.bicepparam' &&
        "$bicep" build --pattern 'infra/**/*.bicep' --outdir "$out" &&
        mkdir -p "$out/parameters" && "$bicep" build-params --pattern 'infra/**/*.bicepparam' --outdir "$out/parameters"
} 2>&1) || status=1
if [[ -n $diagnostics ]]; then
    echo "$diagnostics" >&2
    status=1
fi
built=$(find "$out" -name '*.json' | wc -l)
echo "validate-infra: $built templates and parameter files built"
((built > 0)) || status=1

for dashboard in infra/grafana/*.json; do
    node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$dashboard" ||
        { echo "validate-infra: $dashboard is not JSON" >&2; status=1; }
done

if ((status)); then
    echo "validate-infra: FAILED" >&2
fi
exit "$status"
