package synth

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// Contacts are fractal curves drawn between two nodes, and they must never
// cross one another. Each cell is star-shaped around its centre c, so the
// triangles (a, b, c) over all its edges tile it; the two triangles either
// side of an edge belong to that edge alone. A contact stays inside its
// triangles, which alone keeps contacts apart, and it is the graph of a
// function over the straight edge, which keeps it from crossing itself.
const (
	// lensFill is how much of a triangle's height a contact may use. Below
	// one half, a contact stays off the half of each cell nearest its centre,
	// which is left free for intrusions.
	lensFill = 0.45
	// hurst sets how rough a contact is: lower is rougher.
	hurst = 0.85
)

// contact fills dst with the n-1 interior vertices of a fractal contact from
// a to b, where cl and cr are the centres of the cells on its left and right.
// Both neighbouring units use these very vertices, one of them reversed.
func contact(dst []orb.Point, a, b, cl, cr orb.Point, n int, rng *rand.Rand, scratch []float64) []orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	length := math.Hypot(dx, dy)
	ux, uy := dx/length, dy/length // along the edge
	vx, vy := -uy, ux              // to its left
	// The cell centres in the edge's frame: s along, t across.
	ls, lt := (cl[0]-a[0])*ux+(cl[1]-a[1])*uy, (cl[0]-a[0])*vx+(cl[1]-a[1])*vy
	rs, rt := (cr[0]-a[0])*ux+(cr[1]-a[1])*uy, -((cr[0]-a[0])*vx + (cr[1]-a[1])*vy)

	raw := scratch[:n+1]
	raw[0], raw[n] = 0, 0 // pinned at the nodes
	fractal(raw, 0.6+0.9*rng.Float64(), rng)
	for k := 1; k < n; k++ {
		s := length * float64(k) / float64(n)
		var t float64
		if r := raw[k]; r >= 0 {
			t = lensFill * triangleHeight(s, length, ls, lt) * math.Tanh(r)
		} else {
			t = lensFill * triangleHeight(s, length, rs, rt) * math.Tanh(r)
		}
		dst = append(dst, orb.Point{
			roundCM(a[0] + s*ux + t*vx),
			roundCM(a[1] + s*uy + t*vy),
		})
	}
	return dst
}

// triangleHeight is the height, at distance s along the base, of the
// triangle with base (0,0)–(length,0) and apex (cs, ct), ct > 0: the distance
// from the base to the side the perpendicular meets. It is concave in s, so
// the region under any fraction of it is convex.
func triangleHeight(s, length, cs, ct float64) float64 {
	h := math.Inf(1)
	if cs > 0 {
		h = ct * s / cs
	}
	if cs < length {
		h = min(h, ct*(length-s)/(length-cs))
	}
	return h
}

// fractal fills v with a midpoint-displacement profile whose first and last
// values are set by the caller: fractional Brownian motion, the classic model
// of a natural boundary.
func fractal(v []float64, amplitude float64, rng *rand.Rand) []float64 {
	n := len(v) - 1
	var split func(i, j int)
	split = func(i, j int) {
		if j-i < 2 {
			return
		}
		m := (i + j) / 2
		scale := amplitude * math.Pow(float64(j-i)/float64(n), hurst)
		v[m] = (v[i]+v[j])/2 + scale*rng.NormFloat64()
		split(i, m)
		split(m, j)
	}
	split(0, n)
	return v
}

// intrusion returns the anticlockwise, closed ring of an intrusion of m
// vertices in the cell around centre c bounded by the given edges. The ring
// is star-shaped around c and stays within the half of the cell nearest c,
// where no contact reaches.
func intrusion(c orb.Point, bounds [][2]orb.Point, m int, rng *rand.Rand, scratch []float64) orb.Ring {
	raw := scratch[:m+1]
	raw[0] = rng.NormFloat64() * 0.5
	raw[m] = raw[0] // a closed curve
	fractal(raw, 1.5, rng)
	// Plutons are rounded and, like the country's grain, drawn out roughly
	// north-south: an ellipse as wide as the cell allows, trimmed to the cell.
	narrow := math.Inf(1)
	for k := 0; k < 16; k++ {
		s, c2 := math.Sincos(math.Pi * float64(k) / 8)
		narrow = min(narrow, rayExit(c, c2, s, bounds))
	}
	long, short := 1.5*narrow, narrow
	tilt := math.Pi/2 + (rng.Float64()-0.5)*math.Pi/4
	turn := rng.Float64() * 2 * math.Pi
	size := 0.6 + 0.4*rng.Float64()
	ring := make(orb.Ring, 0, m+1)
	for k := 0; k < m; k++ {
		theta := turn + 2*math.Pi*float64(k)/float64(m)
		dx, dy := math.Cos(theta), math.Sin(theta)
		ca, sa := math.Cos(theta-tilt), math.Sin(theta-tilt)
		ellipse := long * short / math.Hypot(short*ca, long*sa)
		reach := min(ellipse, rayExit(c, dx, dy, bounds))
		// 0.5·reach is within the cell shrunk by half about c; keep within
		// 95% of it.
		r := 0.5 * reach * size * (0.7 + 0.25*math.Tanh(raw[k]))
		ring = append(ring, orb.Point{roundCM(c[0] + r*dx), roundCM(c[1] + r*dy)})
	}
	return append(ring, ring[0])
}

// rayExit is the distance from c along (dx, dy) to the first of the segments.
func rayExit(c orb.Point, dx, dy float64, segs [][2]orb.Point) float64 {
	best := math.Inf(1)
	for _, s := range segs {
		p, q := s[0], s[1]
		ex, ey := q[0]-p[0], q[1]-p[1]
		den := dx*ey - dy*ex
		if den == 0 {
			continue
		}
		wx, wy := p[0]-c[0], p[1]-c[1]
		t := (wx*ey - wy*ex) / den // along the ray
		u := (wx*dy - wy*dx) / den // along the segment
		if t > 0 && u >= 0 && u <= 1 && t < best {
			best = t
		}
	}
	return best
}
