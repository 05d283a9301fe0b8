#!/usr/bin/env bash
# Prepares data/basemap/*.geojson from Natural Earth 4.0 (public domain), as
# converted to GeoJSON by github.com/martynafford/natural-earth-geojson (CC0),
# commit 0b9a6ce: the world at 1:110m, and 1:10m clipped to Southeast Asia
# (ASEAN, Timor-Leste, southern China, with a margin), simplified. Needs
# ogr2ogr (gdal-bin) and 7z (p7zip-full) for the 10m archives.
#
# Places also get their Vietnamese and Indonesian names (name_vi, name_id)
# from Natural Earth 5.0.0's 1:50m populated places (4.0 has none), matched
# by name and country: the shapefile zip as github.com/gtitov/geojson-leaflet-map
# (commit bdcfa07) bundles it in geojson/ne_50m_populated_places.zip.
#
#   git clone https://github.com/martynafford/natural-earth-geojson ne
#   git clone https://github.com/gtitov/geojson-leaflet-map ne5
#   data/basemap/prepare.sh ne ne5/geojson/ne_50m_populated_places.zip
#
# basemap.vrt joins the files into the one layer `outcrop ingest` reads, the
# file's layer name going into the field `kind`.
set -euo pipefail
usage="usage: prepare.sh NATURAL-EARTH-GEOJSON-CHECKOUT NE-5.0-50M-PLACES-ZIP"
src=$(cd "${1:?$usage}" && pwd)
names=$(realpath "${2:?$usage}")
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The region drawn at 1:10m (lon/lat); the rest of the world is 1:110m.
w=88 s=-14 e=142 n=30
box="POLYGON(($w $s,$e $s,$e $n,$w $n,$w $s))"
outside="POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90),($w $s,$w $n,$e $n,$e $s,$w $s))"
# Simplification of the 10m lines and polygons, in degrees: about 330 m,
# half a pixel at zoom 8 (611 m at the equator).
tol=0.003

for f in physical/ne_10m_land physical/ne_10m_ocean physical/ne_10m_coastline \
  physical/ne_10m_lakes physical/ne_10m_rivers_lake_centerlines \
  cultural/ne_10m_admin_0_boundary_lines_land cultural/ne_10m_populated_places; do
  (cd "$tmp" && 7z x -y "$src/10m/$f.7z" >/dev/null)
done

# layer NAME THEME COLUMNS [SIMPLIFY]: THEME at 110m outside the region and
# at 10m inside it, the COLUMNS kept (OGR SQL, lower-case names).
layer() {
  local name=$1 theme=$2 cols=$3 simplify=${4:-}
  local f110=$src/110m/*/ne_110m_$theme.json
  rm -f "$tmp/$name.gpkg" "$out/$name.geojson"
  # shellcheck disable=SC2086
  ogr2ogr -f GPKG "$tmp/$name.gpkg" $f110 -nln "$name" -nlt PROMOTE_TO_MULTI \
    -sql "SELECT $cols, '110m' AS scale FROM ne_110m_$theme" -clipsrc "$outside"
  ogr2ogr -append "$tmp/$name.gpkg" "$tmp/ne_10m_$theme.json" -nln "$name" -nlt PROMOTE_TO_MULTI \
    -sql "SELECT $cols, '10m' AS scale FROM ne_10m_$theme" -clipsrc "$box" ${simplify:+-simplify $simplify}
  ogr2ogr -f GeoJSON -lco RFC7946=YES -lco COORDINATE_PRECISION=3 -explodecollections \
    "$tmp/$name.geojson" "$tmp/$name.gpkg" "$name"
  # ogr2ogr pads its JSON with blanks: written compact, a feature a line.
  python3 -c '
import json, sys
fc = json.load(open(sys.argv[1], encoding="utf-8"))
def area2(r):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(r, r[1:]))
def kept(g):  # not null, nor a part that rounding flattened
    if g is None:
        return False
    c = g["coordinates"]
    if g["type"] == "Polygon":
        return len(c[0]) >= 4 and area2(c[0]) != 0
    if g["type"] == "LineString":
        return len(set(map(tuple, c))) >= 2
    return True
fc["features"] = [f for f in fc["features"] if kept(f["geometry"])]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    head = {k: v for k, v in fc.items() if k != "features"}
    out.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ",\n\"features\":[\n")
    out.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]))
    out.write("\n]}\n")
' "$tmp/$name.geojson" "$out/$name.geojson"
}

layer ocean ocean "scalerank" $tol
layer land land "scalerank" $tol
layer lakes lakes "name, scalerank" $tol
layer rivers rivers_lake_centerlines "name, scalerank" $tol
layer coastline coastline "scalerank" $tol
layer borders admin_0_boundary_lines_land "featurecla, name, scalerank" $tol
layer places populated_places "name, name_en, name_zh, featurecla, adm0name, adm0_a3, CAST(adm0cap AS integer) AS adm0cap, scalerank, pop_max"
ogr2ogr -f GeoJSON "$tmp/names.geojson" "/vsizip/$names/ne_50m_populated_places.shp" \
  -sql "SELECT NAME AS name, ADM0_A3 AS adm0_a3, NAME_VI AS name_vi, NAME_ID AS name_id FROM ne_50m_populated_places"
python3 -c '
import json, sys
names = {}
for f in json.load(open(sys.argv[1], encoding="utf-8"))["features"]:
    p = f["properties"]
    names[(p["name"], p["adm0_a3"])] = {k: p[k] for k in ("name_vi", "name_id") if p.get(k)}
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
for i, line in enumerate(lines):
    if not line.startswith("{\"type\":\"Feature\""):
        continue
    comma = line.endswith(",")
    f = json.loads(line.rstrip(","))
    p = f["properties"]
    p.update(names.get((p["name"], p["adm0_a3"]), {}))
    lines[i] = json.dumps(f, ensure_ascii=False, separators=(",", ":")) + ("," if comma else "")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
' "$tmp/names.geojson" "$out/places.geojson"
ls -l "$out"/*.geojson
