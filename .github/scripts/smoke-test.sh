#!/usr/bin/env bash
# Votes once through the voting page, as a user would, and checks that the count went up; or, with --read-only,
# only checks that the page answers with its results and its ballot, and changes nothing. With --expect-revision,
# first checks that the Web and the Api behind it both run the build of that source commit.
#
# Usage: .github/scripts/smoke-test.sh [--read-only] [--expect-revision SHA] BASE_URL [OPTION]
#   BASE_URL           where the Web answers, e.g. https://voting.example.com (the gateway) or http://127.0.0.1:5000
#   OPTION             the option to vote for; defaults to the page's first voting button
#   --read-only        for prod, where every count is a real vote, and for the promotion's check of dev
#   --expect-revision  the commit the images were built from: BASE_URL/version must report it for the Web and for the
#                      Api it relays, or the check fails, saying what runs instead (a page that loads proves only that
#                      something answers, not that it is this build)
# Environment: SMOKE_TIMEOUT (seconds, default 180) bounds the wait for the page to answer 200 with the
# results, and for the expected build to answer, which covers a new gateway, DNS, a rollout still replacing pods and
# the Api becoming ready after it.
#
# It goes through the Web, not the Api, because only the Web is exposed, and a vote then proves the whole path:
# gateway -> Web -> Api -> Redis. It never resets: in prod the counts are real votes.
# The count must grow by at least one; other people voting at the same time can only make it grow more.
# Needs curl, and jq for --expect-revision.
set -euo pipefail

usage() {
    echo "usage: $0 [--read-only] [--expect-revision SHA] BASE_URL [OPTION]" >&2
    exit 2
}

read_only=false
expected_revision=
while [[ ${1:-} == --* ]]; do
    case $1 in
        --read-only) read_only=true; shift ;;
        --expect-revision) [[ -n ${2:-} ]] || usage; expected_revision=$2; shift 2 ;;
        *) usage ;;
    esac
done
(($# >= 1 && $# <= 2)) || usage
[[ -z $expected_revision ]] || command -v jq >/dev/null || { echo "smoke-test: --expect-revision needs jq" >&2; exit 2; }
base=${1%/}
option=${2:-}
timeout=${SMOKE_TIMEOUT:-180}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cookies=$work/cookies
page=$work/page.html

# GETs the voting page (with the cookies a vote's redirect set, so the page shows that vote); true when it answered
# 200 with the results element.
fetch_page() {
    local status
    status=$(curl -sS -o "$page" -w '%{http_code}' --max-time 10 -c "$cookies" -b "$cookies" "$base/" 2>/dev/null) || return 1
    [[ $status == 200 ]] && grep -q 'id="results"' "$page"
}

# The count shown for OPTION in the results line, e.g. "Cats - 3 | Dogs - 1" gives 3 for Cats.
count_of() {
    local results
    results=$(sed -nE 's/.*id="results"[^>]*>([^<]*)<.*/\1/p' "$page")
    sed -nE "s/(^|.* \\| )$1 - ([0-9]+)( \\|.*|\$)/\\2/p" <<<"$results"
}

deadline=$((SECONDS + timeout))
until fetch_page; do
    if ((SECONDS >= deadline)); then
        echo "smoke-test: $base/ did not answer 200 with the results within ${timeout}s" >&2
        exit 1
    fi
    sleep 5
done

# The builds that answer /version, as "web WEB_REVISION, api API_REVISION", or what stood in the way.
running_builds() {
    local answer
    answer=$(curl -sS --fail --max-time 10 "$base/version" 2>&1) || { echo "no answer from $base/version ($answer)"; return; }
    jq -r '"web \(.revision // "none"), api \(if .api == null then "unreachable from the Web" else .api.revision // "none" end)"' \
        <<<"$answer" 2>/dev/null || echo "an answer from $base/version that is not the JSON expected"
}

if [[ -n $expected_revision ]]; then
    until builds=$(running_builds) && [[ $builds == "web $expected_revision, api $expected_revision" ]]; do
        if ((SECONDS >= deadline)); then
            echo "smoke-test: expected the Web and the Api to run $expected_revision; found $builds" >&2
            exit 1
        fi
        sleep 5
    done
    echo "smoke-test: the Web and the Api both run $expected_revision"
fi

if $read_only; then
    buttons=$(grep -c 'name="vote" value="[^"]*" class="button button[0-9]' "$page" || true)
    ((buttons >= 2)) || { echo "smoke-test: the page shows results but no ballot (found $buttons voting buttons)" >&2; exit 1; }
    echo "smoke-test: $base/ answers with its results and a ballot of $buttons buttons (read-only: nothing voted)"
    exit 0
fi

if [[ -z $option ]]; then
    option=$(sed -nE 's/.*name="vote" value="([^"]+)" class="button button1".*/\1/p' "$page" | head -n 1)
fi
before=$(count_of "$option")
[[ -n $before ]] || { echo "smoke-test: no count for '$option' on the page" >&2; exit 1; }

# Posted as a browser posts the page's own form (Sec-Fetch-Site: same-origin). The page answers a vote with 303 See
# Other back to itself (Post/Redirect/Get); anything else (403 cross-site, 400, 503 Api down) is a failure.
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 -c "$cookies" -b "$cookies" \
    -H 'Sec-Fetch-Site: same-origin' --data-urlencode "vote=$option" "$base/")
[[ $status == 303 ]] || { echo "smoke-test: voting answered $status, expected a redirect (303)" >&2; exit 1; }

fetch_page || { echo "smoke-test: the page did not answer after the vote" >&2; exit 1; }
after=$(count_of "$option")
if [[ -z $after ]] || ((after < before + 1)); then
    echo "smoke-test: '$option' went from $before to ${after:-nothing}, expected at least $((before + 1))" >&2
    exit 1
fi
echo "smoke-test: voted for $option at $base: $before -> $after"
