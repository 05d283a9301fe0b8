// Package validity checks that the polygons of a vector tile are valid as
// the Mapbox Vector Tile specification 2.1 (§4.3.4.4) and the OGC Simple
// Features rules it builds on say, in the tile's integer coordinates:
//
//   - every ring has at least three distinct points;
//   - no ring crosses or touches itself, not even at a single vertex (a
//     ring that runs back along itself, the zero-width strip a clip can
//     leave, is a self-intersection);
//   - exterior rings have a positive surveyor's-formula area with y
//     pointing down (clockwise on screen), holes a negative one;
//   - the rings of a polygon do not cross, share no segment, and touch at
//     isolated points only, without cutting the polygon's interior in two;
//     every hole lies inside its exterior, and no hole inside another;
//   - the polygons of a multipolygon do not overlap: they may touch at
//     isolated points only.
//
// Repeated consecutive points are allowed, as GEOS allows them. The
// arithmetic is exact on integer coordinates (a decoded tile's); other
// coordinates are rounded to the nearest integer first. The checker is pure
// Go, so that the server can use it as well as the cutter and the tests.
package validity

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// Kind is a kind of invalidity.
type Kind int

// The kinds of invalidity Check reports.
const (
	TooFewPoints         Kind = iota + 1 // a ring of fewer than three distinct points
	SelfIntersection                     // a ring crosses itself or runs back along itself
	SelfTouch                            // a ring passes through one of its points twice
	WrongWinding                         // an exterior not clockwise, or a hole not anticlockwise (y down)
	RingsCross                           // two rings of a polygon cross or share a segment
	HoleOutside                          // a hole not inside its exterior
	NestedHoles                          // a hole inside another hole
	DisconnectedInterior                 // rings touching so that they cut the interior in two
	PartsOverlap                         // two polygons of a multipolygon overlap or share a segment
)

var kindNames = map[Kind]string{
	TooFewPoints:         "too few points",
	SelfIntersection:     "self-intersection",
	SelfTouch:            "self-touch",
	WrongWinding:         "wrong winding",
	RingsCross:           "rings cross",
	HoleOutside:          "hole outside its exterior",
	NestedHoles:          "nested holes",
	DisconnectedInterior: "disconnected interior",
	PartsOverlap:         "parts overlap",
}

// String names the kind.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Problem is why a polygon is invalid: what, where (a tile position on the
// fault), and which polygon of a multipolygon (Part) and ring of it (Ring,
// 0 for the exterior).
type Problem struct {
	Kind       Kind
	At         orb.Point
	Part, Ring int
}

// Error describes the problem.
func (p *Problem) Error() string {
	return fmt.Sprintf("%s at (%g, %g), polygon %d ring %d", p.Kind, p.At[0], p.At[1], p.Part, p.Ring)
}

// Check returns nil when g is a valid tile polygon or multipolygon, and the
// first problem found (a *Problem) otherwise. Geometries of other kinds are
// not polygons and have nothing to check: nil.
func Check(g orb.Geometry) error {
	var parts []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		parts = []orb.Polygon{g}
	case orb.MultiPolygon:
		parts = g
	default:
		return nil
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	c := newChecker(parts, sc)
	if p := c.check(); p != nil {
		return p
	}
	return nil
}

// pt is an integer tile position.
type pt struct{ x, y int64 }

func (p pt) orb() orb.Point { return orb.Point{float64(p.x), float64(p.y)} }

// ring is a ring without its closing point and without repeated points.
type ring struct {
	part, index int
	pts         []pt
	min, max    pt // bound
}

// segment is a side of a ring. It holds no pointer (the ring is an index
// into the scratch rings), so that building the segments costs no write
// barriers.
type segment struct {
	ring   int32 // in scratch.rings
	i      int32 // from r.pts[i] to r.pts[i+1 mod n]
	a, b   pt
	x0, x1 int64 // bound
	y0, y1 int64
}

type checker struct {
	parts [][]*ring
	sc    *scratch
}

func newChecker(parts []orb.Polygon, sc *scratch) *checker {
	// The rings and their points, in the scratch space.
	nr, np := 0, 0
	for _, p := range parts {
		nr += len(p)
		for _, r := range p {
			np += len(r)
		}
	}
	sc.rings = slices.Grow(sc.rings[:0], nr)[:nr]
	sc.ptrs = slices.Grow(sc.ptrs[:0], nr)[:nr]
	sc.pts = slices.Grow(sc.pts[:0], np)
	rings, ptrs, pts := sc.rings, sc.ptrs, sc.pts
	c := &checker{parts: make([][]*ring, len(parts)), sc: sc}
	k := 0
	for pi, p := range parts {
		c.parts[pi] = ptrs[k : k+len(p) : k+len(p)]
		for ri, r := range p {
			rg := &rings[k]
			ptrs[k] = rg
			k++
			*rg = ring{part: pi, index: ri}
			pts = rg.set(pts, r)
		}
	}
	return c
}

// set rounds r into r's points, appended to buf, and returns buf.
func (out *ring) set(buf []pt, r orb.Ring) []pt {
	start := len(buf)
	for _, p := range r {
		q := pt{int64(math.Round(p[0])), int64(math.Round(p[1]))}
		if len(buf) == start || buf[len(buf)-1] != q {
			buf = append(buf, q)
		}
	}
	for len(buf) > start+1 && buf[len(buf)-1] == buf[start] {
		buf = buf[:len(buf)-1]
	}
	out.pts = buf[start:len(buf):len(buf)]
	if len(out.pts) > 0 {
		out.min, out.max = out.pts[0], out.pts[0]
		for _, p := range out.pts[1:] {
			out.min = pt{min(out.min.x, p.x), min(out.min.y, p.y)}
			out.max = pt{max(out.max.x, p.x), max(out.max.y, p.y)}
		}
	}
	return buf
}

func (r *ring) problem(k Kind, at pt) *Problem {
	return &Problem{Kind: k, At: at.orb(), Part: r.part, Ring: r.index}
}

func (c *checker) check() *Problem {
	for _, p := range c.parts {
		if len(p) == 0 {
			return &Problem{Kind: TooFewPoints}
		}
		for _, r := range p {
			if len(r.pts) < 3 {
				var at pt
				if len(r.pts) > 0 {
					at = r.pts[0]
				}
				return r.problem(TooFewPoints, at)
			}
		}
	}
	touches, prob := c.intersections()
	if prob != nil {
		return prob
	}
	for _, p := range c.parts {
		for _, r := range p {
			a := r.area2()
			if r.index == 0 && a <= 0 || r.index > 0 && a >= 0 {
				return r.problem(WrongWinding, r.pts[0])
			}
		}
	}
	if prob := c.connected(touches); prob != nil {
		return prob
	}
	return c.containment()
}

// area2 is twice the ring's signed area, positive clockwise with y down.
func (r *ring) area2() int64 {
	var a int64
	n := len(r.pts)
	for i, p := range r.pts {
		q := r.pts[(i+1)%n]
		a += p.x*q.y - q.x*p.y
	}
	return a
}

// touch is a point where two different rings of one polygon meet.
type touch struct {
	r  *ring
	at pt
}

// intersections compares every pair of segments whose x ranges overlap,
// in a sweep along x. It returns a crossing or shared segment if there is
// one, else a self-touch, else the points where distinct rings of a polygon
// touch.
func (c *checker) intersections() ([]touch, *Problem) {
	sc := c.sc
	segs := sc.segs[:0]
	for ri := range sc.rings { // the rings of c.parts, in order
		r := &sc.rings[ri]
		n := len(r.pts)
		for i := range n {
			a, b := r.pts[i], r.pts[(i+1)%n]
			segs = append(segs, segment{ring: int32(ri), i: int32(i), a: a, b: b,
				x0: min(a.x, b.x), x1: max(a.x, b.x), y0: min(a.y, b.y), y1: max(a.y, b.y)})
		}
	}
	order := sc.byLeft(segs)
	var touches []touch
	active := sc.active[:0]
	var found *Problem
	for _, k := range order {
		s := &segs[k]
		// One pass drops the segments that end left of s and compares
		// s with the rest.
		keep := active[:0]
		for _, j := range active {
			t := &segs[j]
			if t.x1 < s.x0 {
				continue
			}
			keep = append(keep, j)
			if s.y0 > t.y1 || s.y1 < t.y0 {
				continue
			}
			ts, prob := compare(sc.rings, s, t)
			if prob != nil && (found == nil || found.Kind == SelfTouch && prob.Kind != SelfTouch) {
				found = prob
			}
			touches = append(touches, ts...)
		}
		active = append(keep, k)
	}
	sc.segs, sc.active = segs[:0], active[:0]
	if found != nil {
		return nil, found
	}
	return touches, nil
}

// scratch is the working memory of a check, kept for the next one.
type scratch struct {
	rings  []ring
	ptrs   []*ring
	pts    []pt
	segs   []segment
	order  []uint32
	keys   []uint64
	counts []int32
	active []uint32
}

// byLeft orders segs by their left ends. Tile coordinates span a few
// thousand units, so a counting sort does it in linear time.
func (sc *scratch) byLeft(segs []segment) []uint32 {
	lo, hi := segs[0].x0, segs[0].x0
	for _, s := range segs[1:] {
		lo, hi = min(lo, s.x0), max(hi, s.x0)
	}
	order := slices.Grow(sc.order[:0], len(segs))[:len(segs)]
	sc.order = order
	if span := hi - lo + 1; span > 1<<16 || span > 8*int64(len(segs))+256 {
		// Sorted as (left end, index) packed in one integer: an ordered
		// sort without a comparison function to call.
		keys := slices.Grow(sc.keys[:0], len(segs))[:len(segs)]
		sc.keys = keys
		if span < 1<<32 {
			for i, s := range segs {
				keys[i] = uint64(s.x0-lo)<<32 | uint64(i)
			}
			slices.Sort(keys)
			for i, k := range keys {
				order[i] = uint32(k)
			}
			return order
		}
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortFunc(order, func(i, j uint32) int { return cmp.Compare(segs[i].x0, segs[j].x0) })
		return order
	}
	counts := slices.Grow(sc.counts[:0], int(hi-lo)+2)[:hi-lo+2]
	clear(counts)
	sc.counts = counts
	for _, s := range segs {
		counts[s.x0-lo+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	for i, s := range segs {
		order[counts[s.x0-lo]] = uint32(i)
		counts[s.x0-lo]++
	}
	return order
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// orient is the sign of the turn a→b→c: positive clockwise with y down.
func orient(a, b, c pt) int {
	v := (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)
	return cmp.Compare(v, 0)
}

// onSegment reports whether p, collinear with s, lies within s's bound.
func onSegment(p, a, b pt) bool {
	return p.x >= min(a.x, b.x) && p.x <= max(a.x, b.x) && p.y >= min(a.y, b.y) && p.y <= max(a.y, b.y)
}

// compare classifies how segments s and t meet.
func compare(rings []ring, s, t *segment) ([]touch, *Problem) {
	sr, tr := &rings[s.ring], &rings[t.ring]
	same := s.ring == t.ring
	n := int32(len(sr.pts))
	if same && (t.i == s.i+1 || s.i == t.i+1 || s.i == 0 && t.i == n-1 || t.i == 0 && s.i == n-1) {
		// Neighbours share a vertex; they may only meet there. Both are
		// walked in ring order, so the shared vertex is s.b (or t.b).
		first, second := s, t
		if s.i == t.i+1 || s.i == 0 && t.i == n-1 {
			first, second = t, s
		}
		if n == 3 {
			// A triangle's segments are each other's neighbours both ways:
			// three distinct points either make an area or are collinear,
			// which the winding check reports.
			return nil, nil
		}
		v, a, b := first.b, first.a, second.b
		if orient(v, a, b) == 0 && (a.x-v.x)*(b.x-v.x)+(a.y-v.y)*(b.y-v.y) > 0 {
			return nil, sr.problem(SelfIntersection, v) // a spike back along itself
		}
		return nil, nil
	}
	o1, o2 := orient(s.a, s.b, t.a), orient(s.a, s.b, t.b)
	o3, o4 := orient(t.a, t.b, s.a), orient(t.a, t.b, s.b)
	crossing := func(at pt) *Problem {
		switch {
		case same:
			return sr.problem(SelfIntersection, at)
		case sr.part == tr.part:
			return sr.problem(RingsCross, at)
		}
		return sr.problem(PartsOverlap, at)
	}
	if o1*o2 < 0 && o3*o4 < 0 {
		return nil, crossing(s.a)
	}
	if o1 == 0 && o2 == 0 {
		// Collinear: they share a stretch, touch at an end, or miss.
		var shared []pt
		for _, p := range []pt{t.a, t.b} {
			if onSegment(p, s.a, s.b) {
				shared = append(shared, p)
			}
		}
		for _, p := range []pt{s.a, s.b} {
			if onSegment(p, t.a, t.b) && !slices.Contains(shared, p) {
				shared = append(shared, p)
			}
		}
		switch len(shared) {
		case 0:
			return nil, nil
		case 1:
			return meet(sr, tr, shared[0])
		}
		if same {
			return nil, sr.problem(SelfIntersection, shared[0])
		}
		return nil, crossing(shared[0])
	}
	// Touching at a point: an end of one on the other.
	switch {
	case o1 == 0 && onSegment(t.a, s.a, s.b):
		return meet(sr, tr, t.a)
	case o2 == 0 && onSegment(t.b, s.a, s.b):
		return meet(sr, tr, t.b)
	case o3 == 0 && onSegment(s.a, t.a, t.b):
		return meet(sr, tr, s.a)
	case o4 == 0 && onSegment(s.b, t.a, t.b):
		return meet(sr, tr, s.b)
	}
	return nil, nil
}

// meet classifies segments s and t meeting at the single point at, which
// is an end of one of them at least.
func meet(sr, tr *ring, at pt) ([]touch, *Problem) {
	switch {
	case sr == tr:
		// Non-neighbours of one ring: the ring passes through at twice.
		return nil, sr.problem(SelfTouch, at)
	case sr.part == tr.part:
		return []touch{{sr, at}, {tr, at}}, nil
	}
	return nil, nil // polygons of a multipolygon may touch at points
}

// connected reports a polygon whose rings touch in a cycle (a hole touching
// its exterior twice, or a chain of holes from the exterior back to it),
// which cuts its interior in two. The rings and the points where they
// touch make a graph; a cycle in it is the cut.
func (c *checker) connected(touches []touch) *Problem {
	if len(touches) == 0 {
		return nil
	}
	slices.SortFunc(touches, func(a, b touch) int {
		return cmp.Or(cmp.Compare(a.r.part, b.r.part), cmp.Compare(a.r.index, b.r.index),
			cmp.Compare(a.at.x, b.at.x), cmp.Compare(a.at.y, b.at.y))
	})
	touches = slices.Compact(touches)
	// A node is a ring or a point of a polygon.
	type key struct {
		part int
		ring int // -1 for a point node
		at   pt
	}
	par := map[key]key{}
	var root func(k key) key
	root = func(k key) key {
		p, ok := par[k]
		if !ok || p == k {
			return k
		}
		r := root(p)
		par[k] = r
		return r
	}
	for _, t := range touches {
		a := root(key{part: t.r.part, ring: t.r.index})
		b := root(key{part: t.r.part, ring: -1, at: t.at})
		if a == b {
			return t.r.problem(DisconnectedInterior, t.at)
		}
		par[a] = b
	}
	return nil
}

// where is a position relative to a ring.
type where int

const (
	outside where = iota
	inside
	onRing
)

// locate places p (in doubled coordinates, so that it may be a segment's
// middle) relative to r.
func (r *ring) locate(p pt) where {
	in := false
	n := len(r.pts)
	for i := range n {
		a, b := r.pts[i], r.pts[(i+1)%n]
		a, b = pt{2 * a.x, 2 * a.y}, pt{2 * b.x, 2 * b.y}
		if orient(a, b, p) == 0 && onSegment(p, a, b) {
			return onRing
		}
		if (a.y > p.y) != (b.y > p.y) {
			// x of the edge at p.y, compared without division.
			lhs := (p.x - a.x) * (b.y - a.y)
			rhs := (b.x - a.x) * (p.y - a.y)
			if b.y < a.y {
				lhs, rhs = -lhs, -rhs
			}
			if lhs < rhs {
				in = !in
			}
		}
	}
	if in {
		return inside
	}
	return outside
}

// probe is a point of r (doubled coordinates) that is not on other: a
// vertex, or else the middle of a segment. Rings that neither cross nor
// share segments have one.
func (r *ring) probe(other *ring) (pt, bool) {
	for _, p := range r.pts {
		d := pt{2 * p.x, 2 * p.y}
		if other.locate(d) != onRing {
			return d, true
		}
	}
	n := len(r.pts)
	for i := range n {
		a, b := r.pts[i], r.pts[(i+1)%n]
		d := pt{a.x + b.x, a.y + b.y}
		if other.locate(d) != onRing {
			return d, true
		}
	}
	return pt{}, false
}

// overlaps reports whether rings a and b have intersecting bounds.
func overlaps(a, b *ring) bool {
	return a.min.x <= b.max.x && b.min.x <= a.max.x && a.min.y <= b.max.y && b.min.y <= a.max.y
}

// within reports whether ring a, which neither crosses nor shares a segment
// with b, lies inside it.
func within(a, b *ring) bool {
	if !overlaps(a, b) {
		return false
	}
	p, ok := a.probe(b)
	return ok && b.locate(p) == inside
}

// containment checks, once no rings cross, that holes lie inside their
// exterior and outside one another, and that no polygon of a multipolygon
// lies inside another (unless in one of its holes).
func (c *checker) containment() *Problem {
	for _, p := range c.parts {
		ext := p[0]
		for i, h := range p[1:] {
			if !within(h, ext) {
				return h.problem(HoleOutside, h.pts[0])
			}
			for _, g := range p[i+2:] {
				if within(h, g) || within(g, h) {
					return h.problem(NestedHoles, h.pts[0])
				}
			}
		}
	}
	for i, p := range c.parts {
		for j, q := range c.parts {
			if i == j || !within(p[0], q[0]) {
				continue
			}
			inHole := false
			for _, h := range q[1:] {
				if within(p[0], h) {
					inHole = true
					break
				}
			}
			if !inHole {
				return p[0].problem(PartsOverlap, p[0].pts[0])
			}
		}
	}
	return nil
}
