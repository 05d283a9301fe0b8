package synth

import (
	"container/heap"
	"math/rand/v2"
	"slices"
)

// growClusters grows k connected clusters of cells from random seeds, each
// cell joining the cluster that reaches it first over randomly weighted
// steps (a random Voronoi diagram on the cell graph). Stepping north or south
// is cheaper than east or west, which draws units out along the grain of the
// country. seeds[i] is the cell cluster i grew from.
func growClusters(g *grid, k int, rng *rand.Rand) (owner []int32, seeds []int32) {
	weight := make([]float64, len(g.edges))
	for i, e := range g.edges {
		base := 0.7
		if e.vertical {
			base = 1
		}
		weight[i] = base * (0.3 + 1.4*rng.Float64())
	}
	owner = make([]int32, g.cells())
	for i := range owner {
		owner[i] = -1
	}
	seeds = make([]int32, k)
	var f frontier
	for i, c := range rng.Perm(g.cells())[:k] {
		seeds[i] = int32(c)
		f = append(f, reach{0, int32(c), int32(i)})
	}
	heap.Init(&f)
	for f.Len() > 0 {
		r := heap.Pop(&f).(reach)
		if owner[r.cell] >= 0 {
			continue
		}
		owner[r.cell] = r.cluster
		for _, e := range g.edgesOf(r.cell) {
			o := g.across(e, r.cell)
			if o != outside && owner[o] < 0 {
				heap.Push(&f, reach{r.cost + weight[e], o, r.cluster})
			}
		}
	}
	return owner, seeds
}

// reach is a cluster arriving at a cell at a cost.
type reach struct {
	cost    float64
	cell    int32
	cluster int32
}

// frontier is a min-heap of reaches; ties break on cell and cluster so that
// growth does not depend on heap internals.
type frontier []reach

func (f frontier) Len() int { return len(f) }
func (f frontier) Less(i, j int) bool {
	if f[i].cost != f[j].cost {
		return f[i].cost < f[j].cost
	}
	if f[i].cell != f[j].cell {
		return f[i].cell < f[j].cell
	}
	return f[i].cluster < f[j].cluster
}
func (f frontier) Swap(i, j int) { f[i], f[j] = f[j], f[i] }
func (f *frontier) Push(x any)   { *f = append(*f, x.(reach)) }
func (f *frontier) Pop() any {
	old := *f
	r := old[len(old)-1]
	*f = old[:len(old)-1]
	return r
}

// adjacency lists, for each of n groups, the groups it shares an edge with,
// in ascending order.
type adjacency struct {
	start []int32
	list  []int32
}

// groupAdjacency derives group adjacency from the cell grid, where group[c]
// is the group of cell c.
func groupAdjacency(g *grid, group []int32, n int) adjacency {
	var pairs [][2]int32
	for _, e := range g.edges {
		if e.left == outside || e.right == outside {
			continue
		}
		a, b := group[e.left], group[e.right]
		if a != b {
			pairs = append(pairs, [2]int32{a, b}, [2]int32{b, a})
		}
	}
	slices.SortFunc(pairs, func(p, q [2]int32) int {
		if p[0] != q[0] {
			return int(p[0] - q[0])
		}
		return int(p[1] - q[1])
	})
	pairs = slices.Compact(pairs)
	adj := adjacency{start: make([]int32, n+1), list: make([]int32, len(pairs))}
	for i, p := range pairs {
		adj.start[p[0]+1]++
		adj.list[i] = p[1]
	}
	for i := 0; i < n; i++ {
		adj.start[i+1] += adj.start[i]
	}
	return adj
}

func (a adjacency) of(i int32) []int32 { return a.list[a.start[i]:a.start[i+1]] }

func (a adjacency) touches(i, j int32) bool {
	_, found := slices.BinarySearch(a.of(i), j)
	return found
}

// mergeClusters makes up to want multi-part units: each joins a cluster to a
// nearby one that does not touch it (a neighbour's neighbour), as a
// formation crops out again beyond a younger cover. It returns each
// cluster's unit, numbered in cluster order, and the number of units.
func mergeClusters(adj adjacency, k, want int, rng *rand.Rand) (unitOf []int32, units int) {
	const (
		free = iota
		host
		part
	)
	role := make([]uint8, k)
	joins := make([]int32, k) // for a part, the cluster whose unit it joins
	var candidates []int32
	done := 0
	for _, a := range rng.Perm(k) {
		if done == want {
			break
		}
		if role[a] != free {
			continue
		}
		candidates = candidates[:0]
		for _, n := range adj.of(int32(a)) {
			for _, b := range adj.of(n) {
				if b != int32(a) && role[b] == free && !adj.touches(int32(a), b) {
					candidates = append(candidates, b)
				}
			}
		}
		if len(candidates) == 0 {
			continue
		}
		slices.Sort(candidates)
		candidates = slices.Compact(candidates)
		b := candidates[rng.IntN(len(candidates))]
		role[a], role[b] = host, part
		joins[b] = int32(a)
		done++
	}
	unitOf = make([]int32, k)
	for c := 0; c < k; c++ {
		if role[c] != part {
			unitOf[c] = int32(units)
			units++
		}
	}
	for c := 0; c < k; c++ {
		if role[c] == part {
			unitOf[c] = unitOf[joins[c]]
		}
	}
	return unitOf, units
}

// assignCodes gives each unit a legend code drawn from its domain's
// stratigraphy (or, in a valley, from the basin fill), never the code of a
// unit it borders: a survey would have drawn the two as one.
func assignCodes(lay *layout, adj adjacency, anchor []int32, g *grid, rng *rand.Rand) (codes []string, domains []int) {
	units := len(anchor)
	codes = make([]string, units)
	domains = make([]int, units)
	for u := 0; u < units; u++ {
		at := g.center[anchor[u]]
		d := lay.domainAt(at)
		domains[u] = d
		apart := func(code string) bool {
			for _, n := range adj.of(int32(u)) {
				if codes[n] == code {
					return false
				}
			}
			return true
		}
		choices := lay.legend.Domains[d].Units
		if lay.inBasin(at) && rng.Float64() < 0.8 {
			choices = lay.legend.BasinUnits
		}
		code, ok := pickWeighted(rng, choices, apart)
		if !ok {
			code, _ = pickWeighted(rng, lay.legend.Domains[d].Units, nil)
		}
		codes[u] = code
	}
	return codes, domains
}

// placement is an intrusion: its cell and legend code.
type placement struct {
	cell   int32
	code   string
	domain int
}

// placeIntrusions picks k cells for intrusions, each a stock inside a host
// unit it could have intruded: a plutonic code of the host's domain, no older
// than the host, in a host that is neither loose sediment nor itself plutonic.
// Where a domain has no such code, any of the legend's plutonic codes will do.
func placeIntrusions(lay *layout, g *grid, cellUnit []int32, codes []string, k int, rng *rand.Rand) []placement {
	l := lay.legend
	var anyPluton []weighted
	for _, u := range l.Units {
		if u.RockType == "plutonic" {
			anyPluton = append(anyPluton, weighted{u.Code, 1})
		}
	}
	order := rng.Perm(g.cells())
	used := make([]bool, g.cells())
	var out []placement
	for pass := 0; pass < 2 && len(out) < k; pass++ {
		for _, c := range order {
			if len(out) == k {
				break
			}
			if used[c] {
				continue
			}
			host := l.unit(codes[cellUnit[c]])
			if host.RockType == "unconsolidated" || host.RockType == "plutonic" {
				continue
			}
			d := lay.domainAt(g.center[c])
			choices := l.Domains[d].Intrusions
			if pass == 1 {
				choices = anyPluton
			}
			code, ok := pickWeighted(rng, choices, func(code string) bool {
				in := l.unit(code)
				return in.MaxAgeMa <= host.MaxAgeMa && in.MinAgeMa <= host.MinAgeMa
			})
			if !ok {
				continue
			}
			used[c] = true
			out = append(out, placement{int32(c), code, d})
		}
	}
	return out
}
