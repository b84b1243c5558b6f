# shellcheck shell=bash
# Runs test projects for the checks that test (.ci/checks/tests.sh, timing.sh, load-generator.sh), sourced by them.
#
#   test_results                  where the trx files go: $VOTING_CI_RESULTS, else TestResults/ in the repository
#   test_pass PASS [OPTION...] -- PROJECT...
#                                 runs `dotnet test --no-build` on each project, one after the other, each into its own
#                                 trx file (PASS-PROJECT.trx); extra dotnet test options come before "--". Every project
#                                 runs even when one fails; the status says whether any did.

test_results=${VOTING_CI_RESULTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/TestResults}

test_pass() {
    local pass=$1 options=() status=0 project
    shift
    while [[ $1 != -- ]]; do options+=("$1"); shift; done
    shift
    for project in "$@"; do
        dotnet test "$project" --no-build "${options[@]}" \
            --logger "trx;LogFileName=$pass-$(basename "$project").trx" --results-directory "$test_results" || status=1
    done
    return "$status"
}

# Installs from apt what the tests need beyond the SDK and lacks: redis-server (the fault tests), jq (the CD scripts'
# tests) and, where no Chromium or Chrome is on PATH, Debian's chromium with a font (the browser tests).
test_tools() {
    local packages=()
    command -v redis-server >/dev/null || packages+=(redis-server)
    command -v jq >/dev/null || packages+=(jq)
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
        packages+=(chromium fonts-dejavu-core)
    ((${#packages[@]} == 0)) || "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${packages[@]}"
}
