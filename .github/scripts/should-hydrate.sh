#!/usr/bin/env bash
# Whether CD's build of SOURCE_SHA should hydrate ENVIRONMENT on the checked-out branch: prints true or false.
#
# Usage: .github/scripts/should-hydrate.sh ENVIRONMENT SOURCE_SHA
#
# Builds finish out of order and hydrate one at a time, so each checks what happened on the branch since its commit.
# It stands down when:
#   - a later commit changed the environment's manifests (gitops-manifests/base or its overlay): that commit's own
#     build hydrates them, with its own images. Hydration commits ("deploy(ENVIRONMENT): ...", made by CD) are not
#     such a change: they only record images, and counting them would make every build queued behind the first one
#     stand down, leaving the environment on that older build;
#   - the environment already runs a later commit's build (its hydrator.metadata names a descendant of SOURCE_SHA),
#     which an older build must not replace.
set -euo pipefail

(($# == 2)) || { echo "usage: $0 ENVIRONMENT SOURCE_SHA" >&2; exit 2; }
environment=$1
source_sha=$(git rev-parse --verify --quiet "$2^{commit}") || { echo "should-hydrate: no commit $2" >&2; exit 2; }
inputs=(gitops-manifests/base "gitops-manifests/overlays/$environment")
metadata=gitops-manifests/environments/$environment/hydrator.metadata

stand_down() {
    local reason="$1; the build of ${source_sha:0:7} leaves $environment as it is"
    if [[ -n ${GITHUB_ACTIONS:-} ]]; then
        echo "::notice::$reason" >&2
    else
        echo "should-hydrate: $reason" >&2
    fi
    echo false
    exit 0
}

changes=$(git log --format='%H %s' "$source_sha..HEAD" -- "${inputs[@]}")
while read -r commit subject; do
    if [[ -n $commit && $subject != "deploy($environment): "* ]]; then
        stand_down "${commit:0:7} (\"$subject\") changed $environment's manifests since; its own build hydrates them"
    fi
done <<<"$changes"

if [[ -f $metadata ]]; then
    hydrated=$(jq -r '.drySha // empty' "$metadata")
    if [[ -n $hydrated && $hydrated != "$source_sha" ]] && git merge-base --is-ancestor "$source_sha" "$hydrated" 2>/dev/null; then
        stand_down "$environment already runs the build of ${hydrated:0:7}, a later commit"
    fi
fi

echo true
