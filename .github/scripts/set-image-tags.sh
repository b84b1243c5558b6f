#!/usr/bin/env bash
# Edits a kustomize overlay's images: the bootstrap records Redis, which it imports into the registry, by digest in
# every overlay with it. To render an environment with the images CD built, use render_environment (common.sh).
#
# Usage: .github/scripts/set-image-tags.sh OVERLAY_DIR NAME=IMAGE...
#   e.g. set-image-tags.sh gitops-manifests/overlays/dev redis=myacr.azurecr.io/redis@sha256:...
#
# Only OVERLAY_DIR/kustomization.yaml changes. The edit is `kustomize edit set image` where kustomize is installed
# (GitHub's ubuntu runners); elsewhere the same edit is made on the parsed YAML by kustomize-set-image/set-image.mjs,
# because kubectl's built-in kustomize can render but not edit and no kustomize binary is packaged here.
# Afterwards the overlay is rendered and must use every new image: a NAME that matches no container (a typo, or
# an overlay out of step with the base) fails here rather than deploying the old image. On failure the file is
# restored.
set -euo pipefail

usage() {
    echo "usage: $0 OVERLAY_DIR NAME=IMAGE..." >&2
    exit 2
}

(($# >= 2)) || usage
overlay=$1
shift
kustomization=$overlay/kustomization.yaml
[[ -f $kustomization ]] || { echo "set-image-tags: no $kustomization" >&2; exit 2; }
for arg in "$@"; do
    [[ $arg == ?*=?* ]] || usage
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
editor=$script_dir/kustomize-set-image
# shellcheck source=SCRIPTDIR/kustomize-set-image/install.sh
source "$editor/install.sh"
# shellcheck source=SCRIPTDIR/common.sh
source "$script_dir/common.sh"
backup=$(mktemp)
trap 'rm -f "$backup"' EXIT
cp "$kustomization" "$backup"

restore_and_fail() {
    cp "$backup" "$kustomization"
    echo "set-image-tags: $1; $kustomization left unchanged" >&2
    exit 1
}


if command -v kustomize >/dev/null; then
    (cd "$overlay" && kustomize edit set image "$@") || restore_and_fail "kustomize edit failed"
else
    ensure_yaml_tools
    node "$editor/set-image.mjs" "$overlay" "$@" || restore_and_fail "the edit failed"
fi

rendered=$(render_kustomization "$overlay") || restore_and_fail "the overlay no longer renders"
# Every container image in the rendered objects, one a line (kustomize writes them unquoted).
images=$(sed -nE 's/^ *(- )?image: *//p' <<<"$rendered")
for arg in "$@"; do
    grep -qxF -- "${arg#*=}" <<<"$images" ||
        restore_and_fail "no container renders with image ${arg#*=} (is ${arg%%=*} in the overlay's images and the base?)"
done
echo "set-image-tags: $overlay now uses $*"
