package tiles

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// coverage is the polygon layer generalised for one zoom: every arc
// simplified once in the zoom's world-pixel space, and every face assigned
// to the region it is drawn in after the zoom's merges.
type coverage struct {
	t         *topology
	scale     float64 // world units to world pixels
	threshold float64 // regions smaller than this are not drawn alone, world units²
	arcs      [][]orb.Point
	root      []int32   // the face each face's region is drawn as
	area      []float64 // by root: the region's area, world units²
	// members[span[0]:span[1]], span = regions[r], are the faces of root
	// r's region when it has more than one, r first.
	regions map[int32][2]int
	members []int32
}

// zoomCoverage generalises t for the zoom with the given scale. merges
// applies the planned merges whose area is below threshold; buf is scratch
// space for the simplified arcs, reused from zoom to zoom.
func zoomCoverage(ctx context.Context, t *topology, merges []merge, threshold, scale, tolerance float64, workers int, buf []orb.Point) (*coverage, []orb.Point) {
	c := &coverage{t: t, scale: scale, threshold: threshold}
	if cap(buf) < len(t.pts) {
		buf = make([]orb.Point, len(t.pts))
	}
	buf = buf[:len(t.pts)]
	c.arcs = make([][]orb.Point, t.arcs())
	dp := simplify.DouglasPeucker(tolerance)
	_ = forEachChunk(ctx, t.arcs(), workers, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			pts := t.arcPoints(int32(a))
			out := buf[t.arcOff[a]:t.arcOff[a+1]]
			for i, p := range pts {
				out[i] = orb.Point{p[0] * scale, p[1] * scale}
			}
			if tolerance > 0 && len(out) > 2 {
				out = dp.LineString(orb.LineString(out))
			}
			c.arcs[a] = out
		}
	})

	c.assign(merges, threshold)
	return c, buf
}

// withThreshold is the coverage with a higher threshold, sharing c's
// simplified arcs: more and larger regions merged, for a tile too large.
func (c *coverage) withThreshold(merges []merge, threshold float64) *coverage {
	d := &coverage{t: c.t, scale: c.scale, arcs: c.arcs, threshold: threshold}
	d.assign(merges, threshold)
	return d
}

// assign applies the planned merges whose area is below threshold: it sets
// every face's root, the regions' areas, and the members of the regions of
// more than one face.
func (c *coverage) assign(merges []merge, threshold float64) {
	t := c.t
	n := len(t.faces)
	c.root = make([]int32, n)
	for i := range c.root {
		c.root[i] = int32(i)
	}
	k := sort.Search(len(merges), func(i int) bool { return merges[i].area >= threshold })
	for _, m := range merges[:k] {
		c.root[m.face] = m.into
	}
	for i := range c.root {
		r := int32(i)
		for c.root[r] != r {
			r = c.root[r]
		}
		for f := int32(i); c.root[f] != r; {
			c.root[f], f = r, c.root[f]
		}
	}
	c.area = make([]float64, n)
	for i, f := range t.faces {
		c.area[c.root[i]] += f.area
	}
	if k == 0 {
		return
	}
	// Group the faces of merged regions, root first.
	var merged []int32
	for _, m := range merges[:k] {
		merged = append(merged, m.face)
	}
	slices.SortFunc(merged, func(a, b int32) int {
		return cmp.Or(cmp.Compare(c.root[a], c.root[b]), cmp.Compare(a, b))
	})
	c.regions = map[int32][2]int{}
	c.members = make([]int32, 0, 2*k)
	for i, f := range merged {
		r := c.root[f]
		if i == 0 || c.root[merged[i-1]] != r {
			c.members = append(c.members, r)
		}
		c.members = append(c.members, f)
		span := c.regions[r]
		if span[1] == 0 {
			span[0] = len(c.members) - 2
		}
		span[1] = len(c.members)
		c.regions[r] = span
	}
}

// regionMembers lists the faces of root r's region, or nil when r is
// alone.
func (c *coverage) regionMembers(r int32) []int32 {
	span, ok := c.regions[r]
	if !ok {
		return nil
	}
	return c.members[span[0]:span[1]]
}

// featureGeometry is feature i's polygons at this zoom in world pixels, or
// nil. merged reports whether any of its faces was merged into another
// feature's region; mergedArea and droppedArea are the world areas of its
// faces merged into other features' and of those not drawn at all.
func (c *coverage) featureGeometry(i int) (g orb.Geometry, merged bool, mergedArea, droppedArea float64) {
	t := c.t
	var mp orb.MultiPolygon
	for f := t.faceStart[i]; f < t.faceStart[i+1]; f++ {
		r := c.root[f]
		if r != f {
			if t.faces[r].feature != int32(i) {
				merged = true
				mergedArea += t.faces[f].area
			}
			continue // drawn with its region
		}
		if c.area[r] < c.threshold {
			// Isolated and smaller than a pixel (see mergeOrder).
			droppedArea += c.area[r]
			continue
		}
		var ps []orb.Polygon
		if members := c.regionMembers(r); len(members) > 0 {
			ps = c.regionPolygons(members)
		} else if p := c.polygon(t.faces[f].rings, t.faces[f].ringArea); p != nil {
			ps = []orb.Polygon{p}
		} else if c.threshold == 0 && len(t.faces[f].rings) > 0 {
			// The max zoom, which draws every face.
			if p := c.unsimplified(t.faces[f].rings); p != nil {
				ps = []orb.Polygon{p}
			}
		}
		if len(ps) == 0 {
			// Simplified away: thinner than the tolerance everywhere.
			droppedArea += c.area[r]
		}
		mp = append(mp, ps...)
	}
	switch len(mp) {
	case 0:
		return nil, merged, mergedArea, droppedArea
	case 1:
		return mp[0], merged, mergedArea, droppedArea
	}
	return mp, merged, mergedArea, droppedArea
}

// polygon draws rings of arcs, exterior first, with the simplified arcs,
// leaving out holes smaller than a pixel with nothing inside them and rings
// that simplification has collapsed. It returns nil when the exterior
// collapsed.
func (c *coverage) polygon(rings [][]arcRef, areas []float64) orb.Polygon {
	ext := c.ring(rings[0])
	if ext == nil {
		return nil
	}
	p := orb.Polygon{ext}
	for k, refs := range rings[1:] {
		if areas[k+1] < c.threshold && c.empty(refs) {
			continue
		}
		if h := c.ring(refs); h != nil {
			p = append(p, h)
		}
	}
	return p
}

// empty reports whether no face lies on the other side of a ring.
func (c *coverage) empty(refs []arcRef) bool {
	for _, r := range refs {
		if c.t.otherSide(r) >= 0 {
			return false
		}
	}
	return true
}

// ring joins simplified arcs into a closed ring, or nil when fewer than
// three distinct points are left.
func (c *coverage) ring(refs []arcRef) orb.Ring {
	n := 1
	for _, r := range refs {
		n += len(c.arcs[r.arc()]) - 1
	}
	if n < 4 {
		return nil
	}
	ring := make(orb.Ring, 0, n)
	for _, r := range refs {
		pts := c.arcs[r.arc()]
		if r.reversed() {
			for i := len(pts) - 1; i >= 0; i-- {
				if i < len(pts)-1 || len(ring) == 0 {
					ring = append(ring, pts[i])
				}
			}
		} else {
			if len(ring) > 0 {
				pts = pts[1:]
			}
			ring = append(ring, pts...)
		}
	}
	return ring
}

// regionPolygons draws a region of several faces as its own polygons: the
// arcs between its faces disappear, and those left are joined into rings,
// exteriors and holes told apart by their winding.
func (c *coverage) regionPolygons(members []int32) []orb.Polygon {
	t := c.t
	net := map[int32]int{}
	for _, f := range members {
		for _, ring := range t.faces[f].rings {
			for _, r := range ring {
				if r.reversed() {
					net[r.arc()]--
				} else {
					net[r.arc()]++
				}
			}
		}
	}
	// The border left, walked with the region on its right, by start node.
	out := map[int32][]arcRef{}
	edges := 0
	for a, k := range net {
		switch {
		case k > 0:
			out[t.nodes[a][0]] = append(out[t.nodes[a][0]], arcRef(a))
		case k < 0:
			out[t.nodes[a][1]] = append(out[t.nodes[a][1]], ^arcRef(a))
		default:
			continue
		}
		edges++
	}
	// Map order is random: sort so that the rings come out the same on
	// every run.
	for _, refs := range out {
		slices.Sort(refs)
	}
	starts := make([]int32, 0, len(out))
	for node := range out {
		starts = append(starts, node)
	}
	slices.Sort(starts)

	type ringInfo struct {
		refs []arcRef
		area float64 // signed, world units²
	}
	var exts, holes []ringInfo
	for _, node := range starts {
		for len(out[node]) > 0 {
			for _, refs := range t.splitLoops(c.walk(out, node)) {
				a := t.refRingArea(refs)
				if a > 0 {
					exts = append(exts, ringInfo{refs, a})
				} else if a < 0 {
					holes = append(holes, ringInfo{refs, a})
				}
			}
		}
	}
	if len(exts) == 0 {
		return nil
	}
	// Holes go to the smallest exterior around them.
	slices.SortFunc(exts, func(a, b ringInfo) int { return cmp.Compare(a.area, b.area) })
	owned := make([][]ringInfo, len(exts))
	for _, h := range holes {
		owner := len(exts) - 1
		if len(exts) > 1 {
			p := t.insidePoint(h.refs)
			for e := range exts {
				if t.refRingContains(exts[e].refs, p) {
					owner = e
					break
				}
			}
		}
		owned[owner] = append(owned[owner], h)
	}
	var polys []orb.Polygon
	for e, ext := range exts {
		rings := [][]arcRef{ext.refs}
		areas := []float64{ext.area}
		for _, h := range owned[e] {
			rings = append(rings, h.refs)
			areas = append(areas, -h.area)
		}
		if p := c.polygon(rings, areas); p != nil {
			polys = append(polys, p)
		}
	}
	return polys
}

// walk takes one ring of border arcs out of out, starting at node. Where
// the region touches itself at a node, it leaves by the first arc
// anticlockwise from the one it came in by, keeping to the wedge of the
// region it came along (the region is on the right), so that the ring never
// crosses itself; it may touch itself there (see splitLoops).
func (c *coverage) walk(out map[int32][]arcRef, node int32) []arcRef {
	t := c.t
	take := func(node int32, i int) arcRef {
		refs := out[node]
		r := refs[i]
		out[node] = append(refs[:i], refs[i+1:]...)
		if len(out[node]) == 0 {
			delete(out, node)
		}
		return r
	}
	first := node
	r0 := take(node, 0)
	ring := []arcRef{r0}
	for {
		node = t.endNode(ring[len(ring)-1])
		cands := out[node]
		if node == first {
			cands = append(cands[:len(cands):len(cands)], r0)
		}
		if len(cands) == 0 {
			return ring // not closed: the input is not a clean coverage here
		}
		best := 0
		if len(cands) > 1 {
			back := t.direction(^ring[len(ring)-1])
			bestAngle := -1.0
			for i, cand := range cands {
				if a := angleFrom(back, t.direction(cand)); a > bestAngle {
					best, bestAngle = i, a
				}
			}
		}
		if node == first && best == len(cands)-1 {
			return ring
		}
		ring = append(ring, take(node, best))
	}
}

// splitLoops cuts a ring of arcs that passes a node more than once, where
// the region touches itself, into loops that pass each node once: valid
// rings, which touch one another there instead. Each loop is then an
// exterior or a hole by its own winding.
func (t *topology) splitLoops(ring []arcRef) [][]arcRef {
	var loops [][]arcRef
	stack := make([]arcRef, 0, len(ring))
	at := map[int32]int{} // the position in stack of the arc leaving each node
	for _, r := range ring {
		n := t.startNode(r)
		if i, ok := at[n]; ok {
			// stack[i:] leaves n and has just come back to it.
			loops = append(loops, slices.Clone(stack[i:]))
			for _, q := range stack[i:] {
				delete(at, t.startNode(q))
			}
			stack = stack[:i]
		}
		at[n] = len(stack)
		stack = append(stack, r)
	}
	if len(stack) > 0 {
		loops = append(loops, stack)
	}
	return loops
}

// direction is the unit of the first segment of a ref as walked, world
// units.
func (t *topology) direction(r arcRef) orb.Point {
	pts := t.arcPoints(r.arc())
	a, b := pts[0], pts[1]
	if r.reversed() {
		a, b = pts[len(pts)-1], pts[len(pts)-2]
	}
	return orb.Point{b[0] - a[0], b[1] - a[1]}
}

// angleFrom is the angle from u to v, in [0, 2π), clockwise on screen with
// y down.
func angleFrom(u, v orb.Point) float64 {
	a := math.Atan2(v[1], v[0]) - math.Atan2(u[1], u[0])
	for a < 0 {
		a += 2 * math.Pi
	}
	for a >= 2*math.Pi {
		a -= 2 * math.Pi
	}
	return a
}

// refRingArea is the signed area of a ring of arcs in world units²,
// measured from its first point so that large coordinates do not swamp
// small rings.
func (t *topology) refRingArea(refs []arcRef) float64 {
	var o orb.Point
	first := true
	var a float64
	var prev orb.Point
	t.eachPoint(refs, func(p orb.Point) {
		if first {
			o, prev, first = p, p, false
			return
		}
		a += (prev[0]-o[0])*(p[1]-o[1]) - (p[0]-o[0])*(prev[1]-o[1])
		prev = p
	})
	return a / 2
}

// eachPoint calls fn on the points of a ring of arcs in order, each node
// once except the first, which closes the ring.
func (t *topology) eachPoint(refs []arcRef, fn func(orb.Point)) {
	for k, r := range refs {
		pts := t.arcPoints(r.arc())
		if r.reversed() {
			for i := len(pts) - 1; i >= 0; i-- {
				if k == 0 || i < len(pts)-1 {
					fn(pts[i])
				}
			}
		} else {
			for i, p := range pts {
				if k == 0 || i > 0 {
					fn(p)
				}
			}
		}
	}
}

// insidePoint is a point of a ring of arcs that is not a node, so that it
// lies on no other ring of the region: an inner vertex of an arc, or the
// middle of a segment between two nodes.
func (t *topology) insidePoint(refs []arcRef) orb.Point {
	for _, r := range refs {
		if pts := t.arcPoints(r.arc()); len(pts) > 2 {
			return pts[len(pts)/2]
		}
	}
	pts := t.arcPoints(refs[0].arc())
	return orb.Point{(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2}
}

// refRingContains reports whether p lies inside a ring of arcs.
func (t *topology) refRingContains(refs []arcRef, p orb.Point) bool {
	var ring orb.Ring
	t.eachPoint(refs, func(q orb.Point) { ring = append(ring, q) })
	return planar.RingContains(ring, p)
}
