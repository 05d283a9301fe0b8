package overzoom

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestClipRect(t *testing.T) {
	box := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{100, 100}}
	for _, c := range []struct {
		name string
		p    orb.Polygon
		want []orb.Polygon // nil with ok false: declined
		ok   bool
	}{
		{"inside", orb.Polygon{square(10, 10, 20, 20)}, []orb.Polygon{{square(10, 10, 20, 20)}}, true},
		{"outside", orb.Polygon{square(200, 10, 220, 20)}, nil, true},
		{"around the box", orb.Polygon{square(-10, -10, 110, 110)}, []orb.Polygon{{square(0, 0, 100, 100)}}, true},
		{"box in a hole", orb.Polygon{square(-20, -20, 120, 120), reversed(square(-10, -10, 110, 110))}, nil, true},
		{"hole inside, exterior around", orb.Polygon{square(-10, -10, 110, 110), reversed(square(40, 40, 60, 60))},
			[]orb.Polygon{{square(0, 0, 100, 100), reversed(square(40, 40, 60, 60))}}, true},
		{"crossing one side", orb.Polygon{square(50, 20, 150, 40)}, []orb.Polygon{{{{50, 20}, {100, 20}, {100, 40}, {50, 40}, {50, 20}}}}, true},
		{"hole crossing a side", orb.Polygon{square(-10, -10, 110, 110), reversed(square(50, 40, 150, 60))},
			[]orb.Polygon{{{{50, 40}, {50, 60}, {100, 60}, {100, 100}, {0, 100}, {0, 0}, {100, 0}, {100, 40}, {50, 40}}}}, true},
		// A U whose bottom is outside: two parts, not one joined along the edge.
		{"leaves and re-enters", orb.Polygon{{{10, 50}, {10, 150}, {90, 150}, {90, 50}, {70, 50}, {70, 130}, {30, 130}, {30, 50}, {10, 50}}},
			[]orb.Polygon{{square(10, 50, 30, 100)}, {square(70, 50, 90, 100)}}, true},
		// A tip touching the top side from inside, turning left: one chain.
		{"tip touches the edge", orb.Polygon{{{10, 10}, {90, 10}, {50, 100}, {10, 10}}}, []orb.Polygon{{{{10, 10}, {90, 10}, {50, 100}, {10, 10}}}}, true},
		{"tip touches, crossing elsewhere", orb.Polygon{{{-10, 10}, {90, 10}, {50, 100}, {-10, 10}}},
			[]orb.Polygon{{{{0, 10}, {90, 10}, {50, 100}, {0, 25}, {0, 10}}}}, true},
		// A hole touching the bottom side from inside: the polygon covers
		// the side on both sides of the point; the hole stays a hole,
		// touching the exterior there.
		{"hole touches the edge", orb.Polygon{square(-10, -10, 110, 110), {{50, 0}, {40, 50}, {60, 50}, {50, 0}}},
			[]orb.Polygon{{{{50, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}, {50, 0}}, {{50, 0}, {40, 50}, {60, 50}, {50, 0}}}}, true},
		// A notch of the outside coming in from the top and touching the
		// bottom side: two parts, touching there.
		{"notch touches the edge", orb.Polygon{{{-10, -10}, {110, -10}, {110, 110}, {60, 110}, {50, 0}, {40, 110}, {-10, 110}, {-10, -10}}},
			[]orb.Polygon{
				{{{50, 0}, {100, 0}, {100, 100}, {59.09090909090909, 100}, {50, 0}}},
				{{{50, 0}, {40.90909090909091, 100}, {0, 100}, {0, 0}, {50, 0}}},
			}, true},
	} {
		got, ok := clipRect(c.p, box)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if len(got[i]) != len(c.want[i]) {
				t.Errorf("%s: part %d %v, want %v", c.name, i, got[i], c.want[i])
				continue
			}
			for k := range got[i] {
				if !ringsEqual(got[i][k], c.want[i][k]) {
					t.Errorf("%s: part %d ring %d %v, want %v", c.name, i, k, got[i][k], c.want[i][k])
				}
			}
		}
	}
}

func reversed(r orb.Ring) orb.Ring {
	r = append(orb.Ring(nil), r...)
	r.Reverse()
	return r
}
