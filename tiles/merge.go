package tiles

import (
	"cmp"
	"container/heap"
	"slices"
)

// merge records that a face, the root of its region at the time, was too
// small and joined the region of the face into.
type merge struct {
	face, into int32
	area       float64 // the region's area when it merged, world units²
}

// mergeOrder plans how faces too small to draw merge into their neighbours,
// for every zoom at once. Regions (initially single faces) are taken
// smallest first; one smaller than limit joins the neighbouring region with
// which it shares most border; one with no neighbour stays as it is.
// Regions only grow, so the areas at which merges happen never decrease, and
// the merges for a zoom whose threshold is T are exactly those with area
// below T: a prefix of the order. A region still smaller than T after them
// has no neighbour left to merge into. limit is the threshold of the lowest
// zoom cut.
//
// The plan is deterministic: ties go to the smaller face index.
func (t *topology) mergeOrder(limit float64) []merge {
	n := len(t.faces)
	if n == 0 || limit <= 0 {
		return nil
	}
	var merges []merge
	type edge struct {
		face   int32
		length float64
	}
	adj := make([][]edge, n)
	for a := range t.sides {
		s := t.sides[a]
		if s[0] < 0 || s[1] < 0 || s[0] == s[1] {
			continue
		}
		l := lineLength(t.arcPoints(int32(a)))
		adj[s[0]] = append(adj[s[0]], edge{s[1], l})
		adj[s[1]] = append(adj[s[1]], edge{s[0], l})
	}
	parent := make([]int32, n)
	area := make([]float64, n)
	q := make(regionQueue, 0, n)
	for i, f := range t.faces {
		parent[i] = int32(i)
		area[i] = f.area
		if f.area < limit {
			q = append(q, region{int32(i), f.area})
		}
	}
	heap.Init(&q)
	find := func(f int32) int32 {
		r := f
		for parent[r] != r {
			r = parent[r]
		}
		for parent[f] != r {
			parent[f], f = r, parent[f]
		}
		return r
	}
	for q.Len() > 0 {
		it := heap.Pop(&q).(region)
		f := it.face
		if parent[f] != f || it.area != area[f] {
			continue // merged away, or queued again since
		}
		// Gather the border with each neighbouring region.
		es := adj[f][:0]
		for _, e := range adj[f] {
			if r := find(e.face); r != f {
				es = append(es, edge{r, e.length})
			}
		}
		slices.SortFunc(es, func(a, b edge) int { return cmp.Compare(a.face, b.face) })
		out := es[:0]
		for _, e := range es {
			if len(out) > 0 && out[len(out)-1].face == e.face {
				out[len(out)-1].length += e.length
			} else {
				out = append(out, e)
			}
		}
		adj[f] = out
		if len(out) == 0 {
			continue // isolated: dropped at zooms where it is too small
		}
		best := out[0]
		for _, e := range out[1:] {
			if e.length > best.length {
				best = e
			}
		}
		into := best.face
		merges = append(merges, merge{face: f, into: into, area: area[f]})
		parent[f] = into
		area[into] += area[f]
		// Join the smaller neighbour list onto the larger; stale entries
		// are resolved when the region is next taken.
		if len(adj[f]) > len(adj[into]) {
			adj[f], adj[into] = adj[into], adj[f]
		}
		adj[into] = append(adj[into], adj[f]...)
		adj[f] = nil
		if area[into] < limit {
			heap.Push(&q, region{into, area[into]})
		}
	}
	return merges
}

// region is a queued region: its root face and its area when queued.
type region struct {
	face int32
	area float64
}

// regionQueue is a min-heap of regions by area, then face index.
type regionQueue []region

func (q regionQueue) Len() int { return len(q) }
func (q regionQueue) Less(i, j int) bool {
	if q[i].area != q[j].area {
		return q[i].area < q[j].area
	}
	return q[i].face < q[j].face
}
func (q regionQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *regionQueue) Push(x any)   { *q = append(*q, x.(region)) }
func (q *regionQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
