package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/outcrop/outcrop/tiles/validity"
)

func TestClipPolygonSplitsPartsThatLeaveAndComeBack(t *testing.T) {
	// An arch whose top is above the box: inside, its two legs.
	arch := orb.Polygon{{{10, -80}, {90, -80}, {90, 50}, {60, 50}, {60, -50}, {40, -50}, {40, 50}, {10, 50}, {10, -80}}}
	g := clipGeometry(arch, arch.Bound(), box)
	mp, ok := g.(orb.MultiPolygon)
	if !ok || len(mp) != 2 {
		t.Fatalf("clipped to %v, want the two legs apart", g)
	}
	for _, p := range mp {
		if len(p) != 1 || ringArea(p[0]) != 1500 {
			t.Errorf("leg %v, want a 30×50 rectangle wound clockwise", p)
		}
	}
	if err := validity.Check(g); err != nil {
		t.Error(err)
	}
}

func TestClipPolygonOpensHolesCutByTheEdge(t *testing.T) {
	// A hole across the right edge becomes a notch in the exterior.
	p := orb.Polygon{
		{{-50, -50}, {150, -50}, {150, 150}, {-50, 150}, {-50, -50}},
		{{80, 40}, {80, 60}, {120, 60}, {120, 40}, {80, 40}},
	}
	g := clipGeometry(p, p.Bound(), box)
	q, ok := g.(orb.Polygon)
	if !ok || len(q) != 1 || ringArea(q[0]) != 100*100-20*20 {
		t.Fatalf("clipped to %v, want the box less a 20×20 notch, no hole", g)
	}
	if err := validity.Check(g); err != nil {
		t.Error(err)
	}
	// A hole wholly inside stays a hole.
	p[1] = orb.Ring{{40, 40}, {40, 60}, {60, 60}, {60, 40}, {40, 40}}
	g = clipGeometry(p, p.Bound(), box)
	if q, ok := g.(orb.Polygon); !ok || len(q) != 2 || math.Abs(planar.Area(q)-9600) > 1e-9 {
		t.Errorf("clipped to %v, want the box with its hole", g)
	}
}

func TestClipPolygonAlongTheEdge(t *testing.T) {
	// Pieces clipped by a parent node run along the edges a child shares
	// with it; the part along the edge is the polygon's own border.
	p := orb.Polygon{{{0, 0}, {150, 0}, {150, 50}, {0, 50}, {0, 0}}}
	g := clipGeometry(p, p.Bound(), box)
	if q, ok := g.(orb.Polygon); !ok || len(q) != 1 || ringArea(q[0]) != 5000 {
		t.Errorf("clipped to %v, want the 100×50 top half", g)
	}
	// All of the box, clipped down to its outline.
	p = orb.Polygon{{{0, -50}, {100, -50}, {100, 100}, {0, 100}, {0, -50}}}
	if g := clipPolygon(p, box); len(g) != 1 || len(g[0]) != 1 || ringArea(g[0][0]) != 10000 {
		t.Errorf("a polygon over all of the box clipped to %v", g)
	}
}
