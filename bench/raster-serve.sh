#!/usr/bin/env bash
# Rendered raster tile benchmark (not a test): outcrop serve's PNG tiles of
# a float32 grid drawn through a ramp with a hillshade blended in, beside
# its vector tiles, in one run on loopback.
#
#   bench/raster-serve.sh          (make bench-raster-serve; part of make bench)
#
#  (a) uncached: curl asks for each of BENCH_RASTER_TILES distinct tiles
#      once, on one keep-alive connection, zoom by zoom, row by row as a
#      map client pans, so every tile is drawn on request: p50, p90, p99 of
#      those with data (200). Goal: p50 under 10 ms.
#  (b) cached: wrk -tTHREADS -cCONNECTIONS cycles through those tiles, now
#      in the render cache, and through the vector tiles of the demo's
#      synthetic map (bench/serve.lua, gzip, as make bench's serving part),
#      alternating BENCH_ROUNDS times (bench/raster-serve.lua for the
#      PNG tiles, without gzip): requests/s of each.
#      Goal: raster at least half the vector requests/s.
#
# Input: `outcrop synth magnetics --cells BENCH_RASTER_CELLS` (default
# 1500x1500 cells of 200 m, SYNTHETIC, EPSG:24047) ingested as a raster
# (its max zoom chosen from the cells), and `outcrop synth geology` (the
# demo map). Tiles asked for: zooms max-1 to max+2 (deeper ones drawn from
# the max zoom, elevations interpolated for the hillshade), inside the
# grid, the first BENCH_RASTER_TILES of them, with
# colormap=rdbu&hillshade=blend&zfactor=20.
#
# Settings: BENCH_RASTER_CELLS=1500x1500 BENCH_RASTER_TILES=600
#   BENCH_CONNECTIONS=64 BENCH_THREADS=2 BENCH_DURATION=10s BENCH_ROUNDS=2
#   BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

CELLS=${BENCH_RASTER_CELLS:-1500x1500}
NTILES=${BENCH_RASTER_TILES:-600}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-2}
QUERY="colormap=rdbu&hillshade=blend&zfactor=20"

die() { echo "bench/raster-serve.sh: $*" >&2; exit 1; }
for tool in go wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool is missing; install the Debian packages wrk curl python3"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/outcrop-raster-serve.XXXXXX")
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${BENCH_KEEP:-}" ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== rendered raster tiles beside vector tiles, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3); load average before: $(load)"

go build -o "$WORK/outcrop" ./cmd/outcrop
CGO_ENABLED=0 go build -o "$WORK/outcrop-server" ./cmd/outcrop
go build -o "$WORK/servefixture" ./bench/servefixture

"$WORK/outcrop" synth magnetics --cells "$CELLS" --out "$WORK/mag.asc" >/dev/null
"$WORK/outcrop" ingest --quiet --store "$WORK/store" --id mag "$WORK/mag.asc"
"$WORK/outcrop" synth geology --out "$WORK/geology.geojson" >/dev/null
"$WORK/outcrop" ingest --quiet --store "$WORK/store" --id sea-geology "$WORK/geology.geojson"
mkdir -p "$WORK/fixture"
"$WORK/servefixture" --tileset "$WORK/store/sea-geology.tileset" --out "$WORK/fixture" >/dev/null
VECTOR_URLS=$WORK/fixture/urls.txt

PORT=$(free_port 18581)
"$WORK/outcrop-server" serve --store "$WORK/store" --addr "127.0.0.1:$PORT" --log-level warn >"$WORK/outcrop.log" 2>&1 &
SERVER_PID=$!
pids+=($SERVER_PID)
for _ in $(seq 100); do curl -sf -o "$WORK/mag.json" "http://127.0.0.1:$PORT/tiles/mag.json" && break; sleep 0.1; done
[ -s "$WORK/mag.json" ] || die "outcrop serve did not answer; see $WORK/outcrop.log"

# The raster tiles inside the grid, zoom by zoom, row by row.
python3 - "$WORK/mag.json" "$NTILES" "$QUERY" >"$WORK/raster-urls.txt" <<'PY'
import json, math, sys
tj, n, query = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
w, s, e, nth = tj["bounds"]
def tile(lon, lat, z):
    k = 2 ** z
    x = int((lon + 180) / 360 * k)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * k)
    return min(max(x, 0), k - 1), min(max(y, 0), k - 1)
urls = []
for z in range(max(tj["maxzoom"] - 1, tj["minzoom"]), tj["maxzoom"] + 3):
    x0, y0 = tile(w, nth, z)
    x1, y1 = tile(e, s, z)
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            urls.append(f"/tiles/mag/{z}/{x}/{y}.png?{query}")
print("\n".join(urls[:n]))
PY
NR=$(wc -l <"$WORK/raster-urls.txt")
echo "raster: a SYNTHETIC $CELLS float32 magnetic grid, max zoom $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["maxzoom"])' "$WORK/mag.json"), $NR tiles ?$QUERY"
echo "vector: the demo's SYNTHETIC map, $(wc -l <"$VECTOR_URLS") tiles (gzip)"

# bench NAME SCRIPT URLS WRK-ARGS...: runs wrk, prints its RESULT line.
bench() {
  local name=$1 script=$2 urls=$3
  shift 3
  wrk "$@" --timeout 10s -s "$script" "http://127.0.0.1:$PORT" -- "$urls" >"$WORK/wrk.$name.out" 2>&1 &
  pids+=($!)
  wait "$!" || die "wrk $name failed: $(tail -3 "$WORK/wrk.$name.out")"
  grep '^RESULT ' "$WORK/wrk.$name.out" || die "wrk $name printed no result: $(tail -3 "$WORK/wrk.$name.out")"
}

echo
echo "== (a) uncached: each tile once, in order, one keep-alive connection (curl)"
# curl, given every URL in one config file, asks for them one after another
# on one connection and writes each one's status and total time.
sed "s|.*|url = \"http://127.0.0.1:$PORT&\"\noutput = /dev/null|" "$WORK/raster-urls.txt" >"$WORK/curl.conf"
# The server's CPU time (user + system, from /proc) over the pass: unlike
# latency, it does not grow with what else the machine runs.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
before=$(cpu_ticks)
curl -s -K "$WORK/curl.conf" -w '%{http_code} %{time_total}\n' >"$WORK/uncached.txt" || die "curl failed"
cpu_ms=$(( ($(cpu_ticks) - before) * 1000 / $(getconf CLK_TCK) ))
awk '$1 == 200 { print $2 * 1000 }' "$WORK/uncached.txt" | sort -n | awk -v all="$(wc -l <"$WORK/uncached.txt")" '
  { t[NR] = $1 }
  END {
    if (NR == 0) { print "no tile answered 200"; exit 1 }
    p50 = t[int((NR + 1) / 2)]; p90 = t[int(NR * 0.9 + 0.5)]; p99 = t[int(NR * 0.99 + 0.5)]
    printf "%d tiles drawn (200; %d more without data, 204, left out): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", NR, all - NR, p50, p90, p99, t[NR]
    printf "uncached ramp + hillshade p50: %.2f ms (goal under 10 ms: %s)\n", p50, (p50 < 10 ? "met" : "NOT met")
  }'
awk -v ms="$cpu_ms" -v n="$(wc -l <"$WORK/uncached.txt")" 'BEGIN { printf "server CPU time: %.2f ms a tile (%d ms for %d requests, 204s included)\n", ms / n, ms, n }'
# Only tiles with data take part in (b).
paste -d' ' "$WORK/uncached.txt" "$WORK/raster-urls.txt" | awk '$1 == 200 { print $3 }' >"$WORK/raster-drawn.txt"

echo
echo "== (b) cached: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, alternating"
bench warmup-vector bench/serve.lua "$VECTOR_URLS" -t"$THREADS" -c"$CONNECTIONS" -d3s >/dev/null
: >"$WORK/results"
for round in $(seq "$ROUNDS"); do
  { printf 'raster %s ' "$round"; bench "raster-$round" bench/raster-serve.lua "$WORK/raster-drawn.txt" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION"; } >>"$WORK/results"
  { printf 'vector %s ' "$round"; bench "vector-$round" bench/serve.lua "$VECTOR_URLS" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION"; } >>"$WORK/results"
done
awk '
  function field(name,   i) { for (i = 3; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  BEGIN { printf "%-7s %5s %10s %9s %9s %7s %10s\n", "tiles", "round", "req/s", "p50 ms", "p99 ms", "errors", "KB/tile" }
  {
    rps = field("rps"); printf "%-7s %5s %10.0f %9.2f %9.2f %7d %10.1f\n", $1, $2, rps, field("p50_ms"), field("p99_ms"), field("errors"), (field("bytes") + 0) / (field("requests") + 0) / 1024
    n[$1]++; sum[$1] += rps; err[$1] += field("errors")
  }
  END {
    r = (sum["raster"] / n["raster"]) / (sum["vector"] / n["vector"])
    printf "cached raster / vector requests/s: %.2f (goal at least 0.5: %s)\n", r, (r >= 0.5 ? "met" : "NOT met")
    if (err["raster"] + err["vector"] > 0) printf "WARNING: %d failed requests\n", err["raster"] + err["vector"]
  }' "$WORK/results"
echo "load average after: $(load) (wrk and outcrop share these $(nproc) CPUs)"
