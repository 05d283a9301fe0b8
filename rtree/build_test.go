package rtree

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestBuildRefusesBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name     string
		items    []Item
		nodeSize int
		want     string
	}{
		{"node size 1", nil, 1, "node size 1 is out of range"},
		{"node size negative", nil, -16, "node size -16 is out of range"},
		{"node size too large", nil, MaxNodeSize + 1, "node size 65536 is out of range"},
		{"NaN", []Item{{0, 0, 1, 1, 1}, {nan, 0, 1, 1, 2}}, 16, "item 1 (id 2)"},
		{"infinity", []Item{{0, 0, inf, 1, 3}}, 16, "item 0 (id 3)"},
		{"min x above max x", []Item{{2, 0, 1, 1, 4}}, 16, "item 0 (id 4) has box [2 0 1 1]"},
		{"min y above max y", []Item{{0, 2, 1, 1, 5}}, 16, "want finite coordinates with min <= max"},
	} {
		index, err := Build(c.items, c.nodeSize)
		if err == nil || !strings.Contains(err.Error(), c.want) || index != nil {
			t.Errorf("%s: Build error %v, want one containing %q and no index", c.name, err, c.want)
		}
	}
}

func TestBuildEmptyAndSingle(t *testing.T) {
	empty := mustBuild(t, nil, 0)
	if h, err := ReadHeader(empty); err != nil || h != (Header{Version: 1, NodeSize: DefaultNodeSize}) || len(empty) != headerSize {
		t.Fatalf("empty index: %d bytes, header %+v, %v; want %d bytes, node size %d, count 0, zero extent", len(empty), h, err, headerSize, DefaultNodeSize)
	}
	if ids, err := SearchIDs(empty, math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)); err != nil || len(ids) != 0 {
		t.Fatalf("empty index: %v, %v; want no ids", ids, err)
	}

	one := mustBuild(t, []Item{{3, 4, 5, 6, 99}}, 0)
	if len(one) != headerSize+nodeLen {
		t.Fatalf("one item: %d bytes, want %d (the leaf is the root)", len(one), headerSize+nodeLen)
	}
	if h, _ := ReadHeader(one); h.MinX != 3 || h.MinY != 4 || h.MaxX != 5 || h.MaxY != 6 || h.Count != 1 {
		t.Fatalf("one item: header %+v, want count 1 and extent [3 4 5 6]", h)
	}
	for _, c := range []struct {
		q    box
		want []uint64
	}{
		{box{5, 6, 9, 9}, []uint64{99}}, // the max corner
		{box{0, 0, 3, 4}, []uint64{99}}, // the min corner
		{box{4, 5, 4, 5}, []uint64{99}}, // a point inside
		{box{5.5, 0, 9, 9}, nil},        // just right of it
	} {
		if ids, err := SearchIDs(one, c.q.minX, c.q.minY, c.q.maxX, c.q.maxY); err != nil || !slices.Equal(ids, c.want) {
			t.Errorf("one item, query %v: %v, %v; want %v", c.q, ids, err, c.want)
		}
	}
}

// TestBuildStructure walks every node of a built index and checks what the
// package doc promises: each parent's box is exactly the union of its
// children's, leaves hold each item once, in ascending Hilbert order.
func TestBuildStructure(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	items := randomItems(r, 2000)
	before := slices.Clone(items)
	for _, ns := range []int{2, 5, 16, 64} {
		index := mustBuild(t, items, ns)
		if !slices.Equal(items, before) {
			t.Fatal("Build modified its input")
		}
		h, s, err := open(index)
		if err != nil {
			t.Fatal(err)
		}
		for l := range s.leaf() {
			for p := s.levels[l].start; p < s.levels[l].end; p++ {
				bb, first := readNode(index, p)
				end := min(first+uint64(ns), s.levels[l+1].end)
				u, _ := readNode(index, first)
				for c := first + 1; c < end; c++ {
					cb, _ := readNode(index, c)
					u.expand(cb)
				}
				if bb != u {
					t.Fatalf("node size %d: node %d box %v, want the union of its children %v", ns, p, bb, u)
				}
			}
		}
		root, _ := readNode(index, 0)
		if (box{h.MinX, h.MinY, h.MaxX, h.MaxY}) != root {
			t.Fatalf("node size %d: header extent %+v differs from root box %v", ns, h, root)
		}

		byID := map[uint64]Item{}
		for _, it := range items {
			byID[it.ID] = it
		}
		var prev uint32
		for i := s.levels[s.leaf()].start; i < s.numNodes; i++ {
			bb, id := readNode(index, i)
			it, ok := byID[id]
			if !ok {
				t.Fatalf("node size %d: leaf %d holds id %d, not an item's or a second time", ns, i, id)
			}
			delete(byID, id)
			if bb != (box{it.MinX, it.MinY, it.MaxX, it.MaxY}) {
				t.Fatalf("node size %d: leaf of id %d has box %v, want the item's %+v", ns, id, bb, it)
			}
			w, hh := h.MaxX-h.MinX, h.MaxY-h.MinY
			d := hilbert(cell(it.MinX/2+it.MaxX/2, h.MinX, w), cell(it.MinY/2+it.MaxY/2, h.MinY, hh))
			if d < prev {
				t.Fatalf("node size %d: leaf %d has Hilbert value %d after %d", ns, i, d, prev)
			}
			prev = d
		}
		if len(byID) != 0 {
			t.Fatalf("node size %d: %d items have no leaf", ns, len(byID))
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	items := randomItems(r, 3000) // many share a centre, so ties must break the same way
	a, b := mustBuild(t, items, 0), mustBuild(t, slices.Clone(items), 0)
	if !bytes.Equal(a, b) {
		t.Fatal("two builds of the same items differ")
	}
}

func BenchmarkBuild1M(b *testing.B) {
	items := benchItems()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(items, 0); err != nil {
			b.Fatal(err)
		}
	}
}
