-- wrk script for bench/wms.sh's measured runs: each connection cycles
-- through a list of paths (one a line, in the file named after --), and
-- at the end it prints one line:
--   RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C errors=E bytes=N
-- Socket errors and HTTP statuses of 400 and above count as errors.
--
-- It defines no response() hook, unlike bench/raster-serve.lua: with one,
-- wrk copies every answer's body into Lua, which cost wrk about 1.5 ms of
-- CPU per 260 kB map against 0.35 ms without, on the same two CPUs as
-- the server measured (8-18 % of outcrop's requests/s). bench/wms.sh
-- checks every map's status, type and image before measuring, and each
-- run's bytes per answer after.
-- Usage: wrk -t2 -c2 -d10s -s bench/wms-load.lua http://HOST:PORT -- paths.txt

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or error("give the path list after --: wrk ... -- paths.txt")
  paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  if #paths == 0 then error(file .. " lists no paths") end
  i = (id * math.floor(#paths / 7)) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, summary.bytes))
end
