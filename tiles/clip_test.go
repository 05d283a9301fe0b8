package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

var box = orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{100, 100}}

func TestClipGeometryLeavesInputIntact(t *testing.T) {
	p := orb.Polygon{{{-50, -50}, {150, -50}, {150, 150}, {-50, 150}, {-50, -50}}}
	before := p.Clone()
	got := clipGeometry(p, p.Bound(), box)
	if !orb.Equal(p, before) {
		t.Fatalf("input changed to %v", p)
	}
	if a := ringArea(got.(orb.Polygon)[0]); a != 10000 && a != -10000 {
		t.Errorf("clipped area %v, want the whole box", a)
	}
}

func TestClipGeometrySharesWhatIsInside(t *testing.T) {
	ls := orb.LineString{{10, 10}, {20, 30}, {90, 90}}
	got := clipGeometry(ls, ls.Bound(), box).(orb.LineString)
	if &got[0] != &ls[0] {
		t.Error("a line wholly inside was copied")
	}
}

func TestClipGeometrySplitsLines(t *testing.T) {
	// In, out across the right edge, and back in.
	ls := orb.LineString{{50, 50}, {150, 50}, {150, 60}, {50, 60}}
	mls, ok := clipGeometry(ls, ls.Bound(), box).(orb.MultiLineString)
	if !ok || len(mls) != 2 {
		t.Fatalf("got %v, want two lines", mls)
	}
	if mls[0][len(mls[0])-1] != (orb.Point{100, 50}) || mls[1][0] != (orb.Point{100, 60}) {
		t.Errorf("lines %v do not end on the edge", mls)
	}
}

func TestClipGeometryDropsOutsideAndInsideHoles(t *testing.T) {
	if g := clipGeometry(orb.Point{101, 50}, orb.Point{101, 50}.Bound(), box); g != nil {
		t.Errorf("point outside kept: %v", g)
	}
	if g := clipGeometry(orb.MultiPoint{{101, 50}, {50, 50}}, orb.MultiPoint{{101, 50}, {50, 50}}.Bound(), box); !orb.Equal(g, orb.MultiPoint{{50, 50}}) {
		t.Errorf("multipoint clipped to %v", g)
	}
	// The box lies in the polygon's hole: nothing is left.
	donut := orb.Polygon{
		{{-100, -100}, {200, -100}, {200, 200}, {-100, 200}, {-100, -100}},
		{{-10, -10}, {-10, 110}, {110, 110}, {110, -10}, {-10, -10}},
	}
	if g := clipGeometry(donut, donut.Bound(), box); g != nil {
		t.Errorf("box inside the hole gave %v", g)
	}
	// An L whose bound meets the box but whose body does not.
	l := orb.Polygon{{{150, -50}, {200, -50}, {200, 200}, {-50, 200}, {-50, 150}, {150, 150}, {150, -50}}}
	if g := clipGeometry(l, l.Bound(), box); g != nil {
		t.Errorf("L-shape outside the box gave %v", g)
	}
}

func TestGeomBoundMatchesOrb(t *testing.T) {
	for _, g := range []orb.Geometry{
		orb.Point{3, 4},
		orb.MultiPoint{{1, 2}, {-3, 5}, {0, -1}},
		orb.LineString{{1, 2}, {-3, 5}},
		orb.MultiLineString{{{1, 2}, {-3, 5}}, {{10, 20}, {9, 8}}},
		orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 0}}, {{1, 1}, {2, 2}, {1, 2}, {1, 1}}},
		orb.MultiPolygon{{{{0, 0}, {9, 0}, {9, 9}, {0, 0}}}, {{{-5, -5}, {-4, -5}, {-4, -4}, {-5, -5}}}},
	} {
		if got, want := geomBound(g), g.Bound(); got != want {
			t.Errorf("%T: bound %v, want %v", g, got, want)
		}
	}
	// Simplification can push a hole a little out of its exterior; the bound
	// must still hold it, so that no vertex escapes clipping.
	p := orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 0}}, {{1, 1}, {12, 1}, {2, 2}, {1, 1}}}
	if got := geomBound(p); got.Max[0] != 12 {
		t.Errorf("bound %v leaves out the hole", got)
	}
}
