#!/usr/bin/env bash
# Votes once through the voting page, as a user would, and checks that the count went up; or, with --read-only,
# only checks that the page answers with its results and its ballot, and changes nothing.
#
# Usage: .github/scripts/smoke-test.sh [--read-only] BASE_URL [OPTION]
#   BASE_URL     where the Web answers, e.g. https://voting.example.com (the gateway) or http://127.0.0.1:5000
#   OPTION       the option to vote for; defaults to the page's first voting button
#   --read-only  for prod, where every count is a real vote, and for the promotion's check of dev
# Environment: SMOKE_TIMEOUT (seconds, default 180) bounds the wait for the page to answer 200 with the
# results, which covers a new gateway, DNS and the Api becoming ready after a rollout.
#
# It goes through the Web, not the Api, because only the Web is exposed, and a vote then proves the whole path:
# gateway -> Web -> Api -> Redis. It never resets: in prod the counts are real votes.
# The count must grow by at least one; other people voting at the same time can only make it grow more.
set -euo pipefail

read_only=false
if [[ ${1:-} == --read-only ]]; then
    read_only=true
    shift
fi
(($# >= 1 && $# <= 2)) || { echo "usage: $0 [--read-only] BASE_URL [OPTION]" >&2; exit 2; }
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
