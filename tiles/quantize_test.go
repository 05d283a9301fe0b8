package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestTileGeometryWindsRingsForMVT(t *testing.T) {
	// Exterior counter-clockwise on screen (negative area with y down) and
	// a hole clockwise: both wrong for MVT.
	p := orb.Polygon{
		{{0, 0}, {0, 100}, {100, 100}, {100, 0}, {0, 0}},
		{{10, 10}, {90, 10}, {90, 90}, {10, 90}, {10, 10}},
	}
	if ringArea(p[0]) >= 0 || ringArea(p[1]) <= 0 {
		t.Fatal("fixture is not wound the wrong way")
	}
	g, ok := tileGeometry(p, 0, 0).(orb.Polygon)
	if !ok || len(g) != 2 {
		t.Fatalf("got %v, want a polygon with its hole", g)
	}
	if ringArea(g[0]) != 10000 || ringArea(g[1]) != -6400 {
		t.Errorf("areas %v and %v, want 10000 and -6400", ringArea(g[0]), ringArea(g[1]))
	}
	if !g[0].Closed() || !g[1].Closed() {
		t.Errorf("rings not closed: %v", g)
	}
}

func TestTileGeometryQuantisesAgainstTileOrigin(t *testing.T) {
	// World pixel 8192+100.4 in the tile starting at 8192 is 100.
	g := tileGeometry(orb.Point{8192 + 100.4, 4096 + 5.6}, 8192, 4096)
	if g != (orb.Point{100, 6}) {
		t.Errorf("got %v, want [100 6]", g)
	}
}

func TestTileGeometryDropsDegenerates(t *testing.T) {
	for name, tc := range map[string]struct {
		in   orb.Geometry
		want orb.Geometry
	}{
		"line collapsing to a point": {orb.LineString{{1.1, 1.1}, {1.2, 0.9}, {0.8, 1.3}}, nil},
		"repeated points removed":    {orb.LineString{{0, 0}, {0.2, 0}, {5, 0}, {5.1, 0}}, orb.LineString{{0, 0}, {5, 0}}},
		"sliver ring":                {orb.Polygon{{{0, 0}, {10, 0.2}, {20, 0}, {10, -0.2}, {0, 0}}}, nil},
		"ring of two points":         {orb.Polygon{{{0, 0}, {0.3, 0.3}, {5, 5}, {0, 0}}}, nil},
		"one of two lines left": {
			orb.MultiLineString{{{0, 0}, {0.1, 0.1}}, {{0, 0}, {3, 4}}},
			orb.LineString{{0, 0}, {3, 4}},
		},
		"hole filling the exterior": {
			orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 9}, {0, 0}}, {{0, 0}, {0, 9}, {9, 9}, {9, 0.1}, {0, 0}}},
			nil,
		},
		"degenerate hole dropped": {
			orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 9}, {0, 0}}, {{2, 2}, {2.1, 2.1}, {2.2, 2}, {2, 2}}},
			orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 9}, {0, 0}}},
		},
	} {
		got := tileGeometry(tc.in, 0, 0)
		if !orbEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
}

func orbEqual(a, b orb.Geometry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return orb.Equal(a, b)
}
