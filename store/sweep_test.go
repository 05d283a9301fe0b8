package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outcrop/outcrop/internal/storetest"
	"github.com/outcrop/outcrop/tileset"
)

// TestOpenSweepsAbandonedTemps: serve start removes the temporary file of
// an ingest killed long ago, logs it, and serves the tileset beside it.
func TestOpenSweepsAbandonedTemps(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "v1")
	stale := filepath.Join(dir, ".geology"+tileset.Ext+tileset.TempMarker+"00000000deadbeef")
	if err := os.WriteFile(stale, make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	s, logs := open(t, dir, -1)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", stale, err)
	}
	if len(logs.Lines("removed a temporary file", stale)) != 1 {
		t.Errorf("no log line names the removed file:\n%s", logs)
	}
	if ids := s.IDs(); len(ids) != 1 || ids[0] != "geology" {
		t.Errorf("IDs = %v", ids)
	}
}
