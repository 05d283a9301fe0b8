package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// arcRef names an arc of a topology and the direction it is walked in: a
// for arc a forwards, ^a for arc a backwards.
type arcRef int32

func (r arcRef) arc() int32 {
	if r < 0 {
		return int32(^r)
	}
	return int32(r)
}

func (r arcRef) reversed() bool { return r < 0 }

// face is one polygon of a polygon feature (a MultiPolygon has several) as
// rings of arcs: its exterior first, then its holes. Every ring is walked
// with the face's interior on its right (y down), so exteriors have a
// positive surveyor's-formula area and holes a negative one.
type face struct {
	feature int32 // index into the features cut
	rings   [][]arcRef
	// ringArea is the absolute area of each ring and area the face's own,
	// exterior less holes, in world units².
	ringArea []float64
	area     float64
}

// topology holds the polygons of a layer as a coverage: their rings split
// into arcs at every point where rings stop running together (where three
// or more rings meet, or where a shared border ends), each arc stored once
// however many rings use it, as TopoJSON does. Simplifying each arc once
// then gives every polygon sharing it the same border, so that neither gap
// nor sliver opens between neighbours.
type topology struct {
	pts    []orb.Point // the arcs' vertices, world units
	arcOff []int32     // arc a is pts[arcOff[a]:arcOff[a+1]]
	// nodes are each arc's first and last points as ids unique to a point,
	// for walking from arc to arc.
	nodes [][2]int32
	// sides are the faces using each arc forwards and backwards: the face
	// on its right and the one on its left; -1 for none.
	sides [][2]int32
	faces []face
	// faceStart[i]:faceStart[i+1] are the faces of feature i.
	faceStart []int32
	totalArea float64
}

func (t *topology) arcs() int { return len(t.arcOff) - 1 }

func (t *topology) arcPoints(a int32) []orb.Point { return t.pts[t.arcOff[a]:t.arcOff[a+1]] }

// startNode and endNode are the nodes a ref leaves and reaches.
func (t *topology) startNode(r arcRef) int32 {
	if r.reversed() {
		return t.nodes[r.arc()][1]
	}
	return t.nodes[r.arc()][0]
}

func (t *topology) endNode(r arcRef) int32 {
	if r.reversed() {
		return t.nodes[r.arc()][0]
	}
	return t.nodes[r.arc()][1]
}

// otherSide is the face on the left of r as walked, or -1.
func (t *topology) otherSide(r arcRef) int32 {
	if r.reversed() {
		return t.sides[r.arc()][0]
	}
	return t.sides[r.arc()][1]
}

// topologyBuilder holds what building needs and the topology does not.
type topologyBuilder struct {
	t        *topology
	junction []bool
	arcIndex map[[2]int32]int32 // an arc's first two point ids, canonically oriented
	seq      []int              // positions in the ring of the arc being split off
}

// buildTopology builds the coverage topology of the polygon features of
// feats, whose rings prepare has wound; it compacts the rings in place.
// Repeated consecutive points are skipped and rings with no area left out.
// Points are matched exactly: the shared borders of a coverage are the same
// vertices in both neighbours, so after the same projection they are the
// same numbers.
func buildTopology(feats []feature) *topology {
	t := &topology{faceStart: make([]int32, len(feats)+1), arcOff: []int32{0}}
	b := &topologyBuilder{t: t, arcIndex: map[[2]int32]int32{}}

	// Number the distinct points and write every ring as point ids. In a
	// coverage most points are shared by two rings.
	vertices := 0
	for i := range feats {
		if feats[i].kind == kindPolygon {
			vertices += VertexCount(feats[i].geom)
		}
	}
	ids := make(map[orb.Point]int32, vertices/2+vertices/8)
	ringIDs := make([]int32, 0, vertices) // every ring's ids, back to back
	type rawFace struct {
		feature int32
		rings   []orb.Ring // compacted: ringIDs' points, position for position
		ends    []int32    // end offsets into ringIDs of each ring
		areas   []float64
	}
	var raw []rawFace
	for i := range feats {
		t.faceStart[i] = int32(len(raw))
		if feats[i].kind != kindPolygon {
			continue
		}
		for _, p := range polygonsOf(feats[i].geom) {
			rf := rawFace{feature: int32(i)}
			for k, r := range p {
				a := math.Abs(ringArea(r))
				start := len(ringIDs)
				out := r[:0]
				for j, pt := range r {
					if j > 0 && pt == r[j-1] {
						continue
					}
					id, ok := ids[pt]
					if !ok {
						id = int32(len(ids))
						ids[pt] = id
					}
					ringIDs = append(ringIDs, id)
					out = append(out, pt)
				}
				// Open the ring: its closing point repeats the first.
				for len(out) > 1 && out[len(out)-1] == out[0] {
					out = out[:len(out)-1]
					ringIDs = ringIDs[:len(ringIDs)-1]
				}
				if len(out) < 3 || a == 0 {
					ringIDs = ringIDs[:start]
					if k == 0 {
						break // no exterior, no polygon
					}
					continue
				}
				rf.rings = append(rf.rings, out)
				rf.ends = append(rf.ends, int32(len(ringIDs)))
				rf.areas = append(rf.areas, a)
			}
			if len(rf.rings) > 0 {
				raw = append(raw, rf)
			}
		}
	}
	t.faceStart[len(feats)] = int32(len(raw))
	n := len(ids)
	clear(ids)
	ids = nil

	// A point is a junction when two rings, or one ring twice, pass it
	// with different neighbours on either side.
	b.junction = make([]bool, n)
	neighbours := make([][2]int32, n)
	for i := range neighbours {
		neighbours[i] = [2]int32{-1, -1}
	}
	junctionsPassed := 0
	start := int32(0)
	for _, rf := range raw {
		for _, end := range rf.ends {
			ring := ringIDs[start:end]
			for k, id := range ring {
				prev, next := ring[(k+len(ring)-1)%len(ring)], ring[(k+1)%len(ring)]
				pair := [2]int32{min(prev, next), max(prev, next)}
				switch nb := neighbours[id]; {
				case nb[0] < 0:
					neighbours[id] = pair
				case nb != pair:
					b.junction[id] = true
				}
			}
			start = end
		}
	}
	neighbours = nil
	start = 0
	rings := 0
	for _, rf := range raw {
		for _, end := range rf.ends {
			for _, id := range ringIDs[start:end] {
				if b.junction[id] {
					junctionsPassed++
				}
			}
			rings++
			start = end
		}
	}
	// Arcs hold every point once, nodes once per arc end: no more than
	// this.
	t.pts = make([]orb.Point, 0, n+2*(junctionsPassed+rings))

	// Split the rings into arcs and record which faces use each arc.
	t.faces = make([]face, len(raw))
	start = 0
	for fi, rf := range raw {
		f := face{feature: rf.feature, ringArea: rf.areas}
		for k, end := range rf.ends {
			refs := b.ringArcs(ringIDs[start:end], rf.rings[k])
			f.rings = append(f.rings, refs)
			if k == 0 {
				f.area += rf.areas[k]
			} else {
				f.area -= rf.areas[k]
			}
			start = end
		}
		f.area = max(f.area, 0)
		t.totalArea += f.area
		t.faces[fi] = f
	}
	t.sides = make([][2]int32, t.arcs())
	for a := range t.sides {
		t.sides[a] = [2]int32{-1, -1}
	}
	for fi, f := range t.faces {
		for _, ring := range f.rings {
			for _, r := range ring {
				side := &t.sides[r.arc()][0]
				if r.reversed() {
					side = &t.sides[r.arc()][1]
				}
				// A second face on the same side means the input's polygons
				// overlap there; the first keeps the side.
				if *side < 0 {
					*side = int32(fi)
				}
			}
		}
	}
	return t
}

// ringArcs splits a ring, as point ids and their points (open: its last
// point is not its first again), into arcs at its junctions, creating the
// arcs not seen yet.
func (b *topologyBuilder) ringArcs(ids []int32, pts orb.Ring) []arcRef {
	first := -1
	for k, id := range ids {
		if b.junction[id] {
			first = k
			break
		}
	}
	n := len(ids)
	if first < 0 {
		// One closed arc, started at its smallest point id so that every
		// ring running round the same loop finds the same arc.
		first = 0
		for k, id := range ids {
			if id < ids[first] {
				first = k
			}
		}
		b.seq = b.seq[:0]
		for k := range n + 1 {
			b.seq = append(b.seq, (first+k)%n)
		}
		return []arcRef{b.arc(ids, pts)}
	}
	var refs []arcRef
	b.seq = append(b.seq[:0], first)
	for k := 1; k <= n; k++ {
		pos := (first + k) % n
		b.seq = append(b.seq, pos)
		if b.junction[ids[pos]] {
			refs = append(refs, b.arc(ids, pts))
			b.seq = append(b.seq[:0], pos)
		}
	}
	return refs
}

// arc returns the ref of the arc through b.seq (positions in a ring, from
// node to node), creating the arc if it is new. An arc is known by its
// first two points: two arcs leaving a node through the same point run
// together up to the next junction, where both end. Of the two directions,
// the one whose first two ids are smaller is the arc's own.
func (b *topologyBuilder) arc(ids []int32, pts orb.Ring) arcRef {
	seq := b.seq
	n := len(seq)
	fwd := [2]int32{ids[seq[0]], ids[seq[1]]}
	rev := [2]int32{ids[seq[n-1]], ids[seq[n-2]]}
	reversed := rev[0] < fwd[0] || rev[0] == fwd[0] && rev[1] < fwd[1]
	key := fwd
	if reversed {
		key = rev
	}
	a, ok := b.arcIndex[key]
	if !ok {
		t := b.t
		a = int32(t.arcs())
		b.arcIndex[key] = a
		if reversed {
			for i := n - 1; i >= 0; i-- {
				t.pts = append(t.pts, pts[seq[i]])
			}
			t.nodes = append(t.nodes, [2]int32{ids[seq[n-1]], ids[seq[0]]})
		} else {
			for _, k := range seq {
				t.pts = append(t.pts, pts[k])
			}
			t.nodes = append(t.nodes, [2]int32{ids[seq[0]], ids[seq[n-1]]})
		}
		t.arcOff = append(t.arcOff, int32(len(t.pts)))
	}
	if reversed {
		return ^arcRef(a)
	}
	return arcRef(a)
}

// polygonsOf lists the polygons of a Polygon or MultiPolygon.
func polygonsOf(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}
