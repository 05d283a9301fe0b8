package tileset

import (
	"testing"

	"github.com/paulmach/orb"
)

func bound(minX, minY, maxX, maxY float64) orb.Bound {
	return orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}
}

func TestIntersects(t *testing.T) {
	diagonal := orb.LineString{{0, 0}, {10, 10}}
	triangle := orb.Polygon{{{0, 0}, {10, 0}, {0, 10}, {0, 0}}}
	frame := orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}, // a hole
	}
	lShape := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	for _, c := range []struct {
		name string
		g    orb.Geometry
		b    orb.Bound
		want bool
	}{
		{"point inside", orb.Point{1, 1}, bound(0, 0, 2, 2), true},
		{"point on the edge", orb.Point{2, 1}, bound(0, 0, 2, 2), true},
		{"point outside", orb.Point{2.5, 1}, bound(0, 0, 2, 2), false},
		{"multipoint, one inside", orb.MultiPoint{{5, 5}, {1, 1}}, bound(0, 0, 2, 2), true},
		{"multipoint around the box", orb.MultiPoint{{-1, -1}, {3, 3}}, bound(0, 0, 2, 2), false},

		{"line, vertex inside", orb.LineString{{1, 1}, {5, 5}}, bound(0, 0, 2, 2), true},
		{"line crossing without a vertex inside", orb.LineString{{-1, 1}, {5, 1}}, bound(0, 0, 2, 2), true},
		{"line in the envelope, off the box", diagonal, bound(8, 0, 10, 2), false},
		{"line touching a corner", diagonal, bound(5, -5, 10, 5), true},
		{"line passing a corner closely", orb.LineString{{0, 9.999999}, {9.999999, 0}}, bound(5, 5, 6, 6), false},
		{"multiline, second part crosses", orb.MultiLineString{{{20, 20}, {30, 30}}, {{-1, 1}, {5, 1}}}, bound(0, 0, 2, 2), true},
		{"one-point line", orb.LineString{{1, 1}}, bound(0, 0, 2, 2), true},

		{"triangle, box in the empty corner of its envelope", triangle, bound(8, 8, 10, 10), false},
		{"triangle, box touching the hypotenuse", triangle, bound(5, 5, 6, 6), true},
		{"triangle, box inside without its vertices", triangle, bound(1, 1, 2, 2), true},
		{"triangle, box holding it", triangle, bound(-1, -1, 11, 11), true},
		{"frame, box in the hole", frame, bound(3, 3, 7, 7), false},
		{"frame, box across the hole's edge", frame, bound(1, 3, 3, 4), true},
		{"frame, box around the hole", frame, bound(1, 1, 9, 9), true},
		{"L, box in the notch", lShape, bound(4, 4, 9, 9), false},
		{"L, box in the arm", lShape, bound(0.5, 4, 1.5, 5), true},
		{"multipolygon, second part", orb.MultiPolygon{triangle, {{{20, 20}, {30, 20}, {20, 30}, {20, 20}}}}, bound(21, 21, 22, 22), true},
		{"ring", orb.Ring{{0, 0}, {10, 0}, {0, 10}, {0, 0}}, bound(8, 8, 10, 10), false},
		{"unclosed ring, the closing edge", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}}}, bound(3, 4, 5, 6), true},
		{"collection", orb.Collection{orb.Point{50, 50}, diagonal}, bound(4, 4, 5, 5), true},
		{"empty polygon", orb.Polygon{}, bound(0, 0, 1, 1), false},
		{"bound", bound(0, 0, 1, 1), bound(1, 1, 2, 2), true},
	} {
		if got := intersects(c.g, c.b); got != c.want {
			t.Errorf("%s: intersects = %v, want %v", c.name, got, c.want)
		}
	}
}
