package tileset

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestSweepTemps removes an abandoned temporary file and spares the one a
// live Writer holds, one just created, and everything else in the store.
func TestSweepTemps(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "kept", pyramid(t, "v", 1), 100, nil)
	live, err := Create(dir, "busy")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(live.tmp, old, old); err != nil { // idle, but held
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".gone"+Ext+TempMarker+"0123456789abcdef")
	fresh := filepath.Join(dir, ".new"+Ext+TempMarker+"fedcba9876543210")
	other := filepath.Join(dir, ".notes")
	for _, p := range []string{stale, fresh, other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{stale, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := SweepTemps(dir)
	if err != nil || !slices.Equal(removed, []string{stale}) {
		t.Errorf("SweepTemps = %v, %v; want [%s]", removed, err, stale)
	}
	for _, p := range []string{live.tmp, fresh, other, tilesetPath(dir, "kept")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	// The live writer is unharmed.
	if err := live.PutTiles(pyramid(t, "b", 0)); err != nil {
		t.Fatal(err)
	}
	if err := live.Commit(&Metadata{Title: "busy"}); err != nil {
		t.Fatal(err)
	}
}
