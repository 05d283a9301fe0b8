#!/usr/bin/env bash
# Download writers benchmark (not a test): the CPU time per feature of each
# download format (BenchmarkWrite in download/, 100000 occurrence-like points
# with six properties) beside ogr2ogr converting the same features, read from
# GeoJSON, to the same format, on this machine, in one run.
#
#   bench/downloads.sh            (make bench-downloads)
#
# CPU time (user + system), not wall time, is compared: the figures hold on a
# busy machine. ogr2ogr's includes parsing the GeoJSON, as Outcrop's includes
# decoding the stored GeoJSON features. It prints, per format, both figures,
# their ratio (outcrop / ogr2ogr; below 1 is faster), ogr2ogr's peak RSS and
# the largest heap the Go writer reached. BENCH_DIR keeps the work files.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/outcrop-downloads-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export PATH=$PATH:/usr/local/go/bin
n=100000

for cmd in ogr2ogr /usr/bin/time go awk; do
	command -v "$cmd" >/dev/null || { echo "bench/downloads.sh: $cmd is missing; install gdal-bin and time" >&2; exit 1; }
done

echo "== download writers beside ogr2ogr ($(ogr2ogr --version)), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
echo "   $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

(cd "$repo" && BENCH_DOWNLOAD_GEOJSON="$work/features.geojson" go test ./download -run - -bench Write -benchtime 1x) >"$work/go.txt"

printf '%-8s %16s %16s %8s %14s %16s\n' format "outcrop us/feat" "ogr2ogr us/feat" ratio "ogr2ogr RSS MB" "outcrop heap MB"
for spec in "gpkg|GPKG|out.gpkg|" "csv|CSV|out.csv|-lco GEOMETRY=AS_WKT" "shp|ESRI Shapefile|out.shp|" "geojson|GeoJSON|out.geojson|"; do
	IFS='|' read -r name driver out opts <<<"$spec"
	rm -rf "$work/$out" "$work"/out.*
	# shellcheck disable=SC2086 # opts is words
	/usr/bin/time -f '%U %S %M' -o "$work/time.txt" ogr2ogr -f "$driver" $opts "$work/$out" "$work/features.geojson"
	read -r user sys rss <"$work/time.txt"
	peer=$(awk -v u="$user" -v s="$sys" -v n="$n" 'BEGIN { printf "%.1f", (u + s) * 1e6 / n }')
	ours=$(awk -v f="BenchmarkWrite/$name-" 'index($1, f) == 1 { for (i = 2; i < NF; i++) if ($(i+1) == "cpu-ns/feature") printf "%.1f", $i / 1000 }' "$work/go.txt")
	heap=$(awk -v f="BenchmarkWrite/$name-" 'index($1, f) == 1 { for (i = 2; i < NF; i++) if ($(i+1) == "peak-heap-MB") print $i }' "$work/go.txt")
	ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", a / b }')
	printf '%-8s %16s %16s %8s %14s %16s\n' "$name" "$ours" "$peer" "$ratio" "$((rss / 1024))" "$heap"
done
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg); the Go heap includes the benchmark's own 100000 features (about 27 MB)"
