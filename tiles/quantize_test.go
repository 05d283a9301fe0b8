package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestTileGeometryDropsRingsTurnedOverByRounding(t *testing.T) {
	// Wound for MVT (exterior positive with y down), kept as they are.
	p := orb.Polygon{
		{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}},
		{{10, 10}, {10, 90}, {90, 90}, {90, 10}, {10, 10}},
	}
	if ringArea(p[0]) <= 0 || ringArea(p[1]) >= 0 {
		t.Fatal("fixture is not wound for MVT")
	}
	g, ok := tileGeometry(p, 0, 0, 4096).(orb.Polygon)
	if !ok || len(g) != 2 || ringArea(g[0]) != 10000 || ringArea(g[1]) != -6400 || !g[0].Closed() || !g[1].Closed() {
		t.Fatalf("got %v, want the polygon with its hole, closed", g)
	}
	// A sliver of a hole whose rounded vertices cross over: gone, the
	// exterior stays.
	twisted := orb.Polygon{p[0], {{10, 10}, {10.4, 60}, {9.6, 60.2}, {10, 90}, {10.3, 60.1}, {10, 10}}}
	if g, ok := tileGeometry(twisted, 0, 0, 4096).(orb.Polygon); !ok || len(g) != 1 {
		t.Errorf("got %v, want the exterior alone", g)
	}
	// An exterior turned over: nothing.
	if g := tileGeometry(orb.Polygon{{{0, 0}, {0, 100}, {100, 100}, {100, 0}, {0, 0}}}, 0, 0, 4096); g != nil {
		t.Errorf("got %v from an exterior wound backwards, want nothing", g)
	}
}

func TestTileGeometryQuantisesAgainstTileOrigin(t *testing.T) {
	// World pixel 8192+100.4 in the tile starting at 8192 is 100.
	g := tileGeometry(orb.Point{8192 + 100.4, 4096 + 5.6}, 8192, 4096, 4096)
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
		got := tileGeometry(tc.in, 0, 0, 4096)
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

func TestPointsDoNotRoundOverTheTileEdge(t *testing.T) {
	for _, tc := range []struct{ in, want orb.Point }{
		{orb.Point{4095.7, 10.2}, orb.Point{4095, 10}},   // inside, by the east edge
		{orb.Point{4096.2, 10}, orb.Point{4096, 10}},     // in the east buffer
		{orb.Point{-0.3, -0.6}, orb.Point{-1, -1}},       // in the north-west buffer
		{orb.Point{0.4, 4095.5}, orb.Point{0, 4095}},     // inside, by the south-west corner
		{orb.Point{-20.4, 4100.6}, orb.Point{-20, 4101}}, // well in the buffer: plain rounding
	} {
		if got := tileGeometry(tc.in, 0, 0, 4096); got != tc.want {
			t.Errorf("%v quantised to %v, want %v", tc.in, got, tc.want)
		}
	}
}
