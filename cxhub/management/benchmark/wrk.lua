-- wrk script of `manage.py benchmark --mode 2` (cxhub/management/benchmark/http.py).
--
-- Requests the paths in BENCH_PATHS (one a line; each thread rotates from its own start) with
-- the header a TLS-terminating proxy sets and, when BENCH_IF_NONE_MATCH is set, that validator
-- (a reader revalidating: the answer should be a 304). Counts answers by status; done() writes
-- the summary as JSON to BENCH_OUT.

local paths = {}
for path in (os.getenv("BENCH_PATHS") or "/"):gmatch("[^\n]+") do
  paths[#paths + 1] = path
end
local etag = os.getenv("BENCH_IF_NONE_MATCH")

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if etag and etag ~= "" then
    headers["If-None-Match"] = etag
  end
  requests = {}
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path, headers)
  end
  n = offset
  statuses = {}
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(totals) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
  out:close()
end
