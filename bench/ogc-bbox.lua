-- wrk script: OGC API - Features bbox queries over the benchmark collection
-- of a million points (server/items_bench_test.go writes it), each box
-- holding about 100 points, moved at random over the collection's area so
-- that no two requests read the same pages.
--
--   wrk -t2 -c16 -d20s -s bench/ogc-bbox.lua http://127.0.0.1:8080 -- points
--
-- The argument after -- is the collection id (default "points").

local id = "points"
local side = 0.374 -- degrees: 1e-4 of the 40° x 35° area
local west, south, east, north = 90, -10, 130, 25

function init(args)
  if args[1] then id = args[1] end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local x = west + math.random() * (east - west - side)
  local y = south + math.random() * (north - south - side)
  local path = string.format("/collections/%s/items?f=json&limit=1000&bbox=%.5f,%.5f,%.5f,%.5f",
    id, x, y, x + side, y + side)
  return wrk.format("GET", path)
end

local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("bbox queries: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d non-200\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
