#!/usr/bin/env bash
# make bench: Outcrop's throughput benchmarks (bench/README.md says more).
#
#  (a) ingest: "outcrop ingest" on synthetic data of a stated size, timed by
#      /usr/bin/time: features/s, vertices/s, peak RSS.
#  (b) serving: wrk on loopback, cycling through every tile of the demo's
#      synthetic map, against "outcrop serve" (the CGO_ENABLED=0 build the
#      server image runs) and against nginx serving the same gzip bytes as
#      static files, in the same run: requests/s, p50 and p99 latency.
#
# Settings, from the environment:
#   BENCH_UNITS=5000          units of the synthetic geological map ingested
#   BENCH_VERTICES_PER_EDGE=  detail of that map (default: synth's, ~1M vertices)
#   BENCH_POINTS=200000       synthetic mineral occurrences ingested
#   BENCH_CONNECTIONS=64 BENCH_THREADS=2 BENCH_DURATION=12s BENCH_ROUNDS=2
#   BENCH_SKIP_INGEST=1       serving only;   BENCH_KEEP=1  keep the work directory
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

UNITS=${BENCH_UNITS:-5000}
VERTICES_PER_EDGE=${BENCH_VERTICES_PER_EDGE:-}
POINTS=${BENCH_POINTS:-200000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DURATION=${BENCH_DURATION:-12s}
ROUNDS=${BENCH_ROUNDS:-2}

die() { echo "bench: $*" >&2; exit 1; }

missing=()
for tool in go /usr/bin/time wrk nginx curl cmp awk; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}; install the Debian packages time wrk nginx-light curl (then re-run make bench)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/outcrop-bench.XXXXXX")
chmod 755 "$WORK" # nginx's workers run as an unprivileged user and must read the tiles
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

# free_port prints a loopback port, from $1 up, that nothing listens on.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# wait_http waits up to 10 s for a URL to answer 200.
wait_http() {
  for _ in $(seq 100); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  die "$2 did not answer $1 within 10 s; see $3"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== Outcrop benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $(go version | cut -d' ' -f3)"
echo "load average before: $(load); busiest other processes:"
ps -eo pcpu=,comm= --sort=-pcpu | head -4 | awk '{printf "  %5s%% %s\n", $1, $2}'

echo "building (cgo binary for ingest, CGO_ENABLED=0 binary for serving) …"
go build -o "$WORK/outcrop" ./cmd/outcrop
CGO_ENABLED=0 go build -o "$WORK/outcrop-server" ./cmd/outcrop
go build -o "$WORK/servefixture" ./bench/servefixture
go build -o "$WORK/ingeststats" ./bench/ingeststats
OUTCROP=$WORK/outcrop

# ingest_row LABEL FILE ID: ingests FILE into $WORK/store as ID under
# /usr/bin/time and prints one row of the ingest table.
ingest_row() {
  local label=$1 file=$2 id=$3 features vertices secs rss_kb size
  read -r features vertices < <("$WORK/ingeststats" "$file")
  /usr/bin/time -f '%e %M' -o "$WORK/time.$id" "$OUTCROP" ingest --quiet --store "$WORK/store" --id "$id" "$file"
  read -r secs rss_kb < "$WORK/time.$id"
  size=$(stat -c %s "$WORK/store/$id.tileset")
  awk -v l="$label" -v f="$features" -v v="$vertices" -v s="$secs" -v r="$rss_kb" -v b="$size" 'BEGIN {
    if (s < 0.01) s = 0.01
    printf "%-44s %9d %10d %8.2f %11.0f %11.0f %8.0f MB %8.1f MB\n", l, f, v, s, f / s, v / s, r / 1024, b / 1048576 }'
}

echo
echo "== (a) ingest throughput: outcrop ingest, wall time and peak RSS from /usr/bin/time"
"$OUTCROP" synth geology --out "$WORK/demo-geology.geojson" >/dev/null
if [ -z "${BENCH_SKIP_INGEST:-}" ]; then
  "$OUTCROP" synth geology --units "$UNITS" ${VERTICES_PER_EDGE:+--vertices-per-edge "$VERTICES_PER_EDGE"} --out "$WORK/geology.geojson" >/dev/null
  "$OUTCROP" synth occurrences --count "$POINTS" --out "$WORK/occurrences.geojson" >/dev/null
  printf "%-44s %9s %10s %8s %11s %11s %11s %11s\n" "input (all SYNTHETIC, EPSG:24047 GeoJSON)" features vertices seconds features/s vertices/s "peak RSS" tileset
  ingest_row "geological map, $UNITS units" "$WORK/geology.geojson" geology
  ingest_row "mineral occurrences, $POINTS points" "$WORK/occurrences.geojson" occurrences
  ingest_row "geological map, demo size (400 units)" "$WORK/demo-geology.geojson" sea-geology
else
  echo "(skipped: BENCH_SKIP_INGEST is set)"
  "$OUTCROP" ingest --quiet --store "$WORK/store" --id sea-geology "$WORK/demo-geology.geojson"
fi
echo "load average after ingest: $(load)"

echo
echo "== (b) serving throughput: wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback, Accept-Encoding: gzip"
mkdir -p "$WORK/fixture"
echo "tiles: $("$WORK/servefixture" --tileset "$WORK/store/sea-geology.tileset" --out "$WORK/fixture") (the demo's SYNTHETIC map), in a fixed shuffled order"
URLS=$WORK/fixture/urls.txt
FIRST=$(head -1 "$URLS")

OUTCROP_PORT=$(free_port 18481)
"$WORK/outcrop-server" serve --store "$WORK/store" --addr "127.0.0.1:$OUTCROP_PORT" --log-level warn >"$WORK/outcrop.log" 2>&1 &
pids+=($!)

NGINX_PORT=$(free_port $((OUTCROP_PORT + 1)))
mkdir -p "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<EOF
# nginx as one would configure it for static tiles: sendfile, an open-file
# cache, no access log, keep-alive without a request limit.
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  types { application/vnd.mapbox-vector-tile mvt; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/fixture/www;
    location /tiles/ {
      # Y.mvt.gz is served as Y.mvt with Content-Encoding: gzip, and
      # decompressed for a client that does not accept gzip, as outcrop does.
      gzip_static always;
      gunzip on;
      gzip_vary on;
      add_header Access-Control-Allow-Origin * always;
      add_header Cache-Control "public, max-age=3600";
    }
  }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
pids+=($!)

wait_http "http://127.0.0.1:$OUTCROP_PORT$FIRST" "outcrop serve" "$WORK/outcrop.log"
wait_http "http://127.0.0.1:$NGINX_PORT$FIRST" nginx "$WORK/nginx/error.log"
# Both must send the same bytes, or the comparison is meaningless.
for url in $(awk 'NR % 500 == 1' "$URLS"); do
  curl -sf -H 'Accept-Encoding: gzip' -o "$WORK/a" "http://127.0.0.1:$OUTCROP_PORT$url"
  curl -sf -H 'Accept-Encoding: gzip' -o "$WORK/b" "http://127.0.0.1:$NGINX_PORT$url"
  cmp -s "$WORK/a" "$WORK/b" || die "outcrop and nginx send different bytes for $url"
done
for port in "$OUTCROP_PORT" "$NGINX_PORT"; do
  headers=$(curl -sf -o /dev/null -D - -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port$FIRST" | tr -d '\r')
  grep -qix 'content-encoding: gzip' <<<"$headers" && grep -qix 'content-type: application/vnd.mapbox-vector-tile' <<<"$headers" ||
    die "127.0.0.1:$port does not send tiles as gzip-encoded MVT: $headers"
done
echo "outcrop serve on 127.0.0.1:$OUTCROP_PORT, nginx $(nginx -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$NGINX_PORT: same gzip bytes"

# bench NAME PORT DURATION: runs wrk and prints the RESULT line of
# bench/serve.lua; wrk's whole output stays in the work directory. wrk runs
# in the background and is waited for, so that Ctrl-C interrupts the wait
# and the trap stops everything at once.
bench() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s -s bench/serve.lua "http://127.0.0.1:$2" -- "$URLS" >"$WORK/wrk.$1.out" 2>&1 &
  pids+=($!)
  wait "$!" || die "wrk against $1 failed: $(tail -3 "$WORK/wrk.$1.out")"
  grep '^RESULT ' "$WORK/wrk.$1.out" || die "wrk against $1 printed no result: $(tail -3 "$WORK/wrk.$1.out")"
}

# Warm both up (page cache, nginx's open-file cache, Go's heap), then
# alternate, so that a burst of load from elsewhere hits both alike.
bench warmup-outcrop "$OUTCROP_PORT" 3s >/dev/null
bench warmup-nginx "$NGINX_PORT" 3s >/dev/null
: >"$WORK/results"
for round in $(seq "$ROUNDS"); do
  { printf 'outcrop %s ' "$round"; bench "outcrop-$round" "$OUTCROP_PORT" "$DURATION"; } >>"$WORK/results"
  { printf 'nginx %s ' "$round"; bench "nginx-$round" "$NGINX_PORT" "$DURATION"; } >>"$WORK/results"
done

awk '
  function field(name,   i) { for (i = 3; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  BEGIN { printf "%-9s %5s %10s %9s %9s %9s %7s\n", "server", "round", "req/s", "p50 ms", "p99 ms", "max ms", "errors" }
  {
    rps = field("rps"); p50 = field("p50_ms"); p99 = field("p99_ms")
    printf "%-9s %5s %10.0f %9.2f %9.2f %9.2f %7d\n", $1, $2, rps, p50, p99, field("max_ms"), field("errors")
    n[$1]++; sum[$1] += rps; s50[$1] += p50; s99[$1] += p99; err[$1] += field("errors")
  }
  END {
    split("outcrop nginx", names, " ")
    for (i = 1; i <= 2; i++) { s = names[i]; printf "%-9s %5s %10.0f %9.2f %9.2f\n", s, "mean", sum[s] / n[s], s50[s] / n[s], s99[s] / n[s] }
    ratio = (sum["outcrop"] / n["outcrop"]) / (sum["nginx"] / n["nginx"])
    p99 = s99["outcrop"] / n["outcrop"]
    printf "outcrop/nginx requests/s: %.2f; goal >= 0.80 with p99 < 5 ms: %s\n", ratio, (ratio >= 0.8 && p99 < 5) ? "met" : "NOT met"
    if (err["outcrop"] + err["nginx"] > 0) printf "WARNING: %d failed requests (outcrop %d, nginx %d)\n", err["outcrop"] + err["nginx"], err["outcrop"], err["nginx"]
  }' "$WORK/results"
echo "load average after: $(load) (wrk, outcrop and nginx share these $(nproc) CPUs)"
