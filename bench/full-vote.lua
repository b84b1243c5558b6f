-- A full vote as a browser makes it: the form POST, then the GET its 303 redirect leads to, on one connection.
-- Each request() sends the pair pipelined; the GET carries the antiforgery cookie and the Voting.Seen cookie the
-- latest vote answer set (read in response(), so this script costs wrk some Lua per answer, unlike wrk.lua).
-- wrk counts each answer: full votes/s = requests/s / 2.
--   WRK_BODY (the form), WRK_COOKIE (the antiforgery cookie).

local body = os.getenv("WRK_BODY")
local cookie = os.getenv("WRK_COOKIE")
local seen = nil

request = function()
  local get_cookie = cookie
  if seen then
    get_cookie = cookie .. "; " .. seen
  end
  return wrk.format("POST", "/", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }, body)
    .. wrk.format("GET", "/", { ["Cookie"] = get_cookie })
end

response = function(status, headers, _)
  if status == 303 then
    local set = headers["Set-Cookie"]
    if set then
      local value = set:match("(Voting%.Seen=[^;]*)")
      if value then
        seen = value
      end
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
