-- wrk script for bench_hotline: POST call events to the CTI endpoint as a telephone system does.
--
--   wrk -t1 -c32 -d20s -s bench/hotline_cti.lua http://127.0.0.1:PORT -- DATA.lua
--
-- DATA.lua (written by bench_hotline.py) sets PATH (the endpoint with the demo system's token) and KEY_PREFIX
-- (8 hex digits naming this run: every callId starts with it, so the events a run stored can be counted).
-- Request i is event i % 3 (newCall, answer, hangup) of call i // 3: with 32 connections the events of one call
-- are in flight together and may arrive in any order, as from a busy PBX. done() prints "RESULT {json}" like
-- matters_intake.lua.

-- The shared setup(), response() and done(): wrk_report.lua, next to this script.
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""
dofile(here .. "wrk_report.lua")

local EVENTS = {"newCall", "answer", "hangup"}

function init(args)
  dofile(args[1])
  nthreads = tonumber(args[2] or "1")
  start_counting()
end

function request()
  sent = sent + 1
  local i = counter
  counter = counter + nthreads
  local n = math.floor(i / 3)
  local call = string.format("%s-%d", KEY_PREFIX, n)
  local event = EVENTS[(i % 3) + 1]
  local body = string.format(
    '{"event": "%s", "callId": "%s", "from": "139%08d", "to": "12348", "direction": "in", '
      .. '"queue": "法律咨询", "answeringNumber": "8%03d", "cause": "normalClearing"}',
    event, call, n % 100000000, n % 1000
  )
  return wrk.format("POST", PATH, {["Content-Type"] = "application/json"}, body)
end
