-- wrk script of TestFleet (e2e/fleet_test.go): every connection cycles
-- through a list of paths (one a line, in the file named after --), asking
-- for gzip as MapLibre does, and counts every answer that is neither a 2xx
-- nor a 304. At the end it prints the line the test reads:
--   FLEET requests=N bad=B first_bad=STATUS PATH
-- Usage: wrk -t1 -c8 -d30s -s e2e/testdata/fleet.lua http://HOST:PORT -- paths.txt

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
  -- Threads start at different places in the list.
  i = (id * math.floor(#paths / 7)) % #paths
  headers = { ["Accept-Encoding"] = "gzip" }
  answered, bad, first_bad = 0, 0, ""
end

function request()
  i = i % #paths + 1
  last = paths[i]
  return wrk.format("GET", last, headers)
end

function response(status, headers, body)
  answered = answered + 1
  if (status < 200 or status > 299) and status ~= 304 then
    bad = bad + 1
    -- last is the path this thread asked for last: the one answered, or
    -- one of its neighbours when the thread holds several connections.
    if first_bad == "" then first_bad = status .. " near " .. last end
  end
end

function done(summary, latency, requests)
  local total, nbad, first = 0, 0, ""
  for _, t in ipairs(threads) do
    total = total + t:get("answered")
    nbad = nbad + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  io.write(string.format("FLEET requests=%d bad=%d first_bad=%s\n", total, nbad, first))
end
