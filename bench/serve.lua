-- wrk script for the serving benchmark: every connection cycles through a
-- fixed list of tile paths (one a line, in the file named after --), asking
-- for gzip as browsers and MapLibre do; at the end it prints one line that
-- bench/run.sh reads:
--   RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B max_ms=C errors=E
-- Usage: wrk -t2 -c64 -d12s -s bench/serve.lua http://HOST:PORT -- urls.txt

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
  -- Threads start at different places in the list, so that they do not
  -- ask for the same tiles in lockstep.
  i = (id * math.floor(#paths / 7)) % #paths
  headers = { ["Accept-Encoding"] = "gzip" }
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.bytes))
end
