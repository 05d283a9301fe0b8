package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

func TestKeepSpecksDrawsTheSmallestValidShape(t *testing.T) {
	// A polygon 0.3 units wide rounds away; its speck is the unit square
	// holding its middle, an exterior wound clockwise on screen (y down).
	tiny := orb.Polygon{{{10.1, 20.1}, {10.4, 20.1}, {10.4, 20.3}, {10.1, 20.3}, {10.1, 20.1}}}
	g, speck := keepSpecks(tiny)
	want := orb.Polygon{{{10, 20}, {11, 20}, {11, 21}, {10, 21}, {10, 20}}}
	if !speck || !orb.Equal(g, want) {
		t.Fatalf("speck %v (%v), want %v", g, speck, want)
	}
	if q := tilePolygon(g.(orb.Polygon), roundPoint); q == nil || ringArea(q[0]) <= 0 {
		t.Errorf("speck %v does not survive quantisation as an exterior", g)
	}
	// Two tiny parts in the same unit give one speck; a part large enough
	// is kept as it is.
	big := orb.Polygon{{{100, 100}, {110, 100}, {110, 110}, {100, 110}, {100, 100}}}
	mp := orb.MultiPolygon{tiny, {{{10.5, 20.5}, {10.7, 20.5}, {10.7, 20.7}, {10.5, 20.5}}}, big}
	g, _ = keepSpecks(mp)
	if got := g.(orb.MultiPolygon); len(got) != 2 || !orb.Equal(got[0], want) || !orb.Equal(got[1], big) {
		t.Errorf("multipolygon kept as %v, want the speck once and the large part", g)
	}
	// A line shorter than a unit becomes a segment one unit long.
	g, speck = keepSpecks(orb.LineString{{5.2, 5.2}, {5.4, 5.3}})
	if !speck || !orb.Equal(g, orb.LineString{{5, 5}, {6, 5}}) {
		t.Errorf("short line kept as %v", g)
	}
	// What the grid draws is left alone.
	if g, speck := keepSpecks(big); speck || !orb.Equal(g, big) {
		t.Errorf("large polygon changed to %v", g)
	}
}

func TestSpeckOnATileCornerIsDrawn(t *testing.T) {
	// A unit of 2 × 2 m whose middle is on the corner of four zoom-12
	// tiles: a third of a grid unit wide, cut into four by the tiles.
	const z = 12
	lon, lat := tileCorner(maptile.New(3200, 1800, z))
	d := 0.00001
	sq := orb.Polygon{{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}}
	got, stats := cutAll(t, []*geojson.Feature{input(1, sq, nil)}, Options{MinZoom: z, MaxZoom: z})
	drawn := 0
	for tile, data := range got {
		for _, f := range decode(t, data).Features {
			checkWinding(t, tile, f.Geometry)
			if p, ok := f.Geometry.(orb.Polygon); ok && ringArea(p[0]) > 0 {
				drawn++
			}
		}
	}
	if drawn == 0 || stats.Zooms[0].Kept != 1 {
		t.Errorf("unit drawn in %d tiles (stats %+v), want at least one", drawn, stats.Zooms[0])
	}
}

// tileCorner is the top-left corner of a tile, WGS 84.
func tileCorner(tile maptile.Tile) (lon, lat float64) {
	b := tile.Bound()
	return b.Min[0], b.Max[1]
}

// surveyMap is a 1:250k-style geological map: 250 units of a few km across
// with few vertices (a vertex every km or so, as a generalised survey map
// is digitised), and four small units, 5 m to 460 m across (0.0025 to 21
// ha), each an island in a hole of a larger unit. It returns the features
// and the ids of the small units.
func surveyMap(t testing.TB) ([]*geojson.Feature, []uint64) {
	t.Helper()
	box := orb.Bound{Min: orb.Point{101, 17}, Max: orb.Point{101.5, 17.5}}
	features := syntheticCoverage(t, 250, 1, box)
	var small []uint64
	for k, side := range []float64{5, 45, 150, 460} { // metres
		host := features[10+20*k]
		var poly orb.Polygon
		switch g := host.Geometry.(type) {
		case orb.Polygon:
			poly = g
		case orb.MultiPolygon:
			poly = g[0]
		}
		c := insidePoint(t, poly)
		dLat := side / 2 / 111_320
		dLon := dLat / math.Cos(c[1]*math.Pi/180)
		sq := orb.Ring{{c[0] - dLon, c[1] - dLat}, {c[0] + dLon, c[1] - dLat}, {c[0] + dLon, c[1] + dLat}, {c[0] - dLon, c[1] + dLat}, {c[0] - dLon, c[1] - dLat}}
		hole := orb.Clone(sq).(orb.Ring)
		hole.Reverse()
		switch g := host.Geometry.(type) {
		case orb.Polygon:
			host.Geometry = append(poly, hole)
		case orb.MultiPolygon:
			g[0] = append(poly, hole)
		}
		id := uint64(100_000 + k)
		features = append(features, input(id, orb.Polygon{sq}, geojson.Properties{"name": "small unit"}))
		small = append(small, id)
	}
	return features, small
}

// insidePoint is a point well inside p's exterior and outside its holes:
// the one farthest from its border among a grid of candidates.
func insidePoint(t testing.TB, p orb.Polygon) orb.Point {
	t.Helper()
	b := p.Bound()
	var best orb.Point
	bestD := 0.0
	for i := 1; i < 20; i++ {
		for j := 1; j < 20; j++ {
			q := orb.Point{b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/20, b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/20}
			if !planar.PolygonContains(p, q) {
				continue
			}
			if d := distanceToRings(q, p); d > bestD {
				best, bestD = q, d
			}
		}
	}
	if bestD == 0 {
		t.Fatal("no point inside the host unit")
	}
	return best
}

func distanceToRings(q orb.Point, p orb.Polygon) float64 {
	d := math.Inf(1)
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			d = math.Min(d, segmentDistance(q, r[i-1], r[i]))
		}
	}
	return d
}

func segmentDistance(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := dx*dx + dy*dy
	s := 0.0
	if l > 0 {
		s = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	}
	return math.Hypot(p[0]-a[0]-s*dx, p[1]-a[1]-s*dy)
}

func TestSurveyMapKeepsEveryUnitWithinTheToleranceAtTheAutoMaxZoom(t *testing.T) {
	features, small := surveyMap(t)
	choice := AutoMaxZoom(features)
	z := choice.Zoom
	t.Logf("max zoom %s", choice.Reason)
	got, stats := cutAll(t, features, Options{MinZoom: z, MaxZoom: z})

	// Every unit is in the tiles, as valid polygons wound as MVT says.
	drawn := map[uint64][]orb.Polygon{} // world pixels
	for tile, data := range got {
		for _, f := range decode(t, data).Features {
			checkWinding(t, tile, f.Geometry)
			id := uint64(f.ID.(float64))
			drawn[id] = append(drawn[id], polygons(toWorldPixels(f.Geometry, tile))...)
		}
	}
	if len(drawn) != len(features) || stats.Zooms[0].Kept != int64(len(features)) {
		t.Errorf("zoom %d: %d distinct units in the tiles (stats %+v), want all %d", z, len(drawn), stats.Zooms[0], len(features))
	}
	for _, id := range small {
		if drawn[id] == nil {
			t.Errorf("small unit %d missing at zoom %d", id, z)
		}
	}

	// Every unit's boundary is within the tolerance of the source's
	// (Hausdorff distance, vertices against segments both ways; vertices
	// the tiles' buffer edges made are not the unit's, and a hole smaller
	// than a grid unit is left out, the unit in it drawn on top as a
	// speck).
	scale := 4096 * math.Exp2(float64(z))
	edge := func(v float64) bool {
		r := math.Mod(v+DefaultBuffer, 4096)
		return r == 0 || r == 2*DefaultBuffer
	}
	worst := 0.0
	for _, f := range features {
		id := featureID(f)
		src := polygons(mapPoints(orb.Clone(f.Geometry), func(p orb.Point) orb.Point {
			x, y := worldPixel(p[0], p[1], z)
			return orb.Point{x, y}
		}))
		var d float64
		for _, p := range src {
			for k, r := range p {
				if k > 0 && math.Abs(ringArea(r)) < 1 {
					continue // a hole under a grid unit, covered by the speck in it
				}
				for _, v := range r {
					d = math.Max(d, nearestBoundary(v, drawn[id]))
				}
			}
		}
		for _, p := range drawn[id] {
			for _, r := range p {
				for _, v := range r {
					if !edge(v[0]) && !edge(v[1]) {
						d = math.Max(d, nearestBoundary(v, src))
					}
				}
			}
		}
		worst = math.Max(worst, d)
	}
	// World pixels to the world's width, where the tolerance is given.
	if worst/scale > choice.Tolerance {
		t.Errorf("zoom %d: a boundary is drawn %.0f m from the source, over the tolerance of %.0f m", z,
			worst/scale*earthCircumference*math.Cos(17.25*math.Pi/180), choice.Tolerance*earthCircumference*math.Cos(17.25*math.Pi/180))
	}
	t.Logf("worst boundary error %.1f m, tolerance %.1f m", worst/scale*earthCircumference*math.Cos(17.25*math.Pi/180), choice.Tolerance*earthCircumference*math.Cos(17.25*math.Pi/180))
}

func featureID(f *geojson.Feature) uint64 {
	switch id := f.ID.(type) {
	case uint64:
		return id
	case int:
		return uint64(id)
	case int64:
		return uint64(id)
	case float64:
		return uint64(id)
	}
	panic("unexpected id type")
}

// nearestBoundary is the distance from v to the nearest ring of ps.
func nearestBoundary(v orb.Point, ps []orb.Polygon) float64 {
	d := math.Inf(1)
	for _, p := range ps {
		d = math.Min(d, distanceToRings(v, p))
	}
	return d
}
