#!/usr/bin/env bash
# Push-mode deployment: applies an overlay with new images to the cluster of the current kubectl context, prunes
# what the overlay no longer holds, and waits for the rollout. A rollout that fails puts back the last rendering that
# rolled out here, with the same apply, and the script fails.
#
# Usage: .github/scripts/deploy-overlay.sh ENVIRONMENT NAME=IMAGE...
#   e.g. deploy-overlay.sh dev voting/api=myacr.azurecr.io/voting/api@sha256:... voting/web=...
# Run at the root of a checkout. Environment: ROLLOUT_TIMEOUT (default 5m) per workload.
#
# The images are set by render_environment (common.sh) on a kustomization over the overlay, so the repository never
# holds tags that only one cluster got (in push mode the workflow, not Git, knows what runs). Each environment's
# identity may write only inside its own namespace, so the guardrails (Namespace, ResourceQuota, LimitRange, and the
# ServiceAccount that holds the Key Vault identity: labelled app.kubernetes.io/component=guardrails) are left out here:
# the platform applies them (docs/deploy.md), and a deployment can neither raise its own quota, relax its namespace's
# Pod Security level, nor mint tokens for the Key Vault identity. Pruning uses an ApplySet
# whose parent is a ConfigMap in the namespace: objects this script applied before and the overlay no longer holds are
# deleted, nothing else is touched. Server-side apply leaves fields owned by other managers (an HPA's replicas) alone.
#
# Known good: after every rollout that succeeds, the rendering just applied is kept in the ConfigMap
# ENVIRONMENT-known-good in the namespace. When a rollout fails, that rendering is applied again by the same call
# (server-side, field manager voting-cd-push, the same ApplySet): ConfigMaps, images and config checksums return,
# objects only the failed rendering had are pruned, and every field stays with the one field manager, so the next
# deployment applies without conflicts. (`kubectl rollout undo` puts back only a pod template, leaves the new
# ConfigMaps, and takes the image and checksum fields over as another field manager, on which the next apply then
# conflicts.) A ConfigMap, because the deploy identity reads and writes ConfigMaps in its namespace already (the app's
# and the ApplySet parent) and must never read Secrets; the rendering holds no Secret (checked), and is some fifty
# times smaller than the 1 MiB a ConfigMap holds (checked too, before anything is applied).
# The first deployment to a namespace has no known good: a failed rollout leaves what it applied (removing it could
# take the votes with it) and fails.
set -euo pipefail

(($# >= 2)) || { echo "usage: $0 ENVIRONMENT NAME=IMAGE..." >&2; exit 2; }
environment=$1
shift
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
[[ -d gitops-manifests/overlays/$environment ]] || { echo "deploy-overlay: no overlay '$environment'" >&2; exit 2; }
known_good=$environment-known-good

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The overlay without its guardrails: a kustomization over it that deletes every object so labelled.
deploy=$work/push-$environment
mkdir -p "$deploy"
cat >"$deploy/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- $(realpath --relative-to="$deploy" "gitops-manifests/overlays/$environment")
patches:
- target:
    labelSelector: app.kubernetes.io/component=guardrails
  patch: |
    \$patch: delete
    apiVersion: v1
    kind: Any
    metadata:
      name: any
YAML
rendered=$work/rendered.yaml
render_environment "$deploy" "$@" >"$rendered"
namespace=$(sed -nE 's/^  namespace: *//p' "$rendered" | sort -u)
[[ $(wc -l <<<"$namespace") == 1 && -n $namespace ]] ||
    { echo "deploy-overlay: the overlay must render into exactly one namespace, got: ${namespace:-none}" >&2; exit 1; }
! grep -qx 'kind: Secret' "$rendered" ||
    { echo "deploy-overlay: the rendering holds a Secret, which would end up in configmap/$known_good" >&2; exit 1; }
(($(wc -c <"$rendered") < 1000000)) ||
    { echo "deploy-overlay: the rendering is too large to keep in configmap/$known_good (1 MiB at most)" >&2; exit 1; }

# The rendering that last rolled out here; empty before the first deployment.
previous=$work/known-good.yaml
kubectl get configmap "$known_good" --namespace "$namespace" --ignore-not-found \
    --output 'jsonpath={.data.manifest\.yaml}' >"$previous"

apply() {
    KUBECTL_APPLYSET=true kubectl apply --filename "$1" --namespace "$namespace" --server-side \
        --field-manager=voting-cd-push --prune --applyset="configmaps/$environment-deployment"
}

# Waits for every workload of a rendering; fails, naming them, when any does not become ready.
rolled_out() {
    local kind name failed=()
    while read -r kind name; do
        kubectl rollout status "${kind,,}/$name" --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-5m}" ||
            failed+=("${kind,,}/$name")
    done < <(awk '/^kind: (Deployment|StatefulSet)$/ { kind = $2 } kind && /^  name: / { print kind, $2; kind = "" }' "$1")
    ((${#failed[@]} == 0)) || { echo "deploy-overlay: ${failed[*]} did not become ready" >&2; return 1; }
}

apply "$rendered"
if rolled_out "$rendered"; then
    kubectl create configmap "$known_good" --namespace "$namespace" --from-file=manifest.yaml="$rendered" \
        --dry-run=client --output yaml | kubectl apply --filename - --server-side --field-manager=voting-cd-push
    echo "deploy-overlay: $environment ($namespace) runs $*"
    exit 0
fi

if [[ ! -s $previous ]]; then
    echo "deploy-overlay: no known-good rendering in configmap/$known_good (the first deployment here): nothing to put back; what was applied stays: look at it now" >&2
    exit 1
fi
echo "deploy-overlay: putting back the last rendering that rolled out (configmap/$known_good)" >&2
if ! { apply "$previous" && rolled_out "$previous"; }; then
    echo "deploy-overlay: putting back the known-good rendering failed too: look at it now" >&2
    exit 1
fi
echo "deploy-overlay: $environment ($namespace) is back on its known-good rendering; this deployment failed" >&2
exit 1
