-- wrk script for bench_faults: the public side of the mixed load.
--
--   wrk -t1 -c2 -d600s -s bench/faults_mixed.lua http://127.0.0.1:PORT -- DATA.lua
--
-- DATA.lua (written by bench_faults.py) sets:
--   MODE          "paths": GET the PATHS in turn (public pages, law searches);
--                 "code": POST a sign-in code request to the API (/api/v1/me/sign-in/code/), each for a new phone
--                 number PHONE_PREFIX .. counter and from one of 250 client addresses (X-Forwarded-For; the site
--                 trusts the loopback proxy), so the per-address limit answers 429 once an address asked ten times
--   PATHS         { "/path?query", ... }
--   PHONE_PREFIX  the first digits of the phone numbers (the check counts the codes stored under it)
-- done() prints "RESULT {json}" as bench/matters_intake.lua does.

-- The shared setup(), response() and done(): wrk_report.lua, next to this script.
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""
dofile(here .. "wrk_report.lua")

function init(args)
  dofile(args[1])
  start_counting()
end

function request()
  sent = sent + 1
  local i = counter
  counter = counter + 1
  if MODE == "paths" then
    return wrk.format("GET", PATHS[(i % #PATHS) + 1])
  end
  local body = string.format('{"phone": "%s%06d"}', PHONE_PREFIX, i)
  return wrk.format("POST", "/api/v1/me/sign-in/code/", {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.77.0.%d", i % 250 + 1),
    ["Idempotency-Key"] = string.format("%s-%08d", PHONE_PREFIX, i),
  }, body)
end
