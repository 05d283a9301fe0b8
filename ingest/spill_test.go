package ingest

import (
	"bytes"
	"os"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// TestTileSpillReplaysInKeyOrder checks that tiles added in any order come
// back sorted by zoom, column and row, each with its own bytes, and that
// the spill leaves no file in the directory.
func TestTileSpillReplaysInKeyOrder(t *testing.T) {
	dir := t.TempDir()
	s, err := newTileSpill(dir, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := []tileset.Tile{{Z: 3, X: 1, Y: 2}, {Z: 2, X: 0, Y: 1}, {Z: 3, X: 0, Y: 5}, {Z: 3, X: 1, Y: 1}, {Z: 0}}
	for i := range in {
		in[i].Data = bytes.Repeat([]byte{byte(i + 1)}, 1000*(i+1))
		if err := s.add(in[i]); err != nil {
			t.Fatal(err)
		}
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("the spill left %s in the directory", names[0].Name())
	}
	var got []tileset.Tile
	if err := s.replay(func(tl tileset.Tile) error { got = append(got, tl); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []int{4, 1, 2, 3, 0} // indices of in, in key order
	for i, k := range want {
		g, w := got[i], in[k]
		if g.Z != w.Z || g.X != w.X || g.Y != w.Y || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("tile %d: %d/%d/%d with %d bytes, want %d/%d/%d with %d", i, g.Z, g.X, g.Y, len(g.Data), w.Z, w.X, w.Y, len(w.Data))
		}
	}
}
