#!/usr/bin/env bash
# make bench-portal: the public portal's load times in headless Chromium
# (issue 12, item 8: the home page and the map load in under 1.5 s on
# loopback, the first map paint under 2 s).
#
# Serves the demo store (STORE, default build/store; ingested with make
# demo-store when it holds no tileset) with bin/outcrop on loopback, then
# drives the system Chromium over the DevTools protocol (BenchmarkPortal in
# e2e/portal_bench_test.go) and prints, in milliseconds, the median of
# BENCH_PORTAL_RUNS loads (default 5), with an empty cache (cold) and a warm
# one:
#   home-*   / as a browser gets it (the catalogue): navigation loadEventEnd
#   map-*    /map/: navigation loadEventEnd
#   frame-*  /map/: the first frame drawn with a tile in it (basemap or data)
#   paint-*  /map/: the first frame drawn with every tile in view loaded,
#            basemap and data (MapLibre's first idle once the layers are
#            added: the mark outcrop:first-idle)
#   ready-*  /map/: settled with every preferred style (<body data-state=ready>)
#   cpu-*    /map/: CPU time of every Chromium process, navigation to ready;
#            cpugpu-* of the GPU process (WebGL in SwiftShader), cpurenderer-*
#            of the page's (script, MapLibre's workers parsing tiles)
#   frames-* /map/: how many frames the map drew until ready
# and the home page's bytes as a browser gets it (HTML, then the thumbnails).
#
# To see where the time goes: BIN (another build, e.g. of an older commit),
# BENCH_PORTAL_SERVE_FLAGS (e.g. --basemap none) and
# OUTCROP_BENCH_CHROMIUM_FLAGS (e.g. --ignore-gpu-blocklist).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

STORE=${STORE:-build/store}
RUNS=${BENCH_PORTAL_RUNS:-5}
BIN=${BIN:-bin/outcrop}

die() { echo "bench-portal: $*" >&2; exit 1; }
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || die "no chromium: install the Debian package chromium (make deps-test)"
command -v curl >/dev/null || die "no curl: install the Debian package curl"

[ -x "$BIN" ] || make -s build
if ! compgen -G "$STORE/*" >/dev/null; then
  echo "bench-portal: $STORE is empty: ingesting the demo (make demo-store)"
  make -s demo-store STORE="$STORE"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
LOG=$(mktemp "${TMPDIR:-/tmp}/outcrop-bench-portal.XXXXXX")
# shellcheck disable=SC2086 # the flags are words
"$BIN" serve --store "$STORE" --addr "127.0.0.1:$PORT" --log-level warn ${BENCH_PORTAL_SERVE_FLAGS:-} >"$LOG" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$LOG"; die "outcrop serve exited"; }
  sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null || die "outcrop serve did not answer on $URL"

# What a page costs on the wire: MapLibre, gzipped and cached for good.
vendor=$(curl -fsS "$URL/map/" | grep -o 'vendor/[^"]*maplibre-gl.mjs' | head -1)
echo "bench-portal: $STORE served at $URL; /map/$vendor:"
curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' -D - "$URL/map/$vendor" | grep -iE '^(content-encoding|cache-control|etag):' | sed 's/^/  /'
printf '  %s bytes gzipped, %s bytes plain\n' \
  "$(curl -fsS -H 'Accept-Encoding: gzip' "$URL/map/$vendor" | wc -c)" "$(curl -fsS "$URL/map/$vendor" | wc -c)"

# The home page: its HTML, then the thumbnails it names (loaded lazily).
home=$(curl -fsS -H 'Accept: text/html' -H 'Accept-Encoding: gzip' "$URL/" | wc -c)
thumbs=$(curl -fsS -H 'Accept: text/html' "$URL/" | grep -o 'src="[^"]*thumbnail.svg[^"]*"' | sed 's/^src="//; s/"$//; s/&amp;/\&/g' || true)
tbytes=0
for t in $thumbs; do
  tbytes=$((tbytes + $(curl -fsS -H 'Accept-Encoding: gzip' "$t" | wc -c)))
done
printf '  home page: %s bytes gzipped (%s plain); %s thumbnails, %s bytes gzipped\n' \
  "$home" "$(curl -fsS -H 'Accept: text/html' "$URL/" | wc -c)" "$(echo "$thumbs" | grep -c . || true)" "$tbytes"

# BENCH_PORTAL_TEST: an e2e test binary built before (go test -c ./e2e).
if [ -n "${BENCH_PORTAL_TEST:-}" ]; then
  OUT=$(cd e2e && OUTCROP_BENCH_URL="$URL" "$(realpath "../$BENCH_PORTAL_TEST")" -test.run '^$' -test.bench '^BenchmarkPortal$' -test.benchtime "${RUNS}x" -test.count 1 -test.v)
else
  OUT=$(OUTCROP_BENCH_URL="$URL" go test ./e2e -run '^$' -bench '^BenchmarkPortal$' -benchtime "${RUNS}x" -count 1)
fi
echo "$OUT" | grep -m 4 'slowest' | sed 's/^ *portal_bench_test.go:[0-9]*: /  /'
echo "$OUT" | grep -E '^Benchmark' | tr '\t' '\n' | sed -n 's/^ *\([0-9.]*\) \([a-z]*-[a-z]*-\(ms\|n\)\)$/  \2 \1/p' | sort
