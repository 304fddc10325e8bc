-- What every wrk script of bench/ shares (matters_intake.lua, hotline_cti.lua, faults_mixed.lua load it first):
-- numbering the threads, counting what each sends and the answers by status, and done(), which prints one line
-- "RESULT {json}" with the counts by status, the requests sent (those still in flight when wrk stops are sent
-- but not counted as answered), wrk's error counts and the latency percentiles.
--
-- A script's init(args) calls start_counting() after reading its DATA.lua; its request() adds 1 to `sent`.

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function start_counting()
  counter = tid
  statuses = {}
  sent = 0
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
