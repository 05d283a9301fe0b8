package tiles

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func topologyOf(t *testing.T, features ...*geojson.Feature) *topology {
	t.Helper()
	feats, err := prepare(t.Context(), features, 1)
	if err != nil {
		t.Fatal(err)
	}
	return buildTopology(feats)
}

func TestTopologySharesBordersAsArcs(t *testing.T) {
	// Two squares side by side, A west of B, and a third, C, under both:
	//
	//	+---+---+
	//	| A | B |
	//	+---+---+
	//	|   C   |
	//	+-------+
	//
	// Nodes where three rings meet: (1,1) and the outer ends of the shared
	// borders, (0,1) and (2,1). Arcs: A|B, A|C, B|C, A's outer border,
	// B's, C's: six.
	a := orb.Polygon{{{0, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 1}}}
	b := orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}}
	c := orb.Polygon{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {0, 1}, {0, 0}}}
	topo := topologyOf(t, input(1, a, nil), input(2, b, nil), input(3, c, nil))
	if topo.arcs() != 6 || len(topo.faces) != 3 {
		t.Fatalf("%d arcs and %d faces, want 6 and 3", topo.arcs(), len(topo.faces))
	}
	shared := 0
	for arc, s := range topo.sides {
		if s[0] >= 0 && s[1] >= 0 {
			shared++
			if s[0] == s[1] {
				t.Errorf("arc %d has face %d on both sides", arc, s[0])
			}
		}
	}
	if shared != 3 {
		t.Errorf("%d arcs shared by two faces, want 3", shared)
	}
	// Every ring closes: each arc ends where the next begins.
	for fi, f := range topo.faces {
		for _, ring := range f.rings {
			for k, r := range ring {
				next := ring[(k+1)%len(ring)]
				if topo.endNode(r) != topo.startNode(next) {
					t.Errorf("face %d: arc %d does not lead into arc %d", fi, r, next)
				}
			}
		}
		if f.area <= 0 {
			t.Errorf("face %d has area %g", fi, f.area)
		}
	}
}

func TestTopologyHoleAndIslandShareOneClosedArc(t *testing.T) {
	// A unit with a hole filled exactly by an intrusion, given with both
	// rings in the same direction: winding is fixed by prepare.
	host := orb.Polygon{
		{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
		{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}},
	}
	intrusion := orb.Polygon{{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}}
	topo := topologyOf(t, input(1, host, nil), input(2, intrusion, nil))
	if topo.arcs() != 2 {
		t.Fatalf("%d arcs, want the outer ring and the shared one", topo.arcs())
	}
	hole, island := topo.faces[0].rings[1], topo.faces[1].rings[0]
	if len(hole) != 1 || len(island) != 1 || hole[0] != ^island[0] {
		t.Errorf("hole %v and island %v should walk one arc in opposite directions", hole, island)
	}
	// In Web Mercator, about three times (the stretch grows northwards).
	if r := topo.faces[0].area / topo.faces[1].area; r < 2.99 || r > 3.01 {
		t.Errorf("host area %g is %.4f times the intrusion's, want 3", topo.faces[0].area, r)
	}
}
