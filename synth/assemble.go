package synth

import "github.com/paulmach/orb"

// assembler turns a unit's cells into polygons by walking the unit's
// boundary. A half-edge is an edge walked with the unit on its left
// (2·edge, forwards; 2·edge+1, backwards), so outer rings come out
// anticlockwise and holes clockwise, as RFC 7946 asks, with no test.
type assembler struct {
	m       *geology
	inComp  []bool  // by cell: already placed in a component
	outOf   []int32 // by node: the boundary half-edge leaving it, or -1
	queue   []int32
	comp    []int32
	pending []int32
}

func (m *geology) newAssembler() *assembler {
	a := &assembler{m: m, inComp: make([]bool, m.g.cells()), outOf: make([]int32, len(m.g.nodes))}
	for i := range a.outOf {
		a.outOf[i] = -1
	}
	return a
}

// unit returns grown unit u as one polygon per connected group of its cells,
// each with the holes its neighbours and intrusions cut.
func (a *assembler) unit(u int32) orb.MultiPolygon {
	m := a.m
	var mp orb.MultiPolygon
	for _, c := range m.unitCells[m.unitStart[u]:m.unitStart[u+1]] {
		if a.inComp[c] {
			continue
		}
		a.component(c, u)
		mp = append(mp, a.polygon(u))
	}
	return mp
}

// component collects into a.comp the cells of unit u connected to cell c.
func (a *assembler) component(c, u int32) {
	g := a.m.g
	a.comp = append(a.comp[:0], c)
	a.inComp[c] = true
	a.queue = append(a.queue[:0], c)
	for len(a.queue) > 0 {
		c := a.queue[len(a.queue)-1]
		a.queue = a.queue[:len(a.queue)-1]
		for _, e := range g.edgesOf(c) {
			o := g.across(e, c)
			if o != outside && a.m.cellUnit[o] == u && !a.inComp[o] {
				a.inComp[o] = true
				a.comp = append(a.comp, o)
				a.queue = append(a.queue, o)
			}
		}
	}
}

// polygon walks the boundary of the component in a.comp. Every node joins
// three edges, so the component's boundary passes each node at most once and
// each node has at most one outgoing boundary half-edge.
func (a *assembler) polygon(u int32) orb.Polygon {
	m, g := a.m, a.m.g
	a.pending = a.pending[:0]
	for _, c := range a.comp {
		for _, e := range g.edgesOf(c) {
			o := g.across(e, c)
			if o != outside && m.cellUnit[o] == u {
				continue
			}
			he := 2 * e
			if g.edges[e].left != c {
				he++
			}
			a.outOf[a.from(he)] = he
			a.pending = append(a.pending, he)
		}
	}
	var outer orb.Ring
	var holes []orb.Ring
	for _, start := range a.pending {
		if a.outOf[a.from(start)] != start {
			continue // already walked
		}
		ring := a.walk(start)
		if ring.Orientation() == orb.CCW {
			outer = ring
		} else {
			holes = append(holes, ring)
		}
	}
	poly := append(orb.Polygon{outer}, holes...)
	for _, c := range a.comp {
		if i := m.cellIntr[c]; i >= 0 {
			hole := append(orb.Ring(nil), m.rings[i]...)
			hole.Reverse()
			poly = append(poly, hole)
		}
	}
	return poly
}

// walk follows boundary half-edges from start until it closes, consuming them.
func (a *assembler) walk(start int32) orb.Ring {
	m, g := a.m, a.m.g
	var ring orb.Ring
	he := start
	for {
		from := a.from(he)
		a.outOf[from] = -1
		ring = append(ring, g.nodes[from])
		e := he / 2
		if at := m.contactAt[e]; at >= 0 {
			pts := m.vertices[at : int(at)+m.perEdge-1]
			if he%2 == 0 {
				ring = append(ring, pts...)
			} else {
				for i := len(pts) - 1; i >= 0; i-- {
					ring = append(ring, pts[i])
				}
			}
		}
		to := a.to(he)
		if to == a.from(start) {
			break
		}
		he = a.outOf[to]
	}
	return append(ring, ring[0])
}

// from is the node a half-edge leaves.
func (a *assembler) from(he int32) int32 {
	e := a.m.g.edges[he/2]
	if he%2 == 0 {
		return e.a
	}
	return e.b
}

// to is the node a half-edge reaches.
func (a *assembler) to(he int32) int32 {
	e := a.m.g.edges[he/2]
	if he%2 == 0 {
		return e.b
	}
	return e.a
}
