package synth

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// islandMap makes a map of one unit with single-cell islands of a second
// unit in it, with fractal contacts.
func islandMap(t *testing.T, g *grid, islands ...int32) *geology {
	t.Helper()
	m := &geology{g: g, cellUnit: make([]int32, g.cells()), cellIntr: make([]int32, g.cells()), perEdge: 6}
	for i := range m.cellIntr {
		m.cellIntr[i] = -1
	}
	for _, c := range islands {
		for _, e := range g.edgesOf(c) {
			if g.across(e, c) == outside {
				t.Fatalf("cell %d touches the frame; islands must be inland", c)
			}
		}
		m.cellUnit[c] = 1
	}
	m.indexUnits(2)
	m.drawContacts(1)
	return m
}

// inland returns cells none of whose neighbours touch the frame, far apart.
func inland(g *grid, n int) []int32 {
	var out []int32
	for c := int32(0); c < int32(g.cells()) && len(out) < n; c++ {
		ok := true
		for _, e := range g.edgesOf(c) {
			o := g.across(e, c)
			if o == outside {
				ok = false
				break
			}
			for _, e2 := range g.edgesOf(o) {
				if g.across(e2, o) == outside {
					ok = false
				}
			}
			for _, prev := range out {
				if o == prev || c == prev {
					ok = false
				}
				for _, e2 := range g.edgesOf(prev) {
					if g.across(e2, prev) == o {
						ok = false
					}
				}
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func TestAssemblyCutsIslandsAsHolesAndKeepsPartsApart(t *testing.T) {
	g := newGrid(200, rand.New(rand.NewPCG(9, 9)))
	cells := inland(g, 2)
	if len(cells) != 2 {
		t.Fatalf("found %d inland cells", len(cells))
	}
	m := islandMap(t, g, cells...)
	a := m.newAssembler()
	host, islands := a.unit(0), a.unit(1)

	if len(host) != 1 || len(host[0]) != 3 {
		t.Fatalf("host has %d parts, first with %d rings; want 1 part, an outer ring and 2 holes", len(host), len(host[0]))
	}
	if len(islands) != 2 || len(islands[0]) != 1 || len(islands[1]) != 1 {
		t.Fatalf("islands unit has %d parts; want 2 parts without holes", len(islands))
	}
	// Each hole is an island's ring, walked the other way: same vertices,
	// though it may start at another node.
	for _, hole := range host[0][1:] {
		back := slices.Clone(hole)
		back.Reverse()
		if !sameCycle(back, islands[0][0]) && !sameCycle(back, islands[1][0]) {
			t.Errorf("a hole of %d vertices matches no island's ring", len(hole))
		}
	}
	// Contacts carry their interior vertices: 6 segments per cell edge.
	if got, want := len(islands[0][0]), 6*len(g.edgesOf(cells[0]))+1; got != want {
		t.Errorf("island ring has %d vertices, want %d", got, want)
	}
	if host[0][0].Orientation() != orb.CCW {
		t.Error("outer ring is not anticlockwise")
	}
	// The frame stays straight: the outer ring is the region's rectangle
	// with the frame's nodes on it.
	if b := host[0][0].Bound(); b != region {
		t.Errorf("outer ring bounds %v, want the region %v", b, region)
	}
}

func TestAssemblyCutsIntrusionsFromTheirHostCell(t *testing.T) {
	g := newGrid(200, rand.New(rand.NewPCG(9, 9)))
	cells := inland(g, 1)
	m := islandMap(t, g) // a single unit covering everything
	m.intrusion = []placement{{cell: cells[0], code: "Trgr"}}
	m.cellIntr[cells[0]] = 0
	m.perEdge = 6
	m.drawIntrusions(1)

	host := m.newAssembler().unit(0)
	if len(host) != 1 || len(host[0]) != 2 {
		t.Fatalf("host has %d parts, first with %d rings; want one part with one hole", len(host), len(host[0]))
	}
	back := slices.Clone(host[0][1])
	back.Reverse()
	if !slices.Equal(back, m.rings[0]) {
		t.Error("the hole is not the intrusion's ring reversed")
	}
}

// sameCycle reports whether two closed rings visit the same vertices in the
// same order, whichever vertex each starts at.
func sameCycle(a, b orb.Ring) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	a, b = a[:len(a)-1], b[:len(b)-1]
	start := slices.Index(a, b[0])
	if start < 0 {
		return false
	}
	return slices.Equal(append(slices.Clone(a[start:]), a[:start]...), b)
}
