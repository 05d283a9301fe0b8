package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

// The expectations of the end-to-end tests are computed from the source
// files, not read off a map by eye: a probe is a point inside one polygon of
// a source file, as far from every boundary as the data allows, so that it
// stays inside the same feature however the tiles simplify the boundaries.

// probe is a point inside exactly one polygon of a source file.
type probe struct {
	src       orb.Point // in the source CRS
	lonLat    orb.Point // the same point in WGS 84, as PROJ transforms it
	props     geojson.Properties
	clearance float64 // distance to the nearest boundary, in source CRS units (metres)
}

// probeClearancePx is how far, in tile pixels, a probe must be from every
// boundary at a zoom for the test to expect it inside its polygon there.
// Simplification and quantisation move boundaries by a pixel or two.
const probeClearancePx = 16

// readFeatures reads a GeoJSON FeatureCollection.
func readFeatures(t *testing.T, path string) *geojson.FeatureCollection {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fc
}

// polygonal returns g as a MultiPolygon, or false for other geometries.
func polygonal(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, true
	case orb.MultiPolygon:
		return g, true
	}
	return nil, false
}

// interiorProbes lays a grid over the polygons of fc and returns up to n
// grid points, each inside exactly one polygon, with distinct values of the
// attribute key, farthest from any boundary first. The points are
// transformed from srs to WGS 84 with gdaltransform, PROJ's own answer.
func interiorProbes(t *testing.T, fc *geojson.FeatureCollection, srs, key string, n int) []probe {
	t.Helper()
	type poly struct {
		mp    orb.MultiPolygon
		bound orb.Bound
		props geojson.Properties
	}
	var polys []poly
	var all orb.Bound
	for i, f := range fc.Features {
		mp, ok := polygonal(f.Geometry)
		if !ok {
			continue
		}
		b := mp.Bound()
		if i == 0 {
			all = b
		}
		all = all.Union(b)
		polys = append(polys, poly{mp, b, f.Properties})
	}
	if len(polys) == 0 {
		t.Fatal("interiorProbes: no polygons")
	}
	const grid = 48
	var found []probe
	for i := 1; i < grid; i++ {
		for j := 1; j < grid; j++ {
			p := orb.Point{
				all.Min[0] + (all.Max[0]-all.Min[0])*float64(i)/grid,
				all.Min[1] + (all.Max[1]-all.Min[1])*float64(j)/grid,
			}
			in := -1
			for k := range polys {
				if polys[k].bound.Contains(p) && planar.MultiPolygonContains(polys[k].mp, p) {
					if in >= 0 {
						in = -2 // in two polygons: overlapping data, not a probe
						break
					}
					in = k
				}
			}
			if in < 0 {
				continue
			}
			// Any boundary nearer than the containing polygon's own lies in a
			// polygon whose box is within that distance.
			d := planar.DistanceFrom(polys[in].mp, p)
			for k := range polys {
				if k != in && polys[k].bound.Pad(d).Contains(p) {
					d = min(d, planar.DistanceFrom(polys[k].mp, p))
				}
			}
			found = append(found, probe{src: p, props: polys[in].props, clearance: d})
		}
	}
	slices.SortStableFunc(found, func(a, b probe) int { return -cmpFloat(a.clearance, b.clearance) })
	var out []probe
	seen := map[any]bool{}
	for _, p := range found {
		if v := p.props[key]; !seen[v] {
			seen[v] = true
			out = append(out, p)
			if len(out) == n {
				break
			}
		}
	}
	src := make([]orb.Point, len(out))
	for i := range out {
		src[i] = out[i].src
	}
	for i, ll := range toWGS84(t, srs, src) {
		out[i].lonLat = ll
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// toWGS84 transforms points from srs to WGS 84 longitude/latitude with
// gdaltransform, which runs PROJ's pipeline for the pair, datum shift
// included.
func toWGS84(t *testing.T, srs string, pts []orb.Point) []orb.Point {
	t.Helper()
	gdaltransform := needTool(t, "gdaltransform", "gdal-bin")
	var in bytes.Buffer
	for _, p := range pts {
		fmt.Fprintf(&in, "%.10f %.10f\n", p[0], p[1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gdaltransform, "-s_srs", srs, "-t_srs", "EPSG:4326", "-output_xy")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gdaltransform -s_srs %s: %v", srs, err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2*len(pts) {
		t.Fatalf("gdaltransform -s_srs %s: %d numbers for %d points:\n%s", srs, len(lines), len(pts), out)
	}
	res := make([]orb.Point, len(pts))
	for i := range res {
		for j := range 2 {
			v, err := strconv.ParseFloat(lines[2*i+j], 64)
			if err != nil {
				t.Fatalf("gdaltransform: %v", err)
			}
			res[i][j] = v
		}
	}
	return res
}

// allVertices returns every vertex of the features of fc.
func allVertices(fc *geojson.FeatureCollection) []orb.Point {
	var pts []orb.Point
	for _, f := range fc.Features {
		var walk func(g orb.Geometry)
		walk = func(g orb.Geometry) {
			switch g := g.(type) {
			case orb.Point:
				pts = append(pts, g)
			case orb.MultiPoint:
				pts = append(pts, g...)
			case orb.LineString:
				pts = append(pts, g...)
			case orb.Ring:
				pts = append(pts, g...)
			case orb.MultiLineString:
				for _, ls := range g {
					walk(ls)
				}
			case orb.Polygon:
				for _, r := range g {
					walk(r)
				}
			case orb.MultiPolygon:
				for _, p := range g {
					walk(p)
				}
			}
		}
		walk(f.Geometry)
	}
	return pts
}

// boundsOf returns the bounding box of pts as TileJSON writes it: west,
// south, east, north.
func boundsOf(pts []orb.Point) [4]float64 {
	b := orb.MultiPoint(pts).Bound()
	return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

// lowestClearZoom is the lowest zoom in [minZoom, maxZoom] at which a probe
// clears every boundary by probeClearancePx tile pixels, or -1.
func lowestClearZoom(p probe, minZoom, maxZoom int) int {
	for z := minZoom; z <= maxZoom; z++ {
		// The ground size of a tile pixel at the probe's latitude; the
		// source CRSs here are UTM, in metres on the ground (scale ≈ 1).
		px := 2 * math.Pi * 6378137 * math.Cos(p.lonLat[1]*math.Pi/180) / (float64(uint64(1)<<z) * 4096)
		if p.clearance >= probeClearancePx*px {
			return z
		}
	}
	return -1
}

// tileOf returns the tile at zoom z holding ll and ll's position in that
// tile's pixel coordinates (0 to 4096, y down), the coordinates of a
// decoded but unprojected layer.
func tileOf(ll orb.Point, z int) (maptile.Tile, orb.Point) {
	tile := maptile.At(ll, maptile.Zoom(z))
	f := maptile.Fraction(ll, maptile.Zoom(z))
	return tile, orb.Point{(f[0] - float64(tile.X)) * 4096, (f[1] - float64(tile.Y)) * 4096}
}

// featuresContaining returns the polygon features of a decoded layer that
// contain the point px, in tile pixels.
func featuresContaining(l *mvt.Layer, px orb.Point) []*geojson.Feature {
	var in []*geojson.Feature
	for _, f := range l.Features {
		if mp, ok := polygonal(f.Geometry); ok && planar.MultiPolygonContains(mp, px) {
			in = append(in, f)
		}
	}
	return in
}

// nearestFeature returns the feature of l nearest px and its distance, in
// tile pixels.
func nearestFeature(l *mvt.Layer, px orb.Point) (*geojson.Feature, float64) {
	var best *geojson.Feature
	dist := math.Inf(1)
	for _, f := range l.Features {
		if d := planar.DistanceFrom(f.Geometry, px); d < dist {
			best, dist = f, d
		}
	}
	return best, dist
}

// csvRecord is one row of a CSV file, by column name.
type csvRecord map[string]string

// readCSV reads a CSV file with a header row; quoted fields may hold line
// breaks, as the USGS file's do.
func readCSV(t *testing.T, path string) []csvRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []csvRecord
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		row := csvRecord{}
		for i, name := range header {
			if i < len(rec) {
				row[name] = rec[i]
			}
		}
		rows = append(rows, row)
	}
}

// float parses a column that must hold a number.
func (r csvRecord) float(t *testing.T, col string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(r[col]), 64)
	if err != nil {
		t.Fatalf("column %s: %v", col, err)
	}
	return v
}
