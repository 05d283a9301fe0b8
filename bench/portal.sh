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
#   paint-*  /map/: the first settled frame with the layers added
#   ready-*  /map/: every tile in view drawn (<body data-state=ready>)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

STORE=${STORE:-build/store}
RUNS=${BENCH_PORTAL_RUNS:-5}

die() { echo "bench-portal: $*" >&2; exit 1; }
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || die "no chromium: install the Debian package chromium (make deps-test)"
command -v curl >/dev/null || die "no curl: install the Debian package curl"

[ -x bin/outcrop ] || make -s build
if ! compgen -G "$STORE/*" >/dev/null; then
  echo "bench-portal: $STORE is empty: ingesting the demo (make demo-store)"
  make -s demo-store STORE="$STORE"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
LOG=$(mktemp "${TMPDIR:-/tmp}/outcrop-bench-portal.XXXXXX")
bin/outcrop serve --store "$STORE" --addr "127.0.0.1:$PORT" --log-level warn >"$LOG" 2>&1 &
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

OUT=$(OUTCROP_BENCH_URL="$URL" go test ./e2e -run '^$' -bench '^BenchmarkPortal$' -benchtime "${RUNS}x" -count 1)
echo "$OUT" | grep -m 4 'slowest' | sed 's/^ *portal_bench_test.go:[0-9]*: /  /'
echo "$OUT" | grep -E '^Benchmark' | tr '\t' '\n' | sed -n 's/^ *\([0-9.]*\) \([a-z]*-[a-z]*-ms\)$/  \2 \1/p' | sort
