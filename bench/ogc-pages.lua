-- wrk script: OGC API - Features pages of 10,000 features, offset after
-- offset through the whole collection of a million points and around again,
-- as clients following next links read it. Each of the connections reads
-- its own sequence of pages.
--
--   wrk -t2 -c16 -d20s -s bench/ogc-pages.lua http://127.0.0.1:8080 -- points 1000000
--
-- Arguments after --: the collection id (default "points") and its feature
-- count (default 1000000).

local id = "points"
local count = 1000000
local limit = 10000
local offset = 0

function init(args)
  if args[1] then id = args[1] end
  if args[2] then count = tonumber(args[2]) end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  offset = math.random(0, count / limit - 1) * limit
end

function request()
  local path = string.format("/collections/%s/items?f=json&limit=%d&offset=%d", id, limit, offset)
  offset = offset + limit
  if offset >= count then offset = 0 end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("pages of %d: %d requests, %.1f req/s, %.0f features/s, p50 %.2f ms, p99 %.2f ms, %.0f MB/s, %d non-200\n",
    limit, summary.requests, summary.requests / secs, summary.requests * limit / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.bytes / secs / 1e6, summary.errors.status))
end
