package tileset

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// writeFeatures commits feats, in batches of batch, with one tile as a new
// version of tileset id in dir, and opens it.
func writeFeatures(t testing.TB, dir, id string, feats []*geojson.Feature, batch int) *Reader {
	t.Helper()
	w, err := Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(feats); i += batch {
		if err := w.PutFeatures(feats[i:min(i+batch, len(feats))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Put(Tile{Z: 0, X: 0, Y: 0, Data: gz(t, payload(id, 0, 0, 0))}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&Metadata{Title: id, Layer: id, GeometryType: "mixed", MaxZoom: 0}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(tilesetPath(dir, id))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// queryIDs runs q and returns numberMatched and the ids passed to the
// callback, checking that each id is the one in its JSON.
func queryIDs(t testing.TB, r *Reader, q FeatureQuery) (int64, []uint64) {
	t.Helper()
	var ids []uint64
	matched, err := r.Features(q, func(f RawFeature) error {
		back, err := geojson.UnmarshalFeature(f.JSON)
		if err != nil {
			t.Fatalf("feature %d: %v\n%s", f.ID, err, f.JSON)
		}
		if back.ID != float64(f.ID) {
			t.Fatalf("feature %d carries id %v", f.ID, back.ID)
		}
		ids = append(ids, f.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("Features(%+v): %v", q, err)
	}
	return matched, ids
}

// randomFeatures returns n features over [100, 110] × [0, 10] with ids 1 to
// 2n, odd only, so that ids have gaps as in a source with skipped features:
// a third points, a third lines and a third polygons (some with a hole, some
// multi-part), with properties "kind", "n" (the index) and "even".
func randomFeatures(rng *rand.Rand, n int) []*geojson.Feature {
	feats := make([]*geojson.Feature, n)
	for i := range feats {
		c := orb.Point{100 + 10*rng.Float64(), 10 * rng.Float64()}
		var g orb.Geometry
		kind := []string{"point", "line", "polygon"}[i%3]
		switch kind {
		case "point":
			g = c
			if rng.IntN(10) == 0 {
				g = orb.MultiPoint{c, {c[0] + rng.Float64(), c[1] + rng.Float64()}}
			}
		case "line":
			l := orb.LineString{c}
			for range 1 + rng.IntN(5) {
				p := l[len(l)-1]
				l = append(l, orb.Point{p[0] + 2*rng.Float64() - 1, p[1] + 2*rng.Float64() - 1})
			}
			g = l
			if rng.IntN(10) == 0 {
				g = orb.MultiLineString{l, {{c[0] + 1, c[1]}, {c[0] + 1, c[1] + 1}}}
			}
		case "polygon":
			p := starPolygon(rng, c, 0.2+1.5*rng.Float64())
			g = p
			if rng.IntN(10) == 0 {
				g = orb.MultiPolygon{p, starPolygon(rng, orb.Point{c[0] + 3, c[1]}, 0.5)}
			}
		}
		f := geojson.NewFeature(g)
		f.ID = uint64(2*i + 1)
		f.Properties = geojson.Properties{"kind": kind, "n": int64(i), "even": i%2 == 0}
		feats[i] = f
	}
	return feats
}

// starPolygon returns a simple polygon around c: 5 to 12 vertices at jittered,
// evenly spread angles and radii from rmin to 2·rmin; half of them have a
// square hole small enough to stay inside the shell.
func starPolygon(rng *rand.Rand, c orb.Point, rmin float64) orb.Polygon {
	n := 5 + rng.IntN(8)
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * (float64(i) + 0.9*rng.Float64()) / float64(n)
		r := rmin * (1 + rng.Float64())
		ring = append(ring, orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	p := orb.Polygon{ring}
	if rng.IntN(2) == 0 {
		// Gaps between angles stay below 4π/5, so the shell holds a disc
		// of radius rmin·cos(2π/5) ≈ 0.31·rmin around c.
		h := 0.2 * rmin
		p = append(p, orb.Ring{{c[0] - h, c[1] - h}, {c[0] - h, c[1] + h}, {c[0] + h, c[1] + h}, {c[0] + h, c[1] - h}, {c[0] - h, c[1] - h}})
	}
	return p
}

// bruteIntersects is the reference the index and its exact test must agree
// with, computed another way: by clipping the geometry to the box with orb's
// clip package, and for polygons measuring the area left (outer rings less
// holes), so that a polygon merely surrounding the box, or a box in a hole,
// is told apart. It ignores mere touching, which random data never does.
func bruteIntersects(g orb.Geometry, b orb.Bound) bool {
	switch g := g.(type) {
	case orb.Point:
		return b.Contains(g)
	case orb.MultiPoint:
		return len(clip.MultiPoint(b, g)) > 0
	case orb.LineString:
		return len(clip.LineString(b, g)) > 0
	case orb.MultiLineString:
		return len(clip.MultiLineString(b, g)) > 0
	case orb.Polygon:
		area := 0.0
		for i, r := range g {
			c := clip.Ring(b, orb.Clone(r).(orb.Ring))
			a := math.Abs(planar.Area(c))
			if i > 0 {
				a = -a
			}
			area += a
		}
		return area > 1e-9*(b.Max[0]-b.Min[0])*(b.Max[1]-b.Min[1])
	case orb.MultiPolygon:
		for _, p := range g {
			if bruteIntersects(p, b) {
				return true
			}
		}
	}
	return false
}

// randomBoxes returns n query boxes over the data, from tiny to a third of
// its extent, and some beside it.
func randomBoxes(rng *rand.Rand, n int) []orb.Bound {
	boxes := make([]orb.Bound, n)
	for i := range boxes {
		x, y := 99+12*rng.Float64(), -1+12*rng.Float64()
		s := math.Pow(10, -2+2.5*rng.Float64())
		boxes[i] = bound(x, y, x+s*rng.Float64(), y+s*rng.Float64())
	}
	return boxes
}
