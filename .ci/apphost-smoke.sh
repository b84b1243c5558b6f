#!/usr/bin/env bash
# Runs the README's `dotnet run --project AppHost` for real and uses the app as a person would:
# the dashboard answers, the voting page renders, a vote posted through the form is counted once by the Api.
#
# Usage: .ci/apphost-smoke.sh EXPECTED_STORE     (Container or Embedded: the vote store the AppHost must choose)
# Ports are the launch profile's: dashboard 15080, web 5280, api 5380.
set -euo pipefail

expected=${1:?usage: $0 Container|Embedded}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
log=$work/apphost.log

# setsid gives the AppHost its own process group: SIGTERM to the group stops it and everything it started.
setsid dotnet run --project "$root/AppHost" --no-build >"$log" 2>&1 &
apphost=$!
stop() {
    kill -TERM -- "-$apphost" 2>/dev/null || true
    # DCP removes containers and child processes on the way out; give it a bounded time.
    for _ in $(seq 60); do kill -0 "$apphost" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$apphost" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT

fail() {
    echo "apphost-smoke: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
}

# Polls URL until it answers 200 (bounded), then prints its body.
wait_for() {
    local url=$1 started=$SECONDS
    until curl -fsS --max-time 5 "$url" -o "$work/body" 2>/dev/null; do
        ((SECONDS - started < 180)) || fail "$url did not answer within 180 s"
        kill -0 "$apphost" 2>/dev/null || fail "the AppHost exited"
        sleep 1
    done
    cat "$work/body"
}

started=$SECONDS
wait_for http://localhost:15080/ >/dev/null
grep -q "Vote store 'redis': $expected" "$log" || fail "the AppHost did not choose the $expected vote store"
grep -q 'Dashboard:  http://localhost:15080' "$log" || fail "the dashboard URL was not printed"

wait_for http://localhost:5280/ >/dev/null
echo "apphost-smoke: dashboard and voting page up in $((SECONDS - started)) s ($expected vote store)"

cats() { curl -fsS http://localhost:5380/api/votes | grep -o '"name":"Cats","count":[0-9]*' | grep -o '[0-9]*$'; }
before=$(cats)
# The workflows' smoke test votes through the form (antiforgery token and cookie, 303) and checks the page;
# the Api's count then shows the vote was counted exactly once.
"$root/.github/scripts/smoke-test.sh" http://localhost:5280 Cats || fail "voting through the page failed"
after=$(cats)
((after == before + 1)) || fail "Cats went from $before to $after after one vote"
echo "apphost-smoke: a vote through the page was counted (Cats $before -> $after)"
