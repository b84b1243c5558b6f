#!/usr/bin/env bash
# The benchmark's open-loop load generator (bench/OpenLoop, outside Sample.sln, docs/performance.md): it builds with
# warnings as errors, is formatted, and its tests pass.
#
# Usage: bash .ci/checks/load-generator.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=.ci/test-pass.sh
source "$root/.ci/test-pass.sh"
dotnet build bench/OpenLoop.Tests -warnaserror
dotnet format bench/OpenLoop/OpenLoop.csproj --verify-no-changes --no-restore
dotnet format bench/OpenLoop.Tests/OpenLoop.Tests.csproj --verify-no-changes --no-restore
test_pass bench -- bench/OpenLoop.Tests
