package overzoom

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// clipRect returns the parts of the polygon p inside the rectangle box, one
// polygon per piece, with exteriors anticlockwise and holes clockwise (orb's
// orientation), unrounded. ok is false when p meets box's edge in a way it
// does not resolve: two crossings at a corner or in the same direction at
// one point of the edge, or crossings that do not alternate as a valid
// polygon's do; the caller then clips with the general overlay instead.
//
// It is the clip that a tile cutter needs, written here rather than taken
// from a library because neither at hand fits: orb's clip.Polygon
// (Sutherland-Hodgman) joins the pieces of a polygon that leaves and
// re-enters the box with zero-width strips along the edge, which MVT
// forbids, and simplefeatures' overlay, which gets them right, is a general
// noding overlay costing most of the time of a cut. Only a rectangle is
// needed, so the pieces are found as Weiler-Atherton does: each ring is cut
// into the chains that lie inside the box, each running from where it enters
// to where it leaves; walking anticlockwise along the box's edge from where
// a chain leaves always reaches the start of the chain that continues the
// piece (the polygon's interior is on the left of every ring), passing the
// box's corners on the way.
//
// "Inside" is the open box: a ring running along the box's edge is outside,
// so the edge between two chains is drawn by the walk, never twice.
func clipRect(p orb.Polygon, box orb.Bound) (parts []orb.Polygon, ok bool) {
	c := rectClipper{box: box, w: box.Max[0] - box.Min[0], h: box.Max[1] - box.Min[1]}
	if c.w <= 0 || c.h <= 0 {
		return nil, true
	}
	var (
		chains      []chain
		insideHoles []orb.Ring
		encloses    bool // the exterior encloses the box without crossing it
	)
	for i, r := range p {
		r = orient(r, i == 0)
		n := len(chains)
		var whole bool
		if chains, whole = c.chains(r, chains); whole {
			if i == 0 {
				return []orb.Polygon{orientPolygon(p)}, true
			}
			insideHoles = append(insideHoles, r)
			continue
		}
		if len(chains) > n || !ringContains(r, c.center()) {
			continue // crosses the box, or lies outside it
		}
		if i > 0 {
			// The box lies in a hole: nothing of the polygon is in it.
			return nil, len(chains) == 0
		}
		encloses = true
	}
	var exteriors []orb.Ring
	switch {
	case len(chains) > 0:
		var (
			holes []orb.Ring
			good  bool
		)
		if exteriors, holes, good = c.stitch(chains); !good {
			return nil, false
		}
		insideHoles = append(insideHoles, holes...)
	case encloses:
		exteriors = []orb.Ring{c.ring()}
	default:
		return nil, true
	}
	parts = make([]orb.Polygon, len(exteriors))
	for i, e := range exteriors {
		parts[i] = orb.Polygon{e}
	}
	for _, h := range insideHoles {
		k := 0
		if len(parts) > 1 {
			k = containing(exteriors, h)
		}
		if k >= 0 {
			parts[k] = append(parts[k], h)
		}
	}
	return parts, true
}

// rectClipper clips rings to box, of width w and height h.
type rectClipper struct {
	box  orb.Bound
	w, h float64
}

// chain is the part of a ring between where it enters the box and where it
// leaves it, at the places in and out of the box's edge.
type chain struct {
	pts     []orb.Point
	in, out place
}

// place is where a ring crosses the box's edge: at, the position along the
// edge (see pos), and key, which orders crossings at the same point as if
// the box were shrunk by an infinitesimal ε: the crossing of a ring going
// in direction d is then at at + ε·(d·t)/(d·n), t being the edge's
// anticlockwise direction and n its inward normal there. key is NaN at a
// corner, where the two sides would give two values.
type place struct{ at, key float64 }

// place returns the place of p, a point on the box's edge where a ring
// crosses it going in direction d.
func (c *rectClipper) place(p, d orb.Point) place {
	b := c.box
	at := c.pos(p)
	var t, n orb.Point
	switch {
	case (p[0] == b.Min[0] || p[0] == b.Max[0]) && (p[1] == b.Min[1] || p[1] == b.Max[1]):
		return place{at, math.NaN()}
	case p[1] == b.Min[1]:
		t, n = orb.Point{1, 0}, orb.Point{0, 1}
	case p[0] == b.Max[0]:
		t, n = orb.Point{0, 1}, orb.Point{-1, 0}
	case p[1] == b.Max[1]:
		t, n = orb.Point{-1, 0}, orb.Point{0, -1}
	default:
		t, n = orb.Point{0, -1}, orb.Point{1, 0}
	}
	return place{at, (d[0]*t[0] + d[1]*t[1]) / (d[0]*n[0] + d[1]*n[1])}
}

// inside reports whether p lies strictly inside the box.
func (c *rectClipper) inside(p orb.Point) bool {
	return p[0] > c.box.Min[0] && p[0] < c.box.Max[0] && p[1] > c.box.Min[1] && p[1] < c.box.Max[1]
}

func (c *rectClipper) center() orb.Point {
	return orb.Point{(c.box.Min[0] + c.box.Max[0]) / 2, (c.box.Min[1] + c.box.Max[1]) / 2}
}

// pos is the position of p, a point on the box's edge, along the edge
// anticlockwise from the corner Min: the bottom side (y = Min) from 0 to w,
// the right side to w+h, the top side to 2w+h, the left side back to
// 2w+2h.
func (c *rectClipper) pos(p orb.Point) float64 {
	b := c.box
	switch {
	case p[1] == b.Min[1] && p[0] < b.Max[0]:
		return p[0] - b.Min[0]
	case p[0] == b.Max[0] && p[1] < b.Max[1]:
		return c.w + p[1] - b.Min[1]
	case p[1] == b.Max[1] && p[0] > b.Min[0]:
		return c.w + c.h + b.Max[0] - p[0]
	}
	return 2*c.w + c.h + b.Max[1] - p[1]
}

// corners are the box's corners in the order of pos, with their positions.
func (c *rectClipper) corners() [4]struct {
	at float64
	p  orb.Point
} {
	b := c.box
	return [4]struct {
		at float64
		p  orb.Point
	}{
		{0, b.Min},
		{c.w, orb.Point{b.Max[0], b.Min[1]}},
		{c.w + c.h, b.Max},
		{2*c.w + c.h, orb.Point{b.Min[0], b.Max[1]}},
	}
}

// ring is the box as a closed exterior ring.
func (c *rectClipper) ring() orb.Ring {
	r := make(orb.Ring, 0, 5)
	for _, k := range c.corners() {
		r = append(r, k.p)
	}
	return append(r, r[0])
}

// chains appends the chains of ring r inside the box to out. whole reports
// that r lies inside the box, touching its edge at most at vertices from
// inside, and then appends nothing.
//
// A vertex on the edge where the ring comes from inside and turns left
// back into the box (the tip of the polygon touching the edge) continues
// the chain, as the walk along the edge would join the two halves there with
// nothing between them; turning right, the polygon covers the edge around
// the vertex and the two halves meet on the edge at one point, which
// stitch declines.
func (c *rectClipper) chains(r orb.Ring, out []chain) (_ []chain, whole bool) {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	if n < 3 {
		return out, false
	}
	first := len(out)
	var (
		cur   []orb.Point // the open chain's points; nil when outside
		curIn place
	)
	if c.inside(r[0]) {
		cur = append(make([]orb.Point, 0, 16), r[0])
	}
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		if cur != nil && (c.inside(b) || c.touches(a, b, r[(i+2)%n])) {
			cur = append(cur, b)
			continue
		}
		enter, leave, through := c.segment(a, b)
		if !through {
			continue
		}
		if cur == nil {
			cur, curIn = append(make([]orb.Point, 0, 16), enter), c.place(enter, orb.Point{b[0] - a[0], b[1] - a[1]})
		}
		if c.inside(b) {
			cur = append(cur, b)
			continue
		}
		out = append(out, chain{pts: append(cur, leave), in: curIn, out: c.place(leave, orb.Point{b[0] - a[0], b[1] - a[1]})})
		cur = nil
	}
	if cur != nil {
		// The ring ended inside the box, back at r[0], where its first
		// chain began: the last chain runs on into the first.
		if len(out) == first {
			return out, true
		}
		f := out[first]
		out[first] = chain{pts: append(cur[:len(cur)-1], f.pts...), in: curIn, out: f.out}
	}
	return out, false
}

// touches reports whether b, the vertex after a inside the box, lies on
// the box's edge with the ring turning left there and going on from b
// into the box towards next.
func (c *rectClipper) touches(a, b, next orb.Point) bool {
	bx := c.box
	if b[0] < bx.Min[0] || b[0] > bx.Max[0] || b[1] < bx.Min[1] || b[1] > bx.Max[1] ||
		(b[0]-a[0])*(next[1]-b[1])-(b[1]-a[1])*(next[0]-b[0]) <= 0 {
		return false
	}
	enter, _, through := c.segment(b, next)
	return through && enter == b
}

// segment clips the segment a→b to the closed box (Liang-Barsky) and returns
// where it enters and leaves it, on the box's edge or a and b themselves.
// through reports whether the segment passes through the open box; a
// segment that runs along the edge or touches a corner does not.
func (c *rectClipper) segment(a, b orb.Point) (enter, leave orb.Point, through bool) {
	d := orb.Point{b[0] - a[0], b[1] - a[1]}
	t0, t1 := 0.0, 1.0
	side0, side1 := -1, -1
	bx := c.box
	for k, pq := range [4][2]float64{
		{-d[0], a[0] - bx.Min[0]},
		{d[0], bx.Max[0] - a[0]},
		{-d[1], a[1] - bx.Min[1]},
		{d[1], bx.Max[1] - a[1]},
	} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return enter, leave, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return enter, leave, false
			}
			if t > t0 {
				t0, side0 = t, k
			}
		} else {
			if t < t0 {
				return enter, leave, false
			}
			if t < t1 {
				t1, side1 = t, k
			}
		}
	}
	if t0 >= t1 {
		return enter, leave, false
	}
	enter, leave = c.onSide(a, d, side0), c.onSide(a, d, side1)
	if side0 < 0 {
		enter = a
	}
	if side1 < 0 {
		leave = b
	}
	mid := orb.Point{(enter[0] + leave[0]) / 2, (enter[1] + leave[1]) / 2}
	return enter, leave, c.inside(mid)
}

// onSide is where the line a + t·d meets side k of the box (0 left, 1 right,
// 2 bottom, 3 top), exactly on that side's line and within the box.
func (c *rectClipper) onSide(a, d orb.Point, k int) orb.Point {
	bx := c.box
	switch k {
	case 0, 1:
		x := bx.Min[0]
		if k == 1 {
			x = bx.Max[0]
		}
		return orb.Point{x, clamp(a[1]+(x-a[0])*d[1]/d[0], bx.Min[1], bx.Max[1])}
	case 2, 3:
		y := bx.Min[1]
		if k == 3 {
			y = bx.Max[1]
		}
		return orb.Point{clamp(a[0]+(y-a[1])*d[0]/d[1], bx.Min[0], bx.Max[0]), y}
	}
	return orb.Point{}
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// stitch joins the chains into closed rings along the box's edge. Where
// crossings meet at one point of the edge, a ring can pass there twice (a
// notch of the outside touching the edge from inside): such rings are
// split there into an exterior and holes (see split). It reports false
// when crossings at one point cannot be ordered (at a corner, or in the
// same direction) or the chains do not alternate between entering and
// leaving along the edge.
func (c *rectClipper) stitch(chains []chain) (exteriors, holes []orb.Ring, ok bool) {
	type event struct {
		place
		chain int
		enter bool
	}
	events := make([]event, 0, 2*len(chains))
	for i, ch := range chains {
		events = append(events, event{ch.in, i, true}, event{ch.out, i, false})
	}
	slices.SortFunc(events, func(a, b event) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	touching := false
	// The chain whose entry follows each chain's exit, and whether that
	// entry is past the end of the edge's positions, back from 0.
	next := make([]int, len(chains))
	wraps := make([]bool, len(chains))
	for i, e := range events {
		if i > 0 && events[i-1].at == e.at {
			if math.IsNaN(e.key) || math.IsNaN(events[i-1].key) || events[i-1].key == e.key {
				return nil, nil, false
			}
			touching = true
		}
		if e.enter {
			continue
		}
		f := events[(i+1)%len(events)]
		if !f.enter {
			return nil, nil, false
		}
		next[e.chain], wraps[e.chain] = f.chain, i+1 == len(events)
	}
	corners := c.corners()
	perimeter := 2*c.w + 2*c.h
	done := make([]bool, len(chains))
	for start := range chains {
		if done[start] {
			continue
		}
		var r orb.Ring
		for k := start; !done[k]; k = next[k] {
			done[k] = true
			r = append(r, chains[k].pts...)
			from, to := chains[k].out.at, chains[next[k]].in.at
			if wraps[k] {
				to += perimeter
			}
			for _, lap := range [2]float64{0, perimeter} {
				for _, cn := range corners {
					if at := cn.at + lap; at > from && at < to {
						r = append(r, cn.p)
					}
				}
			}
		}
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		if !touching {
			exteriors = append(exteriors, r)
			continue
		}
		for _, part := range split(r) {
			switch a := ringArea(part); {
			case a > 0:
				exteriors = append(exteriors, part)
			case a < 0:
				holes = append(holes, part)
			}
		}
	}
	return exteriors, holes, true
}

// split splits a closed ring that passes through a point more than once
// into closed rings that do not.
func split(r orb.Ring) []orb.Ring {
	var (
		out  []orb.Ring
		path []orb.Point
		at   = map[orb.Point]int{}
	)
	for _, p := range r[:len(r)-1] {
		if i, ok := at[p]; ok {
			loop := append(orb.Ring(nil), path[i:]...)
			out = append(out, append(loop, p))
			for _, q := range path[i+1:] {
				delete(at, q)
			}
			path = path[:i+1]
			continue
		}
		at[p] = len(path)
		path = append(path, p)
	}
	return append(out, append(orb.Ring(path), path[0]))
}

// orient returns r oriented as an exterior (anticlockwise) or a hole
// (clockwise), reversed into a copy when it is not.
func orient(r orb.Ring, exterior bool) orb.Ring {
	if want := orientation(exterior); r.Orientation() != want && r.Orientation() != 0 {
		r = slices.Clone(r)
		r.Reverse()
	}
	return r
}

func orientPolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = orient(r, i == 0)
	}
	return out
}

// containing returns the index of the ring of rings that holds h, a ring
// inside one of them and touching it at most at points, or -1.
func containing(rings []orb.Ring, h orb.Ring) int {
	for i, r := range rings {
		for _, p := range h {
			if in, on := ringSide(r, p); !on {
				if in {
					return i
				}
				break
			}
		}
	}
	return -1
}

// ringContains reports whether p lies inside r, p not being on r.
func ringContains(r orb.Ring, p orb.Point) bool {
	in, _ := ringSide(r, p)
	return in
}

// ringSide reports whether p lies inside the closed ring r (crossing
// number), or on it.
func ringSide(r orb.Ring, p orb.Point) (in, on bool) {
	n := len(r)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[j], r[i]
		if a == b {
			continue
		}
		// On the segment: collinear and within its bound.
		cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if cross == 0 && p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) && p[1] >= min(a[1], b[1]) && p[1] <= max(a[1], b[1]) {
			return false, true
		}
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
	}
	return in, false
}
