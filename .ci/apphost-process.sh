# shellcheck shell=bash
# Starts `dotnet run --project AppHost` in the background and stops it as Ctrl+C would. Sourced by
# .ci/checks/apphost-smoke.sh, .ci/checks/workshop.sh and docs/screenshots.sh, which use the app as a person would.
#
#   apphost_ports_free       true when nothing answers on the launch profile's ports
#   apphost_start ROOT LOG   starts the built AppHost of the repository at ROOT, its output in LOG; sets apphost_pid
#   apphost_wait URL         waits (up to 180 s) until URL answers 200; fails, with the AppHost's output, if it
#                            does not or the AppHost exits
#   apphost_stop             stops the AppHost and everything it started

# The launch profile's ports: dashboard, its OTLP and resource-service endpoints, web, api.
apphost_ports=(15080 19080 20080 5280 5380)

apphost_ports_free() {
    local port
    for port in "${apphost_ports[@]}"; do
        ! curl -s -o /dev/null --max-time 2 "http://localhost:$port/" || return 1
    done
}

apphost_start() {
    apphost_log=$2
    # setsid gives the AppHost its own process group: SIGTERM to the group stops it and everything it started.
    setsid dotnet run --project "$1/AppHost" --no-build >"$apphost_log" 2>&1 &
    apphost_pid=$!
}

apphost_wait() {
    local url=$1 started=$SECONDS
    until curl -fsS --max-time 5 -o /dev/null "$url" 2>/dev/null; do
        if ((SECONDS - started > 180)) || ! kill -0 "$apphost_pid" 2>/dev/null; then
            echo "$url did not answer 200 within 180 s, or the AppHost exited; its output:" >&2
            tail -n 40 "$apphost_log" >&2
            return 1
        fi
        sleep 1
    done
}

apphost_stop() {
    [[ -n ${apphost_pid:-} ]] || return 0
    kill -TERM -- "-$apphost_pid" 2>/dev/null || true
    # DCP removes containers and child processes on the way out; give it a bounded time.
    for _ in $(seq 60); do kill -0 "$apphost_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$apphost_pid" 2>/dev/null || true
    apphost_pid=
}
