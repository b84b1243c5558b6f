#!/usr/bin/env bash
# The check of a pull request into environments/ENVIRONMENT: its head must be a hydrated state, and nothing else.
#   - Its files: manifest.yaml, hydrator.metadata and README.md at the root, and the branch's own .github files
#     (CODEOWNERS, the workflow that runs this check), each as the base has it or as main has it now. Nothing else.
#   - hydrator.metadata names ENVIRONMENT, a source commit on main (drySha) and the images (NAME=REF).
#   - manifest.yaml is exactly overlays/ENVIRONMENT rendered at drySha with those images; README.md is what CD writes.
# Whatever is merged into an environment then renders as its metadata says: a promotion, a rollback (a revert of
# one), or an update of the .github files alike. An environment that runs something cannot be emptied.
# verify-environment.yml runs it with main's scripts; the pull request's files are only read, as data.
#
# Usage: .github/scripts/verify-environment.sh ENVIRONMENT BASE HEAD
#   BASE, HEAD  the pull request's base and head commits (fetched), and origin/main fetched with its history
set -euo pipefail

(($# == 3)) || { echo "usage: $0 ENVIRONMENT BASE HEAD" >&2; exit 2; }
environment=$1
base=$2
head=$3
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
errors=()

# Blob ids by SIDE:PATH, of the head, the base and main's copies of the branch's own files.
declare -A blobs=()
read_blobs() {
    local side=$1 mode type object path
    shift
    while read -r mode type object path; do
        blobs[$side:$path]=$object
    done < <(git ls-tree -r "$@")
    : "$mode" "$type"
}
read_blobs head "$head"
read_blobs base "$base"
read_blobs main origin/main -- "${environment_branch_files[@]}"

declare -A own=()
for path in "${environment_branch_files[@]}"; do own[$path]=1; done
for key in "${!blobs[@]}"; do
    [[ $key == head:* ]] || continue
    path=${key#head:}
    if [[ -n ${own[$path]:-} ]]; then
        [[ ${blobs[$key]} == "${blobs[base:$path]:-}" || ${blobs[$key]} == "${blobs[main:$path]:-}" ]] ||
            errors+=("$path differs from both environments/$environment's and main's: only configure-repository.sh changes it, from main")
    elif [[ $path != manifest.yaml && $path != hydrator.metadata && $path != README.md ]]; then
        errors+=("$path is not part of a hydrated state (manifest.yaml, hydrator.metadata, README.md)")
    fi
done

if [[ -z ${blobs[head:manifest.yaml]:-} && -z ${blobs[head:hydrator.metadata]:-} ]]; then
    [[ -z ${blobs[base:manifest.yaml]:-} ]] ||
        errors+=("manifest.yaml is gone: $environment would delete what it runs; roll back to an earlier build instead")
elif [[ -z ${blobs[head:manifest.yaml]:-} || -z ${blobs[head:hydrator.metadata]:-} ]]; then
    errors+=("manifest.yaml and hydrator.metadata go together: one is missing")
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    dry_sha='' images='' promoted=''
    if facts=$(git cat-file blob "${blobs[head:hydrator.metadata]}" | jq -r --arg environment "$environment" '
        if .environment != $environment then error("names environment \(.environment), not \($environment)")
        elif (.drySha | type) != "string" or (.drySha | test("^[0-9a-f]{40}$") | not) then error("drySha is not a commit SHA")
        elif (.images | type) != "array" or any(.images[]; type != "string" or (test("^[^=]+=.+") | not))
        then error("images must be a list of NAME=REF")
        else @sh "dry_sha=\(.drySha) images=\(.images | join(" ")) promoted=\(has("promotedFrom"))" end'); then
        eval "$facts"
    else
        errors+=("hydrator.metadata is not valid")
    fi
    if [[ -n $dry_sha ]]; then
        read -r -a image_list <<<"$images"
        if ! git merge-base --is-ancestor "$dry_sha" origin/main 2>/dev/null; then
            errors+=("drySha $dry_sha is not a commit of main: only what main holds is deployed")
        else
            if ! render_at_commit "$dry_sha" "$environment" "${image_list[@]}" >"$work/manifest.yaml"; then
                errors+=("overlays/$environment at ${dry_sha:0:7} does not render with images $images")
            elif ! git cat-file blob "${blobs[head:manifest.yaml]}" | cmp -s - "$work/manifest.yaml"; then
                errors+=("manifest.yaml is not overlays/$environment rendered at ${dry_sha:0:7} with images $images (edited by hand?)")
            fi
            [[ -z ${blobs[head:README.md]:-} ]] ||
                git cat-file blob "${blobs[head:README.md]}" | cmp -s - <(hydrated_readme "$environment" "$dry_sha" "$promoted") ||
                errors+=("README.md is not what CD writes for this state")
        fi
    fi
fi

if ((${#errors[@]} > 0)); then
    printf 'verify-environment: %s\n' "${errors[@]}" >&2
    exit 1
fi
echo "verify-environment: ${head:0:7} is a hydrated state of $environment${dry_sha:+: overlays/$environment at ${dry_sha:0:7} with $images}"
