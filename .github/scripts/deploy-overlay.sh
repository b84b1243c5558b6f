#!/usr/bin/env bash
# Push-mode deployment: applies an overlay with new images to the cluster of the current kubectl context, prunes
# what the overlay no longer holds, and waits for the rollout; a rollout that fails is rolled back, and the script
# fails.
#
# Usage: .github/scripts/deploy-overlay.sh ENVIRONMENT NAME=IMAGE...
#   e.g. deploy-overlay.sh dev voting/api=myacr.azurecr.io/voting/api@sha256:... voting/web=...
# Run at the root of a checkout. Environment: ROLLOUT_TIMEOUT (default 5m) per workload.
#
# The images are set on a copy of gitops-manifests, so the repository never holds tags that only one cluster got
# (in push mode the workflow, not Git, knows what runs). Each environment's identity may write only inside its own
# namespace, so the guardrails (Namespace, ResourceQuota, LimitRange: labelled app.kubernetes.io/component=guardrails)
# are left out here: the platform applies them (docs/deploy.md), and a deployment can neither raise its own quota nor
# relax its namespace's Pod Security level. Pruning uses an ApplySet whose parent is a ConfigMap in the namespace:
# objects this script applied before and the overlay no longer holds are deleted, nothing else is touched.
# Server-side apply leaves fields owned by other managers (an HPA's replicas) alone.
set -euo pipefail

(($# >= 2)) || { echo "usage: $0 ENVIRONMENT NAME=IMAGE..." >&2; exit 2; }
environment=$1
shift
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
[[ -d gitops-manifests/overlays/$environment ]] || { echo "deploy-overlay: no overlay '$environment'" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R gitops-manifests "$work/"
overlay=$work/gitops-manifests/overlays/$environment
"$scripts/set-image-tags.sh" "$overlay" "$@"

# The overlay without its guardrails: a kustomization over it that deletes every object so labelled.
deploy=$work/gitops-manifests/push-$environment
mkdir -p "$deploy"
cat >"$deploy/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../overlays/$environment
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
render_kustomization "$deploy" >"$rendered"
namespace=$(sed -nE 's/^  namespace: *//p' "$rendered" | sort -u)
[[ $(wc -l <<<"$namespace") == 1 && -n $namespace ]] ||
    { echo "deploy-overlay: the overlay must render into exactly one namespace, got: ${namespace:-none}" >&2; exit 1; }

KUBECTL_APPLYSET=true kubectl apply --filename "$rendered" --namespace "$namespace" --server-side \
    --field-manager=voting-cd-push --prune --applyset="configmaps/$environment-deployment"

# Waits for every workload; the first that does not become ready is rolled back to its previous revision.
failed=()
while read -r kind name; do
    if ! kubectl rollout status "${kind,,}/$name" --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-5m}"; then
        failed+=("${kind,,}/$name")
    fi
done < <(awk '/^kind: (Deployment|StatefulSet)$/ { kind = $2 } kind && /^  name: / { print kind, $2; kind = "" }' "$rendered")

if ((${#failed[@]} > 0)); then
    echo "deploy-overlay: ${failed[*]} did not become ready; rolling back" >&2
    for workload in "${failed[@]}"; do
        kubectl rollout undo "$workload" --namespace "$namespace" &&
            kubectl rollout status "$workload" --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-5m}" ||
            echo "deploy-overlay: rolling back $workload failed too: look at it now" >&2
    done
    exit 1
fi
echo "deploy-overlay: $environment ($namespace) runs $*"
