package tiles

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// splitParts turns the rings of one polygon, each clipped to b by
// Sutherland-Hodgman (clipRing), into the separate polygons of the
// polygon's part inside b. Sutherland-Hodgman keeps a ring that leaves b and
// comes back as one ring, joined along b's edge by a zero-width strip; and a
// hole cut open by b's edge is left touching its exterior along that edge.
// Neither is a valid polygon.
//
// The runs of each ring that lie on b's edges are dropped; what is left are
// chains from one point of the edge to another, through b's inside (and
// rings wholly inside it). Every ring has the polygon's inside on its right
// (exteriors clockwise on screen, holes anticlockwise), so the polygon's
// boundary follows the edge of b clockwise from where a chain leaves to
// where the next one comes in (the Weiler-Atherton walk, on a rectangle).
// Joined so, the chains make exteriors and holes, told apart by their
// winding. This is what GEOS's rectangle clip does; it is written here
// because the cutter clips every piece at every node of the quadtree, where
// a call through cgo per piece would cost more than the clip.
//
// It returns nil when nothing with an area is left, and ok false when the
// rings do not join up (an input that is not a valid polygon): the caller
// keeps the Sutherland-Hodgman rings, which the tile's repair then mends.
func splitParts(rings []orb.Ring, b orb.Bound) (parts []orb.Polygon, ok bool) {
	e := edge{b: b, w: b.Max[0] - b.Min[0], h: b.Max[1] - b.Min[1]}
	var chains []chain
	var whole []orb.Ring // rings with no run on the edge
	onlyEdge := 0.0      // signed area of the rings wholly on the edge
	for _, r := range rings {
		n := len(chains)
		var closed bool
		chains, closed = e.chains(chains, r)
		switch {
		case closed:
			whole = append(whole, r)
		case len(chains) == n:
			onlyEdge += ringArea(r)
		}
	}
	var out []orb.Ring
	if len(chains) == 0 {
		// The edge runs, if any, are rings along all of b's edge: b's
		// outline as an exterior (b inside the polygon), or as a hole too
		// (b inside a hole).
		box := e.w * e.h
		if onlyEdge > box/2 {
			out = append(out, orb.Ring{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min})
		}
	} else {
		joined, ok := e.join(chains)
		if !ok {
			return nil, false
		}
		out = joined
	}
	out = append(out, whole...)
	return group(out), true
}

// edge is the outline of a clip box, with positions along it measured
// clockwise on screen from the top-left corner.
type edge struct {
	b    orb.Bound
	w, h float64
}

// on reports whether p lies on the edge.
func (e edge) on(p orb.Point) bool {
	return p[0] == e.b.Min[0] || p[0] == e.b.Max[0] || p[1] == e.b.Min[1] || p[1] == e.b.Max[1]
}

// along reports whether the segment p-q runs along one side of the edge.
func (e edge) along(p, q orb.Point) bool {
	return p[0] == q[0] && (p[0] == e.b.Min[0] || p[0] == e.b.Max[0]) ||
		p[1] == q[1] && (p[1] == e.b.Min[1] || p[1] == e.b.Max[1])
}

// pos is the clockwise distance along the edge from the top-left corner to
// p, which lies on the edge.
func (e edge) pos(p orb.Point) float64 {
	switch {
	case p[1] == e.b.Min[1]:
		return p[0] - e.b.Min[0]
	case p[0] == e.b.Max[0]:
		return e.w + p[1] - e.b.Min[1]
	case p[1] == e.b.Max[1]:
		return e.w + e.h + e.b.Max[0] - p[0]
	}
	return 2*e.w + e.h + e.b.Max[1] - p[1]
}

// corner is the i-th corner clockwise from the top-left, and its position.
func (e edge) corner(i int) (orb.Point, float64) {
	switch i % 4 {
	case 0:
		return e.b.Min, 0
	case 1:
		return orb.Point{e.b.Max[0], e.b.Min[1]}, e.w
	case 2:
		return e.b.Max, e.w + e.h
	}
	return orb.Point{e.b.Min[0], e.b.Max[1]}, 2*e.w + e.h
}

// chain is a run of a ring through the box's inside, from the edge to the
// edge: the points r[from], r[from+1] ... r[to], indices modulo the ring's
// length less its closing point. in and out are the positions of its ends
// along the edge.
type chain struct {
	r        orb.Ring
	from, to int
	in, out  float64
}

// appendTo appends the chain's points to ring, leaving out repeats.
func (c chain) appendTo(ring orb.Ring) orb.Ring {
	n := len(c.r) - 1
	for k := c.from; ; k = (k + 1) % n {
		if p := c.r[k]; len(ring) == 0 || ring[len(ring)-1] != p {
			ring = append(ring, p)
		}
		if k == c.to {
			return ring
		}
	}
}

// chains splits a clipped ring at its runs along the edge, appending them
// to cs. closed is true when it has none: the ring is whole.
func (e edge) chains(cs []chain, r orb.Ring) (_ []chain, closed bool) {
	n := len(r) - 1 // r is closed
	start := -1     // a segment along the edge
	for i := range n {
		if e.along(r[i], r[i+1]) {
			start = i
			break
		}
	}
	if start < 0 {
		return cs, true
	}
	from := -1 // the start of the chain being followed
	for k := 1; k <= n; k++ {
		i := (start + k) % n
		if !e.along(r[i], r[i+1]) {
			if from < 0 {
				from = i
			}
			continue
		}
		if from >= 0 {
			cs = append(cs, chain{r: r, from: from, to: i, in: e.pos(r[from]), out: e.pos(r[i])})
			from = -1
		}
	}
	return cs, false
}

// join links chains into rings along the edge, clockwise from each chain's
// way out to the nearest way in. ok is false when two chains would lead to
// the same one.
func (e edge) join(chains []chain) ([]orb.Ring, bool) {
	perimeter := 2 * (e.w + e.h)
	byIn := make([]int, len(chains))
	for i := range byIn {
		byIn[i] = i
	}
	slices.SortFunc(byIn, func(i, j int) int { return cmp.Compare(chains[i].in, chains[j].in) })
	next := make([]int, len(chains))
	taken := make([]bool, len(chains))
	for i, c := range chains {
		// The first way in at or after c.out, wrapping round.
		k, _ := slices.BinarySearchFunc(byIn, c.out, func(j int, t float64) int { return cmp.Compare(chains[j].in, t) })
		j := byIn[k%len(byIn)]
		if taken[j] {
			return nil, false
		}
		taken[j] = true
		next[i] = j
	}
	var rings []orb.Ring
	done := taken // reused: every chain is taken once
	clear(done)
	for first := range chains {
		if done[first] {
			continue
		}
		size := 1
		for i := first; ; i = next[i] {
			c := chains[i]
			size += (c.to-c.from+len(c.r)-1)%(len(c.r)-1) + 5
			if next[i] == first {
				break
			}
		}
		r := make(orb.Ring, 0, size)
		for i := first; !done[i]; i = next[i] {
			done[i] = true
			c := chains[i]
			r = c.appendTo(r)
			// Corners passed on the way clockwise from c.out to the next
			// chain's way in.
			to := chains[next[i]].in
			if to < c.out {
				to += perimeter
			}
			for k := 0; k < 8; k++ {
				p, t := e.corner(k)
				if k >= 4 {
					t += perimeter
				}
				if t > c.out && t < to {
					r = append(r, p)
				}
			}
		}
		if r[len(r)-1] != r[0] {
			r = append(r, r[0])
		}
		rings = append(rings, r)
	}
	return rings, true
}

// group makes polygons of rings, exteriors (positive area) each with the
// holes inside it; rings of no area are left out.
func group(rings []orb.Ring) []orb.Polygon {
	type info struct {
		r orb.Ring
		a float64
	}
	var exts, holes []info
	for _, r := range rings {
		if len(r) < 4 {
			continue
		}
		switch a := ringArea(r); {
		case a > 0:
			exts = append(exts, info{r, a})
		case a < 0:
			holes = append(holes, info{r, a})
		}
	}
	if len(exts) == 0 {
		return nil
	}
	// Holes go to the smallest exterior around them.
	slices.SortFunc(exts, func(a, b info) int { return cmp.Compare(a.a, b.a) })
	parts := make([]orb.Polygon, len(exts))
	for i, e := range exts {
		parts[i] = orb.Polygon{e.r}
	}
	for _, h := range holes {
		owner := len(exts) - 1
		if len(exts) > 1 {
			p := h.r[0]
			for _, q := range h.r {
				// A vertex of the hole that no exterior shares, if any.
				p = q
				shared := false
				for _, e := range exts {
					if slices.Contains(e.r, q) {
						shared = true
						break
					}
				}
				if !shared {
					break
				}
			}
			for i, e := range exts {
				if planar.RingContains(e.r, p) {
					owner = i
					break
				}
			}
		}
		parts[owner] = append(parts[owner], h.r)
	}
	return parts
}
