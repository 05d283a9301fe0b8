package overzoom

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/outcrop/outcrop/synth"
	"github.com/outcrop/outcrop/tileset"
)

// cutWith cuts a descendant with the given polygon clip and decodes it.
func cutWith(t testing.TB, clip func(orb.Polygon, orb.Bound) []orb.Polygon, tile *Tile, depth, x, y int) mvt.Layers {
	t.Helper()
	polygonClip = clip
	defer func() { polygonClip = clipPolygon }()
	data, err := tile.Cut(depth, x, y, DefaultBuffer)
	if err != nil {
		t.Fatal(err)
	}
	if data == nil {
		return nil
	}
	layers, err := mvt.UnmarshalGzipped(data)
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// sameLayers compares the decoded layers of a cut (got) with those of the
// overlay's cut (want), feature by feature: the same ids, properties and
// geometries, up to each ring's starting point and the order of polygons
// and holes, except that the overlay's rings may have more vertices. Its
// noding splits edges where its ghost edges cross them, and rounding moves
// such a vertex off its edge; every vertex the overlay has and got lacks
// must lie within a unit of the edge of got it splits. The noding can also
// move a vertex by a unit. It returns a description of the first difference, the
// number of features that differ, and the number of such extra vertices.
func sameLayers(got, want mvt.Layers) (diff string, differ, extra int) {
	if len(got) != len(want) {
		return fmt.Sprintf("%d layers, want %d", len(got), len(want)), 1, 0
	}
	for i := range got {
		a, b := got[i], want[i]
		if a.Name != b.Name || a.Extent != b.Extent || len(a.Features) != len(b.Features) {
			return fmt.Sprintf("layer %q: %d features, want %d", a.Name, len(a.Features), len(b.Features)), 1, 0
		}
		for j, f := range a.Features {
			g := b.Features[j]
			n, ok := sameGeometry(f.Geometry, g.Geometry)
			extra += n
			if !ok || fmt.Sprint(f.ID, f.Properties) != fmt.Sprint(g.ID, g.Properties) {
				differ++
				if diff == "" {
					diff = fmt.Sprintf("layer %q feature %v:\n got %v %v\nwant %v %v", a.Name, f.ID, f.Properties, f.Geometry, g.Properties, g.Geometry)
				}
			}
		}
	}
	return diff, differ, extra
}

// sameGeometry compares two geometries as sameLayers does and returns the
// number of extra vertices of want.
func sameGeometry(got, want orb.Geometry) (extra int, ok bool) {
	polygons := func(g orb.Geometry) orb.MultiPolygon {
		switch g := g.(type) {
		case orb.Polygon:
			return orb.MultiPolygon{g}
		case orb.MultiPolygon:
			return g
		}
		return nil
	}
	gp, wp := polygons(got), polygons(want)
	if gp == nil || wp == nil {
		return 0, fmt.Sprint(got) == fmt.Sprint(want)
	}
	if len(gp) != len(wp) {
		return 0, false
	}
	used := make([]bool, len(wp))
	for _, p := range gp {
		found := false
		for k, q := range wp {
			if used[k] || len(p) != len(q) {
				continue
			}
			if n, ok := sameRings(p[0], q[0]); ok {
				holes := true
				for _, h := range p[1:] {
					hit := false
					for _, qh := range q[1:] {
						if m, ok := sameRings(h, qh); ok {
							n += m
							hit = true
							break
						}
					}
					holes = holes && hit
				}
				if holes {
					used[k], found = true, true
					extra += n
					break
				}
			}
		}
		if !found {
			return extra, false
		}
	}
	return extra, true
}

// sameRings reports whether the closed ring want is got, from any starting
// point, with extra vertices within rounding of got's edges and vertices
// moved by at most a unit, and counts those.
func sameRings(got, want orb.Ring) (extra int, ok bool) {
	g, w := got[:len(got)-1], want[:len(want)-1]
	for start := range w {
		if near(w[start], g[0]) {
			if extra, ok := sameFrom(g, w, start); ok {
				return extra, true
			}
		}
	}
	return 0, false
}

func sameFrom(g, w []orb.Point, start int) (extra int, ok bool) {
	j := 0
	for i := 1; i <= len(g); i++ {
		a, b := g[i-1], g[i%len(g)]
		for j++; j <= len(w) && !near(w[(start+j)%len(w)], b); j++ {
			if !nearSegment(w[(start+j)%len(w)], a, b) {
				return 0, false
			}
			extra++
		}
	}
	return extra, j == len(w)
}

// near reports whether p and q lie within a unit of each other in each
// axis.
func near(p, q orb.Point) bool {
	return math.Abs(p[0]-q[0]) <= 1 && math.Abs(p[1]-q[1]) <= 1
}

// nearSegment reports whether p lies within rounding of the segment a-b:
// within a unit of it, as p and both ends were rounded to the grid.
func nearSegment(p, a, b orb.Point) bool {
	if p[0] < min(a[0], b[0])-1 || p[0] > max(a[0], b[0])+1 || p[1] < min(a[1], b[1])-1 || p[1] > max(a[1], b[1])+1 {
		return false
	}
	dx, dy := b[0]-a[0], b[1]-a[1]
	cross := dx*(p[1]-a[1]) - dy*(p[0]-a[0])
	return cross*cross <= dx*dx+dy*dy
}

// denseTile is the max-zoom tile holding the most features of a synthetic
// geological map of 3,000 units cut to zoom 7, as the ingest cuts it: some
// thousand polygons with holes and several parts, most crossing the boxes
// of its descendants.
func denseTile(t testing.TB) *Tile {
	t.Helper()
	seq, err := synth.Geology(synth.GeologyOptions{Units: 3000, VerticesPerEdge: 16, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// The map is in UTM metres: placed on a degree box of its size, as a
	// plain scale is all the tiles need.
	var features []*geojson.Feature
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for f := range seq {
		features = append(features, f)
		bound = bound.Union(f.Geometry.Bound())
	}
	for _, f := range features {
		f.Geometry = project.Geometry(f.Geometry, func(p orb.Point) orb.Point {
			return orb.Point{98 + (p[0]-bound.Min[0])/111e3, 15 + (p[1]-bound.Min[1])/111e3}
		})
	}
	var densest tileset.Tile
	for _, tl := range cutTiles(t, features, 7) {
		if len(tl.Data) > len(densest.Data) {
			densest = tl
		}
	}
	tile, err := Decode(densest.Data)
	if err != nil {
		t.Fatal(err)
	}
	return tile
}

// TestCutDenseTileAsOverlay cuts every descendant one to three zooms below
// a dense tile with the rectangle clip and with the overlay alone, which
// cut them before, and decodes both: the same features with the same
// attributes and the same polygons, except for the vertices the overlay
// adds where its ghost edges split an edge (see sameLayers). Most
// polygons must go through the rectangle clip for the test to mean
// anything.
func TestCutDenseTileAsOverlay(t *testing.T) {
	tile := denseTile(t)
	var calls, declined int
	counting := func(p orb.Polygon, box orb.Bound) []orb.Polygon {
		calls++
		if _, ok := clipRect(p, box); !ok {
			declined++
		}
		return clipPolygon(p, box)
	}
	var features, extra int
	for depth := 1; depth <= 3; depth++ {
		for x := 0; x < 1<<depth; x++ {
			for y := 0; y < 1<<depth; y++ {
				got := cutWith(t, counting, tile, depth, x, y)
				want := cutWith(t, overlayClip, tile, depth, x, y)
				diff, n, e := sameLayers(got, want)
				if n > 0 {
					t.Errorf("descendant %d/%d/%d: %d features differ from the overlay's; the first: %s", depth, x, y, n, diff)
				}
				for _, l := range want {
					features += len(l.Features)
				}
				extra += e
			}
		}
	}
	t.Logf("%d features in 84 descendants; %d polygons clipped, %d of them by the overlay; the overlay's cut had %d extra vertices", features, calls, declined, extra)
	if features < 3000 || calls < 1000 {
		t.Fatalf("%d features and %d clipped polygons: the tile is not dense enough to test", features, calls)
	}
	if declined*10 > calls {
		t.Errorf("the rectangle clip declined %d of %d polygons; most must go through it", declined, calls)
	}
}
