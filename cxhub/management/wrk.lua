-- wrk script of both load generators: `manage.py benchmark --mode 2`
-- (cxhub/management/benchmark/http.py) and the load-and-fault run (cxhub/management/loadfault).
--
-- Rotates over the paths in WRK_PATHS (one a line), each thread from its own start, with the
-- header a TLS-terminating proxy sets and, when WRK_IF_NONE_MATCH is set, that validator (a
-- reader revalidating: the answer should be a 304). Counts answers by status; with WRK_BUCKETS
-- set, by status and 100 ms bucket of the wall clock too, so the load-and-fault run can tell a
-- 503 during the database stop from one outside it (wrk itself keeps no times). done() writes
-- the summary as JSON to WRK_OUT: "statuses" always, "buckets" ("<status> <bucket>") with
-- WRK_BUCKETS.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } cxhub_wrk_timespec;
int clock_gettime(int clock_id, cxhub_wrk_timespec *tp);
]]
local CLOCK_REALTIME = 0
local now = ffi.new("cxhub_wrk_timespec")

local function bucket()
  ffi.C.clock_gettime(CLOCK_REALTIME, now)
  return tonumber(now.tv_sec) * 10 + math.floor(tonumber(now.tv_nsec) / 1e8)
end

local paths = {}
for path in (os.getenv("WRK_PATHS") or "/"):gmatch("[^\n]+") do
  paths[#paths + 1] = path
end
local etag = os.getenv("WRK_IF_NONE_MATCH")
local in_buckets = (os.getenv("WRK_BUCKETS") or "") ~= ""

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
  counts = {}
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function response(status, headers, body)
  local key = in_buckets and (status .. " " .. bucket()) or tostring(status)
  counts[key] = (counts[key] or 0) + 1
end

local function json_object(entries)
  local parts = {}
  for key, count in pairs(entries) do
    parts[#parts + 1] = string.format('"%s": %d', key, count)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local statuses, buckets = {}, {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      local status = key:match("^%d+")
      statuses[status] = (statuses[status] or 0) + count
      if in_buckets then
        buckets[key] = (buckets[key] or 0) + count
      end
    end
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("WRK_OUT"), "w"))
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"statuses": %s, "buckets": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, json_object(statuses), json_object(buckets)))
  out:close()
end
