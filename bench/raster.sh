#!/usr/bin/env bash
# Raster pyramid benchmark (not a test): "outcrop ingest" of a float32 grid,
# zooms 0-10, against gdal2tiles.py --processes=2 of the same grid, on this
# machine, in one run.
#
#   bench/raster.sh [CELLS]        (make bench-raster; BENCH_RASTER_CELLS)
#
# Input: `outcrop synth magnetics --cells CELLS` (default 8000x8000 cells of
# 200 m, EPSG:24047, so both warp through a datum shift), written once as a
# tiled float32 GeoTIFF that both read. gdal2tiles takes only 8-bit input, so
# it reads a VRT that scales the values to bytes on the fly (gdal_translate
# -of VRT -ot Byte -scale, nodata kept): it colours at ingest, outcrop stores
# the float32 data. It prints wall time, peak RSS and CPU time (user +
# system, /usr/bin/time) of each, then outcrop / gdal2tiles and the goal (at
# most 0.33). BENCH_DIR keeps the work files (default: a temporary directory,
# removed at the end); the grid is reused when it is already there.
set -euo pipefail

cells=${1:-${BENCH_RASTER_CELLS:-8000x8000}}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/outcrop-raster-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export PATH=$PATH:/usr/local/go/bin

for cmd in gdal_translate gdal2tiles.py /usr/bin/time; do
	command -v "$cmd" >/dev/null || { echo "bench/raster.sh: $cmd is missing; install gdal-bin, python3-gdal and time" >&2; exit 1; }
done

echo "== outcrop ingest beside gdal2tiles.py, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(gdal-config --version 2>/dev/null | sed 's/^/GDAL /') $(gdal2tiles.py --version 2>/dev/null | head -1)"
(cd "$repo" && go build -o "$work/outcrop" ./cmd/outcrop)

cd "$work"
if [ ! -s "mag-$cells.tif" ]; then
	echo "generating a SYNTHETIC $cells magnetic grid"
	./outcrop synth magnetics --cells "$cells" --out "mag-$cells.asc" >/dev/null
	gdal_translate -q -ot Float32 -co TILED=YES "mag-$cells.asc" "mag-$cells.tif"
	rm -f "mag-$cells.asc" "mag-$cells.prj"
fi
gdal_translate -q -of VRT -ot Byte -scale -400 410 1 255 -a_nodata 0 "mag-$cells.tif" mag-byte.vrt

# timed NAME CMD...: runs CMD under /usr/bin/time -v and prints NAME, wall
# seconds and peak RSS in MB; both are left in NAME.time.
timed() {
	local name=$1
	shift
	if ! /usr/bin/time -v -o "$name.timev" "$@" >"$name.log" 2>&1; then
		echo "bench/raster.sh: $name failed:" >&2
		tail -5 "$name.log" >&2
		exit 1
	fi
	awk -v n="$name" '
		/Elapsed \(wall clock\)/ { k = split($NF, t, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + t[i] }
		/Maximum resident set size/ { r = $NF / 1024 }
		/User time|System time/ { c += $NF }
		END { printf "%s %.2f %.0f %.2f\n", n, s, r, c }' "$name.timev" | tee "$name.time" |
		awk '{ printf "  %-12s %8.2f s %8.0f MB %8.2f s CPU\n", $1, $2, $3, $4 }'
}

rm -rf store g2t && mkdir store
timed outcrop ./outcrop ingest --store store --id mag --minzoom 0 --maxzoom 10 "mag-$cells.tif"
timed gdal2tiles gdal2tiles.py --processes=2 -z 0-10 -q mag-byte.vrt g2t
echo "  tiles: outcrop $(awk '$1 == "all" { print $2 }' outcrop.log) data tiles, gdal2tiles $(find g2t -name '*.png' | wc -l) PNG"
cat outcrop.time gdal2tiles.time | awk '
	{ s[$1] = $2; c[$1] = $4 }
	END {
		r = s["outcrop"] / s["gdal2tiles"]
		printf "outcrop / gdal2tiles wall time: %.2f (goal at most 0.33: %s)\n", r, r <= 0.33 ? "met" : "NOT met"
		printf "outcrop / gdal2tiles CPU time (user + system; steadier than wall time on a shared machine): %.2f\n", c["outcrop"] / c["gdal2tiles"]
	}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
