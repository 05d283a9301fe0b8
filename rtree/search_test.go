package rtree

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSearchMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 15, 16, 17, 255, 256, 257, 1000, 4097} {
		for _, ns := range []int{2, 3, 16} {
			items := randomItems(r, n)
			index := mustBuild(t, items, ns)
			for _, q := range randomQueries(r, items, 200) {
				checkQuery(t, index, items, q, ns)
			}
		}
	}
}

func TestSearchEveryNodeSize(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	items := randomItems(r, 700)
	queries := randomQueries(r, items, 60)
	for ns := 2; ns <= 64; ns++ {
		index := mustBuild(t, items, ns)
		for _, q := range queries {
			checkQuery(t, index, items, q, ns)
		}
	}
}

// TestSearchLargeCoordinates checks that boxes near the float64 limits,
// where a naive centre or extent width overflows, are still all found.
func TestSearchLargeCoordinates(t *testing.T) {
	m := math.MaxFloat64
	items := []Item{
		{-m, -m, -m, -m, 1}, {m, m, m, m, 2}, {-m, -m, m, m, 3},
		{0, 0, 0, 0, 4}, {-1e-300, 1e-300, 1e-300, 1e-300, 5},
		{m / 2, -m, m, -m / 2, 6},
	}
	for _, ns := range []int{2, 4} {
		index := mustBuild(t, items, ns)
		for _, q := range []box{{-m, -m, m, m}, {0, 0, 0, 0}, {m, m, m, m}, {m / 2, -m, m / 2, -m}, {1, 1, 2, 2}} {
			checkQuery(t, index, items, q, ns)
		}
	}
}

func checkQuery(t *testing.T, index []byte, items []Item, q box, ns int) {
	t.Helper()
	got, err := SearchIDs(index, q.minX, q.minY, q.maxX, q.maxY)
	if err != nil {
		t.Fatalf("%d items, node size %d, query %v: %v", len(items), ns, q, err)
	}
	if want := bruteIDs(items, q); !slices.Equal(got, want) {
		t.Fatalf("%d items, node size %d, query %v: got %d ids %v, want %d ids %v", len(items), ns, q, len(got), got, len(want), want)
	}
}

func TestSearchEverythingAndNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	// One box spans the whole grid, so an inverted query lies within it.
	items := append(randomItems(r, 5000), Item{-1, -1, 200, 200, 5000 * 7})
	index := mustBuild(t, items, 0)
	all, err := SearchIDs(index, math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(items) {
		t.Fatalf("infinite query found %d ids, want all %d", len(all), len(items))
	}
	for i, id := range all {
		if id != uint64(i)*7 {
			t.Fatalf("id %d at position %d, want %d: items lost or reported twice", id, i, i*7)
		}
	}
	for _, q := range []box{
		{60, 60, 40, 40},                   // inverted: spans of wide items must not match
		{math.NaN(), 0, 100, 100},          // NaN
		{101, 101, 0, 0},                   // inverted over the whole extent
		{-10, -10, -1.0001, 1000},          // left of every item
		{math.Inf(1), 0, math.Inf(1), 100}, // at +infinity
	} {
		ids, err := SearchIDs(index, q.minX, q.minY, q.maxX, q.maxY)
		if err != nil || len(ids) != 0 {
			t.Errorf("query %v: got %d ids, err %v; want none", q, len(ids), err)
		}
	}
}

func TestSearchStopsWhenFnReturnsFalse(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	items := randomItems(r, 1000)
	index := mustBuild(t, items, 4)
	calls := 0
	err := Search(index, -1, -1, 200, 200, func(uint64) bool {
		calls++
		return calls < 10
	})
	if err != nil || calls != 10 {
		t.Fatalf("Search made %d calls, err %v; want exactly 10 and nil", calls, err)
	}
}

// TestSearchCorruptChildOffset overwrites the child offset of each interior
// node in turn and checks that a query reaching it fails with ErrCorrupt
// instead of reading the wrong nodes or past the end.
func TestSearchCorruptChildOffset(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	items := randomItems(r, 300)
	index := mustBuild(t, items, 4)
	_, s, err := open(index)
	if err != nil {
		t.Fatal(err)
	}
	interior := s.levels[s.leaf()].start
	if interior < 10 {
		t.Fatalf("only %d interior nodes; the test needs a deeper tree", interior)
	}
	for i := range interior {
		for _, bad := range []uint64{0, i, s.numNodes, math.MaxUint64, readOffset(index, i) + 1} {
			if bad == readOffset(index, i) {
				continue
			}
			c := slices.Clone(index)
			binary.LittleEndian.PutUint64(c[headerSize+i*nodeLen+32:], bad)
			err := Search(c, -1e9, -1e9, 1e9, 1e9, func(uint64) bool { return true })
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("node %d offset set to %d: got %v, want ErrCorrupt", i, bad, err)
			}
		}
	}
}

func readOffset(index []byte, i uint64) uint64 {
	_, off := readNode(index, i)
	return off
}

// TestSearchTruncated checks every prefix and some extensions of a valid
// index: all must be refused before any node is read.
func TestSearchTruncated(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	index := mustBuild(t, randomItems(r, 50), 3)
	for n := range len(index) {
		err := Search(index[:n], -1e9, -1e9, 1e9, 1e9, func(uint64) bool { return true })
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("index cut to %d of %d bytes: got %v, want ErrCorrupt", n, len(index), err)
		}
	}
	for _, extra := range []int{1, 39, 40} {
		long := append(slices.Clone(index), make([]byte, extra)...)
		if _, err := Count(long); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("index with %d extra bytes: got %v, want ErrCorrupt", extra, err)
		}
	}
}

// TestSearchAnyByteFlipped flips each byte of a small index in turn and
// checks what each part of the layout guarantees: a changed magic, version,
// node size or count is refused by the header check, a changed child offset
// by the walk, and changed boxes or ids are data the walk reports without
// failing (only ever as many ids as there are items).
func TestSearchAnyByteFlipped(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	items := randomItems(r, 100)
	index := mustBuild(t, items, 3)
	_, s, err := open(index)
	if err != nil {
		t.Fatal(err)
	}
	leafStart := headerSize + int(s.levels[s.leaf()].start)*nodeLen
	for i := range index {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			c := slices.Clone(index)
			c[i] ^= x
			n := 0
			serr := Search(c, math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1), func(uint64) bool { n++; return true })
			_, cerr := Count(c)
			inNode := (i - headerSize) % nodeLen
			switch {
			case i < 16:
				if cerr == nil || serr == nil {
					t.Fatalf("byte %d ^ %#x in the header: Count error %v, Search error %v; want both to fail", i, x, cerr, serr)
				}
			case i >= headerSize && i < leafStart && inNode >= 32:
				if !errors.Is(serr, ErrCorrupt) {
					t.Fatalf("byte %d ^ %#x in a child offset: Search error %v, want ErrCorrupt", i, x, serr)
				}
			default:
				if cerr != nil || serr != nil || n > len(items) {
					t.Fatalf("byte %d ^ %#x in a box or id: Count error %v, Search error %v, %d ids; want no error and at most %d ids", i, x, cerr, serr, n, len(items))
				}
			}
		}
	}
}

func TestSearchDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	index := mustBuild(t, randomItems(r, 10000), 0)
	n := 0
	fn := func(uint64) bool { n++; return true }
	allocs := testing.AllocsPerRun(20, func() {
		if err := Search(index, 10, 10, 30, 30, fn); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || n == 0 {
		t.Fatalf("Search allocated %v times per call and found %d ids; want 0 allocations and some ids", allocs, n)
	}
}

// FuzzSearch feeds arbitrary bytes as an index: Count, ReadHeader and Search
// must return errors, never panic, and must agree on whether the header is
// valid. The seeds are valid indexes, so mutations start from real layouts.
func FuzzSearch(f *testing.F) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, c := range []struct{ n, ns int }{{0, 2}, {1, 2}, {5, 2}, {20, 3}, {40, 16}} {
		index, err := Build(randomItems(r, c.n), c.ns)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(index, 0.0, 0.0, 100.0, 100.0)
		f.Add(index[:len(index)/2], 10.0, 10.0, 20.0, 20.0)
	}
	f.Add([]byte("OPRT"), 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, index []byte, minX, minY, maxX, maxY float64) {
		count, cerr := Count(index)
		_, herr := ReadHeader(index)
		n := 0
		serr := Search(index, minX, minY, maxX, maxY, func(uint64) bool { n++; return true })
		if (cerr == nil) != (herr == nil) {
			t.Fatalf("Count error %v but ReadHeader error %v", cerr, herr)
		}
		if cerr != nil && serr == nil {
			t.Fatalf("Count refused the index (%v) but Search accepted it", cerr)
		}
		if serr == nil && n > count {
			t.Fatalf("Search reported %d ids from an index of %d items", n, count)
		}
	})
}

// FuzzBuildSearch builds an index from fuzzed boxes and compares a fuzzed
// query with the brute-force answer.
func FuzzBuildSearch(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(2), int16(0), int16(0), int16(10), int16(10))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, uint8(16), int16(0), int16(0), int16(0), int16(0))
	f.Add([]byte{}, uint8(3), int16(-5), int16(-5), int16(5), int16(5))
	f.Fuzz(func(t *testing.T, data []byte, nodeSize uint8, qx0, qy0, qx1, qy1 int16) {
		ns := int(nodeSize%63) + 2
		var items []Item
		for i := 0; i+4 <= len(data); i += 4 {
			x, y := float64(int8(data[i])), float64(int8(data[i+1]))
			items = append(items, Item{x, y, x + float64(data[i+2]%8), y + float64(data[i+3]%8), uint64(i / 4)})
		}
		index, err := Build(items, ns)
		if err != nil {
			t.Fatal(err)
		}
		checkQuery(t, index, items, box{float64(qx0), float64(qy0), float64(qx1), float64(qy1)}, ns)
	})
}

// The benchmark data: a million points uniform in the unit square and a
// query of side 0.01, which holds about 100 of them.
var benchItems = func() []Item {
	r := rand.New(rand.NewPCG(19, 20))
	items := make([]Item, 1_000_000)
	for i := range items {
		x, y := r.Float64(), r.Float64()
		items[i] = Item{x, y, x, y, uint64(i)}
	}
	return items
}

func BenchmarkSearch100Of1M(b *testing.B) {
	index := mustBuild(b, benchItems(), 0)
	r := rand.New(rand.NewPCG(21, 22))
	found := 0
	fn := func(uint64) bool { found++; return true }
	b.ReportAllocs()
	for b.Loop() {
		x, y := r.Float64()*0.99, r.Float64()*0.99
		if err := Search(index, x, y, x+0.01, y+0.01, fn); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(found)/float64(b.N), "ids/op")
}

func BenchmarkSearchIDs100Of1M(b *testing.B) {
	index := mustBuild(b, benchItems(), 0)
	r := rand.New(rand.NewPCG(21, 22))
	b.ReportAllocs()
	for b.Loop() {
		x, y := r.Float64()*0.99, r.Float64()*0.99
		if _, err := SearchIDs(index, x, y, x+0.01, y+0.01); err != nil {
			b.Fatal(err)
		}
	}
}
