package synth

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// rounding is the most a centimetre rounding moves a vertex.
const rounding = 0.01

// TestContactStaysInItsLens checks the two properties that keep contacts
// from crossing: a contact advances along its edge at every vertex (so it
// cannot cross itself), and it stays within lensFill of the height of the
// triangles between its edge and the two cell centres (so it cannot reach
// another contact or an intrusion).
func TestContactStaysInItsLens(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	scratch := make([]float64, 1025)
	for trial := 0; trial < 300; trial++ {
		a := orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
		b := orb.Point{a[0] + 2000 + rng.Float64()*8000, a[1] + (rng.Float64()-0.5)*8000}
		length := math.Hypot(b[0]-a[0], b[1]-a[1])
		ux, uy := (b[0]-a[0])/length, (b[1]-a[1])/length
		frame := func(p orb.Point) (s, t float64) {
			return (p[0]-a[0])*ux + (p[1]-a[1])*uy, -(p[0]-a[0])*uy + (p[1]-a[1])*ux
		}
		// Apexes anywhere either side, including past the edge's ends.
		at := func(s, t float64) orb.Point {
			return orb.Point{a[0] + s*ux - t*uy, a[1] + s*uy + t*ux}
		}
		cl := at((rng.Float64()*1.6-0.3)*length, (0.1+rng.Float64())*length)
		cr := at((rng.Float64()*1.6-0.3)*length, -(0.1+rng.Float64())*length)
		ls, lt := frame(cl)
		rs, rt := frame(cr)

		n := 2 + rng.IntN(1000)
		pts := contact(nil, a, b, cl, cr, n, rng, scratch)
		if len(pts) != n-1 {
			t.Fatalf("%d segments gave %d interior vertices, want %d", n, len(pts), n-1)
		}
		prev := 0.0
		for k, p := range pts {
			s, h := frame(p)
			if s <= prev {
				t.Fatalf("trial %d: vertex %d goes back along the edge (%g after %g)", trial, k, s, prev)
			}
			prev = s
			if h >= 0 {
				if limit := lensFill*triangleHeight(s, length, ls, lt) + rounding; h > limit {
					t.Fatalf("trial %d: vertex %d is %g m left of its edge, limit %g", trial, k, h, limit)
				}
			} else if limit := lensFill*triangleHeight(s, length, rs, -rt) + rounding; -h > limit {
				t.Fatalf("trial %d: vertex %d is %g m right of its edge, limit %g", trial, k, -h, limit)
			}
		}
		if prev >= length {
			t.Fatalf("trial %d: contact overshoots its end node", trial)
		}
	}
}

func TestTriangleHeight(t *testing.T) {
	for _, c := range []struct{ s, length, cs, ct, want float64 }{
		{5, 10, 5, 4, 4},      // at the apex
		{2.5, 10, 5, 4, 2},    // halfway up the left side
		{7.5, 10, 5, 4, 2},    // halfway down the right side
		{5, 10, -10, 4, 1},    // apex beyond a: only the side through b bounds
		{5, 10, 20, 4, 1},     // apex beyond b: only the side through a bounds
		{0, 10, 3, 4, 0},      // at a node the lens closes
		{10, 10, 3, 4, 0},     // and at the other
		{1, 10, 10, 10, 1},    // right angle at b
		{9, 10, 0, 10, 1},     // right angle at a
		{3, 10, 6, 12, 6},     // steep left side
		{8, 10, 6, 12, 6},     // steep right side
		{4, 8, 4, 0.5, 0.5},   // flat triangle
		{1, 8, 4, 0.5, 0.125}, // flat, near a
	} {
		if got := triangleHeight(c.s, c.length, c.cs, c.ct); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("triangleHeight(%g, %g, %g, %g) = %g, want %g", c.s, c.length, c.cs, c.ct, got, c.want)
		}
	}
}

// TestIntrusionStaysInTheInnerHalfOfItsCell checks that an intrusion is a
// closed, anticlockwise ring, star-shaped around the cell centre and within
// the half of the cell nearest it, where contacts never reach.
func TestIntrusionStaysInTheInnerHalfOfItsCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	// A jittered hexagon around the origin.
	var hex []orb.Point
	for k := 0; k < 6; k++ {
		a := math.Pi/6 + math.Pi/3*float64(k)
		r := 5000 * (0.8 + 0.4*rng.Float64())
		hex = append(hex, orb.Point{r * math.Cos(a), 1.6 * r * math.Sin(a)})
	}
	var bounds [][2]orb.Point
	for k := range hex {
		bounds = append(bounds, [2]orb.Point{hex[k], hex[(k+1)%6]})
	}
	c := orb.Point{0, 0}
	for trial := 0; trial < 50; trial++ {
		m := 24 + rng.IntN(1000)
		ring := intrusion(c, bounds, m, rng, make([]float64, m+1))
		if len(ring) != m+1 || !ring.Closed() {
			t.Fatalf("trial %d: ring of %d vertices, closed %v; want %d, closed", trial, len(ring), ring.Closed(), m+1)
		}
		if ring.Orientation() != orb.CCW {
			t.Fatalf("trial %d: ring is not anticlockwise", trial)
		}
		prev := math.Inf(-1)
		for k, p := range ring[:m] {
			d := math.Hypot(p[0], p[1])
			reach := rayExit(c, p[0]/d, p[1]/d, bounds)
			if d > 0.475*reach+rounding {
				t.Fatalf("trial %d: vertex %d is %.0f m out, %.0f m from the cell edge that way; limit is 47.5%%", trial, k, d, reach)
			}
			// Angles around the centre only increase: star-shaped.
			ang := math.Atan2(p[1], p[0])
			for ang < prev {
				ang += 2 * math.Pi
			}
			if k > 0 && ang-prev >= math.Pi {
				t.Fatalf("trial %d: vertex %d turns back around the centre", trial, k)
			}
			prev = ang
		}
	}
}
