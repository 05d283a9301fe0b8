package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// writeTileset writes tileset id with one tile per entry of refs, each
// holding gzip("z/x/y"), and returns its path.
func writeTileset(t *testing.T, dir, id string, refs []tileRef) string {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, r := range refs {
		if err := w.Put(tileset.Tile{Z: r.z, X: r.x, Y: r.y, Data: gz(t, r)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(&tileset.Metadata{Title: id, Layer: id, GeometryType: "polygon", MaxZoom: 3}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, id+tileset.Ext)
}

func gz(t *testing.T, r tileRef) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	fmt.Fprintf(zw, "%d/%d/%d", r.z, r.x, r.y)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestExportWritesListAndGzipFiles(t *testing.T) {
	refs := []tileRef{{0, 0, 0}, {1, 0, 1}, {1, 1, 1}, {2, 3, 1}, {3, 5, 2}, {3, 6, 2}}
	path := writeTileset(t, t.TempDir(), "geo", refs)
	for _, c := range []struct{ max, want int }{{0, 6}, {100, 6}, {3, 3}} {
		out := t.TempDir()
		if err := run(path, out, c.max); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join(out, "urls.txt"))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var r tileRef
			if _, err := fmt.Sscanf(sc.Text(), "/tiles/geo/%d/%d/%d.mvt", &r.z, &r.x, &r.y); err != nil {
				t.Errorf("urls.txt line %q: %v", sc.Text(), err)
				continue
			}
			seen[sc.Text()] = true
			// nginx serves the very bytes outcrop serves.
			got, err := os.ReadFile(filepath.Join(out, "www", sc.Text()+".gz"))
			if err != nil || !bytes.Equal(got, gz(t, r)) {
				t.Errorf("the file for %s holds %q (%v), want the stored gzip bytes", sc.Text(), got, err)
			}
		}
		f.Close()
		if len(seen) != c.want {
			t.Errorf("--max %d: %d distinct URLs, want %d", c.max, len(seen), c.want)
		}
	}
}

func TestExportRefusesEmptyTileset(t *testing.T) {
	path := writeTileset(t, t.TempDir(), "empty", nil)
	if err := run(path, t.TempDir(), 0); err == nil {
		t.Error("an empty tileset gave no error; the benchmark would measure nothing")
	}
}
