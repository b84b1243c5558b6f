#!/usr/bin/env bash
# Hydrates one environment: renders its overlay (optionally after pointing it at new images) into
# gitops-manifests/environments/ENVIRONMENT/, the folder Argo CD or Flux syncs. The rendered manifest.yaml is
# exactly what the cluster will run, so the commit that changes it shows every change, images and configuration
# alike; hydrator.metadata names the source commit, as Argo CD's Source Hydrator writes it.
#
# Usage: .github/scripts/hydrate-environment.sh ENVIRONMENT [NAME=IMAGE...]
#   e.g. hydrate-environment.sh dev voting/api=myacr.azurecr.io/voting/api@sha256:... voting/web=...
# Run at the root of a checkout. Environment:
#   DRY_SHA         the source commit the overlay comes from (default: HEAD)
#   PROMOTED_FROM   JSON recorded as "promotedFrom" (the promotion passes what dev proved)
#   HYDRATED_ROOT   where to write environments/ (default: gitops-manifests), for a render into another checkout
#
# It changes only overlays/ENVIRONMENT/kustomization.yaml (the images) and environments/ENVIRONMENT/; committing is
# commit-paths.sh's job.
set -euo pipefail

(($# >= 1)) || { echo "usage: $0 ENVIRONMENT [NAME=IMAGE...]" >&2; exit 2; }
environment=$1
shift
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
overlay=gitops-manifests/overlays/$environment
[[ -f $overlay/kustomization.yaml ]] || { echo "hydrate-environment: no overlay $overlay" >&2; exit 2; }
out=${HYDRATED_ROOT:-gitops-manifests}/environments/$environment
dry_sha=${DRY_SHA:-$(git rev-parse HEAD)}
# The metadata names a commit: what is rendered must be that commit's base and overlay, not uncommitted edits.
if [[ -z ${DRY_SHA:-} ]] && ! git diff --quiet HEAD -- gitops-manifests/base "$overlay"; then
    echo "hydrate-environment: gitops-manifests/base or $overlay has uncommitted changes; commit them first" >&2
    exit 1
fi

if (($# > 0)); then
    "$scripts/set-image-tags.sh" "$overlay" "$@"
fi

mkdir -p "$out"
render_kustomization "$overlay" >"$out/manifest.yaml.new"
mv "$out/manifest.yaml.new" "$out/manifest.yaml"

# The overlay's images as NAME=IMAGE, for people and for the promotion, which gives them to prod as they are.
# shellcheck source=SCRIPTDIR/kustomize-set-image/install.sh
source "$scripts/kustomize-set-image/install.sh"
ensure_yaml_tools
images=$(node "$scripts/kustomize-set-image/list-images.mjs" "$overlay" | jq -R . | jq -s .)
repo_url=$(git config --get remote.origin.url || true)
jq -n --arg environment "$environment" --arg drySha "$dry_sha" --arg repoURL "$repo_url" \
    --argjson images "$images" --argjson promotedFrom "${PROMOTED_FROM:-null}" \
    '{environment: $environment, drySha: $drySha, repoURL: $repoURL, images: $images}
     + (if $promotedFrom == null then {} else {promotedFrom: $promotedFrom} end)' >"$out/hydrator.metadata"

if [[ -z ${PROMOTED_FROM:-} ]]; then
    how="CD rewrites it on every build of main."
else
    how="It changes only when a promotion pull request is merged (docs/gitops.md, \"How a change reaches prod\")."
fi
cat >"$out/README.md" <<README
# $environment: hydrated manifests

Written by \`.github/scripts/hydrate-environment.sh\`; never edit it by hand. \`manifest.yaml\` is
\`gitops-manifests/overlays/$environment\` rendered at source commit \`$dry_sha\`, with the images listed in
\`hydrator.metadata\`. Argo CD or Flux syncs this folder into the cluster. $how
README
echo "hydrate-environment: $out from $overlay at ${dry_sha:0:7} ($(grep -c '^kind:' "$out/manifest.yaml") objects)"
