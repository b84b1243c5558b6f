#!/usr/bin/env bash
# Push-mode deployment: applies an overlay with new images to the cluster of the current kubectl context and
# waits for the rollout.
#
# Usage: .github/scripts/deploy-overlay.sh ENVIRONMENT NAME=IMAGE...
#   e.g. deploy-overlay.sh dev voting/api=myacr.azurecr.io/voting/api@sha256:... voting/web=...
# Environment: ROLLOUT_TIMEOUT (default 5m) per workload.
#
# The images are set on a copy of gitops-manifests, so the repository never holds tags that only one cluster
# got (in push mode the workflow, not Git, knows what runs). Server-side apply leaves fields owned by other
# managers (an HPA's replicas, say) alone. The Redis password Secret is created out of band (docs/deploy.md).
set -euo pipefail

(($# >= 2)) || { echo "usage: $0 ENVIRONMENT NAME=IMAGE..." >&2; exit 2; }
environment=$1
shift
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -d $repo/gitops-manifests/overlays/$environment ]] || { echo "deploy-overlay: no overlay '$environment'" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$repo/gitops-manifests" "$work/"
overlay=$work/gitops-manifests/overlays/$environment

"$repo/.github/scripts/set-image-tags.sh" "$overlay" "$@"
kubectl apply -k "$overlay" --server-side --field-manager=voting-cd-push

# Waits for every workload the overlay holds, in its own namespace.
workloads=$(kubectl get -k "$overlay" \
    -o jsonpath='{range .items[*]}{.kind}{" "}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}')
while read -r kind namespace name; do
    case $kind in
        Deployment | StatefulSet | DaemonSet)
            kubectl rollout status "${kind,,}/$name" --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-5m}"
            ;;
    esac
done <<<"$workloads"
