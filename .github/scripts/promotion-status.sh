#!/usr/bin/env bash
# The promotion's commit statuses on GitHub, under the contexts promotion-state.sh names: dev's deployment report
# (continuous-delivery/voting-dev, posted by Argo CD or Flux) and the promotion check (promotion/dev-runs-this).
# promote-prod.yml, cd-gitops.yml and verify-environment.yml read and post them only through this script.
#
# Usage: .github/scripts/promotion-status.sh report SHA   dev's latest report on SHA, as JSON with its sha, for
#                                                          promote.sh and promotion-check.sh (pending, "no report yet",
#                                                          when there is none)
#        .github/scripts/promotion-status.sh shown SHA    the promotion check GitHub shows on SHA, as the lines state=
#                                                          and description= for $GITHUB_OUTPUT (empty when there is none)
#        .github/scripts/promotion-status.sh post SHA STATE DESCRIPTION
#                                                          posts the promotion check on SHA, linked to this run
# Needs gh with GH_TOKEN (statuses: read, and write to post) and the variables GitHub Actions sets.
set -euo pipefail
# shellcheck source=SCRIPTDIR/promotion-state.sh
source "$(dirname "${BASH_SOURCE[0]}")/promotion-state.sh"

# The latest status first: GitHub lists a commit's statuses newest first.
latest() { gh api "repos/$GITHUB_REPOSITORY/commits/$1/statuses?per_page=100" --jq "[.[] | select(.context == \"$2\")] | first $3"; }

case "${1:-}:$#" in
    report:2)
        latest "$2" "$status_context" \
            "// {state: \"pending\", description: \"no report yet\", context: \"$status_context\"} | . + {sha: \"$2\"}"
        ;;
    shown:2) latest "$2" "$check_context" '// {} | "state=\(.state // "")", "description=\(.description // "")"' ;;
    post:4)
        gh api --method POST "repos/$GITHUB_REPOSITORY/statuses/$2" --silent -f context="$check_context" \
            -f state="$3" -f description="$4" -f target_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
        ;;
    *)
        echo "usage: $0 report SHA | shown SHA | post SHA STATE DESCRIPTION" >&2
        exit 2
        ;;
esac
