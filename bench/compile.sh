#!/usr/bin/env bash
# Compile benchmark (not a test): "outcrop compile" of two SYNTHETIC national
# maps that meet along the real Thailand–Lao border, against "outcrop
# ingest" of the same two maps separately, on this machine, in one run.
#
#   bench/compile.sh [UNITS]        (make bench-compile; BENCH_COMPILE_UNITS)
#
# Inputs: two `outcrop synth geology` maps of different seeds, reprojected
# to WGS 84 with ogr2ogr, cut by bench/compilemaps to Thailand (100 m short
# of the border) and to Laos (spilling 80 m over it), about UNITS units each
# (default 50000). Both commands harmonise with data/mappings/sea-geology.yaml
# and choose their max zoom from the data. It prints wall time and peak RSS
# (/usr/bin/time) of each, then compile / (ingest THA + ingest LAO) and the
# goal (at most 1.5, peak RSS at most 2 GB). BENCH_DIR keeps the work files
# (default: a temporary directory, removed at the end); generated inputs
# are reused when they are already there.
set -euo pipefail

units=${1:-${BENCH_COMPILE_UNITS:-50000}}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/outcrop-compile-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export PATH=$PATH:/usr/local/go/bin

for cmd in ogr2ogr /usr/bin/time; do
	command -v "$cmd" >/dev/null || { echo "bench/compile.sh: $cmd is missing; install gdal-bin and time" >&2; exit 1; }
done

echo "== outcrop compile beside outcrop ingest, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "building outcrop and compilemaps"
(cd "$repo" && go build -o "$work/outcrop" ./cmd/outcrop && go build -o "$work/compilemaps" ./bench/compilemaps)

cd "$work"
if [ ! -s "th-la-$units.yaml" ]; then
	# synth's region (northern Thailand, 538 × 613 km) is about 71 % Thai
	# and 17 % Lao: each map is generated large enough to leave UNITS units
	# in its country.
	echo "generating two SYNTHETIC maps of about $units units per country"
	./outcrop synth geology --seed 1 --units $((units * 142 / 100)) --out tha-utm.geojson >/dev/null
	./outcrop synth geology --seed 2 --units $((units * 585 / 100)) --out lao-utm.geojson >/dev/null
	ogr2ogr -f GeoJSON -t_srs EPSG:4326 tha-wgs84.geojson tha-utm.geojson
	ogr2ogr -f GeoJSON -t_srs EPSG:4326 lao-wgs84.geojson lao-utm.geojson
	rm -f tha-utm.geojson lao-utm.geojson
	./compilemaps --tha tha-wgs84.geojson --lao lao-wgs84.geojson --mapping "$repo/data/mappings/sea-geology.yaml" --out . >sizes
	rm -f tha-wgs84.geojson lao-wgs84.geojson
	mv th-la.yaml "th-la-$units.yaml"
	mv sizes "sizes-$units"
fi
read -r n_tha n_lao border_km <"sizes-$units"
echo "inputs: $n_tha Thai units, $n_lao Lao units, $border_km km of border between them (SYNTHETIC)"

# timed NAME CMD...: runs CMD under /usr/bin/time -v and prints NAME, wall
# seconds and peak RSS in MB; both are left in NAME.time.
timed() {
	local name=$1
	shift
	if ! /usr/bin/time -v -o "$name.timev" "$@" >"$name.log" 2>&1; then
		echo "bench/compile.sh: $name failed:" >&2
		tail -5 "$name.log" >&2
		exit 1
	fi
	awk -v n="$name" '
		/Elapsed \(wall clock\)/ { k = split($NF, t, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + t[i] }
		/Maximum resident set size/ { r = $NF / 1024 }
		END { printf "%s %.2f %.0f\n", n, s, r }' "$name.timev" | tee "$name.time" |
		awk '{ printf "  %-18s %8.2f s %8.0f MB\n", $1, $2, $3 }'
}

rm -rf store && mkdir store
mapping=$repo/data/mappings/sea-geology.yaml
timed ingest-THA ./outcrop ingest --quiet --store store --id th --mapping "$mapping" th.geojson
timed ingest-LAO ./outcrop ingest --quiet --store store --id la --mapping "$mapping" la.geojson
cp "th-la-$units.yaml" th-la.yaml
timed compile ./outcrop compile --quiet --store store --config th-la.yaml
cat ingest-THA.time ingest-LAO.time compile.time | awk '
	{ s[$1] = $2; r[$1] = $3 }
	END {
		ratio = s["compile"] / (s["ingest-THA"] + s["ingest-LAO"])
		printf "compile / (ingest THA + ingest LAO) wall time: %.2f; peak RSS %.0f MB; goal <= 1.50 and <= 2048 MB: %s\n",
			ratio, r["compile"], (ratio <= 1.5 && r["compile"] <= 2048) ? "met" : "NOT met"
	}'
