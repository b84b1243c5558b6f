#!/usr/bin/env bash
# The promotion check's verdict on a proposed state of the target: the commit status (context
# promotion/SOURCE-runs-this) that the target's ruleset requires before a pull request into environments/TARGET merges.
#   success  SOURCE runs exactly this build and its latest report on it is a success; or the target runs it already;
#            or the target ran it before (a rollback, which is what a revert of a promotion is)
#   failure  SOURCE degraded on it, a newer build reached SOURCE (superseded), or the target is held
#   pending  SOURCE runs it but has not reported on that revision yet
# promote.sh gives the same verdict on the proposal it keeps; this script is for the other moments the verdict changes:
# CD pushed a new build to SOURCE (cd-gitops.yml), and a pull request was opened or updated (verify-environment.yml).
#
# Usage: .github/scripts/promotion-check.sh [REVISION [STATUS_JSON]]
#   REVISION     the proposed state (default: the head of the promotion branch; nothing to say when there is none)
#   STATUS_JSON  the latest status GitHub holds for SOURCE's head in the deployment context ({sha, state, context,
#                description}); without it, SOURCE has not reported on its head
# Run in a clone whose origin is the repository; REVISION must be fetched. Environment: see promotion-state.sh, and
# CHECK_STATE, CHECK_DESCRIPTION, the verdict GitHub shows now on REVISION.
# Outputs (also to $GITHUB_OUTPUT): check-sha ('' when there is nothing to judge), check-state, check-description,
# check-changed.
# shellcheck disable=SC2016 # jq programs, in single quotes
set -euo pipefail

(($# <= 2)) || { echo "usage: $0 [REVISION [STATUS_JSON]]" >&2; exit 2; }
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/promotion-state.sh
source "$scripts/promotion-state.sh"
status=null
[[ -z ${2:-} ]] || status=$(jq -c '{sha, state, context, description}' "$2")

load_promotion_state
revision=${1:-$PROPOSAL_HEAD}
if [[ -z $revision ]]; then
    echo "promotion-check: no $promotion_branch: nothing to judge"
    output check-sha ''
    exit 0
fi
revision=$(git rev-parse --verify "$revision^{commit}")
read_metadata "$revision"
state='' description=''
facts=$(promotion_query "$status" 'check($proposed) | @sh "state=\(.state) description=\(.description)"' \
    --argjson proposed "${METADATA[0]}")
eval "$facts"
echo "promotion-check: ${revision:0:7}: $state: $description"
output check-sha "$revision"
output check-state "$state"
output check-description "$description"
changed=true
[[ $state == "${CHECK_STATE:-}" && $description == "${CHECK_DESCRIPTION:-}" ]] && changed=false
output check-changed "$changed"
