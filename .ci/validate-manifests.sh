#!/usr/bin/env bash
# Validates gitops-manifests/ offline: renders each overlay and the Argo CD, Flux and Gateway folders with
# `kubectl kustomize`, then checks every object against the Kubernetes, Argo CD, Flux and Gateway API schemas, for
# misspelled fields, and against the Pod Security Standards (restricted) and best-practice rules. Zero findings or exit 1.
#
# Usage: .ci/validate-manifests.sh   (from anywhere; needs kubectl and node 20, installs the npm validators)
# The validators are pinned in .ci/manifests/package-lock.json; rules turned off are in .ci/manifests/monokle-config.mjs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifests=$root/gitops-manifests
tools=$root/.ci/manifests

if ! command -v kubectl >/dev/null; then
    # Debian itself has no kubectl: install it only where a configured apt source (such as pkgs.k8s.io) offers it.
    if [[ $(apt-cache policy kubectl 2>/dev/null | awk '/Candidate:/ { print $2 }') =~ ^[0-9] ]]; then
        "$root/.ci/apt-install.sh" kubectl
    else
        echo "validate-manifests: kubectl not found and no apt source offers it; install it from https://pkgs.k8s.io" >&2
        exit 1
    fi
fi

# npm ci installs exactly the lock file's versions; skipped when node_modules already matches it.
if [[ ! -f $tools/node_modules/.package-lock.json || $tools/package-lock.json -nt $tools/node_modules/.package-lock.json ]]; then
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
files=()
for dir in "$manifests"/overlays/*/ "$manifests/argocd/" "$manifests/argocd/apps/" "$manifests/flux/" "$manifests/gateway/"; do
    name=${dir#"$manifests"/}
    name=${name%/}
    kubectl kustomize "$dir" >"$rendered/${name//\//-}.yaml"
    echo "validate-manifests: kubectl kustomize ${dir#"$root"/} ($(grep -c '^kind:' "$rendered/${name//\//-}.yaml") objects)"
    files+=("$rendered/${name//\//-}.yaml")
done

node "$tools/validate.mjs" "${files[@]}"
