package synth

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// The contacts' proof of validity rests on two properties of the grid,
// checked here over many sizes and seeds: nodes inside the region join three
// edges, and each cell is star-shaped around its centre.

func TestGridNodesJoinThreeEdges(t *testing.T) {
	for _, n := range []int{40, 41, 399, 1600} {
		g := newGrid(n, rand.New(rand.NewPCG(uint64(n), 1)))
		degree := make([]int, len(g.nodes))
		for _, e := range g.edges {
			degree[e.a]++
			degree[e.b]++
		}
		corners := 0
		for i, d := range degree {
			p := g.nodes[i]
			onX := p[0] == region.Min[0] || p[0] == region.Max[0]
			onY := p[1] == region.Min[1] || p[1] == region.Max[1]
			switch {
			case onX && onY:
				corners++
				if d != 2 {
					t.Fatalf("%d cells: corner %v joins %d edges", n, p, d)
				}
			case d != 3:
				t.Fatalf("%d cells: node %v joins %d edges, want 3", n, p, d)
			}
		}
		if corners != 4 {
			t.Fatalf("%d cells: %d corners", n, corners)
		}
	}
}

func TestGridCellsAreStarShapedAroundTheirCentres(t *testing.T) {
	for seed := uint64(0); seed < 40; seed++ {
		n := 40 + int(seed)*97
		g := newGrid(n, rand.New(rand.NewPCG(seed, 2)))
		if got := g.cells(); math.Abs(float64(got-n)) > 0.1*float64(n)+8 {
			t.Fatalf("asked for %d cells, got %d", n, got)
		}
		for i, e := range g.edges {
			a, b := g.nodes[e.a], g.nodes[e.b]
			if e.left != outside && cross(a, b, g.center[e.left]) <= 0 {
				t.Fatalf("seed %d: centre of cell %d is not left of its edge %d", seed, e.left, i)
			}
			if e.right != outside && cross(a, b, g.center[e.right]) >= 0 {
				t.Fatalf("seed %d: centre of cell %d is not right of its edge %d", seed, e.right, i)
			}
		}
	}
}

func TestGridTilesTheRegion(t *testing.T) {
	g := newGrid(500, rand.New(rand.NewPCG(3, 3)))
	// A cell's area is half the sum of cross products along its boundary,
	// walked with the cell on the left.
	area := make([]float64, g.cells())
	for _, e := range g.edges {
		a, b := g.nodes[e.a], g.nodes[e.b]
		c := a[0]*b[1] - b[0]*a[1]
		if e.left != outside {
			area[e.left] += c / 2
		}
		if e.right != outside {
			area[e.right] -= c / 2
		}
	}
	total := 0.0
	for c, a := range area {
		if a <= 0 {
			t.Fatalf("cell %d has area %g", c, a)
		}
		total += a
	}
	want := (region.Max[0] - region.Min[0]) * (region.Max[1] - region.Min[1])
	if math.Abs(total-want) > 1e-6*want {
		t.Fatalf("cells cover %g m², region is %g m²", total, want)
	}
}

// cross is positive when c lies left of the line from a to b.
func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}
