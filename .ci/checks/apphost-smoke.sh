#!/usr/bin/env bash
# Runs the README's `dotnet run --project AppHost` for real and uses the app as a person would:
# the dashboard answers, the voting page renders, a vote posted through the form is counted once by the Api.
#
# Usage: bash .ci/checks/apphost-smoke.sh with-docker|without-docker
#   with-docker     a Docker engine answers: the AppHost must run Redis in a container
#   without-docker  as on a machine with only the .NET SDK: DOCKER_HOST points at no engine (one that runs is left
#                   alone), and the AppHost must fall back to the embedded Redis-compatible server by itself
# Ports are the launch profile's: dashboard 15080, web 5280, api 5380.
set -euo pipefail

case ${1:-} in
    with-docker) expected=Container ;;
    without-docker)
        expected=Embedded
        export DOCKER_HOST=unix:///nonexistent/docker.sock
        ;;
    *)
        echo "usage: $0 with-docker|without-docker" >&2
        exit 2
        ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
log=$work/apphost.log

dotnet build "$root/AppHost" --nologo -v quiet

# shellcheck source=.ci/apphost-process.sh
source "$root/.ci/apphost-process.sh"
apphost_start "$root" "$log"
trap 'apphost_stop; rm -rf "$work"' EXIT

fail() {
    echo "apphost-smoke: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
}

started=$SECONDS
apphost_wait http://localhost:15080/
grep -q "Vote store 'redis': $expected" "$log" || fail "the AppHost did not choose the $expected vote store"
grep -q 'Dashboard:  http://localhost:15080' "$log" || fail "the dashboard URL was not printed"

apphost_wait http://localhost:5280/
echo "apphost-smoke: dashboard and voting page up in $((SECONDS - started)) s ($expected vote store)"

cats() { curl -fsS http://localhost:5380/api/votes | grep -o '"name":"Cats","count":[0-9]*' | grep -o '[0-9]*$'; }
before=$(cats)
# The workflows' smoke test votes through the form as a browser posts it (303) and checks the page;
# the Api's count then shows the vote was counted exactly once.
"$root/.github/scripts/smoke-test.sh" http://localhost:5280 Cats || fail "voting through the page failed"
after=$(cats)
((after == before + 1)) || fail "Cats went from $before to $after after one vote"
echo "apphost-smoke: a vote through the page was counted (Cats $before -> $after)"
