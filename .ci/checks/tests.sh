#!/usr/bin/env bash
# The test suite (docs/testing.md), one project per layer, each into its own trx file, with nothing skipped: a test
# whose tool is missing fails (VOTING_TEST_REQUIRE_TOOLS=true), and the tools are installed first where they lack.
#
# Usage: bash .ci/checks/tests.sh container|embedded
#   container  every project, against a Redis container (Testcontainers); fails if no Docker engine answers
#   embedded   the projects that use Redis (Api, Web, AppHost) again, on the embedded Redis-compatible server that
#              `dotnet test` and the AppHost fall back to on a machine with only the .NET SDK
# The timing checks are in neither pass: .ci/checks/timing.sh runs them alone.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
case ${1:-} in
    container) projects=(Tests/Voting.*.Tests) ;;
    embedded) projects=(Tests/Voting.Api.Tests Tests/Voting.Web.Tests Tests/Voting.AppHost.Tests) ;;
    *)
        echo "usage: $0 container|embedded" >&2
        exit 2
        ;;
esac

# shellcheck source=.ci/test-pass.sh
source "$root/.ci/test-pass.sh"
test_tools
dotnet build Sample.sln -warnaserror --nologo -v quiet
VOTING_TEST_REDIS=$1 VOTING_TEST_REQUIRE_TOOLS=true test_pass "$1" -- "${projects[@]}"
