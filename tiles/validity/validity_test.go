package validity

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// rg builds a closed ring from x, y pairs.
func rg(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, orb.Point{xy[i], xy[i+1]})
	}
	return append(r, r[0])
}

// square is an exterior ring (clockwise with y down) of side s at (x, y).
func square(x, y, s float64) orb.Ring {
	return rg(x, y, x+s, y, x+s, y+s, x, y+s)
}

// hole is square reversed: a hole's winding.
func hole(x, y, s float64) orb.Ring {
	r := square(x, y, s)
	slices.Reverse(r)
	return r
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		g    orb.Geometry
		want Kind // 0: valid
	}{
		{"square", orb.Polygon{square(0, 0, 10)}, 0},
		{"square with a hole", orb.Polygon{square(0, 0, 10), hole(2, 2, 3)}, 0},
		{"repeated points", orb.Polygon{rg(0, 0, 10, 0, 10, 0, 10, 10, 0, 10, 0, 10)}, 0},
		{"hole touching the exterior at a point", orb.Polygon{square(0, 0, 10), rg(0, 5, 4, 8, 4, 2)}, 0},
		{"two holes touching at a point", orb.Polygon{square(0, 0, 10), hole(2, 2, 2), hole(4, 4, 2)}, 0},
		{"two holes and the exterior meeting at one point", orb.Polygon{square(0, 0, 10), rg(0, 5, 4, 4, 4, 2), rg(0, 5, 4, 8, 4, 6)}, 0},
		{"parts touching at a point", orb.MultiPolygon{{square(0, 0, 10)}, {square(10, 10, 5)}}, 0},
		{"a part inside another's hole", orb.MultiPolygon{{square(0, 0, 10), hole(2, 2, 6)}, {square(3, 3, 2)}}, 0},
		{"a part filling another's hole", orb.MultiPolygon{{square(0, 0, 10), hole(2, 2, 6)}, {square(2, 2, 6)}}, PartsOverlap},

		{"too few points", orb.Polygon{rg(0, 0, 10, 0, 10, 0)}, TooFewPoints},
		{"collinear triangle", orb.Polygon{rg(0, 0, 5, 0, 10, 0)}, WrongWinding},
		{"bow-tie", orb.Polygon{rg(0, 0, 10, 10, 10, 0, 0, 10)}, SelfIntersection},
		{"spike", orb.Polygon{rg(0, 0, 10, 0, 15, 0, 10, 0, 10, 10, 0, 10)}, SelfIntersection},
		// The clip's zero-width strip: two squares joined along y = 0.
		{"zero-width strip", orb.Polygon{rg(0, 0, 30, 0, 30, 10, 20, 10, 20, 0, 10, 0, 10, 10, 0, 10)}, SelfIntersection},
		{"figure eight touching at a vertex", orb.Polygon{rg(0, 0, 5, 5, 10, 0, 10, 10, 5, 5, 0, 10)}, SelfTouch},
		{"vertex on its own edge", orb.Polygon{rg(0, 0, 10, 0, 10, 10, 5, 0, 0, 10)}, SelfTouch},
		{"anticlockwise exterior", orb.Polygon{hole(0, 0, 10)}, WrongWinding},
		{"clockwise hole", orb.Polygon{square(0, 0, 10), square(2, 2, 3)}, WrongWinding},
		{"hole outside", orb.Polygon{square(0, 0, 10), hole(20, 20, 3)}, HoleOutside},
		{"hole crossing the exterior", orb.Polygon{square(0, 0, 10), hole(8, 2, 5)}, RingsCross},
		{"hole sharing an edge with the exterior", orb.Polygon{square(0, 0, 10), hole(0, 2, 10)}, RingsCross},
		{"nested holes", orb.Polygon{square(0, 0, 10), hole(1, 1, 8), hole(3, 3, 2)}, NestedHoles},
		{"hole touching the exterior twice", orb.Polygon{square(0, 0, 10), rg(0, 5, 5, 8, 10, 5, 5, 2)}, DisconnectedInterior},
		{"chain of holes across", orb.Polygon{square(0, 0, 10), rg(0, 5, 5, 6, 5, 4), rg(5, 5, 8, 7, 10, 5)}, DisconnectedInterior},
		{"overlapping parts", orb.MultiPolygon{{square(0, 0, 10)}, {square(5, 5, 10)}}, PartsOverlap},
		{"parts sharing an edge", orb.MultiPolygon{{square(0, 0, 10)}, {square(10, 0, 10)}}, PartsOverlap},
		{"a part inside another", orb.MultiPolygon{{square(0, 0, 10)}, {square(2, 2, 3)}}, PartsOverlap},
		{"points and lines are not checked", orb.LineString{{0, 0}, {1, 1}, {0, 0}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkKind(t, c.g, c.want)
		})
		// Scaled up, the segments' left ends span more than the counting
		// sort takes, so the same cases go through the comparison sort.
		t.Run(c.name+" scaled", func(t *testing.T) {
			checkKind(t, scale(c.g, 1000), c.want)
		})
	}
}

// scale multiplies every coordinate of a polygon or multipolygon by k.
func scale(g orb.Geometry, k float64) orb.Geometry {
	sp := func(p orb.Polygon) orb.Polygon {
		out := make(orb.Polygon, len(p))
		for i, r := range p {
			out[i] = make(orb.Ring, len(r))
			for j, q := range r {
				out[i][j] = orb.Point{k * q[0], k * q[1]}
			}
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		return sp(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = sp(p)
		}
		return out
	}
	return g
}

func checkKind(t *testing.T, g orb.Geometry, want Kind) {
	t.Helper()
	err := Check(g)
	var p *Problem
	switch {
	case want == 0 && err != nil:
		t.Errorf("Check = %v, want valid", err)
	case want != 0 && !errors.As(err, &p):
		t.Errorf("Check = %v, want %s", err, want)
	case want != 0 && p.Kind != want:
		t.Errorf("Check = %v, want %s", err, want)
	}
}

// wavy is a valid star-shaped ring of n vertices around (2048, 2048) whose
// radius wobbles between r and 2r.
func wavy(n int, r float64) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := r * (1.5 + 0.5*math.Sin(7*a))
		ring = append(ring, orb.Point{math.Round(2048 + d*math.Cos(a)), math.Round(2048 + d*math.Sin(a))})
	}
	return append(ring, ring[0])
}

// BenchmarkCheck checks valid polygons of the sizes a tile holds: many
// small ones spanning much of the tile, and a large one.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{12, 60, 2000} {
		p := orb.Polygon{wavy(n, 900)}
		if err := Check(p); err != nil {
			b.Fatalf("%d vertices: %v", n, err)
		}
		b.Run(fmt.Sprintf("%d vertices", n), func(b *testing.B) {
			for range b.N {
				Check(p)
			}
		})
	}
}
