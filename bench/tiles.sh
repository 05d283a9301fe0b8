#!/usr/bin/env bash
# Tile-cutting benchmark (not a test): Outcrop against tippecanoe and GDAL's
# MVT driver (ogr2ogr -f MVT) on the same synthetic inputs, on this machine,
# in one run.
#
#   TIPPECANOE=/path/to/tippecanoe bench/tiles.sh [UNITS [POINTS [MAXZOOM]]]
#
# or `make bench-tiles TIPPECANOE=... BENCH_TILES_UNITS=... BENCH_TILES_POINTS=...`
# (the environment gives the sizes the arguments do not).
#
# Inputs: `outcrop synth` geology of UNITS units (default 50000, some 6
# million vertices) and POINTS occurrences (default 200000), reprojected to
# WGS 84 GeoJSON once with ogr2ogr, which every tool then reads; zooms 0 to
# MAXZOOM (default 12). For each tool and input it reports wall time, peak
# RSS (/usr/bin/time), total gzip-compressed tile bytes, and for the
# geology the pixels per zoom that no unit covers inside the map (gaps) or
# that two cover (overlaps), and for each the polygon features that are not
# valid MVT polygons (invalid), from bench/tilescheck.
#
# tippecanoe is not built here and never part of this repository: build it
# from https://github.com/felt/tippecanoe elsewhere (it needs libsqlite3-dev
# and zlib1g-dev) and point TIPPECANOE at the binary; without it, its rows
# are skipped. BENCH_DIR keeps the work files (default: a temporary
# directory, removed at the end).
set -euo pipefail

units=${1:-${BENCH_TILES_UNITS:-50000}}
points=${2:-${BENCH_TILES_POINTS:-200000}}
maxzoom=${3:-${BENCH_TILES_MAXZOOM:-12}}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/outcrop-tiles-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export PATH=$PATH:/usr/local/go/bin

for cmd in ogr2ogr /usr/bin/time; do
	command -v "$cmd" >/dev/null || { echo "bench/tiles.sh: $cmd is missing; install gdal-bin and time" >&2; exit 1; }
done
tippecanoe=${TIPPECANOE:-}
if [ -n "$tippecanoe" ] && [ ! -x "$tippecanoe" ]; then
	echo "bench/tiles.sh: TIPPECANOE=$tippecanoe is not an executable" >&2
	exit 1
fi

echo "building outcrop and tilescheck"
(cd "$repo" && go build -o "$work/outcrop" ./cmd/outcrop && go build -o "$work/tilescheck" ./bench/tilescheck)

cd "$work"
if [ ! -s geology.geojson ]; then
	echo "generating $units geological units and $points occurrences (synthetic)"
	./outcrop synth geology --units "$units" --out geology-utm.geojson
	./outcrop synth occurrences --count "$points" --out points-utm.geojson
	ogr2ogr -f GeoJSON -t_srs EPSG:4326 geology.geojson geology-utm.geojson
	ogr2ogr -f GeoJSON -t_srs EPSG:4326 points.geojson points-utm.geojson
	rm -f geology-utm.geojson points-utm.geojson
	# The map's outline, synth.Region() in Indian 1975 / UTM 47N, densified
	# so that it stays true once in WGS 84.
	cat >region-utm.geojson <<-'EOF'
	{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::24047"}},
	 "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates":
	 [[[339000, 1658000], [877000, 1658000], [877000, 2271000], [339000, 2271000], [339000, 1658000]]]}}]}
	EOF
	ogr2ogr -f GeoJSON -segmentize 1000 -t_srs EPSG:4326 region.geojson region-utm.geojson
fi

# timed NAME CMD...: runs CMD under /usr/bin/time, leaving "wall-seconds
# peak-kB cpu-seconds" in NAME.time and its output in NAME.log.
timed() {
	local name=$1
	shift
	if /usr/bin/time -f "%e %M %U %S" -o "$name.time.raw" "$@" >"$name.log" 2>&1; then
		awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$name.time.raw" >"$name.time"
	else
		echo "bench/tiles.sh: $name failed:" >&2
		tail -5 "$name.log" >&2
		echo "fail 0 0" >"$name.time"
	fi
}

# check NAME TILESCHECK-ARGS...: runs tilescheck, leaving its report in
# NAME.check; a failed check leaves its error in NAME.check.failed and shows
# as FAIL in the table (and the script exits 1), never as 0 bad pixels.
failed=0
check() {
	local name=$1
	shift
	rm -f "$name.check.failed"
	if ! ./tilescheck "$@" >"$name.check" 2>"$name.check.err"; then
		echo "bench/tiles.sh: tilescheck of $name failed:" >&2
		tail -5 "$name.check.err" >&2
		mv "$name.check.err" "$name.check.failed"
		failed=1
	fi
	rm -f "$name.check.err"
}

results=()
for data in geology points; do
	rm -rf store "tc-$data" "gd-$data"
	mkdir -p store
	echo "cutting $data: outcrop"
	timed "oc-$data" ./outcrop ingest --quiet --store store --id "$data" \
		--minzoom 0 --maxzoom "$maxzoom" "$data.geojson"
	check "oc-$data" -tileset "store/$data.tileset" $([ $data = geology ] && echo -region region.geojson)
	results+=("outcrop $data")
	if [ -n "$tippecanoe" ]; then
		echo "cutting $data: tippecanoe"
		timed "tc-$data" "$tippecanoe" -q -f -e "tc-$data" -Z0 -z"$maxzoom" -l "$data" "$data.geojson"
		check "tc-$data" -dir "tc-$data" $([ $data = geology ] && echo -region region.geojson)
		results+=("tippecanoe $data")
	fi
	echo "cutting $data: ogr2ogr -f MVT"
	timed "gd-$data" ogr2ogr -f MVT "gd-$data" "$data.geojson" -nln "$data" \
		-dsco MINZOOM=0 -dsco MAXZOOM="$maxzoom" -dsco MAX_SIZE=512000
	check "gd-$data" -dir "gd-$data" $([ $data = geology ] && echo -region region.geojson)
	results+=("ogr2ogr $data")
done

prefix() {
	case $1 in outcrop) echo oc ;; tippecanoe) echo tc ;; ogr2ogr) echo gd ;; esac
}

echo
echo "inputs: $units synthetic geological units, $points synthetic occurrences, zooms 0-$maxzoom"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf "%-11s %-8s %8s %8s %8s %12s %8s %8s %8s %12s %8s\n" tool data wall_s cpu_s rss_MB tile_bytes "wall/tc" "rss/tc" "bytes/tc" "bad_px_z5+" invalid
for r in "${results[@]}"; do
	set -- $r
	tool=$1 data=$2 p=$(prefix "$1")
	read -r secs kb cpu <"$p-$data.time"
	if [ -e "$p-$data.check.failed" ]; then
		bytes=FAIL bad=FAIL invalid=FAIL
	else
		bytes=$(awk '$1 == "all" {print $3}' "$p-$data.check")
		bad=$(awk '$1 ~ /^[0-9]+$/ && $1 >= 5 {s += $4 + $5} END {print s+0}' "$p-$data.check")
		invalid=$(awk '$1 == "all" {print $7}' "$p-$data.check")
	fi
	ratio() { # value reference
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.2f", a / b; else printf "-" }'
	}
	tsecs=- tkb=- tbytes=-
	if [ -s "tc-$data.time" ] && [ -n "$tippecanoe" ]; then
		read -r tsecs tkb _ <"tc-$data.time"
		[ -e "tc-$data.check.failed" ] || tbytes=$(awk '$1 == "all" {print $3}' "tc-$data.check")
	fi
	printf "%-11s %-8s %8s %8s %8s %12s %8s %8s %8s %12s %8s\n" "$tool" "$data" "$secs" "$cpu" "$((kb / 1024))" "${bytes:-?}" \
		"$(ratio "$secs" "$tsecs")" "$(ratio "$kb" "$tkb")" "$(ratio "${bytes:-0}" "$tbytes")" "$bad" "${invalid:-?}"
done
echo
echo "gap and overlap pixels per zoom in the geology (512×512 pixels a tile; gaps not counted within 2 pixels of the map's edge), and its polygon features that are not valid MVT polygons:"
for r in "${results[@]}"; do
	set -- $r
	[ "$2" = geology ] || continue
	echo "  $1:"
	p=$(prefix "$1")
	if [ -e "$p-geology.check.failed" ]; then
		echo "    FAILED: tilescheck did not finish:"
		sed 's/^/    /' "$p-geology.check.failed"
	else
		sed 's/^/    /' "$p-geology.check"
	fi
done
exit "$failed"
