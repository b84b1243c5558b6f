-- One wrk script for every load in bench/run.sh. The request comes from the environment, so the
-- shell script stays the one place that says what is sent:
--   WRK_METHOD (GET/POST), WRK_BODY, WRK_CONTENT_TYPE, WRK_COOKIE, WRK_FETCH_SITE (the Sec-Fetch-Site a browser sends).
-- wrk never follows redirects: the Web's 303 after a vote is counted as the success it is.
-- No response() callback: one would run Lua on every answer and slow the load generator down,
-- which on 2 shared cores would be measured as slowness of the server. wrk already counts
-- status >= 400 (summary.errors.status) and socket errors.

wrk.method = os.getenv("WRK_METHOD") or "GET"

local body = os.getenv("WRK_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

local cookie = os.getenv("WRK_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local fetch_site = os.getenv("WRK_FETCH_SITE")
if fetch_site and fetch_site ~= "" then
  wrk.headers["Sec-Fetch-Site"] = fetch_site
end

-- One machine-readable line for run.sh to parse (latencies in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
