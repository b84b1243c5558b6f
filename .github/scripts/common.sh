#!/usr/bin/env bash
# Sourced by the CD scripts: what they all do the same way.

# Renders a kustomization folder: with kustomize where it is installed (GitHub's runners), else with kubectl's
# built-in kustomize, which renders the same.
render_kustomization() {
    if command -v kustomize >/dev/null; then
        kustomize build "$1"
    else
        kubectl kustomize "$1"
    fi
}

# git, as the bot identity CD's commits carry, so the history shows which commits CD made.
git_as_bot() {
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" "$@"
}

# Renders an environment: OVERLAY_DIR (any kustomization folder) with each container image named NAME (as the base
# names it, e.g. voting/api) set to REF (REGISTRY/REPOSITORY@sha256:DIGEST, or :TAG), through a temporary
# kustomization over the folder, so nothing in the checkout changes: the images CD deploys are never written to git
# by this. Prints the rendering; fails, naming it, when a REF is not in it (a NAME no container uses, or one the
# overlay already renames).
# Usage: render_environment OVERLAY_DIR [NAME=REF...] >rendered.yaml
render_environment() {
    local overlay=$1 work arg ref rendered images status=0
    shift
    [[ -f $overlay/kustomization.yaml ]] || { echo "render_environment: no $overlay/kustomization.yaml" >&2; return 2; }
    for arg in "$@"; do
        [[ $arg == ?*=?* ]] || { echo "render_environment: '$arg' is not NAME=REF" >&2; return 2; }
    done
    work=$(mktemp -d)
    {
        echo "apiVersion: kustomize.config.k8s.io/v1beta1"
        echo "kind: Kustomization"
        echo "resources:"
        # kustomize takes a folder outside this one only as a relative path.
        echo "- $(realpath --relative-to="$work" "$overlay")"
        (($# == 0)) || echo "images:"
        for arg in "$@"; do
            ref=${arg#*=}
            echo "- name: ${arg%%=*}"
            if [[ $ref == *@* ]]; then
                printf '  newName: %s\n  digest: %s\n' "${ref%@*}" "${ref#*@}"
            elif [[ ${ref##*/} == *:* ]]; then
                printf '  newName: %s\n  newTag: "%s"\n' "${ref%:*}" "${ref##*:}"
            else
                printf '  newName: %s\n' "$ref"
            fi
        done
    } >"$work/kustomization.yaml"
    rendered=$(render_kustomization "$work") || status=$?
    rm -rf "$work"
    ((status == 0)) || { echo "render_environment: $overlay does not render" >&2; return "$status"; }
    # Every container image in the rendering, one a line (kustomize writes them unquoted).
    images=$(sed -nE 's/^ *(- )?image: *//p' <<<"$rendered")
    for arg in "$@"; do
        grep -qxF -- "${arg#*=}" <<<"$images" || {
            echo "render_environment: no container of $overlay renders with ${arg#*=}: does the base name an image ${arg%%=*}, and does the overlay leave it to CD?" >&2
            return 1
        }
    done
    printf '%s\n' "$rendered"
}
