#!/usr/bin/env bash
# Holds the promotions to an environment, or releases the hold. The hold is the annotated tag hold/ENVIRONMENT on the
# environment's head, its message the reason: while it exists nothing is proposed to ENVIRONMENT, and the promotion
# check on an open proposal is red (so it cannot merge); a rollback still can. A tag rather than a file on the branch:
# environments/ENVIRONMENT changes only through a reviewed pull request, and stopping promotions must take one step.
# The tag still says who held, when and why.
#
# Usage: .github/scripts/hold.sh ENVIRONMENT REASON     hold (again: the new reason replaces the old)
#        .github/scripts/hold.sh ENVIRONMENT --release  release
# Run in a clone whose origin is the repository, with a token that may push tags. promote-prod.yml runs it (inputs
# hold and release), then judges the open proposal again.
set -euo pipefail

[[ $# == 2 && -n ${2:-} ]] || { echo "usage: $0 ENVIRONMENT REASON|--release" >&2; exit 2; }
environment=$1
tag=refs/tags/hold/$environment
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ $2 == --release ]]; then
    if [[ -z $(git ls-remote origin "$tag") ]]; then
        echo "hold: $environment is not held"
    else
        git push --quiet origin --delete "$tag"
        echo "hold: released $environment"
    fi
    exit 0
fi
git fetch --quiet --no-tags origin "+refs/heads/environments/$environment:refs/remotes/origin/environments/$environment"
object=$(git mktag <<TAG
object $(git rev-parse "origin/environments/$environment")
type commit
tag hold/$environment
tagger $(TZ=UTC git_as_bot var GIT_COMMITTER_IDENT)

$2
TAG
)
git push --quiet --force origin "$object:$tag"
echo "hold: $environment held: $2"
