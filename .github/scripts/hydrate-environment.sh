#!/usr/bin/env bash
# Hydrates an environment with a build: renders gitops-manifests/overlays/ENVIRONMENT as it is at SOURCE_SHA (a commit
# of main), with the images built from it, and pushes the result as one commit to the branch environments/ENVIRONMENT,
# which Argo CD or Flux syncs. That commit holds, at its root, manifest.yaml (the rendering), hydrator.metadata (the
# source commit and the images) and README.md, on top of what the branch held (its .github/ files); one commit is one
# hydrated state, so a deployment status on it names exactly what was deployed. Main is never written.
#
# Usage: .github/scripts/hydrate-environment.sh ENVIRONMENT SOURCE_SHA NAME=REF...
#   e.g. hydrate-environment.sh dev 3f2c1d0... voting/api=myacr.azurecr.io/voting/api@sha256:... voting/web=...
# Run in a clone whose origin is the repository (CD's checkout, whose token may push to the branch).
# Outputs (also to $GITHUB_OUTPUT): hydrated=true|false, revision (the branch's head afterwards).
#
# Builds finish in any order. A build must never replace a later one, so it stands down when the branch already holds
# the build of a descendant of SOURCE_SHA. Any other build hydrates: its commit is the newest the branch has seen, or a
# sibling (a rerun). A rejected push (another build pushed meanwhile) is retried from the fetch, decision included.
set -euo pipefail

(($# >= 3)) || { echo "usage: $0 ENVIRONMENT SOURCE_SHA NAME=REF..." >&2; exit 2; }
environment=$1
source_sha=$2
shift 2
branch=environments/$environment
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$scripts/common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stand_down() {
    echo "hydrate-environment: $1; the build of ${source_sha:0:7} leaves $environment as it is"
    output hydrated false
    output revision "$head"
    exit 0
}

for ((attempt = 1; attempt <= ${PUSH_ATTEMPTS:-5}; attempt++)); do
    git fetch --quiet --no-tags origin "+refs/heads/main:refs/remotes/origin/main" "+refs/heads/$branch:refs/remotes/origin/$branch" ||
        { echo "hydrate-environment: cannot fetch $branch (does it exist? .github/scripts/configure-repository.sh creates it)" >&2; exit 1; }
    git merge-base --is-ancestor "$source_sha" origin/main 2>/dev/null ||
        { echo "hydrate-environment: $source_sha is not a commit of main: only what main holds is deployed" >&2; exit 1; }
    head=$(git rev-parse "origin/$branch")
    read_metadata "$head"
    # One jq run: the source commit the branch holds now, and this build's metadata.
    facts=$(jq -n -r --argjson current "${METADATA[0]}" --arg environment "$environment" --arg drySha "$source_sha" \
        --arg repoURL "$(git config --get remote.origin.url)" "$hydrator_jq"'
        ($current.drySha // ""), metadata($environment; $drySha; $repoURL; null; $ARGS.positional)' --args "$@")
    hydrated=${facts%%$'\n'*}
    if [[ -n $hydrated && $hydrated != "$source_sha" ]] && git merge-base --is-ancestor "$source_sha" "$hydrated"; then
        stand_down "$environment already runs the build of ${hydrated:0:7}, a later commit"
    fi

    if ((attempt == 1)); then
        render_at_commit "$source_sha" "$environment" "$@" >"$work/manifest.yaml"
        printf '%s\n' "${facts#*$'\n'}" >"$work/hydrator.metadata"
        hydrated_readme "$environment" "$source_sha" false >"$work/README.md"
    fi
    commit=$(commit_root_files "$head" "deploy($environment): voting built from ${source_sha:0:7}" \
        manifest.yaml="$work/manifest.yaml" hydrator.metadata="$work/hydrator.metadata" README.md="$work/README.md")
    [[ -n $commit ]] || stand_down "$environment runs exactly this build already"
    if git push --quiet origin "$commit:refs/heads/$branch"; then
        echo "hydrate-environment: $branch is now ${commit:0:7}: overlays/$environment at ${source_sha:0:7} with $*"
        output hydrated true
        output revision "$commit"
        exit 0
    fi
    echo "hydrate-environment: push rejected (attempt $attempt): $branch moved; deciding again" >&2
done
echo "hydrate-environment: could not push to $branch after ${PUSH_ATTEMPTS:-5} attempts" >&2
exit 1
