#!/usr/bin/env bash
# Starts or stops a Docker engine for the CI steps that run containers (Testcontainers, the AppHost).
#
# Usage: .ci/no-registry/docker-engine.sh start|stop
#   start  Uses an engine that already answers. Otherwise installs Debian's docker.io (apt works where
#          no container registry does) and runs dockerd in the background, its state under $state.
#   stop   Removes the networks it created, stops that dockerd and deletes its state; an engine this script did
#          not start is left alone.
# Both are idempotent. No image can be pulled here: build them locally (.ci/no-registry/redis-image.sh).
#
# Networks need care: each user-defined network (the AppHost's DCP makes one per run) is a bridge interface in the
# host's kernel, which outlives dockerd. With the state deleted, the next engine no longer knows it and will not
# reuse its address range; after about thirty runs every default range is taken and no container network can be
# created ("could not find an available, non-overlapping IPv4 address pool"), which hangs the AppHost's start.
set -euo pipefail

state=/var/tmp/voting-ci-docker
# dockerd writes its pid here and deletes the file when it exits. Nothing else uses this directory,
# so the file is also the record that this script started the engine.
pidfile=$state/dockerd.pid
log=$state/dockerd.log

engine_answers() { timeout 5 docker info >/dev/null 2>&1; }

# True while PID is a running dockerd: neither a zombie nor a recycled pid.
is_dockerd() { [[ $(ps -o stat=,comm= -p "$1" 2>/dev/null) =~ ^[^Z\ ]+\ +dockerd$ ]]; }

now_ms() { echo $((${EPOCHREALTIME//[.,]/} / 1000)); }

start() {
    if engine_answers; then
        echo "docker-engine: an engine already answers; using it"
        return
    fi
    if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
        echo "docker-engine: installing docker.io"
        "$(dirname "${BASH_SOURCE[0]}")/../apt-install.sh" docker.io
    fi
    local t0 pid deadline=$((SECONDS + 30))
    t0=$(now_ms)
    remove_orphan_bridges
    mkdir -p "$state"
    # Own data and exec roots keep it apart from any system engine; setsid gives it its own session, so
    # it outlives this script and a Ctrl-C in the calling shell.
    setsid dockerd --data-root "$state/data" --exec-root "$state/exec" --pidfile "$pidfile" \
        -H unix:///var/run/docker.sock >"$log" 2>&1 </dev/null &
    pid=$!
    until engine_answers; do
        if ! is_dockerd "$pid" || ((SECONDS >= deadline)); then
            echo "docker-engine: dockerd exited or did not answer within 30 s; end of $log:" >&2
            tail -n 20 "$log" >&2
            kill "$pid" 2>/dev/null || true # it may hang before writing its pidfile
            stop >/dev/null
            exit 1
        fi
        sleep 0.1
    done
    echo "docker-engine: dockerd $(docker version -f '{{.Server.Version}}') ready in $(($(now_ms) - t0)) ms (log: $log)"
}

stop() {
    if [[ ! -e $pidfile ]]; then
        echo "docker-engine: no dockerd started by this script is running"
        return
    fi
    local pid deadline=$((SECONDS + 30))
    pid=$(<"$pidfile")
    if is_dockerd "$pid" && engine_answers; then
        # Everything here is this script's own (its state is deleted below): containers first, then the networks
        # they held, so no bridge is left behind in the kernel.
        docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
        docker network prune -f >/dev/null 2>&1 || true
    fi
    if is_dockerd "$pid"; then
        # On SIGTERM dockerd stops its containers (10 s grace, in parallel) and its containerd.
        kill "$pid"
        while is_dockerd "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if is_dockerd "$pid"; then
            echo "docker-engine: dockerd $pid still running after 30 s; killing it" >&2
            kill -KILL "$pid"
            sleep 1
        fi
    fi
    rm -f "$pidfile"
    # Images are rebuilt in under a second, so keep nothing but the log. rm -rf must never descend
    # into a mount (a bind-mounted volume, after a KILL), so skip it if any is left.
    if grep -q " $state/" /proc/self/mountinfo; then
        echo "docker-engine: mounts remain under $state; not deleting it" >&2
    else
        rm -rf "$state/data" "$state/exec"
    fi
    remove_orphan_bridges
    echo "docker-engine: stopped (log: $log)"
}

# Deletes the bridges a Docker engine made for its networks (br- and 12 hex digits) that no engine owns any more:
# called only when no engine answers, and only for bridges with no interface attached.
remove_orphan_bridges() {
    local dir bridge removed=0
    for dir in /sys/class/net/br-*; do
        bridge=${dir##*/}
        [[ $bridge =~ ^br-[0-9a-f]{12}$ && -d $dir/brif ]] || continue
        [[ -z $(ls -A "$dir/brif") ]] || continue
        ip link delete "$bridge" type bridge 2>/dev/null && removed=$((removed + 1))
    done
    if ((removed > 0)); then
        echo "docker-engine: removed $removed network bridge(s) left by an earlier engine"
    fi
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
