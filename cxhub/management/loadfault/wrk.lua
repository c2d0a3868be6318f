-- wrk script of the load-and-fault run (cxhub/management/loadfault).
--
-- Rotates over the paths in LOADFAULT_PATHS (one a line), each thread from its own start, with
-- the header a TLS-terminating proxy sets. Counts answers by status in 100 ms buckets of the
-- wall clock, so the harness can tell a 503 during the database stop from one outside it (wrk
-- itself keeps no times). done() writes the summary as JSON to LOADFAULT_OUT.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } loadfault_timespec;
int clock_gettime(int clock_id, loadfault_timespec *tp);
]]
local CLOCK_REALTIME = 0
local now = ffi.new("loadfault_timespec")

local function bucket()
  ffi.C.clock_gettime(CLOCK_REALTIME, now)
  return tonumber(now.tv_sec) * 10 + math.floor(tonumber(now.tv_nsec) / 1e8)
end

local paths = {}
for path in (os.getenv("LOADFAULT_PATHS") or "/"):gmatch("[^\n]+") do
  paths[#paths + 1] = path
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  requests = {}
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path, { ["X-Forwarded-Proto"] = "https" })
  end
  n = offset
  counts = {}
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function response(status, headers, body)
  local key = status .. " " .. bucket()
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local buckets = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      buckets[key] = (buckets[key] or 0) + count
    end
  end
  local parts = {}
  for key, count in pairs(buckets) do
    parts[#parts + 1] = string.format('"%s": %d', key, count)
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("LOADFAULT_OUT"), "w"))
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"buckets": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, table.concat(parts, ", ")))
  out:close()
end
