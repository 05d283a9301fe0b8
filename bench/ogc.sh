#!/usr/bin/env bash
# OGC API - Features serving benchmark at 16 connections on loopback: bbox
# queries of about 100 features and whole-collection paging at limit=10000,
# over a collection of a million points. The Go benchmarks in server/
# (go test -bench Items ./server/) measure the same without sockets; this
# adds HTTP and the wire. Needs wrk (Debian: wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
ADDR=${OGC_BENCH_ADDR:-127.0.0.1:18480}
DURATION=${OGC_BENCH_DURATION:-20s}
STORE=${TMPDIR:-/tmp}/outcrop-bench-ogc-v1 # where the Go benchmark keeps it (os.TempDir)

# The Go benchmark writes the million points once and keeps them there.
go test -run '^$' -bench 'BenchmarkItemsBBox$' -benchtime 1x ./server/ >/dev/null
CGO_ENABLED=0 go build -o build/outcrop-server ./cmd/outcrop
build/outcrop-server serve --store "$STORE" --addr "$ADDR" --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://$ADDR/healthz" >/dev/null && break; sleep 0.1; done

echo "OGC API - Features, 1,000,000 points, 16 connections, $DURATION each:"
wrk -t2 -c16 -d"$DURATION" -s bench/ogc-bbox.lua "http://$ADDR" -- points | tail -1
wrk -t2 -c16 -d"$DURATION" -s bench/ogc-pages.lua "http://$ADDR" -- points 1000000 | tail -1
