#!/usr/bin/env bash
# The checks that assert on wall-clock time (Category=Timing, docs/testing.md): 503s within a second, recovery and
# shutdown within budget, a 500-vote burst within the 1 s Redis timeout. Left out of tests.sh's passes, they run here
# one project at a time, so nothing else runs while they measure. Redis is what `dotnet test` chooses
# (VOTING_TEST_REDIS, a container where a Docker engine answers by default).
#
# Usage: bash .ci/checks/timing.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=.ci/test-pass.sh
source "$root/.ci/test-pass.sh"
test_tools
dotnet build Sample.sln -warnaserror --nologo -v quiet
VOTING_TEST_REQUIRE_TOOLS=true test_pass timing --settings Tests/timing.runsettings -- Tests/Voting.*.Tests
