#!/usr/bin/env bash
# The committed gitops-manifests/ is what the AppHost generates: regenerates it with the README's command (the
# publish step alone; the whole pipeline would build and push images) and fails if any file changed or appeared.
#
# Usage: bash .ci/checks/manifest-drift.sh   (on a clean tree: it rewrites gitops-manifests/ in place)
set -euo pipefail

cd "$(dirname "$0")/../.."
dotnet run --project AppHost -- --operation publish --step kubernetes-manifests --output-path ../gitops-manifests
changed=$(git status --porcelain --untracked-files=all -- gitops-manifests)
if [[ -n $changed ]]; then
    echo "manifest-drift: gitops-manifests/ is not what the AppHost generates; commit the regenerated files:" >&2
    echo "$changed" >&2
    git --no-pager diff --stat -- gitops-manifests >&2
    exit 1
fi
echo "manifest-drift: gitops-manifests/ is what the AppHost generates"
