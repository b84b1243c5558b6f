-- A full vote as a browser makes it: the form POST, then the GET its 303 redirect leads to, on one connection.
-- Each request() sends the pair pipelined, each with the Sec-Fetch-Site: same-origin a browser sends for the page's
-- own form and its redirect; the GET carries the Voting.Seen cookie the latest vote answer set (read in response(),
-- so this script costs wrk some Lua per answer, unlike wrk.lua). wrk counts each answer: full votes/s = requests/s / 2.
--   WRK_BODY (the form).

-- wrk.lua's summary line (done), from the folder this script is in.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk.lua")

local body = os.getenv("WRK_BODY")
local seen = nil

request = function()
  local get_headers = { ["Sec-Fetch-Site"] = "same-origin" }
  if seen then
    get_headers["Cookie"] = seen
  end
  return wrk.format("POST", "/",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Sec-Fetch-Site"] = "same-origin" }, body)
    .. wrk.format("GET", "/", get_headers)
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
