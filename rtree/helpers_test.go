package rtree

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomItems returns n items on a coarse integer grid, half of them points,
// so that item edges, query edges and duplicates coincide often and the
// inclusive-edge rule is exercised rather than hit by chance. Ids are
// shuffled so that a tree that returned positions instead of ids would fail.
func randomItems(r *rand.Rand, n int) []Item {
	items := make([]Item, n)
	ids := r.Perm(n)
	for i := range items {
		x, y := float64(r.IntN(101)), float64(r.IntN(101))
		w, h := 0.0, 0.0
		if r.IntN(2) == 0 {
			w, h = float64(r.IntN(11)), float64(r.IntN(11))
		}
		items[i] = Item{MinX: x, MinY: y, MaxX: x + w, MaxY: y + h, ID: uint64(ids[i]) * 7}
	}
	return items
}

// randomQueries returns boxes of every kind the brute-force comparison must
// agree on: random boxes on the grid, points and boxes exactly on item
// corners and edges, the whole extent and more, boxes beside the data.
func randomQueries(r *rand.Rand, items []Item, n int) []box {
	qs := []box{
		{-1e9, -1e9, 1e9, 1e9},   // everything
		{0, 0, 110, 110},         // exactly the largest possible extent
		{200, 200, 300, 300},     // beside the data: empty
		{-5, -5, -0.5, -0.5},     // below the data: empty
		{50, 50, 50, 50},         // a grid point
		{40.5, 40.5, 40.5, 40.5}, // a point between grid lines
	}
	for len(qs) < n {
		switch r.IntN(4) {
		case 0:
			x, y := float64(r.IntN(111)), float64(r.IntN(111))
			qs = append(qs, box{x, y, x + float64(r.IntN(30)), y + float64(r.IntN(30))})
		case 1:
			if len(items) == 0 {
				continue
			}
			it := items[r.IntN(len(items))]
			qs = append(qs, box{it.MaxX, it.MaxY, it.MaxX, it.MaxY}) // touches a corner
		case 2:
			if len(items) == 0 {
				continue
			}
			it := items[r.IntN(len(items))]
			qs = append(qs, box{it.MaxX, it.MinY - 3, it.MaxX + 3, it.MaxY}) // shares an edge
		case 3:
			x, y := r.Float64()*110, r.Float64()*110
			qs = append(qs, box{x, y, x + r.Float64()*5, y + r.Float64()*5})
		}
	}
	return qs
}

// bruteIDs is the reference answer: every item tested, ids sorted; an
// inverted or NaN query matches nothing, as Search documents.
func bruteIDs(items []Item, q box) []uint64 {
	var ids []uint64
	if !(q.minX <= q.maxX && q.minY <= q.maxY) {
		return nil
	}
	for _, it := range items {
		if it.MinX <= q.maxX && it.MaxX >= q.minX && it.MinY <= q.maxY && it.MaxY >= q.minY {
			ids = append(ids, it.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func mustBuild(t testing.TB, items []Item, nodeSize int) []byte {
	t.Helper()
	index, err := Build(items, nodeSize)
	if err != nil {
		t.Fatalf("Build(%d items, node size %d): %v", len(items), nodeSize, err)
	}
	return index
}
