package tiles

import (
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/synth"
	"github.com/outcrop/outcrop/tiles/coveragecheck"
)

// syntheticCoverage is synth's geological map (units sharing their fractal
// borders vertex for vertex, with holes filled by intrusions and units of
// several parts) stretched linearly from its UTM rectangle onto box, which
// keeps shared vertices shared.
func syntheticCoverage(t testing.TB, units, perEdge int, box orb.Bound) []*geojson.Feature {
	t.Helper()
	seq, err := synth.Geology(synth.GeologyOptions{Units: units, VerticesPerEdge: perEdge, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	r := synth.Region()
	to := func(p orb.Point) orb.Point {
		return orb.Point{
			box.Min[0] + (p[0]-r.Min[0])/(r.Max[0]-r.Min[0])*(box.Max[0]-box.Min[0]),
			box.Min[1] + (p[1]-r.Min[1])/(r.Max[1]-r.Min[1])*(box.Max[1]-box.Min[1]),
		}
	}
	var out []*geojson.Feature
	for f := range seq {
		f.Geometry = mapPoints(orb.Clone(f.Geometry), to)
		out = append(out, f)
	}
	return out
}

// coverageErrors rasterises every tile on a 512×512 grid (8 units a
// sample, a pixel) and counts, per zoom, samples inside box (less two of
// margin for the outer edge) that no polygon covers, and samples covered
// twice.
func coverageErrors(t testing.TB, got map[maptile.Tile][]byte, box orb.Bound) (gaps, overlaps map[int]int) {
	t.Helper()
	gaps, overlaps = map[int]int{}, map[int]int{}
	grid := coveragecheck.NewGrid(512, 4096)
	for tile, data := range got {
		z := int(tile.Z)
		x0, y0 := worldPixel(box.Min[0], box.Max[1], z)
		x1, y1 := worldPixel(box.Max[0], box.Min[1], z)
		const margin = 16
		ox, oy := float64(tile.X)*4096, float64(tile.Y)*4096
		inside := func(p orb.Point) bool {
			x, y := p[0]+ox, p[1]+oy
			return x > x0+margin && x < x1-margin && y > y0+margin && y < y1-margin
		}
		grid.Reset()
		for _, f := range decode(t, data).Features {
			grid.AddGeometry(f.Geometry)
		}
		g, o := grid.Tally(inside)
		gaps[z] += g
		overlaps[z] += o
	}
	return gaps, overlaps
}

func TestCoverageHasNoGapOrOverlapAtAnyZoom(t *testing.T) {
	box := orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{101.2, 15.2}}
	features := syntheticCoverage(t, 300, 40, box)
	const maxZoom = 10
	got, stats := cutAll(t, features, Options{MinZoom: 0, MaxZoom: maxZoom})
	gaps, overlaps := coverageErrors(t, got, box)
	var report []string
	for z := 0; z <= maxZoom; z++ {
		if gaps[z] > 0 || overlaps[z] > 0 {
			report = append(report, fmt.Sprintf("zoom %d: %d gap and %d overlap samples", z, gaps[z], overlaps[z]))
		}
	}
	if len(report) > 0 {
		t.Errorf("the coverage is torn:\n%s", strings.Join(report, "\n"))
	}

	// The test means something only if units were merged at low zoom and
	// all drawn at the max zoom.
	for _, zs := range stats.Zooms {
		if zs.Kept+zs.Merged+zs.Dropped != int64(len(features)) {
			t.Errorf("zoom %d: kept %d + merged %d + dropped %d != %d features", zs.Zoom, zs.Kept, zs.Merged, zs.Dropped, len(features))
		}
		if zs.Dropped != 0 || zs.DroppedArea != 0 {
			t.Errorf("zoom %d: %d features (%.3g of the area) dropped from a coverage, want them merged", zs.Zoom, zs.Dropped, zs.DroppedArea)
		}
	}
	if z0 := stats.Zooms[0]; z0.Merged < int64(len(features))/2 || z0.MergedArea <= 0 {
		t.Errorf("zoom 0 merged %d units (%.3g of the area), want most of the %d", z0.Merged, z0.MergedArea, len(features))
	}
	if zm := stats.Zooms[maxZoom]; zm.Kept != int64(len(features)) {
		t.Errorf("max zoom kept %d of %d units", zm.Kept, len(features))
	}
}

func TestCoverageStaysWholeWhenTilesAreOverBudget(t *testing.T) {
	// 3,000 units in one zoom-7 tile, with a 32 KiB limit: the tiles must
	// merge units further, and still cover the map exactly once.
	box := orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{101.2, 15.2}}
	features := syntheticCoverage(t, 3000, 8, box)
	const limit = 32 << 10
	got, stats := cutAll(t, features, Options{MinZoom: 5, MaxZoom: 11, MaxTileBytes: limit})
	for tile, data := range got {
		if len(data) > limit {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
	}
	gaps, overlaps := coverageErrors(t, got, box)
	for z := 5; z <= 11; z++ {
		if gaps[z]+overlaps[z] > 0 {
			t.Errorf("zoom %d: %d gap and %d overlap samples", z, gaps[z], overlaps[z])
		}
	}
	// Zoom 7 fits only by merging beyond the pixel threshold.
	zs := stats.Zooms[2]
	if zs.Merged < 1000 || zs.Dropped != 0 || zs.Kept+zs.Merged != int64(len(features)) {
		t.Errorf("zoom 7 stats %+v, want many units merged and none dropped", zs)
	}
}

// strip is three units side by side over 0.1° of latitude: a narrow
// middle one (0.001° wide) between a small unit 1, with which it shares its
// whole left side, and a larger unit 3, which touches only the top half of
// its right side.
//
//	+----+-+----------+
//	|    | |    3     |
//	| 1  |2+----------+
//	|    | |
//	+----+-+
func strip() []*geojson.Feature {
	const x1, x2 = 100.2, 100.201
	one := orb.Polygon{{{100, 10}, {x1, 10}, {x1, 10.1}, {100, 10.1}, {100, 10}}}
	two := orb.Polygon{{{x1, 10}, {x2, 10}, {x2, 10.05}, {x2, 10.1}, {x1, 10.1}, {x1, 10}}}
	three := orb.Polygon{{{x2, 10.05}, {101, 10.05}, {101, 10.1}, {x2, 10.1}, {x2, 10.05}}}
	return []*geojson.Feature{input(1, one, nil), input(2, two, nil), input(3, three, nil)}
}

func TestSmallUnitMergesIntoItsNeighbour(t *testing.T) {
	features := strip()
	// At zoom 5 the middle unit is 0.36 units wide, under a pixel; at zoom
	// 11 it is 23.
	got, stats := cutAll(t, features, Options{MinZoom: 5, MaxZoom: 11})
	if zs := stats.Zooms[0]; zs.Kept != 2 || zs.Merged != 1 || zs.Dropped != 0 {
		t.Errorf("zoom 5: kept %d, merged %d, dropped %d; want unit 2 merged", zs.Kept, zs.Merged, zs.Dropped)
	}
	if zs := stats.Zooms[0]; zs.MergedArea <= 0 || zs.MergedArea > 0.01 {
		t.Errorf("zoom 5: merged area %g, want unit 2's share, about 0.002", zs.MergedArea)
	}
	ids := map[int]map[float64]bool{}
	for tile, data := range got {
		z := int(tile.Z)
		if ids[z] == nil {
			ids[z] = map[float64]bool{}
		}
		for _, f := range decode(t, data).Features {
			ids[z][f.ID.(float64)] = true
		}
	}
	if len(ids[5]) != 2 || ids[5][2] {
		t.Errorf("zoom 5 ids %v, want 1 and 3", ids[5])
	}
	if len(ids[11]) != 3 {
		t.Errorf("zoom 11 ids %v, want all three", ids[11])
	}
	box := orb.Bound{Min: orb.Point{100, 10}, Max: orb.Point{100.201, 10.1}}
	gaps, overlaps := coverageErrors(t, got, box)
	for z := 5; z <= 11; z++ {
		if gaps[z]+overlaps[z] > 0 {
			t.Errorf("zoom %d: %d gap and %d overlap samples", z, gaps[z], overlaps[z])
		}
	}
}

func TestMergedRegionTouchingItselfKeepsSeparateRings(t *testing.T) {
	// A 2×2 block of units P Q / S T inside a frame U. With P and T merged
	// into U, the region touches itself at the block's centre, where its
	// wedges P and T meet corner to corner: its holes Q and S must come out
	// as two rings touching there, not one ring crossing itself.
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	const d = 0.01 // degrees a unit
	u := orb.Polygon{sq(-d, -d, 3*d, 3*d), sq(0, 0, 2*d, 2*d)}
	p, q := orb.Polygon{sq(0, d, d, 2*d)}, orb.Polygon{sq(d, d, 2*d, 2*d)}
	s, tt := orb.Polygon{sq(0, 0, d, d)}, orb.Polygon{sq(d, 0, 2*d, d)}
	// The hole's ring must pass through the midpoints its neighbours use.
	u[1] = orb.Ring{{0, 0}, {d, 0}, {2 * d, 0}, {2 * d, d}, {2 * d, 2 * d}, {d, 2 * d}, {0, 2 * d}, {0, d}, {0, 0}}
	topo := topologyOf(t, input(1, u, nil), input(2, p, nil), input(3, q, nil), input(4, s, nil), input(5, tt, nil))
	merges := []merge{{face: 1, into: 0}, {face: 4, into: 0}}
	c := &coverage{t: topo, scale: 1 << 20, threshold: 1}
	c.arcs = make([][]orb.Point, topo.arcs())
	for a := range c.arcs {
		for _, pt := range topo.arcPoints(int32(a)) {
			c.arcs[a] = append(c.arcs[a], orb.Point{pt[0] * c.scale, pt[1] * c.scale})
		}
	}
	c.assign(merges, 1)
	polys := c.regionPolygons(c.regionMembers(0))
	if len(polys) != 1 || len(polys[0]) != 3 {
		t.Fatalf("region drawn as %d polygons, the first with %d rings; want one polygon with two holes", len(polys), len(polys[0]))
	}
	unit := topo.faces[2].area // Q
	for i, r := range polys[0][1:] {
		// Each hole is one unit square (in world pixels at this scale).
		if a := -ringArea(r) / (c.scale * c.scale); a < 0.9*unit || a > 1.1*unit {
			t.Errorf("hole %d has area %g, want one unit's %g", i, a, unit)
		}
	}
}
