package storetest

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// TestWriteVersion: every tile of every zoom to MaxZoom is stored and
// names its version, and the title is the label.
func TestWriteVersion(t *testing.T) {
	dir := t.TempDir()
	version := WriteVersion(t, dir, "geology", "v1")
	r, err := tileset.Open(filepath.Join(dir, "geology.tileset"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if m := r.Metadata(); m.Title != "v1" || m.Version != version || m.MaxZoom != MaxZoom {
		t.Errorf("metadata title %q, version %q (returned %q), max zoom %d", m.Title, m.Version, version, m.MaxZoom)
	}
	for _, c := range [][3]int{{0, 0, 0}, {MaxZoom, 5, 6}, {MaxZoom, 7, 7}} {
		var body string
		found, err := r.Tile(c[0], c[1], c[2], func(b []byte) error { body = Gunzip(t, b); return nil })
		if want := TileBody("v1", c[0], c[1], c[2]); !found || err != nil || body != want {
			t.Errorf("tile %v: found %t, %v, body %q, want %q", c, found, err, body, want)
		}
	}
}

// TestLogBufferLines: Lines keeps the lines holding every word.
func TestLogBufferLines(t *testing.T) {
	var logs LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	log.Info("tileset loaded", "id", "geology")
	log.Info("tileset loaded", "id", "faults")
	log.Info("tileset removed", "id", "geology")
	if got := logs.Lines("tileset loaded", "id=geology"); len(got) != 1 {
		t.Errorf("Lines = %q, want the one line", got)
	}
	if got := fmt.Sprint(len(logs.Lines("id=")), len(logs.Lines("nothing"))); got != "3 0" {
		t.Errorf("lines with id=, nothing: %s, want 3 0", got)
	}
}
