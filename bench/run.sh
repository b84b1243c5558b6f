#!/usr/bin/env bash
# Benchmarks the voting app as it runs in production: Release builds of Api and Web, wired by environment
# variables (no AppHost, no OTLP exporter), against a real redis-server, loaded on loopback with wrk and, for the
# open-loop figures, with bench/OpenLoop (a fixed offered rate).
# See docs/performance.md for what each figure means and the targets.
#
# Usage: bench/run.sh [--check]   (about 10-15 minutes on 2 cores, most of it publishing)
#   --check: exit 1 when any target of docs/performance.md is missed (the table is printed either way).
# Knobs (environment): DURATION=10 WARMUP=3 CONNS=32 WRK_THREADS=1 EXACT_N=10000 COLD_RUNS=5
#   FIRST_WINDOW=10 (seconds measured right after a start), OPEN_RATE=2000 (requests/s offered open-loop),
#   BENCH_APPHOST=1 (time the AppHost start-up), BENCH_GC=1 (GC variants).
# The Api and the Web are published as their images ship them (Native AOT, ReadyToRun); JIT builds of both are
# measured beside them for cold start. A bare Kestrel "hello" app, written and published by this script in its
# scratch directory, is the same run's ceiling for one HTTP answer.
# Every figure printed is measured in this run; ratios are taken against redis-benchmark INCR on the same
# Redis and against the bare Kestrel app in the same run, because the machine is shared and absolute rates
# drift from minute to minute. The last line is machine-readable: BENCH {json}.
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNS=${CONNS:-32}
# One wrk thread: on 2 cores every core wrk takes is a core the server under test does not get.
WRK_THREADS=${WRK_THREADS:-1}
EXACT_N=${EXACT_N:-10000}
COLD_RUNS=${COLD_RUNS:-5}
APPHOST_RUNS=${APPHOST_RUNS:-3}
FIRST_WINDOW=${FIRST_WINDOW:-10}
OPEN_RATE=${OPEN_RATE:-2000}
BENCH_APPHOST=${BENCH_APPHOST:-1}
BENCH_GC=${BENCH_GC:-1}
check=0
[[ ${1-} != --check ]] || check=1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lua="$repo/bench/wrk.lua"
work=$(mktemp -d /tmp/voting-bench.XXXXXX)
pids=()

log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
now_us() { echo "${EPOCHREALTIME//[.,]/}"; }

# Stops one process: TERM, up to 10 s for a clean exit, then KILL. Never by name: only pids we started.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    [[ -z ${apphost_pgid-} ]] || kill -KILL -- "-$apphost_pgid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------- tools
# Native AOT (the Api) links with clang and needs zlib's headers; jq reads the open-loop generator's JSON.
wanted=(wrk redis-server redis-tools curl clang zlib1g-dev jq)
had_redis_server=$(dpkg-query -W -f '${db:Status-Status}' redis-server 2>/dev/null || true)
"$repo/.ci/apt-install.sh" "${wanted[@]}"
# Only the binaries are wanted: keep a newly installed packaged service from starting at the next boot too.
if [[ $had_redis_server != installed ]]; then
    systemctl disable --quiet redis-server 2>/dev/null || update-rc.d redis-server disable >/dev/null 2>&1 || true
fi

# A loopback port nobody listens on (another Redis or another run of the app may hold the usual ones).
free_port() {
    local port
    for _ in {1..100}; do
        port=$((20000 + RANDOM % 20000))
        if ! ss -Htln "sport = :$port" | grep -q .; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------------------------- builds
# Publish from a copy of the sources, so RID-specific restores and R2R/AOT outputs never touch the
# work tree's bin/ and obj/ (a developer may be building there at the same time).
src="$work/src"
mkdir -p "$src"
git -C "$repo" ls-files -z --cached --others --exclude-standard | (cd "$repo" && tar --null -T - -c) | tar -C "$src" -x

publish() { # NAME PROJECT [extra publish args...]
    local name=$1 project=$2 t0
    shift 2
    t0=$(now_us)
    if timeout 900 dotnet publish "$src/$project" -c Release -o "$work/$name" --nologo "$@" >"$work/$name.publish.log" 2>&1; then
        log "published $name in $((($(now_us) - t0) / 1000000)) s"
    else
        log "publish of $name failed (see below)"
        tail -5 "$work/$name.publish.log" >&2
        return 1
    fi
}
# As the images ship: the Api as Native AOT, the Web as ReadyToRun (both set in their csproj; a runtime is needed).
publish api Api -r linux-x64
publish web Web -r linux-x64
# The JIT builds beside them, for cold start and first-seconds throughput.
publish api-jit Api -p:PublishAot=false
publish web-jit Web -p:PublishReadyToRun=false
# Trim/AOT analysis warnings (errors in the repo's build, so 0 unless the policy is overridden).
aot_warning_count=$({ grep -E 'warning IL[0-9]+' "$work/api.publish.log" || true; } | sort -u | wc -l)

# The same run's ceiling for one HTTP answer: a minimal API answering "Hello World!" as plain text, as
# `dotnet new web` writes it, with the GC the services use. Written here, never part of the repository.
mkdir -p "$work/hello-src"
cat >"$work/hello-src/Hello.csproj" <<'CSPROJ'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
    <ServerGarbageCollection>false</ServerGarbageCollection>
  </PropertyGroup>
</Project>
CSPROJ
cat >"$work/hello-src/Program.cs" <<'CS'
var builder = WebApplication.CreateBuilder(args);
// As the template's appsettings.json: no log line per request.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/", () => "Hello World!");
// Only for the cold-start floor below: the same probe the services answer.
app.MapGet("/health", () => "Healthy");
app.Run();
CS
cp "$src/global.json" "$work/hello-src/"
t0=$(now_us)
if timeout 600 dotnet publish "$work/hello-src" -c Release -o "$work/hello" --nologo >"$work/hello.publish.log" 2>&1; then
    log "published hello in $((($(now_us) - t0) / 1000000)) s"
else
    log "publish of hello failed"; tail -5 "$work/hello.publish.log" >&2; exit 1
fi

# The open-loop load generator (bench/OpenLoop: a fixed offered rate, whatever the server's answers take;
# latencies in microseconds from each request's due time).
publish openloop bench/OpenLoop

# ---------------------------------------------------------------------------------------------- redis
redis_port=$(free_port)
# No persistence: these are throughput runs and a save in the middle would show up as a latency spike.
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --protected-mode yes \
    --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in {1..50}; do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
rcli() { timeout 10 redis-cli -p "$redis_port" "$@"; }

# The ceiling: the same Redis, the same connection count, no pipelining (the app does one round trip a vote).
incr_rate() {
    timeout 120 redis-benchmark -p "$redis_port" -t incr -n 200000 -c "$CONNS" -P 1 --csv 2>/dev/null |
        awk -F'"' '$2 == "INCR" { print $4 }'
}

# ---------------------------------------------------------------------------------------------- services
# Production wiring: the environment variables the Kubernetes manifests set, nothing from an AppHost.
# OTEL_EXPORTER_OTLP_ENDPOINT is left unset on purpose, so no exporter runs.
# The load comes from one address at full speed: the per-address write limit is raised, or it would be what is measured.
prod_env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    "ConnectionStrings__redis=127.0.0.1:$redis_port" RateLimiting__PermitLimit=100000000)

# Starts a service in the background; sets $started_pid and $started_t0 (µs, just before the exec).
start_service() { # DIR DLL PORT [env...]
    local dir=$1 exe=$2 port=$3
    shift 3
    started_t0=$(now_us)
    (cd "$dir" && exec env "${prod_env[@]}" "ASPNETCORE_URLS=http://127.0.0.1:$port" "$@" "./$exe") \
        >>"$work/$exe.$port.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
}

# One GET /health over bash's /dev/tcp, in a subshell: no curl process per poll, so polling every 10 ms
# costs the starting service almost nothing.
health_ok() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1"
        printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
        read -r -t 2 line <&3
        [[ $line == "HTTP/1.1 200"* ]]
    ) 2>/dev/null
}

# Milliseconds from $started_t0 to the first 200 from /health, or fails after 30 s.
wait_healthy() { # PORT
    local deadline=$((started_t0 + 30000000))
    while (($(now_us) < deadline)); do
        if health_ok "$1"; then
            echo $((($(now_us) - started_t0) / 1000))
            return 0
        fi
        kill -0 "$started_pid" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

stop_service() { # PID
    stop_pid "$1"
    local kept=() pid
    for pid in "${pids[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    pids=("${kept[@]}")
}

peak_rss_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# Of the current RSS, the anonymous part (heaps, JIT code): file-backed pages (the mapped framework) are
# shared and reclaimable, so a container memory limit mostly sees this part.
rss_anon_mb() { awk '/^RssAnon/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------- load
# Where the time goes: CPU each process used during a measured run, per request served. With 2 cores,
# 2,000,000 µs of CPU a second divided by the sum of these bounds the rate. "all" is every process on
# the machine (wrk and any other work on it included), from /proc/stat.
hz=$(getconf CLK_TCK)
cpu_us() { awk -v hz="$hz" '{ print ($14 + $15) * 1000000 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
all_cpu_us() { awk -v hz="$hz" '/^cpu / { print ($2 + $3 + $4 + $7 + $8) * 1000000 / hz }' /proc/stat; }
cpu_watch=() # LABEL:PID pairs, set by the caller

# Runs wrk: a warm-up, then the measured run. Sets W[...] from wrk.lua's summary line.
declare -A W
wrk_script=$lua # another script for one call: wrk_script=FILE run_wrk ...
run_wrk() { # URL [env for the script...]
    local url=$1 line kv fields
    shift
    if ((WARMUP > 0)); then
        env "$@" timeout $((WARMUP + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$wrk_script" "$url" >/dev/null
        sleep 1 # requests in flight at the end of the warm-up land before any reset that follows
    fi
    [[ -z ${before_measure-} ]] || "$before_measure"
    local -A cpu0
    for kv in "${cpu_watch[@]}" "all:"; do cpu0[${kv%%:*}]=$(if [[ -n ${kv#*:} ]]; then cpu_us "${kv#*:}"; else all_cpu_us; fi); done
    line=$(env "$@" timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s \
        -s "$wrk_script" "$url" | grep '^WRK ')
    W=()
    read -ra fields <<<"${line#WRK }"
    for kv in "${fields[@]}"; do W[${kv%%=*}]=${kv#*=}; done
    for kv in "${cpu_watch[@]}" "all:"; do
        W[cpu_${kv%%:*}]=$(awk -v a="${cpu0[${kv%%:*}]}" -v b="$(if [[ -n ${kv#*:} ]]; then cpu_us "${kv#*:}"; else all_cpu_us; fi)" \
            -v n="${W[requests]}" 'BEGIN { printf "%.0f", n ? (b - a) / n : 0 }')
    done
    W[errors]=$((W[status_errors] + W[connect_errors] + W[read_errors] + W[write_errors] + W[timeouts]))
    W[ok]=$((W[requests] - W[status_errors]))
}

reset_counts() { rcli mset votes:Cats 0 votes:Dogs 0 >/dev/null; }
counted_votes() { rcli mget votes:Cats votes:Dogs | awk '{ s += $1 } END { print s + 0 }'; }

# After a timed vote run: every successful vote is in Redis, and at most CONNS more (those in flight when
# wrk stopped were counted by the server but never answered to wrk).
check_counts() { # NAME
    sleep 1
    local counted
    counted=$(counted_votes)
    if ((counted >= W[ok] && counted <= W[ok] + CONNS)); then
        put "$1_count_check" pass
    else
        put "$1_count_check" FAIL
    fi
    put "$1_counted" "$counted"
    put "$1_ok" "${W[ok]}"
}

declare -A R # every result, by key; printed as the table and the BENCH line
keys=()
put() { # KEY VALUE
    [[ -v R[$1] ]] || keys+=("$1")
    R[$1]=$2
}
record() { # NAME: the last wrk run's figures
    put "$1_rps" "${W[rps]}"
    put "$1_p50_ms" "$(awk -v u="${W[p50_us]}" 'BEGIN { printf "%.2f", u / 1000 }')"
    put "$1_p99_ms" "$(awk -v u="${W[p99_us]}" 'BEGIN { printf "%.2f", u / 1000 }')"
    put "$1_errors" "${W[errors]}"
    put "$1_requests" "${W[requests]}"
    local k
    for k in "${!W[@]}"; do [[ $k != cpu_* ]] || put "$1_${k}_us_per_req" "${W[$k]}"; done
}

# EXACT_N votes, CONNS at a time, through one curl process (--parallel): none may be lost or doubled.
exact_votes() { # NAME URL [curl args...]
    local name=$1 url=$2 cfg="$work/exact.cfg" codes counted i
    shift 2
    for ((i = 0; i < EXACT_N; i++)); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done >"$cfg"
    reset_counts
    codes=$(timeout 300 curl -s --no-progress-meter -Z --parallel-max "$CONNS" --max-time 30 -w '%{http_code}\n' "$@" -K "$cfg" |
        sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = "," }')
    counted=$(counted_votes)
    put "${name}_exact_codes" "$codes"
    put "${name}_exact_counted" "$counted"
    if ((counted == EXACT_N)); then put "${name}_exact_check" pass; else put "${name}_exact_check" FAIL; fi
}

put date "$(date -u +%FT%TZ)"
put machine "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r)"
put load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
put redis_incr_rps_start "$(incr_rate)"

api_port=$(free_port)
web_port=$(free_port)
# Throughput in the first FIRST_WINDOW seconds after a start (no warm-up: the JIT, or its absence, is what
# is measured), against the steady state measured later on the same process.
first_window() { # NAME URL [env for wrk.lua...]
    local name=$1 url=$2
    shift 2
    WARMUP=0 DURATION=$FIRST_WINDOW run_wrk "$url" "$@"
    put "${name}_first_rps" "${W[rps]}"
}
start_service "$work/api" Voting.Api "$api_port"
api_pid=$started_pid
wait_healthy "$api_port" >/dev/null
cpu_watch=("redis:${pids[0]}" "api:$api_pid")
log "api vote, first ${FIRST_WINDOW}s after start"
first_window api_vote "http://127.0.0.1:$api_port/api/votes/Cats" WRK_METHOD=POST
start_service "$work/web" Voting.Web "$web_port" "services__api__http__0=http://127.0.0.1:$api_port"
web_pid=$started_pid
wait_healthy "$web_port" >/dev/null
cpu_watch=("redis:${pids[0]}" "api:$api_pid" "web:$web_pid")
log "web page, first ${FIRST_WINDOW}s after start"
first_window web_page "http://127.0.0.1:$web_port/"

log "api vote"
before_measure=reset_counts run_wrk "http://127.0.0.1:$api_port/api/votes/Cats" WRK_METHOD=POST
record api_vote
check_counts api_vote

log "api read"
run_wrk "http://127.0.0.1:$api_port/api/votes"
record api_read

# Open loop: OPEN_RATE requests a second whatever the answers take, so a slow answer delays none of the next
# ones (a closed loop like wrk's sends less while the server stalls and hides the stall from its p99). The same
# schedule against the bare Kestrel app, right before, is the floor of the generator and the machine: what the
# Api's figures would be if the Api cost nothing.
hello_port=$(free_port)
(cd "$work/hello" && exec env ASPNETCORE_ENVIRONMENT=Production "ASPNETCORE_URLS=http://127.0.0.1:$hello_port" ./Hello) \
    >"$work/hello.log" 2>&1 &
hello_pid=$!
pids+=("$hello_pid")
for _ in {1..300}; do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$hello_port/" && break; sleep 0.05; done
open_loop() { # NAME URL METHOD: a warm-up, then DURATION s measured, at OPEN_RATE/s over at most CONNS connections
    local name=$1 json
    json=$(timeout $((WARMUP + DURATION + 60)) "$work/openloop/OpenLoop" --url "$2" --method "$3" --rate "$OPEN_RATE" \
        --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNS")
    put "${name}_open_rps" "$(jq -r .achieved_rate <<<"$json")"
    local p
    for p in p50 p90 p99 p999 max; do put "${name}_open_${p}_ms" "$(jq -r ".${p}_us / 1000" <<<"$json")"; done
    put "${name}_open_errors" "$(jq -r .errors <<<"$json")"
    put "${name}_open_sender_late_max_ms" "$(jq -r '.sender_late_max_us / 1000' <<<"$json")"
}
log "hello, open loop at $OPEN_RATE/s"
open_loop hello "http://127.0.0.1:$hello_port/" GET
log "api vote, open loop at $OPEN_RATE/s"
reset_counts
open_loop api_vote "http://127.0.0.1:$api_port/api/votes/Cats" POST

log "web page"
run_wrk "http://127.0.0.1:$web_port/"
record web_page

log "bare Kestrel hello"
cpu_watch=("hello:$hello_pid")
run_wrk "http://127.0.0.1:$hello_port/"
record hello
# The memory floor beside the Web's: what a JIT-compiled Kestrel app that does nothing maps and allocates under the
# same closed loop.
put hello_peak_rss_mb "$(peak_rss_mb "$hello_pid")"
stop_service "$hello_pid"
cpu_watch=("redis:${pids[0]}" "api:$api_pid" "web:$web_pid")

# The form as a browser posts it from the page: Sec-Fetch-Site: same-origin (the Web refuses another site's form).
vote_body="vote=Cats"
sanity=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Sec-Fetch-Site: same-origin' --data "$vote_body" "http://127.0.0.1:$web_port/")
[[ $sanity == 303 ]] || { log "a form POST answered $sanity, not 303"; exit 1; }

log "web vote"
before_measure=reset_counts run_wrk "http://127.0.0.1:$web_port/" WRK_METHOD=POST "WRK_BODY=$vote_body" WRK_FETCH_SITE=same-origin
record web_vote
check_counts web_vote

log "web full vote (POST, then the redirected GET)"
wrk_script="$repo/bench/full-vote.lua" before_measure=reset_counts run_wrk "http://127.0.0.1:$web_port/" "WRK_BODY=$vote_body"
record web_full
put web_full_votes_per_s "$(awk -v r="${W[rps]}" 'BEGIN { printf "%.1f", r / 2 }')"

log "exact runs ($EXACT_N votes, $CONNS at a time)"
exact_votes api "http://127.0.0.1:$api_port/api/votes/Cats" -X POST
exact_votes web "http://127.0.0.1:$web_port/" -H 'Sec-Fetch-Site: same-origin' --data "$vote_body"

put api_peak_rss_mb "$(peak_rss_mb "$api_pid")"
put web_peak_rss_mb "$(peak_rss_mb "$web_pid")"
put api_rss_anon_mb "$(rss_anon_mb "$api_pid")"
put web_rss_anon_mb "$(rss_anon_mb "$web_pid")"

# ---------------------------------------------------------------------------------------------- GC
# Each variant in a fresh process (peak RSS is a high-water mark), set through the runtime's environment
# knobs, which override runtimeconfig.json, so the shipped setting does not decide what is compared.
# Server GC in .NET 10 runs with DATAS (dynamic heap count) unless GCDynamicAdaptationMode=0.
gc_variants=(
    "server:DOTNET_gcServer=1"
    "server-nodatas:DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=0"
    "wks-concurrent:DOTNET_gcServer=0 DOTNET_gcConcurrent=1"
    "wks-nonconcurrent:DOTNET_gcServer=0 DOTNET_gcConcurrent=0"
    "wks-nonconcurrent-gen0-4mb:DOTNET_gcServer=0 DOTNET_gcConcurrent=0 DOTNET_GCgen0size=0x400000"
)
# Not GC, but measured the same way (docs/performance.md says why): the Web with the per-request
# Information logs of HttpClient and Polly off (6 lines a request), the Api with Aspire's Redis tracing off
# (it buffers profiled commands for 10 s between flushes).
web_variants=("${gc_variants[@]}" "wks-httpclient-logs-off:DOTNET_gcServer=0 Logging__LogLevel__System.Net.Http.HttpClient=Warning Logging__LogLevel__Polly=Warning")
api_variants=("${gc_variants[@]}" "wks-redis-tracing-off:DOTNET_gcServer=0 Aspire__StackExchange__Redis__DisableTracing=true")
if ((BENCH_GC)); then
    for variant in "${web_variants[@]}"; do
        name=${variant%%:*}
        read -ra gc_env <<<"${variant#*:}"
        log "variant $name: web page"
        port=$(free_port)
        start_service "$work/web" Voting.Web "$port" "services__api__http__0=http://127.0.0.1:$api_port" "${gc_env[@]}"
        wait_healthy "$port" >/dev/null
        run_wrk "http://127.0.0.1:$port/"
        put "gc_${name}_web_page_rps" "${W[rps]}"
        put "gc_${name}_web_page_p99_ms" "$(awk -v u="${W[p99_us]}" 'BEGIN { printf "%.2f", u / 1000 }')"
        put "gc_${name}_web_peak_rss_mb" "$(peak_rss_mb "$started_pid")"
        stop_service "$started_pid"
    done
fi
stop_service "$web_pid"
stop_service "$api_pid"
cpu_watch=()

if ((BENCH_GC)); then
    for variant in "${api_variants[@]}"; do
        name=${variant%%:*}
        read -ra gc_env <<<"${variant#*:}"
        log "variant $name: api vote"
        port=$(free_port)
        start_service "$work/api" Voting.Api "$port" "${gc_env[@]}"
        wait_healthy "$port" >/dev/null
        before_measure=reset_counts run_wrk "http://127.0.0.1:$port/api/votes/Cats" WRK_METHOD=POST
        put "gc_${name}_api_vote_rps" "${W[rps]}"
        put "gc_${name}_api_vote_p99_ms" "$(awk -v u="${W[p99_us]}" 'BEGIN { printf "%.2f", u / 1000 }')"
        put "gc_${name}_api_peak_rss_mb" "$(peak_rss_mb "$started_pid")"
        stop_service "$started_pid"
    done
fi

# ---------------------------------------------------------------------------------------------- cold start
# Process start to the first 200 from /health, COLD_RUNS times each, median. The Api's /health includes
# its Redis check, so this is "ready to serve", not just "listening". Web needs an Api: it is given a
# port with nothing behind it, since the Web's /health does not depend on the Api.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
cold_start() { # NAME DIR EXE [env...]
    local name=$1 dir=$2 exe=$3 port ms i runs=() rss=()
    shift 3
    for ((i = 0; i < COLD_RUNS; i++)); do
        port=$(free_port)
        start_service "$dir" "$exe" "$port" "services__api__http__0=http://127.0.0.1:1" "$@"
        if ms=$(wait_healthy "$port"); then
            runs+=("$ms")
            rss+=("$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$started_pid/status")")
        fi
        stop_service "$started_pid"
    done
    put "cold_${name}_ms_median" "$(printf '%s\n' "${runs[@]}" | median)"
    put "cold_${name}_ms_runs" "$(IFS=/; echo "${runs[*]}")"
    put "cold_${name}_rss_mb_median" "$(printf '%s\n' "${rss[@]}" | median)"
}
log "cold starts"
cold_start api "$work/api" Voting.Api
cold_start api_jit "$work/api-jit" Voting.Api
cold_start web "$work/web" Voting.Web
cold_start web_jit "$work/web-jit" Voting.Web
# The floor for any JIT-compiled ASP.NET Core app on this machine: the bare hello app, started the same way.
cold_start hello_jit "$work/hello" Hello
# The Api's image is one native file: its size is what the registry stores and a node pulls.
put api_binary_mb "$(du -m "$work/api/Voting.Api" | cut -f1)"
put api_aot_warnings "$aot_warning_count"

put redis_incr_rps_end "$(incr_rate)"
stop_service "${pids[0]}" # redis

# ---------------------------------------------------------------------------------------------- AppHost
# `dotnet run --project AppHost --no-build` (after a build) to the voting page answering 200, Embedded
# mode. Only when nothing listens on the AppHost's fixed ports: another developer may be running the app.
apphost_ports='( sport = :15080 or sport = :5280 or sport = :5380 or sport = :19080 or sport = :20080 )'
if ((BENCH_APPHOST)); then
    if ss -Htln "$apphost_ports" | grep -q .; then
        put apphost "skipped: ports in use"
    elif ! timeout 600 dotnet build "$src/AppHost" --nologo >"$work/apphost.build.log" 2>&1; then
        put apphost "skipped: build failed"
    else
        runs=()
        for ((i = 0; i < APPHOST_RUNS; i++)); do
            log "apphost run $((i + 1))"
            t0=$(now_us)
            # Its own process group (setsid), so one signal reaches the AppHost, DCP and the services.
            (cd "$src" && exec setsid dotnet run --project AppHost --no-build -- --VoteStore:Mode=Embedded) \
                >"$work/apphost.$i.log" 2>&1 &
            apphost_pgid=$!
            ms=''
            while (($(now_us) - t0 < 120000000)); do
                if [[ $(curl -s --max-time 2 -o /dev/null -w '%{http_code}' http://localhost:5280/) == 200 ]]; then
                    ms=$((($(now_us) - t0) / 1000))
                    break
                fi
                sleep 0.1
            done
            [[ -z $ms ]] || runs+=("$ms")
            kill -TERM -- "-$apphost_pgid" 2>/dev/null || true
            for _ in {1..600}; do
                pgrep -g "$apphost_pgid" >/dev/null || break
                sleep 0.1
            done
            kill -KILL -- "-$apphost_pgid" 2>/dev/null || true
            wait "$apphost_pgid" 2>/dev/null || true
            apphost_pgid=''
            # The next run needs the ports back.
            for _ in {1..300}; do ss -Htln "$apphost_ports" | grep -q . || break; sleep 0.1; done
        done
        put apphost_ms_median "$(printf '%s\n' "${runs[@]}" | median)"
        put apphost_ms_runs "$(IFS=/; echo "${runs[*]}")"
    fi
fi
# ---------------------------------------------------------------------------------------------- durability
# What `appendfsync always` (an fsync before every answer) costs against `everysec` (Redis' default, what the
# StatefulSet runs: a lost node or disk can lose the last second). One Redis with its append-only file on this
# machine's disk and one Api on it; the policy is switched between runs (CONFIG SET) and the two alternate
# FSYNC_ROUNDS times, so drift on a shared machine hits both alike; ratios are of the medians. Figures: the Api's
# vote rate and p99 at CONNS connections, the p50 of a lone voter (one connection: every vote waits for its own
# fsync), and redis-benchmark INCR on the same Redis.
BENCH_FSYNC=${BENCH_FSYNC:-1}
FSYNC_ROUNDS=${FSYNC_ROUNDS:-3}
AOF_DIR=${AOF_DIR:-$work/aof}
if ((BENCH_FSYNC)); then
    mkdir -p "$AOF_DIR"
    # On tmpfs an fsync costs nothing, and the comparison would say nothing.
    put fsync_filesystem "$(stat -f -c %T "$AOF_DIR")"
    aof_port=$(free_port)
    redis-server --port "$aof_port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec \
        --dir "$AOF_DIR" --protected-mode yes --daemonize no >"$work/redis-aof.log" 2>&1 &
    aof_redis_pid=$!
    pids+=("$aof_redis_pid")
    for _ in {1..50}; do redis-cli -p "$aof_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    port=$(free_port)
    start_service "$work/api" Voting.Api "$port" "ConnectionStrings__redis=127.0.0.1:$aof_port"
    aof_api_pid=$started_pid
    wait_healthy "$port" >/dev/null
    declare -A fsync_runs=()
    for ((round = 0; round < FSYNC_ROUNDS; round++)); do
        for policy in everysec always; do
            timeout 10 redis-cli -p "$aof_port" config set appendfsync "$policy" >/dev/null
            log "durability: appendfsync $policy, round $((round + 1)) of $FSYNC_ROUNDS"
            run_wrk "http://127.0.0.1:$port/api/votes/Cats" WRK_METHOD=POST
            fsync_runs[${policy}_rps]+="${W[rps]} "
            fsync_runs[${policy}_p99_us]+="${W[p99_us]} "
            CONNS=1 WARMUP=1 DURATION=5 run_wrk "http://127.0.0.1:$port/api/votes/Cats" WRK_METHOD=POST
            fsync_runs[${policy}_single_p50_us]+="${W[p50_us]} "
            fsync_runs[${policy}_incr_rps]+="$(timeout 120 redis-benchmark -p "$aof_port" -t incr -n 100000 -c "$CONNS" -P 1 --csv 2>/dev/null |
                awk -F'"' '$2 == "INCR" { print $4 }') "
        done
    done
    for key in "${!fsync_runs[@]}"; do
        put "fsync_${key}_runs" "${fsync_runs[$key]% }"
        put "fsync_${key}" "$(tr ' ' '\n' <<<"${fsync_runs[$key]% }" | median)"
    done
    ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
    for policy in everysec always; do
        put "fsync_${policy}_p99_ms" "$(ms "${R[fsync_${policy}_p99_us]}")"
        put "fsync_${policy}_single_p50_ms" "$(ms "${R[fsync_${policy}_single_p50_us]}")"
    done
    put fsync_always_x_everysec_api_vote "$(awk -v a="${R[fsync_always_rps]}" -v b="${R[fsync_everysec_rps]}" 'BEGIN { if (b > 0) printf "%.3f", a / b }')"
    put fsync_always_x_everysec_incr "$(awk -v a="${R[fsync_always_incr_rps]}" -v b="${R[fsync_everysec_incr_rps]}" 'BEGIN { if (b > 0) printf "%.3f", a / b }')"
    stop_service "$aof_api_pid"
    stop_service "$aof_redis_pid"
fi

put load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------- report
incr=$(awk -v a="${R[redis_incr_rps_start]}" -v b="${R[redis_incr_rps_end]}" 'BEGIN { printf "%.0f", (a + b) / 2 }')
put redis_incr_rps "$incr"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b }'; }
tests=(api_vote api_read web_page web_vote web_full hello)
for name in "${tests[@]}"; do put "${name}_x_incr" "$(ratio "${R[${name}_rps]}" "$incr")"; done
put web_page_x_hello "$(ratio "${R[web_page_rps]}" "${R[hello_rps]}")"
put api_vote_first_x_steady "$(ratio "${R[api_vote_first_rps]}" "${R[api_vote_rps]}")"
put web_page_first_x_steady "$(ratio "${R[web_page_first_rps]}" "${R[web_page_rps]}")"
for variant in "${api_variants[@]}"; do
    name=${variant%%:*}
    [[ ! -v R[gc_${name}_api_vote_rps] ]] || put "gc_${name}_api_vote_x_incr" "$(ratio "${R[gc_${name}_api_vote_rps]}" "$incr")"
done

# Targets (docs/performance.md): met or missed, with the figure measured beside each.
missed=0
target() { # KEY DESCRIPTION EXPRESSION(awk, on v)
    local v=${R[$1]-} ok
    ok=$(awk -v v="$v" "BEGIN { print (v != \"\" && ($3)) ? \"met\" : \"MISSED\" }")
    [[ $ok == met ]] || missed=$((missed + 1))
    put "target_$1" "$ok"
    printf '  %-8s %-52s %s\n' "$ok" "$2" "$v"
}

{
    echo
    echo "== voting app benchmark, $(date -u +%F) ($((CONNS)) connections, ${DURATION}s runs after ${WARMUP}s warm-up, wrk -t$WRK_THREADS)"
    echo "machine: ${R[machine]}; load average before ${R[load_before]}, after ${R[load_after]}"
    printf 'redis INCR ceiling: %s/s (start %s, end %s); bare Kestrel hello: %s/s\n\n' "$incr" \
        "${R[redis_incr_rps_start]}" "${R[redis_incr_rps_end]}" "${R[hello_rps]}"
    printf '%-10s %10s %8s %9s %9s %7s  %s\n' test req/s xINCR p50_ms p99_ms errors counts
    for name in "${tests[@]}"; do
        printf '%-10s %10s %8s %9s %9s %7s  %s\n' "$name" "${R[${name}_rps]}" "${R[${name}_x_incr]}" \
            "${R[${name}_p50_ms]}" "${R[${name}_p99_ms]}" "${R[${name}_errors]}" \
            "${R[${name}_count_check]:+${R[${name}_count_check]} (redis ${R[${name}_counted]}, wrk ok ${R[${name}_ok]})}"
    done
    printf '(web_full: each vote is a POST and its redirected GET, so %s full votes/s)\n' "${R[web_full_votes_per_s]}"
    printf '\nfirst %ss after start (no warm-up) against steady state: api vote %s/s (x%s), web page %s/s (x%s)\n' \
        "$FIRST_WINDOW" "${R[api_vote_first_rps]}" "${R[api_vote_first_x_steady]}" "${R[web_page_first_rps]}" "${R[web_page_first_x_steady]}"
    printf '\nopen loop at %s/s offered, at most %s connections (bench/OpenLoop; ms from each request'"'"'s due time):\n' "$OPEN_RATE" "$CONNS"
    printf '  %-10s %8s %8s %8s %8s %8s %8s %7s %15s\n' test served/s p50 p90 p99 p99.9 max errors sender_late_max
    for name in api_vote hello; do
        printf '  %-10s %8s %8s %8s %8s %8s %8s %7s %15s\n' "$name" "${R[${name}_open_rps]}" "${R[${name}_open_p50_ms]}" \
            "${R[${name}_open_p90_ms]}" "${R[${name}_open_p99_ms]}" "${R[${name}_open_p999_ms]}" "${R[${name}_open_max_ms]}" \
            "${R[${name}_open_errors]}" "${R[${name}_open_sender_late_max_ms]}"
    done
    echo
    echo "CPU per request (µs) during each run, by process (all = whole machine, wrk and other work included):"
    for name in "${tests[@]}"; do
        printf '  %-10s api %6s  web %6s  redis %6s  hello %6s  all %6s\n' "$name" "${R[${name}_cpu_api_us_per_req]-}" \
            "${R[${name}_cpu_web_us_per_req]-}" "${R[${name}_cpu_redis_us_per_req]-}" "${R[${name}_cpu_hello_us_per_req]-}" \
            "${R[${name}_cpu_all_us_per_req]-}"
    done
    printf '\nexact %s votes: api %s (%s, codes %s); web %s (%s, codes %s)\n' "$EXACT_N" \
        "${R[api_exact_check]}" "${R[api_exact_counted]}" "${R[api_exact_codes]}" \
        "${R[web_exact_check]}" "${R[web_exact_counted]}" "${R[web_exact_codes]}"
    printf 'peak RSS (VmHWM) after all load: api %s MB, web %s MB (anonymous part of RSS at the end: api %s MB, web %s MB); bare Kestrel hello (JIT) %s MB\n' \
        "${R[api_peak_rss_mb]}" "${R[web_peak_rss_mb]}" "${R[api_rss_anon_mb]}" "${R[web_rss_anon_mb]}" "${R[hello_peak_rss_mb]}"
    if ((BENCH_GC)); then
        printf '\n%-28s %12s %8s %9s %8s | %12s %9s %8s\n' "variant (fresh process)" "api vote/s" xINCR p99_ms RSS_MB "web page/s" p99_ms RSS_MB
        for variant in "${gc_variants[@]}" "${web_variants[@]: -1}" "${api_variants[@]: -1}"; do
            n=${variant%%:*}
            printf '%-28s %12s %8s %9s %8s | %12s %9s %8s\n' "$n" "${R[gc_${n}_api_vote_rps]--}" \
                "${R[gc_${n}_api_vote_x_incr]--}" "${R[gc_${n}_api_vote_p99_ms]--}" "${R[gc_${n}_api_peak_rss_mb]--}" \
                "${R[gc_${n}_web_page_rps]--}" "${R[gc_${n}_web_page_p99_ms]--}" "${R[gc_${n}_web_peak_rss_mb]--}"
        done
    fi
    printf '\n%-16s %10s %20s %10s\n' "cold start" median_ms runs_ms rss_MB
    for k in "${keys[@]}"; do
        [[ $k =~ ^cold_(.*)_ms_median$ ]] || continue
        n=${BASH_REMATCH[1]}
        printf '%-16s %10s %20s %10s\n' "$n" "${R[$k]}" "${R[cold_${n}_ms_runs]}" "${R[cold_${n}_rss_mb_median]}"
    done
    printf '(api = Native AOT and web = ReadyToRun, as the images ship; *_jit = the same code, JIT-compiled; hello_jit = the bare Kestrel app)\n'
    printf 'Native AOT Api: %s MB binary, %s trim/AOT warnings\n' "${R[api_binary_mb]}" "${R[api_aot_warnings]}"
    printf 'AppHost start to page 200 (Embedded): %s\n' "${R[apphost_ms_median]:+median ${R[apphost_ms_median]} ms (${R[apphost_ms_runs]})}${R[apphost]-}"
    if ((BENCH_FSYNC)); then
        printf '\nappendfsync always against everysec (append-only file on %s; medians of %s rounds, alternated):\n' \
            "${R[fsync_filesystem]}" "$FSYNC_ROUNDS"
        printf '  %-9s %12s %9s %18s %12s\n' policy "api vote/s" p99_ms "one voter p50_ms" "INCR/s"
        for policy in everysec always; do
            printf '  %-9s %12s %9s %18s %12s\n' "$policy" "${R[fsync_${policy}_rps]}" "${R[fsync_${policy}_p99_ms]}" \
                "${R[fsync_${policy}_single_p50_ms]}" "${R[fsync_${policy}_incr_rps]}"
        done
        printf '  always / everysec: api vote x%s, INCR x%s\n' "${R[fsync_always_x_everysec_api_vote]}" "${R[fsync_always_x_everysec_incr]}"
    fi
    echo
    echo "targets (absolute rates are for 2 cores):"
    target web_page_rps "web page >= 9000/s (3x the original Flask app)" 'v >= 9000'
    target web_page_x_hello "web page >= 1/3 of bare Kestrel hello" 'v >= 0.3333'
    target web_page_cpu_web_us_per_req "web CPU per page <= 250 us" 'v <= 250'
    target web_full_votes_per_s "full vote through the web >= 5000/s" 'v >= 5000'
    target web_page_first_x_steady "web page, first ${FIRST_WINDOW}s >= 0.7 x steady" 'v >= 0.7'
    target api_vote_first_x_steady "api vote, first ${FIRST_WINDOW}s >= 0.7 x steady" 'v >= 0.7'
    target api_vote_x_incr "api vote >= 0.5 x INCR" 'v >= 0.5'
    target api_vote_p99_ms "api vote p99 <= 10 ms at $CONNS connections" 'v <= 10'
    target api_vote_open_p99_ms "api vote p99 <= 2 ms, open loop at $OPEN_RATE/s" 'v <= 2'
    target cold_api_ms_median "api cold start <= 250 ms (as shipped)" 'v <= 250'
    target cold_web_ms_median "web cold start <= 500 ms (as shipped)" 'v <= 500'
    target api_peak_rss_mb "api peak RSS <= 60 MB" 'v <= 60'
    target web_peak_rss_mb "web peak RSS <= 100 MB" 'v <= 100'
    target api_vote_count_check "api vote counts (timed run)" 'v == "pass"'
    target web_vote_count_check "web vote counts (timed run)" 'v == "pass"'
    target api_exact_check "api exact $EXACT_N votes" 'v == "pass"'
    target web_exact_check "web exact $EXACT_N votes" 'v == "pass"'
    target api_vote_open_errors "api open loop: no errors" 'v == 0'
    echo "$missed target(s) missed"
    echo
}
put targets_missed "$missed"

# The machine-readable last line: every key, numbers as numbers.
json=''
for k in "${keys[@]}"; do
    v=${R[$k]}
    if [[ $v =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then json+="\"$k\":$v,"; else json+="\"$k\":\"${v//\"/\\\"}\","; fi
done
echo "BENCH {${json%,}}"
((check == 0 || missed == 0)) || exit 1
