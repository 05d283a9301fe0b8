package gdal

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

func TestWKBDecodesWithOrb(t *testing.T) {
	_, feats := wktLayer(t,
		"POINT (100 10)",
		"LINESTRING (0 0,1 1,2 0)",
		"MULTIPOLYGON (((0 0,4 0,4 4,0 4,0 0),(1 1,1 2,2 2,1 1)),((5 5,6 5,6 6,5 5)))",
	)
	want := []orb.Geometry{
		orb.Point{100, 10},
		orb.LineString{{0, 0}, {1, 1}, {2, 0}},
		orb.MultiPolygon{
			{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {1, 1}}},
			{{{5, 5}, {6, 5}, {6, 6}, {5, 5}}},
		},
	}
	for i, f := range feats {
		b, err := f.Geometry().WKB()
		if err != nil {
			t.Fatal(err)
		}
		got, err := wkb.Unmarshal(b)
		if err != nil {
			t.Fatalf("feature %d: orb cannot decode GDAL's WKB: %v", i, err)
		}
		if !orb.Equal(got, want[i]) {
			t.Errorf("feature %d = %v, want %v", i, got, want[i])
		}
	}
}

func TestFlattenTo2D(t *testing.T) {
	_, feats := wktLayer(t, "LINESTRING ZM (0 0 5 7,1 1 6 8)")
	g := feats[0].Geometry()
	g.FlattenTo2D()
	if g.Type() != GTLineString {
		t.Fatalf("type after FlattenTo2D = %s", g.Type().Name())
	}
	b, _ := g.WKB()
	got, err := wkb.Unmarshal(b)
	if err != nil || !orb.Equal(got, orb.LineString{{0, 0}, {1, 1}}) {
		t.Errorf("flattened = %v, %v", got, err)
	}
}

func TestValidAndMakeValid(t *testing.T) {
	_, feats := wktLayer(t,
		"POLYGON ((0 0,2 2,2 0,0 2,0 0))", // bow tie
		"POLYGON ((0 0,1 0,1 1,0 1,0 0))",
	)
	bowtie, square := feats[0].Geometry(), feats[1].Geometry()
	if bowtie.Valid() {
		t.Error("bow tie reported valid")
	}
	if !square.Valid() {
		t.Error("square reported invalid")
	}
	fixed, err := bowtie.MakeValid("METHOD=STRUCTURE")
	if err != nil {
		t.Fatal(err)
	}
	defer fixed.Close()
	if !fixed.Valid() || fixed.Type().Flatten() != GTMultiPolygon {
		t.Errorf("repaired bow tie: valid %v, type %s; want a valid multipolygon", fixed.Valid(), fixed.Type().Name())
	}
	b, _ := fixed.WKB()
	g, _ := wkb.Unmarshal(b)
	if mp, ok := g.(orb.MultiPolygon); !ok || len(mp) != 2 || abs(mp[0].Bound().Max[0]-mp[0].Bound().Min[0]) > 1.0001 {
		t.Errorf("repaired bow tie = %v, want its two triangles", g)
	}
	if square.Empty() || bowtie.Empty() {
		t.Error("non-empty polygon reported empty")
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestEmpty(t *testing.T) {
	_, feats := wktLayer(t, "POLYGON EMPTY", "GEOMETRYCOLLECTION EMPTY")
	for i, f := range feats {
		if g := f.Geometry(); g == nil || !g.Empty() {
			t.Errorf("feature %d: want an empty geometry, got %v", i, g)
		}
	}
}

func TestLinearGeometry(t *testing.T) {
	_, feats := wktLayer(t, "CURVEPOLYGON (CIRCULARSTRING (0 0,1 1,2 0,1 -1,0 0))", "LINESTRING (0 0,1 1)")
	curved, straight := feats[0].Geometry(), feats[1].Geometry()
	if !curved.HasCurve() || straight.HasCurve() {
		t.Fatalf("HasCurve: curved %v, straight %v", curved.HasCurve(), straight.HasCurve())
	}
	lin, err := curved.LinearGeometry()
	if err != nil {
		t.Fatal(err)
	}
	defer lin.Close()
	if lin.Type() != GTPolygon || lin.HasCurve() {
		t.Fatalf("linearised type %s", lin.Type().Name())
	}
	b, _ := lin.WKB()
	g, _ := wkb.Unmarshal(b)
	p := g.(orb.Polygon)
	if len(p[0]) < 16 {
		t.Errorf("circle linearised to %d points; want a smooth ring", len(p[0]))
	}
	for _, pt := range p[0] {
		if d := (pt[0]-1)*(pt[0]-1) + pt[1]*pt[1]; d < 0.999 || d > 1.001 {
			t.Fatalf("point %v is off the unit circle around (1,0)", pt)
		}
	}
}

func TestForceToMultiPolygon(t *testing.T) {
	_, feats := wktLayer(t, "TIN (((0 0,1 0,0 1,0 0)),((1 0,1 1,0 1,1 0)))")
	g := feats[0].Geometry()
	mp := g.ForceToMultiPolygon()
	defer mp.Close()
	if mp.Type().Flatten() != GTMultiPolygon {
		t.Errorf("forced type %s, want MultiPolygon", mp.Type().Name())
	}
	if g.Type().Flatten() != GTTIN {
		t.Errorf("source geometry changed to %s", g.Type().Name())
	}
}

func TestNewGeometryFromWKB(t *testing.T) {
	want := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	g, err := NewGeometryFromWKB(wkb.MustMarshal(want))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	b, _ := g.WKB()
	if got, err := wkb.Unmarshal(b); err != nil || !orb.Equal(got, want) {
		t.Errorf("round trip = %v, %v; want %v", got, err, want)
	}
	if _, err := NewGeometryFromWKB([]byte{1, 3, 0}); err == nil {
		t.Error("truncated WKB accepted")
	}
}

// TestSetPrecision: rounding alone would make the ring touch itself (the
// notch's tip lands on the opposite edge); snap-rounding gives a valid
// geometry on the grid, and a sliver thinner than the grid vanishes.
func TestSetPrecision(t *testing.T) {
	notch := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {5, 10}, {5, 0.04}, {4, 10}, {0, 10}, {0, 0}}}
	sliver := orb.Polygon{{{0, 0}, {10, 0}, {10, 0.01}, {0, 0}}}
	for _, tc := range []struct {
		name  string
		in    orb.Polygon
		empty bool
	}{{"notch", notch, false}, {"sliver", sliver, true}} {
		in, err := NewGeometryFromWKB(wkb.MustMarshal(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		if !in.Valid() {
			t.Fatalf("%s: the input is invalid", tc.name)
		}
		out, err := in.SetPrecision(0.1)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		defer out.Close()
		if out.Empty() != tc.empty {
			t.Errorf("%s: empty = %v, want %v", tc.name, out.Empty(), tc.empty)
		}
		if !out.Valid() {
			w, _ := out.WKT()
			t.Errorf("%s: invalid after SetPrecision: %s", tc.name, w)
		}
		b, _ := out.WKB()
		got, _ := wkb.Unmarshal(b)
		if bad, ok := offGrid(got, 0.1); ok {
			t.Errorf("%s: %v is not on the 0.1 grid", tc.name, bad)
		}
	}
}

func offGrid(g orb.Geometry, grid float64) (orb.Point, bool) {
	var found orb.Point
	var off bool
	var walk func(orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Polygon:
			for _, r := range g {
				for _, p := range r {
					for _, v := range p {
						if math.Abs(v/grid-math.Round(v/grid)) > 1e-9 {
							found, off = p, true
						}
					}
				}
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		}
	}
	walk(g)
	return found, off
}
