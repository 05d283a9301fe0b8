#!/usr/bin/env bash
# WMS GetMap benchmark (not a test): `outcrop serve` beside MapServer
# drawing the same map from the same data with the same colours, over real
# HTTP on loopback, in one run.
#
#   bench/wms.sh          (make bench-wms)
#
# The map: a 1024×768 PNG GetMap (WMS 1.3.0, CRS:84) of the demo's GSWA
# Hamersley geology (61 units) and faults (35), over their whole extent,
# as e2e's BenchmarkWMSGetMap draws it without sockets. Both collections
# are ingested as make demo ingests them.
#
# MapServer: Debian's mapserv 8 (cgi-mapserver) as a FastCGI server, two
# processes (one a CPU; each keeps running between requests) started by
# spawn-fcgi -n, each on its own socket, behind Debian's nginx (least_conn).
# Each server runs in a session of its own (setsid): Linux's autogroup
# scheduling shares the CPUs between sessions. Its data are the same
# source files, reprojected to WGS 84 shapefiles with ogr2ogr and indexed
# with shptree; each feature is given its value of the legend's field (by
# gml_id, from the features Outcrop serves: the fault type is a harmonised
# field the source does not hold). The mapfile's classes are written from
# Outcrop's legend of each layer's default style (/collections/{id}/legend:
# values, fill and outline colours) and its SLD (stroke widths), one CLASS
# with a CLASSITEM string EXPRESSION per entry; AGG, 24-bit PNG at zlib
# level 1, as Outcrop writes its PNGs.
#
# Neither map has labels (outcrop serve runs with --fonts none).
#
# Checks before measuring (FAIL and exit 1): both answer 200 image/png of
# 1024×768, and inside every unit the two images hold the same colour
# (bench/wmscheck, pixels at least 3 px from any other colour, both ways).
#
# Two scenarios (BENCH_WMS_SCENARIOS, default "one many"):
#   one   the map above, asked over and over;
#   many  48 viewports, the same list for both servers, each connection
#         cycling through it: 1024×768 windows of the extent's shape at 3
#         scales (the whole extent, 1/2 and 1/4 of its width), each at 16
#         centres on a 4×4 grid over the extent (so panned maps hold part
#         of it). A server that kept the last image would gain nothing here.
# Each viewport of "many" is checked like the map (200 image/png, the same
# colours inside units) before measuring.
#
# Measured: wrk with each connection count of BENCH_WMS_CONNECTIONS
# (default "1 2 4"), BENCH_DURATION (default 10s) each, the two servers
# alternating, BENCH_ROUNDS (default 1) times, each scenario: requests/s,
# p50 and p99, failed requests, and the CPU time (user + system, from
# /proc) of the server's processes per map (outcrop; mapserv and nginx),
# which other work on a shared machine inflates less than wall time.
# wrk runs bench/wms-load.lua, which leaves the answers' bodies in C
# (a Lua response hook cost wrk 1.5 ms of the shared CPUs per map);
# a run fails on a socket error, a status of 400 or more, or answers
# whose mean size is not within 15 % of the checked maps'.
# Goals (issue 13), in each scenario: p50 under 50 ms at one connection,
# and Outcrop at least 2× MapServer's requests/s at 2-4 connections.
#
# Settings: BENCH_WMS_CONNECTIONS BENCH_DURATION BENCH_ROUNDS
# BENCH_WMS_SCENARIOS; BENCH_DIR keeps the work files (images, mapfile,
# viewports, logs) there instead of a temporary directory removed at the
# end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"

CONNS=${BENCH_WMS_CONNECTIONS:-1 2 4}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-1}
SCENARIOS=${BENCH_WMS_SCENARIOS:-one many}
for sc in $SCENARIOS; do
  case $sc in one | many) ;; *) echo "bench/wms.sh: BENCH_WMS_SCENARIOS lists $sc; give one, many or both" >&2; exit 1 ;; esac
done
MAPSERV=${MAPSERV:-/usr/lib/cgi-bin/mapserv}
GEOLOGY=data/geology/gswa-hamersley/geology.geojson
FAULTS=data/geology/gswa-hamersley/faults.geojson
EXTENT="117.15,-22.85,117.62,-22.41"
MAPQUERY="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=gswa-geology,gswa-faults&STYLES=&CRS=CRS:84&WIDTH=1024&HEIGHT=768&FORMAT=image/png&BBOX="
QUERY="$MAPQUERY$EXTENT"

die() { echo "bench/wms.sh: FAIL: $*" >&2; exit 1; }
for tool in go wrk curl python3 ogr2ogr shptree nginx spawn-fcgi; do
  command -v "$tool" >/dev/null || die "$tool is missing, so this benchmark cannot measure; install the Debian packages wrk curl python3 gdal-bin mapserver-bin cgi-mapserver nginx-light spawn-fcgi (make bench-wms does)"
done
[ -x "$MAPSERV" ] || die "$MAPSERV is missing, so MapServer cannot be measured; install cgi-mapserver (make bench-wms does)"

if [ -n "${BENCH_DIR:-}" ]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d "${TMPDIR:-/tmp}/outcrop-wms-bench.XXXXXX"); fi
WORK=$(cd "$WORK" && pwd)
pids=()
ms_pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # mapserv, waiting for a request, ends on SIGTERM only after the next one.
  sleep 0.2
  for pid in "${ms_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
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
# cpu_ticks PID...: the user + system CPU ticks the processes have used.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }

echo "== WMS GetMap beside MapServer, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3), $("$MAPSERV" -v | cut -d' ' -f1-3), $(nginx -v 2>&1 | cut -d' ' -f3); load average before: $(load)"

go build -o "$WORK/outcrop" ./cmd/outcrop
CGO_ENABLED=0 go build -o "$WORK/outcrop-server" ./cmd/outcrop
go build -o "$WORK/wmscheck" ./bench/wmscheck

rm -rf "$WORK/store"
"$WORK/outcrop" ingest --quiet --store "$WORK/store" --id gswa-geology --mapping data/mappings/gswa-geology.yaml "$GEOLOGY"
"$WORK/outcrop" ingest --quiet --store "$WORK/store" --id gswa-faults --mapping data/mappings/gswa-faults.yaml "$FAULTS"

OPORT=$(free_port 18781)
# No labels: the mapfile has none, so outcrop serve runs with
# --fonts none, and draws its maps without labels (they cost it about
# 12 ms of CPU a map; see e2e's BenchmarkWMSGetMap with Config.Fonts).
setsid "$WORK/outcrop-server" serve --store "$WORK/store" --addr "127.0.0.1:$OPORT" --fonts none --log-level warn >"$WORK/outcrop.log" 2>&1 &
OUTCROP_PID=$!
pids+=("$OUTCROP_PID")
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$OPORT/collections" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$OPORT/collections" || die "outcrop serve did not answer; see $WORK/outcrop.log"

# MapServer's data and mapfile, from the source files and Outcrop's legends.
mkdir -p "$WORK/ms"
for id in gswa-geology gswa-faults; do
  curl -sf -o "$WORK/ms/$id.legend.json" "http://127.0.0.1:$OPORT/collections/$id/legend?f=json" || die "no legend for $id"
  style=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["style"])' "$WORK/ms/$id.legend.json")
  curl -sf -o "$WORK/ms/$id.sld" "http://127.0.0.1:$OPORT/styles/$style.sld" || die "no SLD for $style"
  curl -sf -o "$WORK/ms/$id.items.json" "http://127.0.0.1:$OPORT/collections/$id/items?limit=1000&f=json" || die "no features for $id"
done
python3 - "$WORK/ms" "$GEOLOGY" "$FAULTS" <<'PY' || die "could not write MapServer's data and mapfile"
import json, sys, xml.etree.ElementTree as ET
out, sources = sys.argv[1], {"gswa-geology": sys.argv[2], "gswa-faults": sys.argv[3]}
se, ogc = "{http://www.opengis.net/se}", "{http://www.opengis.net/ogc}"
layers = []
for lid, src in sources.items():
    legend = json.load(open(f"{out}/{lid}.legend.json"))
    served = json.load(open(f"{out}/{lid}.items.json"))["features"]
    field = legend["field"]
    value = {f["properties"]["gml_id"]: f["properties"].get(field) for f in served}
    fc = json.load(open(src))
    if len(served) != len(fc["features"]):
        sys.exit(f"{lid}: Outcrop serves {len(served)} features, {src} holds {len(fc['features'])}")
    for f in fc["features"]:
        # The legend's field (a source field, or one the mapping derives),
        # as Outcrop classifies the feature.
        f["properties"]["cls"] = value[f["properties"]["gml_id"]]
    json.dump(fc, open(f"{out}/{lid}.geojson", "w"))
    # Stroke widths and dashes of each rule of the SLD, by rule name.
    widths, dashes = {}, {}
    for rule in ET.parse(f"{out}/{lid}.sld").iter(se + "Rule"):
        name = rule.find(se + "Name").text
        for p in rule.iter(se + "SvgParameter"):
            if p.get("name") == "stroke-width":
                widths[name] = float(p.text)
            elif p.get("name") == "stroke-dasharray":
                dashes[name] = p.text.split()
    classes = []
    for e in legend["entries"]:
        kind = e.get("symbol", legend["symbol"])
        width = widths.get(e["label"], 1)
        if kind == "fill":
            style = f'COLOR "{e["colour"]}"'
            if e.get("outline"):
                style += f' OUTLINECOLOR "{e["outline"]}" WIDTH {width}'
        elif kind == "line":
            style = f'COLOR "{e["colour"]}" WIDTH {width} LINECAP BUTT'
            if e["label"] in dashes:
                style += " PATTERN " + " ".join(dashes[e["label"]]) + " END"
        else:
            sys.exit(f"{lid}: entry {e['label']!r} is drawn as {kind}, which this bench does not translate")
        if e.get("fallback"):
            expr = ""
        elif e.get("values"):
            expr = "EXPRESSION " + (json.dumps(e["values"][0]) if len(e["values"]) == 1 else '"/^(' + "|".join(v.replace("/", "\\/") for v in e["values"]) + ')$/"')
        else:
            continue
        classes.append(f'    CLASS\n      NAME {json.dumps(e["label"])}\n      {expr}\n      STYLE {style} END\n    END')
    # Fallbacks last: MapServer draws a feature with the first class it matches.
    classes.sort(key=lambda c: "EXPRESSION" not in c)
    layers.append(f'''  LAYER
    NAME "{lid}"
    TYPE {"POLYGON" if legend["symbol"] == "fill" else "LINE"}
    STATUS ON
    DATA "{lid}"
    PROJECTION "init=epsg:4326" END
    METADATA "wms_title" "{lid}" END
    CLASSITEM "cls"
''' + "\n".join(classes) + "\n  END")
open(f"{out}/bench.map", "w").write(f'''MAP
  NAME "outcrop-wms-bench"
  EXTENT 117.15 -22.85 117.62 -22.41
  SIZE 1024 768
  MAXSIZE 4096
  UNITS DD
  SHAPEPATH "{out}"
  IMAGECOLOR 255 255 255
  PROJECTION "init=epsg:4326" END
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGB
    EXTENSION "png"
    FORMATOPTION "COMPRESSION=1"
  END
  WEB
    METADATA
      "wms_title" "Outcrop WMS bench"
      "wms_srs" "EPSG:4326 CRS:84 EPSG:3857"
      "wms_enable_request" "*"
      "wms_onlineresource" "http://127.0.0.1/"
    END
  END
''' + "\n".join(layers) + "\nEND\n")
PY
for id in gswa-geology gswa-faults; do
  ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:4326 -lco ENCODING=UTF-8 -overwrite "$WORK/ms/$id.shp" "$WORK/ms/$id.geojson" -nln "$id"
  shptree "$WORK/ms/$id.shp" >/dev/null
done
cat >"$WORK/ms/mapserver.conf" <<EOF
CONFIG
  ENV
    MS_MAPFILE "$WORK/ms/bench.map"
    PROJ_DATA "/usr/share/proj"
  END
END
EOF

MPORT=$(free_port $((OPORT + 1)))
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  upstream mapserv {
    least_conn;
    server unix:$WORK/ms/mapserv1.sock;
    server unix:$WORK/ms/mapserv2.sock;
  }
  server {
    listen 127.0.0.1:$MPORT;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass mapserv;
      fastcgi_buffers 64 16k;
    }
  }
}
EOF
mkdir -p "$WORK/nginx-tmp"
# MapServer's stack in one session of its own, as outcrop's server is:
# Linux's autogroup scheduling shares the CPUs between sessions, so a
# server sharing the script's session (with wrk) or spread over several
# would get less or more than its share. Two mapserv under spawn-fcgi -n
# (spawn-fcgi -F forks each into a session of its own), each on a socket
# of its own that nginx's least_conn picks when idle (writable by nginx's
# workers, which run as www-data), then nginx.
rm -f "$WORK"/ms/mapserv*.sock
MAPSERVER_CONFIG_FILE=$WORK/ms/mapserver.conf setsid bash -c '
  for s in 1 2; do spawn-fcgi -n -M 0666 -s "$1/ms/mapserv$s.sock" -- "$2" & done
  for _ in $(seq 50); do [ -S "$1/ms/mapserv1.sock" ] && [ -S "$1/ms/mapserv2.sock" ] && break; sleep 0.1; done
  exec nginx -p "$1" -c "$1/nginx.conf"' _ "$WORK" "$MAPSERV" >"$WORK/mapserver.log" 2>&1 &
MS_SID=$!
pids+=("$MS_SID")
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$MPORT/" && break; sleep 0.1; done
MAPSERV_PIDS=$(pgrep -s "$MS_SID" -f "$MAPSERV" | tr '\n' ' ' || true)
for pid in $MAPSERV_PIDS; do ms_pids+=("$pid"); done
[ "$(echo $MAPSERV_PIDS | wc -w)" = 2 ] || die "two mapserv did not start: $(cat "$WORK/mapserver.log")"
NGINX_PIDS=$(pgrep -s "$MS_SID" nginx | tr '\n' ' ')
[ -n "$NGINX_PIDS" ] || die "nginx did not start: $(cat "$WORK/mapserver.log" "$WORK/nginx-error.log" 2>/dev/null)"

echo "processes: outcrop $OUTCROP_PID ($(cat /proc/$OUTCROP_PID/autogroup | cut -d' ' -f1)); mapserv $MAPSERV_PIDS, nginx $NGINX_PIDS ($(cat /proc/$MS_SID/autogroup | cut -d' ' -f1)); wrk in $(cut -d' ' -f1 /proc/self/autogroup)"
OURL="http://127.0.0.1:$OPORT/wms?$QUERY"
MURL="http://127.0.0.1:$MPORT/?$QUERY"

# The viewports of "many": windows of the extent's shape at 3 scales, 16
# centres each on a 4x4 grid over the extent, one BBOX a line.
python3 - "$EXTENT" >"$WORK/viewports.txt" <<'PY'
import sys
x0, y0, x1, y1 = map(float, sys.argv[1].split(","))
for scale in (1, 2, 4):
    w, h = (x1 - x0) / scale, (y1 - y0) / scale
    for j in range(4):
        for i in range(4):
            cx, cy = x0 + (i + 0.5) * (x1 - x0) / 4, y0 + (j + 0.5) * (y1 - y0) / 4
            print("%.6f,%.6f,%.6f,%.6f" % (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
PY
while read -r bbox; do echo "/wms?$MAPQUERY$bbox"; done <"$WORK/viewports.txt" >"$WORK/many.outcrop.paths"
while read -r bbox; do echo "/?$MAPQUERY$bbox"; done <"$WORK/viewports.txt" >"$WORK/many.mapserver.paths"

# fetch NAME URL FILE: the map at URL into FILE, checked to be a 1024x768
# PNG.
fetch() {
  local got size
  got=$(curl -s -o "$3" -w '%{http_code} %{content_type}' "$2")
  [ "$got" = "200 image/png" ] || die "$1 answered $got for $2: $(head -c 400 "$3")"
  size=$(python3 -c 'import struct,sys; b=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", b[16:24]) if b[:8] == b"\x89PNG\r\n\x1a\n" else "not a PNG")' "$3")
  [ "$size" = 1024x768 ] || die "$1's map of $2 is $size, not 1024x768"
}

# Both answer the map, and draw the same one.
for name in outcrop mapserver; do
  url=$OURL; [ $name = mapserver ] && url=$MURL
  for _ in 1 2 3; do curl -s -o /dev/null "$url"; done # warm up
  fetch "$name" "$url" "$WORK/$name.png"
done
echo "maps: outcrop $(stat -c %s "$WORK/outcrop.png") bytes, mapserver $(stat -c %s "$WORK/mapserver.png") bytes (PNG, 1024x768)"
echo
echo "== the same map: colours inside each unit (A outcrop, B mapserver)"
"$WORK/wmscheck" -legend "$WORK/ms/gswa-geology.legend.json" "$WORK/outcrop.png" "$WORK/mapserver.png" || die "the two maps differ inside units (images in ${BENCH_DIR:-a temporary directory; set BENCH_DIR to keep them})"
case " $SCENARIOS " in *" many "*)
  echo
  echo "== the $(wc -l <"$WORK/viewports.txt") viewports of \"many\": the same colours inside units in each"
  mkdir -p "$WORK/viewports"
  n=0
  while read -r bbox; do
    n=$((n + 1))
    fetch outcrop "http://127.0.0.1:$OPORT/wms?$MAPQUERY$bbox" "$WORK/viewports/$n.outcrop.png"
    fetch mapserver "http://127.0.0.1:$MPORT/?$MAPQUERY$bbox" "$WORK/viewports/$n.mapserver.png"
    "$WORK/wmscheck" -legend "$WORK/ms/gswa-geology.legend.json" "$WORK/viewports/$n.outcrop.png" "$WORK/viewports/$n.mapserver.png" >"$WORK/viewports/$n.check" ||
      die "viewport $n (BBOX=$bbox): the two maps differ inside units: $(tail -2 "$WORK/viewports/$n.check")"
  done <"$WORK/viewports.txt"
  echo "all $n agree: $(awk '/^inside units, both ways:/ { n += $5; a += $5 * $7 / 100 } END { printf "%d in-unit pixels, %.2f %% of them", n, 100 * a / n }' "$WORK"/viewports/*.check)"
  ;;
esac

# The mean size of each scenario's checked maps, per server.
declare -A EXPECT_BYTES
EXPECT_BYTES[one.outcrop]=$(stat -c %s "$WORK/outcrop.png")
EXPECT_BYTES[one.mapserver]=$(stat -c %s "$WORK/mapserver.png")
for name in outcrop mapserver; do
  [ -d "$WORK/viewports" ] && EXPECT_BYTES[many.$name]=$(stat -c %s "$WORK"/viewports/*."$name".png | awk '{ s += $1 } END { print s / NR }')
done

# bench NAME ORIGIN PATHS CONNECTIONS PID...: wrk on ORIGIN, each
# connection cycling through the paths listed in the file PATHS, printing
# its RESULT line with the CPU time of the PIDs over the run.
bench() {
  local name=$1 origin=$2 paths=$3 c=$4
  shift 4
  local before
  before=$(cpu_ticks "$@")
  wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"$DURATION" --timeout 10s -s bench/wms-load.lua "$origin" -- "$paths" >"$WORK/wrk.$name.out" 2>&1 &
  pids+=($!)
  wait "$!" || die "wrk $name failed: $(tail -3 "$WORK/wrk.$name.out")"
  local cpu=$(( ($(cpu_ticks "$@") - before) * 1000 / $(getconf CLK_TCK) ))
  local line
  line=$(grep '^RESULT ' "$WORK/wrk.$name.out") || die "wrk $name printed no result: $(tail -3 "$WORK/wrk.$name.out")"
  # The answers were the maps: their mean size is within 15 % of the
  # checked maps' (paths are cycled, so a run ends part way through the
  # list); an exception report is under 1 kB.
  local key
  key=$(basename "$paths" .paths)
  local expect=${EXPECT_BYTES[$key]}
  python3 -c 'import sys, re
d = dict(kv.split("=") for kv in sys.argv[1].split()[1:])
n, b, want = int(d["requests"]), int(d["bytes"]), float(sys.argv[2])
sys.exit(0 if n > 0 and abs(b / n / want - 1) <= 0.15 else "%s: %d answers of %.0f bytes on average, the maps are %.0f: some answers were not the map" % (sys.argv[3], n, b / max(n, 1), want))' "$line" "$expect" "$name" || die "wrk $name: answers are not the maps"
  echo "$line cpu_ms=$cpu"
}

echo "/wms?$QUERY" >"$WORK/one.outcrop.paths"
echo "/?$QUERY" >"$WORK/one.mapserver.paths"
echo
echo "== wrk -d$DURATION, alternating, scenarios: $SCENARIOS; connections: $CONNS"
: >"$WORK/results"
for round in $(seq "$ROUNDS"); do
  for sc in $SCENARIOS; do
    for c in $CONNS; do
      { printf '%s outcrop %s %s ' "$sc" "$c" "$round"; bench "$sc-outcrop-$c-$round" "http://127.0.0.1:$OPORT" "$WORK/$sc.outcrop.paths" "$c" "$OUTCROP_PID"; } >>"$WORK/results"
      # shellcheck disable=SC2086
      { printf '%s mapserver %s %s ' "$sc" "$c" "$round"; bench "$sc-mapserver-$c-$round" "http://127.0.0.1:$MPORT" "$WORK/$sc.mapserver.paths" "$c" $MAPSERV_PIDS $NGINX_PIDS; } >>"$WORK/results"
    done
  done
done
awk -v conns="$CONNS" -v scenarios="$SCENARIOS" '
  function field(name,   i) { for (i = 5; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  BEGIN { printf "%-8s %-10s %5s %5s %8s %9s %9s %7s %12s\n", "scenario", "server", "conns", "round", "req/s", "p50 ms", "p99 ms", "errors", "CPU ms/map" }
  {
    req = field("requests") + 0; rps = req / field("seconds")
    cpu = req > 0 ? field("cpu_ms") / req : 0
    printf "%-8s %-10s %5s %5s %8.1f %9.1f %9.1f %7d %12.1f\n", $1, $2, $3, $4, rps, field("p50_ms"), field("p99_ms"), field("errors"), cpu
    n[$1, $2, $3]++; sum[$1, $2, $3] += rps; errors += field("errors")
    cpusum[$1, $2] += field("cpu_ms"); reqs[$1, $2] += req
    if ($3 == 1) { p50[$1, $2] += field("p50_ms"); n50[$1, $2]++ }
  }
  END {
    ns = split(scenarios, ss, " ")
    nc = split(conns, cs, " ")
    for (j = 1; j <= ns; j++) {
      s = ss[j]
      print ""
      print "scenario " s ":"
      for (k = 1; k <= nc; k++) {
        c = cs[k]
        if (!(((s, "outcrop", c) in n) && ((s, "mapserver", c) in n))) continue
        r = (sum[s, "outcrop", c] / n[s, "outcrop", c]) / (sum[s, "mapserver", c] / n[s, "mapserver", c])
        ok = c < 2 || r >= 2
        printf "  outcrop / mapserver requests/s at %s connection(s): %.2f%s\n", c, r, (c >= 2 ? (ok ? " (goal at least 2: met)" : " (goal at least 2: NOT met)") : "")
      }
      if (n50[s, "outcrop"] > 0) {
        p = p50[s, "outcrop"] / n50[s, "outcrop"]
        printf "  outcrop p50 at 1 connection: %.1f ms (goal under 50 ms: %s); mapserver: %.1f ms\n", p, (p < 50 ? "met" : "NOT met"), p50[s, "mapserver"] / n50[s, "mapserver"]
      }
      if (reqs[s, "outcrop"] > 0 && reqs[s, "mapserver"] > 0) {
        co = cpusum[s, "outcrop"] / reqs[s, "outcrop"]; cm = cpusum[s, "mapserver"] / reqs[s, "mapserver"]
        printf "  CPU time per map: outcrop %.1f ms, mapserver (mapserv + nginx) %.1f ms; outcrop / mapserver %.2f\n", co, cm, co / cm
      }
    }
    if (errors > 0) { printf "FAIL: %d failed requests (see the wrk output in BENCH_DIR)\n", errors; exit 1 }
  }' "$WORK/results"
echo "load average after: $(load) (wrk, outcrop, mapserv and nginx share these $(nproc) CPUs)"
