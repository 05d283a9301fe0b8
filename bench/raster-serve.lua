-- wrk script for bench/raster-serve.sh: like serve.lua, each connection
-- cycles through a list of tile paths (one a line, in the file named after
-- --), but without asking for gzip (PNG is not compressed again). At the
-- end it prints one line:
--   RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C errors=E bytes=N
-- A status other than 200 counts as an error, and so does a Content-Type
-- other than the one given after the list, if one is (bench/wms.sh gives
-- image/png: a WMS may answer an exception with 200).
-- Usage: wrk -t2 -c64 -d10s -s bench/raster-serve.lua http://HOST:PORT -- urls.txt [TYPE]

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or error("give the URL list after --: wrk ... -- urls.txt")
  paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  if #paths == 0 then error(file .. " lists no tiles") end
  i = (id * math.floor(#paths / 7)) % #paths
  bad = 0
  want = args[2]
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status ~= 200 or want and headers["Content-Type"] ~= want then bad = bad + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local notok = 0
  for _, t in ipairs(threads) do notok = notok + (t:get("bad") or 0) end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + notok, summary.bytes))
end
