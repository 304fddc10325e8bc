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

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  dofile(args[1])
  counter = tid
  statuses = {}
  sent = 0
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
