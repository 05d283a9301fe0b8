package tileset

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestTileKeyLayout(t *testing.T) {
	// The example FORMAT.md gives: 14/13107/7710.
	k, ok := tileKey(14, 13107, 7710)
	if !ok {
		t.Fatal("tileKey(14, 13107, 7710) rejected")
	}
	if got, want := hex.EncodeToString(k[:]), "0e00003333"+"00001e1e"; got != want {
		t.Errorf("key = %s, want %s", got, want)
	}
	z, x, y, ok := parseTileKey(k[:])
	if !ok || z != 14 || x != 13107 || y != 7710 {
		t.Errorf("parseTileKey = %d/%d/%d %v, want 14/13107/7710 true", z, x, y, ok)
	}
	if _, _, _, ok := parseTileKey(k[:8]); ok {
		t.Error("parseTileKey accepted an 8-byte key")
	}
}

func TestTileKeyRange(t *testing.T) {
	for _, c := range []struct {
		z, x, y int
		ok      bool
	}{
		{0, 0, 0, true},
		{0, 1, 0, false},
		{1, 1, 1, true},
		{1, 2, 0, false},
		{-1, 0, 0, false},
		{3, -1, 0, false},
		{3, 0, -1, false},
		{32, 1<<32 - 1, 1<<32 - 1, true},
		{32, 1 << 32, 0, false},
		{33, 0, 0, false},
	} {
		if _, ok := tileKey(c.z, c.x, c.y); ok != c.ok {
			t.Errorf("tileKey(%d, %d, %d) ok = %v, want %v", c.z, c.x, c.y, ok, c.ok)
		}
	}
}

func TestTileKeyOrder(t *testing.T) {
	// Byte order of keys must follow (z, x, y) order.
	coords := [][3]int{{0, 0, 0}, {1, 0, 1}, {1, 1, 0}, {2, 0, 3}, {2, 3, 0}, {10, 255, 256}, {10, 256, 0}}
	for i := 1; i < len(coords); i++ {
		a, _ := tileKey(coords[i-1][0], coords[i-1][1], coords[i-1][2])
		b, _ := tileKey(coords[i][0], coords[i][1], coords[i][2])
		if bytes.Compare(a[:], b[:]) >= 0 {
			t.Errorf("key of %v does not sort before key of %v", coords[i-1], coords[i])
		}
	}
}
