#!/usr/bin/env bash
# Runs the laptop modules of the workshop guide (docs/workshop/01-04) as a learner would: every ```bash block, in
# order, on a throwaway clone of the committed tree. It needs only the .NET SDK: the AppHost and the tests use a Docker
# engine where one answers, and the embedded Redis-compatible server otherwise. The guide is the script, so the two
# cannot drift.
#
# A block runs in the clone's root with `bash -e -o pipefail`; a failing block fails this script. An HTML comment on
# the line just before a block's fence (invisible on GitHub) changes how it runs:
#   <!-- workshop.sh: skip: REASON -->    not run; REASON is printed (say where else the command is exercised)
#   <!-- workshop.sh: background -->      a long-running command (`dotnet run --project AppHost`): started in its own
#                                         process group, waited for until the page answers, stopped (SIGTERM, as
#                                         Ctrl+C) at the end of the module
#   <!-- workshop.sh: fails -->           the guide shows it failing on purpose: it must exit non-zero
#   <!-- workshop.sh: needs kubectl -->   an optional step; skipped, saying so, when kubectl is not installed
#   <!-- workshop.sh: expect TEXT -->     the block's output must contain TEXT
# The background app uses the launch profile's fixed ports (dashboard 15080, web 5280, api 5380): they must be free.
#
# Usage: bash .ci/checks/workshop.sh     (from anywhere; takes the committed HEAD of this repository)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
clone=$tmp/x
marker_pattern='^<!-- workshop\.sh: (.*) -->$'
modules=(01-run-locally.md 02-tests.md 03-third-option.md 04-kubernetes-manifests.md)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=.ci/apphost-process.sh
source "$root/.ci/apphost-process.sh"

say() { printf 'workshop: %s\n' "$*"; }

fail() {
    say "FAILED: $*" >&2
    exit 1
}

# The next start needs the ports back.
wait_ports_free() {
    for _ in $(seq 60); do apphost_ports_free && return 0; sleep 0.5; done
    fail "the app's ports (${apphost_ports[*]}) are still in use after it was stopped"
}

cleanup() {
    apphost_stop
    rm -rf "$tmp"
}
trap cleanup EXIT

start_app() {
    local block=$1 started=$SECONDS
    apphost_ports_free || fail "something already answers on the app's ports (another AppHost?); stop it and run again"
    # Not apphost_start: the block is the guide's own command, run as written in the clone.
    apphost_log=$tmp/apphost-$SECONDS.log
    (cd "$clone" && exec setsid bash -e -o pipefail -c "$block") </dev/null >"$apphost_log" 2>&1 &
    apphost_pid=$!
    until curl -fsS -o /dev/null --max-time 5 http://localhost:5280/ 2>/dev/null; do
        if ! kill -0 "$apphost_pid" 2>/dev/null; then
            tail -n 40 "$apphost_log" >&2
            apphost_ports_free || say "  (the app's ports are in use: another AppHost started meanwhile?)" >&2
            fail "the app exited before the voting page answered"
        fi
        if ((SECONDS - started > 300)); then
            tail -n 40 "$apphost_log" >&2
            fail "the voting page did not answer within 300 s"
        fi
        sleep 1
    done
    say "  started in the background; the voting page answered after $((SECONDS - started)) s"
}

# Runs one block as its marker says. $1 module, $2 block number, $3 marker ("" for none), $4 the block.
run_block() {
    local module=$1 number=$2 marker=$3 block=$4 log started=$SECONDS status=0
    log=$tmp/${module%.md}-$number.log
    say "[$module #$number]${marker:+ ($marker)}"
    printf '    $ %s\n' "${block//$'\n'/$'\n'    \$ }"
    case $marker in
        skip:*)
            say "  skipped: ${marker#skip: }"
            return 0
            ;;
        background)
            start_app "$block"
            return 0
            ;;
        "needs kubectl")
            if ! command -v kubectl >/dev/null; then
                say "  skipped: kubectl is not installed (the guide marks this step optional)"
                return 0
            fi
            ;;
    esac
    (cd "$clone" && bash -e -o pipefail -c "$block") </dev/null >"$log" 2>&1 || status=$?
    if [[ $marker == fails ]]; then
        ((status != 0)) || { cat "$log" >&2; fail "$module #$number should fail, as the guide shows, but it passed"; }
        say "  failed as the guide says it does (exit $status, $((SECONDS - started)) s)"
        return 0
    fi
    if ((status != 0)); then
        tail -n 60 "$log" >&2
        fail "$module #$number exited $status"
    fi
    if [[ $marker == expect\ * ]]; then
        grep -qF -- "${marker#expect }" "$log" || { cat "$log" >&2; fail "$module #$number: no '${marker#expect }' in its output"; }
    fi
    say "  ok ($((SECONDS - started)) s)"
}

# Reads a module and runs its ```bash blocks in order.
run_module() {
    local module=$1 file=$clone/docs/workshop/$1 line previous="" marker="" in_block=false block="" number=0
    [[ -f $file ]] || fail "no docs/workshop/$module"
    say "== $module"
    while IFS= read -r line || [[ -n $line ]]; do
        if $in_block; then
            if [[ $line == '```' ]]; then
                in_block=false
                number=$((number + 1))
                run_block "$module" "$number" "$marker" "$block"
            else
                block+=${block:+$'\n'}$line
            fi
        elif [[ $line == '```bash' ]]; then
            in_block=true
            block=""
            marker=""
            if [[ $previous =~ $marker_pattern ]]; then
                marker=${BASH_REMATCH[1]}
            fi
        fi
        previous=$line
    done <"$file"
    ((number > 0)) || fail "$module has no bash block"
    if [[ -n $apphost_pid ]]; then
        apphost_stop
        wait_ports_free
    fi
}

started=$SECONDS
# Fail fast, before any build, when another AppHost holds the ports.
apphost_ports_free || fail "something already answers on the app's ports (another AppHost?); stop it and run again"
say "cloning the committed tree of $root"
git clone -q "$root" "$clone"

for module in "${modules[@]}"; do
    run_module "$module"
    case $module in
        03-third-option.md)
            # The module says regenerating after the change leaves the manifests as they were, and undoes the change.
            [[ -z $(git -C "$clone" status --short gitops-manifests) ]] || fail "module 3 changed gitops-manifests"
            ;;
    esac
done

# Every step that changes the tree also undoes it (module 2's broken setting, module 3's patch).
if [[ -n $(git -C "$clone" status --porcelain --untracked-files=no) ]]; then
    git -C "$clone" status --short >&2
    fail "the guide's commands left tracked files changed"
fi
say "all laptop commands of modules 1-4 ran as written, in $((SECONDS - started)) s"
