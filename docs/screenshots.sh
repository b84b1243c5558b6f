#!/usr/bin/env bash
# Regenerates the pictures in docs/images: runs the app as a learner does (`dotnet run --project AppHost`), then has
# headless Chromium vote on the page and photograph it and the Aspire dashboard (the explicit test
# Tests/Voting.AppHost.Tests/Browser/DocsScreenshots.cs checks each page shows what the workshop says before taking
# its picture).
#
# Usage: bash docs/screenshots.sh [OUTPUT_DIR]     (default docs/images; needs Chromium, see the workshop's README)
# It uses the launch profile's ports (dashboard 15080, web 5280, api 5380...): stop any other run of the app first.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
output=$(realpath -m "${1:-$root/docs/images}")
work=$(mktemp -d)
log=$work/apphost.log

# shellcheck source=.ci/apphost-process.sh
source "$root/.ci/apphost-process.sh"
if ! apphost_ports_free; then
    echo "screenshots: something already answers on the app's ports (${apphost_ports[*]}); stop the other run of the app first" >&2
    exit 1
fi

dotnet build "$root/Tests/Voting.AppHost.Tests" --nologo -v quiet

apphost_start "$root" "$log"
trap 'apphost_stop; rm -rf "$work"' EXIT
started=$SECONDS
apphost_wait http://localhost:5280/

# screenshots.runsettings selects the explicit screenshot test, which an ordinary `dotnet test` leaves out.
if ! VOTING_SCREENSHOTS_DIR=$output dotnet test "$root/Tests/Voting.AppHost.Tests" --no-build --nologo \
    --settings "$root/Tests/screenshots.runsettings"; then
    echo "screenshots: failed; the AppHost's output:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
# A skipped test (no Chromium) would pass without a picture: check every one was written by this run.
for picture in voting-page-desktop voting-page-phone dashboard-resources dashboard-console-logs \
    dashboard-structured-logs dashboard-trace dashboard-metrics; do
    [[ $output/$picture.png -nt $log ]] || { echo "screenshots: $picture.png was not taken" >&2; exit 1; }
done
echo "screenshots: 7 pictures in $output, in $((SECONDS - started)) s"
