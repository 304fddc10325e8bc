-- wrk script for bench_hotline: POST call events to the CTI endpoint as a telephone system does.
--
--   wrk -t1 -c32 -d20s -s bench/hotline_cti.lua http://127.0.0.1:PORT -- DATA.lua
--
-- DATA.lua (written by bench_hotline.py) sets PATH (the endpoint with the demo system's token) and KEY_PREFIX
-- (8 hex digits naming this run: every callId starts with it, so the events a run stored can be counted).
-- Request i is event i % 3 (newCall, answer, hangup) of call i // 3: with 32 connections the events of one call
-- are in flight together and may arrive in any order, as from a busy PBX. done() prints "RESULT {json}" like
-- matters_intake.lua.

local threads = {}
local EVENTS = {"newCall", "answer", "hangup"}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  dofile(args[1])
  nthreads = tonumber(args[2] or "1")
  counter = tid
  statuses = {}
  sent = 0
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

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local total_sent = 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    local st = thread:get("statuses")
    for code, n in pairs(st) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d": %d', code, n)
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "sent": %d, "duration_us": %d, "statuses": {%s}, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"mean": %.1f, "p50": %d, "p90": %d, '
      .. '"p99": %d, "max": %d}}\n',
    summary.requests, total_sent, summary.duration, table.concat(parts, ", "), e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
