#!/usr/bin/env bash
# Benchmarks the voting app as it runs in production: Release builds of Api and Web, wired by environment
# variables (no AppHost, no OTLP exporter), against a real redis-server, loaded with wrk on loopback.
# See docs/performance.md for what each figure means and the targets.
#
# Usage: bench/run.sh            (about 10-15 minutes on 2 cores, most of it publishing)
# Knobs (environment): DURATION=10 WARMUP=3 CONNS=32 WRK_THREADS=1 EXACT_N=10000 COLD_RUNS=5
#   BENCH_AOT=1 (try a Native AOT Api), BENCH_APPHOST=1 (time the AppHost start-up), BENCH_GC=1 (GC variants).
# Every figure printed is measured in this run; ratios are taken against redis-benchmark INCR on the same
# Redis in the same run, because the machine is shared and absolute rates drift from minute to minute.
# The last line is machine-readable: BENCH {json}.
set -euo pipefail

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNS=${CONNS:-32}
# One wrk thread: on 2 cores every core wrk takes is a core the server under test does not get.
WRK_THREADS=${WRK_THREADS:-1}
EXACT_N=${EXACT_N:-10000}
COLD_RUNS=${COLD_RUNS:-5}
APPHOST_RUNS=${APPHOST_RUNS:-3}
BENCH_AOT=${BENCH_AOT:-1}
BENCH_APPHOST=${BENCH_APPHOST:-1}
BENCH_GC=${BENCH_GC:-1}

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
wanted=(wrk redis-server redis-tools curl)
# Native AOT links with clang and needs zlib's headers.
((BENCH_AOT)) && wanted+=(clang zlib1g-dev)
had_redis_server=$(dpkg-query -W -f '${db:Status-Status}' redis-server 2>/dev/null || true)
"$repo/.ci/apt-install.sh" "${wanted[@]}"
# Only the binaries are wanted: keep a newly installed packaged service from starting at the next boot too.
if [[ $had_redis_server != installed ]]; then
    systemctl disable --quiet redis-server 2>/dev/null || update-rc.d redis-server disable >/dev/null 2>&1 || true
fi

# A loopback port nobody listens on (another Redis or another agent's app may hold the usual ones).
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
publish api Api
publish web Web
# ReadyToRun needs a runtime identifier; it stays framework-dependent, like the default build.
publish api-r2r Api -r linux-x64 --self-contained false -p:PublishReadyToRun=true
publish web-r2r Web -r linux-x64 --self-contained false -p:PublishReadyToRun=true
aot_result=skipped
if ((BENCH_AOT)); then
    # Warnings stay warnings here (the repo treats them as errors) so the trim/AOT analysis can be recorded
    # and a binary, if one comes out, can be tried.
    if publish api-aot Api -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false; then
        aot_result=built
    else
        aot_result=failed
    fi
    # Each IL2xxx/IL3xxx code once with how often it appears and the assembly it comes from.
    # The build prints each warning again in its summary: count distinct lines.
    grep -E 'warning IL[0-9]+' "$work/api-aot.publish.log" | sort -u >"$work/aot-warning-lines.txt" || true
    awk '{ match($0, /warning IL[0-9]+/); code = substr($0, RSTART + 8, RLENGTH - 8)
           src = $1; sub(/.*\//, "", src); sub(/\(.*/, "", src); n[code " from " src]++ }
         END { for (k in n) print n[k] " x " k }' "$work/aot-warning-lines.txt" | sort -rn >"$work/aot-warnings.txt"
    aot_warning_count=$(wc -l <"$work/aot-warning-lines.txt")
fi

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
# the machine (wrk and other agents' work included), from /proc/stat.
hz=$(getconf CLK_TCK)
cpu_us() { awk -v hz="$hz" '{ print ($14 + $15) * 1000000 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
all_cpu_us() { awk -v hz="$hz" '/^cpu / { print ($2 + $3 + $4 + $7 + $8) * 1000000 / hz }' /proc/stat; }
cpu_watch=() # LABEL:PID pairs, set by the caller

# Runs wrk: a warm-up, then the measured run. Sets W[...] from wrk.lua's summary line.
declare -A W
run_wrk() { # URL [env for wrk.lua...]
    local url=$1 line kv fields
    shift
    env "$@" timeout $((WARMUP + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$lua" "$url" >/dev/null
    sleep 1 # requests in flight at the end of the warm-up land before any reset that follows
    [[ -z ${before_measure-} ]] || "$before_measure"
    local -A cpu0
    for kv in "${cpu_watch[@]}" "all:"; do cpu0[${kv%%:*}]=$(if [[ -n ${kv#*:} ]]; then cpu_us "${kv#*:}"; else all_cpu_us; fi); done
    line=$(env "$@" timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s \
        -s "$lua" "$url" | grep '^WRK ')
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
start_service "$work/api" Voting.Api "$api_port"
api_pid=$started_pid
wait_healthy "$api_port" >/dev/null
start_service "$work/web" Voting.Web "$web_port" "services__api__http__0=http://127.0.0.1:$api_port"
web_pid=$started_pid
wait_healthy "$web_port" >/dev/null
cpu_watch=("redis:${pids[0]}" "api:$api_pid" "web:$web_pid")

log "api vote"
before_measure=reset_counts run_wrk "http://127.0.0.1:$api_port/api/votes/Cats" WRK_METHOD=POST
record api_vote
check_counts api_vote

log "api read"
run_wrk "http://127.0.0.1:$api_port/api/votes"
record api_read

log "web page"
run_wrk "http://127.0.0.1:$web_port/"
record web_page

# One real browser-like round: the page sets the antiforgery cookie and carries the token in a hidden field.
# Read from the response headers, not a cookie jar: curl, like a browser, keeps a __Host- cookie only from HTTPS, and
# the benchmark is plain HTTP on loopback (the server does not care how the cookie came back).
curl -s --max-time 10 -D "$work/headers" "http://127.0.0.1:$web_port/" >"$work/page.html"
token=$(sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' "$work/page.html")
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-Voting\.Antiforgery=[^;]*\).*/\1/p' "$work/headers" | tr -d '\r')
vote_body="vote=Cats&__RequestVerificationToken=$token"
sanity=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" --data "$vote_body" "http://127.0.0.1:$web_port/")
[[ $sanity == 303 ]] || { log "a form POST answered $sanity, not 303: token or cookie not accepted"; exit 1; }

log "web vote"
before_measure=reset_counts run_wrk "http://127.0.0.1:$web_port/" WRK_METHOD=POST "WRK_BODY=$vote_body" "WRK_COOKIE=$cookie"
record web_vote
check_counts web_vote

log "exact runs ($EXACT_N votes, $CONNS at a time)"
exact_votes api "http://127.0.0.1:$api_port/api/votes/Cats" -X POST
exact_votes web "http://127.0.0.1:$web_port/" -H "Cookie: $cookie" --data "$vote_body"

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
cold_start api_jit "$work/api" Voting.Api
cold_start api_jit_nopgo "$work/api" Voting.Api DOTNET_TieredPGO=0
cold_start api_r2r "$work/api-r2r" Voting.Api
cold_start api_r2r_nopgo "$work/api-r2r" Voting.Api DOTNET_TieredPGO=0
[[ $aot_result != built ]] || cold_start api_aot "$work/api-aot" Voting.Api
cold_start web_jit "$work/web" Voting.Web
cold_start web_jit_nopgo "$work/web" Voting.Web DOTNET_TieredPGO=0
cold_start web_r2r "$work/web-r2r" Voting.Web
cold_start web_r2r_nopgo "$work/web-r2r" Voting.Web DOTNET_TieredPGO=0

put aot "$aot_result"
if [[ $aot_result == built ]]; then
    # Does the AOT Api work, not just start? One vote and one read.
    port=$(free_port)
    start_service "$work/api-aot" Voting.Api "$port"
    if wait_healthy "$port" >/dev/null; then
        put aot_vote_status "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/votes/Cats")"
        put aot_read_status "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/votes")"
        log "aot api vote"
        before_measure=reset_counts run_wrk "http://127.0.0.1:$port/api/votes/Cats" WRK_METHOD=POST
        record aot_api_vote
        put aot_api_peak_rss_mb "$(peak_rss_mb "$started_pid")"
    fi
    stop_service "$started_pid"
    put aot_binary_mb "$(du -m "$work/api-aot/Voting.Api" | cut -f1)"
fi
[[ $aot_result == skipped ]] || put aot_warnings "${aot_warning_count:-0}"

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
put load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------- report
incr=$(awk -v a="${R[redis_incr_rps_start]}" -v b="${R[redis_incr_rps_end]}" 'BEGIN { printf "%.0f", (a + b) / 2 }')
put redis_incr_rps "$incr"
frac() { awk -v r="$1" -v c="$incr" 'BEGIN { printf "%.3f", r / c }'; }
for name in api_vote api_read web_page web_vote; do put "${name}_x_incr" "$(frac "${R[${name}_rps]}")"; done
[[ ! -v R[aot_api_vote_rps] ]] || put aot_api_vote_x_incr "$(frac "${R[aot_api_vote_rps]}")"
for variant in "${api_variants[@]}"; do
    name=${variant%%:*}
    [[ ! -v R[gc_${name}_api_vote_rps] ]] || put "gc_${name}_api_vote_x_incr" "$(frac "${R[gc_${name}_api_vote_rps]}")"
done

# Targets: pass/miss with the measured figure beside the target.
target() { # KEY DESCRIPTION EXPRESSION(awk, on v)
    local v=${R[$1]-} ok
    ok=$(awk -v v="$v" "BEGIN { print (v != \"\" && ($3)) ? \"met\" : \"MISSED\" }")
    put "target_$1" "$ok"
    printf '  %-8s %-44s %s\n' "$ok" "$2" "$v"
}

{
    echo
    echo "== voting app benchmark, $(date -u +%F) ($((CONNS)) connections, ${DURATION}s runs after ${WARMUP}s warm-up, wrk -t$WRK_THREADS)"
    echo "machine: ${R[machine]}; load average before ${R[load_before]}, after ${R[load_after]}"
    printf 'redis INCR ceiling: %s/s (start %s, end %s)\n\n' "$incr" "${R[redis_incr_rps_start]}" "${R[redis_incr_rps_end]}"
    printf '%-10s %10s %8s %9s %9s %7s  %s\n' test req/s xINCR p50_ms p99_ms errors counts
    for name in api_vote api_read web_page web_vote; do
        printf '%-10s %10s %8s %9s %9s %7s  %s\n' "$name" "${R[${name}_rps]}" "${R[${name}_x_incr]}" \
            "${R[${name}_p50_ms]}" "${R[${name}_p99_ms]}" "${R[${name}_errors]}" \
            "${R[${name}_count_check]:+${R[${name}_count_check]} (redis ${R[${name}_counted]}, wrk ok ${R[${name}_ok]})}"
    done
    echo
    echo "CPU per request (µs) during each run, by process (all = whole machine, wrk and other work included):"
    for name in api_vote api_read web_page web_vote; do
        printf '  %-10s api %6s  web %6s  redis %6s  all %6s\n' "$name" "${R[${name}_cpu_api_us_per_req]-}" \
            "${R[${name}_cpu_web_us_per_req]-}" "${R[${name}_cpu_redis_us_per_req]-}" "${R[${name}_cpu_all_us_per_req]-}"
    done
    printf '\nexact %s votes: api %s (%s, codes %s); web %s (%s, codes %s)\n' "$EXACT_N" \
        "${R[api_exact_check]}" "${R[api_exact_counted]}" "${R[api_exact_codes]}" \
        "${R[web_exact_check]}" "${R[web_exact_counted]}" "${R[web_exact_codes]}"
    printf 'peak RSS (VmHWM) after all load: api %s MB, web %s MB (anonymous part of RSS at the end: api %s MB, web %s MB)\n' \
        "${R[api_peak_rss_mb]}" "${R[web_peak_rss_mb]}" "${R[api_rss_anon_mb]}" "${R[web_rss_anon_mb]}"
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
    printf '\nNative AOT Api: %s' "$aot_result"
    [[ $aot_result == skipped ]] || printf ', %s IL warnings' "${R[aot_warnings]}"
    [[ ! -v R[aot_api_vote_rps] ]] || printf '; vote %s/s (x%s), p99 %s ms, RSS %s MB, binary %s MB' \
        "${R[aot_api_vote_rps]}" "${R[aot_api_vote_x_incr]}" "${R[aot_api_vote_p99_ms]}" "${R[aot_api_peak_rss_mb]}" "${R[aot_binary_mb]}"
    echo
    [[ ! -s $work/aot-warnings.txt ]] || sed 's/^/    /' "$work/aot-warnings.txt"
    printf 'AppHost start to page 200 (Embedded): %s\n' "${R[apphost_ms_median]:+median ${R[apphost_ms_median]} ms (${R[apphost_ms_runs]})}${R[apphost]-}"
    echo
    echo "targets:"
    target api_vote_x_incr "api vote >= 0.25 x INCR" 'v >= 0.25'
    target api_vote_p99_ms "api vote p99 <= 10 ms" 'v <= 10'
    target web_page_rps "web page >= 10000/s" 'v >= 10000'
    target web_vote_x_incr "web vote >= 0.10 x INCR" 'v >= 0.10'
    target api_peak_rss_mb "api peak RSS < 100 MB" 'v < 100'
    target web_peak_rss_mb "web peak RSS < 100 MB" 'v < 100'
    target cold_api_jit_ms_median "api cold start < 500 ms (default build)" 'v < 500'
    target cold_web_jit_ms_median "web cold start < 500 ms (default build)" 'v < 500'
    echo
}

# The machine-readable last line: every key, numbers as numbers.
json=''
for k in "${keys[@]}"; do
    v=${R[$k]}
    if [[ $v =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then json+="\"$k\":$v,"; else json+="\"$k\":\"${v//\"/\\\"}\","; fi
done
echo "BENCH {${json%,}}"
