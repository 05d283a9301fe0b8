package synth

import (
	"math/rand/v2"
	"testing"
)

func TestGrowClustersCoversEveryCellWithConnectedClusters(t *testing.T) {
	g := newGrid(2000, rand.New(rand.NewPCG(1, 1)))
	const k = 400
	owner, seeds := growClusters(g, k, rand.New(rand.NewPCG(1, 2)))
	size := make([]int, k)
	for c, o := range owner {
		if o < 0 || o >= k {
			t.Fatalf("cell %d has cluster %d", c, o)
		}
		size[o]++
	}
	for i, s := range seeds {
		if owner[s] != int32(i) {
			t.Fatalf("cluster %d does not own its seed", i)
		}
	}
	// Walk each cluster from its seed: it must reach all its cells.
	reached := make([]int, k)
	seen := make([]bool, g.cells())
	for i, s := range seeds {
		stack := []int32{s}
		seen[s] = true
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			reached[i]++
			for _, e := range g.edgesOf(c) {
				if o := g.across(e, c); o != outside && !seen[o] && owner[o] == int32(i) {
					seen[o] = true
					stack = append(stack, o)
				}
			}
		}
		if reached[i] != size[i] {
			t.Fatalf("cluster %d: %d of its %d cells connect to its seed", i, reached[i], size[i])
		}
	}
}

func TestMergeClustersJoinsOnlyClustersThatDoNotTouch(t *testing.T) {
	g := newGrid(2000, rand.New(rand.NewPCG(3, 1)))
	const k, want = 500, 40
	owner, _ := growClusters(g, k, rand.New(rand.NewPCG(3, 2)))
	adj := groupAdjacency(g, owner, k)
	unitOf, units := mergeClusters(adj, k, want, rand.New(rand.NewPCG(3, 3)))
	if units != k-want {
		t.Fatalf("%d units from %d clusters and %d merges", units, k, want)
	}
	members := make(map[int32][]int32)
	for c, u := range unitOf {
		if u < 0 || int(u) >= units {
			t.Fatalf("cluster %d in unit %d of %d", c, u, units)
		}
		members[u] = append(members[u], int32(c))
	}
	multi := 0
	for u, cs := range members {
		if len(cs) > 2 {
			t.Errorf("unit %d joins %d clusters, want at most 2", u, len(cs))
		}
		if len(cs) == 2 {
			multi++
			if adj.touches(cs[0], cs[1]) {
				t.Errorf("unit %d joins clusters %d and %d, which touch", u, cs[0], cs[1])
			}
		}
	}
	if multi != want {
		t.Errorf("%d multi-part units, want %d", multi, want)
	}
}

func TestAssignCodesNeverRepeatsACodeAcrossABorder(t *testing.T) {
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	lay := newLayout(l, rng)
	g := newGrid(1600, rng)
	owner, seeds := growClusters(g, 400, rng)
	adj := groupAdjacency(g, owner, 400)
	codes, _ := assignCodes(lay, adj, seeds, g, rng)
	clashes := 0
	for u := int32(0); u < 400; u++ {
		for _, n := range adj.of(u) {
			if codes[n] == codes[u] {
				clashes++
			}
		}
	}
	// A unit whose neighbours use up its domain's whole list may clash; in
	// a rich legend that is rare.
	if clashes > 4 {
		t.Errorf("%d bordering pairs share a code", clashes/2)
	}
}

func TestPlaceIntrusionsOnlyWhereTheyCouldHaveIntruded(t *testing.T) {
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	lay := newLayout(l, rng)
	g := newGrid(1600, rng)
	owner, seeds := growClusters(g, 400, rng)
	codes, _ := assignCodes(lay, groupAdjacency(g, owner, 400), seeds, g, rng)
	placed := placeIntrusions(lay, g, owner, codes, 60, rng)
	if len(placed) != 60 {
		t.Fatalf("placed %d of 60 intrusions", len(placed))
	}
	used := make(map[int32]bool)
	for _, p := range placed {
		if used[p.cell] {
			t.Errorf("two intrusions in cell %d", p.cell)
		}
		used[p.cell] = true
		host, in := l.unit(codes[owner[p.cell]]), l.unit(p.code)
		if in.RockType != "plutonic" {
			t.Errorf("intrusion %s is %s", in.Code, in.RockType)
		}
		if host.RockType == "unconsolidated" || host.RockType == "plutonic" {
			t.Errorf("intrusion %s placed in %s host %s", in.Code, host.RockType, host.Code)
		}
		if in.MaxAgeMa > host.MaxAgeMa || in.MinAgeMa > host.MinAgeMa {
			t.Errorf("intrusion %s (%s) is older than its host %s (%s)", in.Code, in.Age, host.Code, host.Age)
		}
	}
}
