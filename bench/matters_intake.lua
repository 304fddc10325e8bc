-- wrk script for bench_matters: POST the staff intake form (受理登记) as signed-in clerks and hotline agents,
-- or GET a plain URL for the baseline.
--
--   wrk -t1 -c32 -d20s -s bench/matters_intake.lua http://127.0.0.1:PORT -- DATA.lua
--
-- DATA.lua (written by bench_matters.py) sets:
--   MODE      "intake", "floor" (a signed-in POST that writes nothing: the language switch, with the same
--             sessions, cookies and CSRF token as the intake) or "get"
--   PATH      the URL path to request
--   SESSIONS  { {cookie=, csrf=, channel=, regions={...}, items={...}}, ... }: sessions signed in beforehand
--             in Python (session cookie + CSRF cookie and form token), the regions under each one's intake
--             unit and the service items its channel offers
--   NAMES, DESCRIPTIONS  url-encoded strings to pick from
--   KEY_PREFIX 8 hex digits naming this run: every idempotency key starts with it, so the matters a run made
--             can be counted afterwards
--   IDS_FILE  a file of unique, valid ID numbers, one a line: each request is a new person
-- and done() prints one line "RESULT {json}" with the counts by status, the requests sent (those still in
-- flight when wrk stops are sent but not counted as answered) and the latency percentiles.

-- The shared setup(), response() and done(): wrk_report.lua, next to this script.
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""
dofile(here .. "wrk_report.lua")

function init(args)
  dofile(args[1])
  nthreads = tonumber(args[2] or "1")
  start_counting()
  ids = {}
  if MODE == "intake" then
    for line in io.lines(IDS_FILE) do
      ids[#ids + 1] = line
    end
  end
  math.randomseed(1000 + tid)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  sent = sent + 1
  if MODE == "get" then
    return wrk.format("GET", PATH)
  end
  local i = counter
  counter = counter + nthreads
  local s = SESSIONS[(i % #SESSIONS) + 1]
  if MODE == "floor" then
    return wrk.format("POST", PATH, {
      ["Cookie"] = s.cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "csrfmiddlewaretoken=" .. s.csrf .. "&language=zh-hans&next=/console/")
  end
  local body = table.concat({
    "csrfmiddlewaretoken=", s.csrf,
    "&idempotency_key=", KEY_PREFIX, string.format("%024x", i),
    "&channel=", s.channel,
    "&name=", pick(NAMES),
    "&phone=", string.format("139%08d", i % 100000000),
    "&id_number=", ids[(i % #ids) + 1],
    "&address=&region=", pick(s.regions),
    "&req-TOTAL_FORMS=1&req-INITIAL_FORMS=0&req-MIN_NUM_FORMS=1&req-MAX_NUM_FORMS=10",
    "&req-0-service_item=", pick(s.items),
    "&req-0-topic=&req-0-description=", pick(DESCRIPTIONS),
    "&req-0-unit=&req-0-unit_reason=",
  })
  return wrk.format("POST", PATH, {
    ["Cookie"] = s.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
