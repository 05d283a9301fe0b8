package rtree

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// TestLayoutBytes writes the expected index of three points by hand from the
// package doc, with encoding/binary rather than the package's own writer, so
// that the published layout and the code cannot drift apart unnoticed.
func TestLayoutBytes(t *testing.T) {
	items := []Item{
		{MinX: 0, MinY: 0, MaxX: 0, MaxY: 0, ID: 10},     // Hilbert cell (0, 0): first
		{MinX: 10, MinY: 10, MaxX: 10, MaxY: 10, ID: 20}, // (65535, 65535): third quadrant
		{MinX: 0, MinY: 10, MaxX: 0, MaxY: 10, ID: 30},   // (0, 65535): second quadrant
	}
	type header struct {
		Magic                  [4]byte
		Version, NodeSize      uint16
		Count                  uint64
		MinX, MinY, MaxX, MaxY float64
	}
	type node struct {
		MinX, MinY, MaxX, MaxY float64
		Offset                 uint64
	}
	var want bytes.Buffer
	for _, v := range []any{
		header{[4]byte{'O', 'P', 'R', 'T'}, 1, 2, 3, 0, 0, 10, 10},
		// Levels of 1, 2 and 3 nodes, root first.
		node{0, 0, 10, 10, 1},    // 0: root, children 1 and 2
		node{0, 0, 0, 10, 3},     // 1: children 3 and 4
		node{10, 10, 10, 10, 5},  // 2: child 5
		node{0, 0, 0, 0, 10},     // 3: leaves in Hilbert order, offset = id
		node{0, 10, 0, 10, 30},   // 4
		node{10, 10, 10, 10, 20}, // 5
	} {
		if err := binary.Write(&want, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	got := mustBuild(t, items, 2)
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("index bytes\n got %x\nwant %x", got, want.Bytes())
	}
	h, err := ReadHeader(got)
	if err != nil {
		t.Fatal(err)
	}
	if wantH := (Header{Version: 1, NodeSize: 2, Count: 3, MaxX: 10, MaxY: 10}); h != wantH {
		t.Fatalf("ReadHeader = %+v, want %+v", h, wantH)
	}
}

func TestShape(t *testing.T) {
	for _, c := range []struct {
		items, nodeSize uint64
		counts          []uint64 // per level, root first
	}{
		{0, 16, nil},
		{1, 16, []uint64{1}},
		{2, 2, []uint64{1, 2}},
		{16, 16, []uint64{1, 16}},
		{17, 16, []uint64{1, 2, 17}},
		{1_000_000, 16, []uint64{1, 16, 245, 3907, 62500, 1_000_000}},
		{5, 2, []uint64{1, 2, 3, 5}},
	} {
		s := newShape(c.items, c.nodeSize)
		var counts []uint64
		var next, total uint64
		for _, l := range s.levels[:s.n] {
			if l.start != next {
				t.Errorf("%d items, node size %d: level starts at %d, want %d (contiguous)", c.items, c.nodeSize, l.start, next)
			}
			counts = append(counts, l.end-l.start)
			next = l.end
			total += l.end - l.start
		}
		if !slices.Equal(counts, c.counts) || s.numNodes != total {
			t.Errorf("%d items, node size %d: levels %v of %d nodes, want %v of %d", c.items, c.nodeSize, counts, s.numNodes, c.counts, total)
		}
	}
}

func TestReadHeaderRefusesBadHeaders(t *testing.T) {
	good := mustBuild(t, []Item{{0, 0, 1, 1, 1}, {2, 2, 3, 3, 2}, {4, 4, 5, 5, 3}}, 2)
	with := func(f func(b []byte)) []byte {
		b := slices.Clone(good)
		f(b)
		return b
	}
	le := binary.LittleEndian
	for _, c := range []struct {
		name  string
		index []byte
		want  error
	}{
		{"nil", nil, ErrCorrupt},
		{"header only half there", good[:20], ErrCorrupt},
		{"other magic", with(func(b []byte) { copy(b, "FGB\x00") }), ErrCorrupt},
		{"newer version", with(func(b []byte) { le.PutUint16(b[4:], 2) }), ErrVersion},
		{"version 0", with(func(b []byte) { le.PutUint16(b[4:], 0) }), ErrVersion},
		{"node size 0", with(func(b []byte) { le.PutUint16(b[6:], 0) }), ErrCorrupt},
		{"node size 1", with(func(b []byte) { le.PutUint16(b[6:], 1) }), ErrCorrupt},
		{"node size changed", with(func(b []byte) { le.PutUint16(b[6:], 3) }), ErrCorrupt},
		{"count one more", with(func(b []byte) { le.PutUint64(b[8:], 4) }), ErrCorrupt},
		{"count huge", with(func(b []byte) { le.PutUint64(b[8:], 1<<63) }), ErrCorrupt},
		{"count max", with(func(b []byte) { le.PutUint64(b[8:], ^uint64(0)) }), ErrCorrupt},
		{"node missing", good[:len(good)-nodeLen], ErrCorrupt},
		{"trailing bytes", append(slices.Clone(good), 0), ErrCorrupt},
	} {
		_, err := ReadHeader(c.index)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: ReadHeader error %v, want %v", c.name, err, c.want)
		}
		if n, err := Count(c.index); !errors.Is(err, c.want) || n != 0 {
			t.Errorf("%s: Count = %d, %v; want 0, %v", c.name, n, err, c.want)
		}
		if err := Search(c.index, 0, 0, 10, 10, func(uint64) bool { return true }); !errors.Is(err, c.want) {
			t.Errorf("%s: Search error %v, want %v", c.name, err, c.want)
		}
	}
	if n, err := Count(good); n != 3 || err != nil {
		t.Fatalf("Count(valid index) = %d, %v; want 3, nil", n, err)
	}
}
