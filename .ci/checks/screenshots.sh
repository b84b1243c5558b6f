#!/usr/bin/env bash
# The workshop's screenshots, taken from `dotnet run --project AppHost` by docs/screenshots.sh (each page is checked to
# show what the workshop says before its picture is taken), into TestResults/screenshots ($VOTING_CI_RESULTS) rather
# than docs/images.
#
# Usage: bash .ci/checks/screenshots.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=.ci/test-pass.sh
source "$root/.ci/test-pass.sh"
test_tools
bash "$root/docs/screenshots.sh" "$test_results/screenshots"
