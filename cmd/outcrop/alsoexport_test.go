//go:build cgo

package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/protomaps/go-pmtiles/pmtiles"
	_ "modernc.org/sqlite"

	"github.com/outcrop/outcrop/tileset"
)

// TestIngestAlsoExport: --also-export writes STORE/ID.pmtiles and
// STORE/ID.mbtiles holding every tile of the tileset just written, leaves
// no temporary file, and a re-ingest replaces them with the new version.
func TestIngestAlsoExport(t *testing.T) {
	store := t.TempDir()
	for round, scale := range []string{"1:500000", "1:2000000"} {
		code, _, stderr := runCLI("ingest", "--store", store, "--id", "faults", "--scale", scale, "--also-export", "pmtiles, mbtiles,pmtiles", faults)
		if code != 0 {
			t.Fatalf("round %d: exit status %d: %s", round, code, stderr)
		}
		for _, f := range []string{"pmtiles", "mbtiles"} {
			if want := filepath.Join(store, "faults."+f); !strings.Contains(stderr, "wrote "+want) {
				t.Errorf("round %d: stderr does not say it wrote %s:\n%s", round, want, stderr)
			}
		}
		r, err := tileset.Open(filepath.Join(store, "faults"+tileset.Ext))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := r.ForEach(func(z, x, y int, gz []byte) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		maxZoom := r.Metadata().MaxZoom
		r.Close()

		b, err := os.ReadFile(filepath.Join(store, "faults.pmtiles"))
		if err != nil || len(b) < pmtiles.HeaderV3LenBytes {
			t.Fatalf("round %d: reading the PMTiles: %v (%d bytes)", round, err, len(b))
		}
		h, err := pmtiles.DeserializeHeader(b[:pmtiles.HeaderV3LenBytes])
		if err != nil || h.AddressedTilesCount != uint64(n) || int(h.MaxZoom) != maxZoom {
			t.Errorf("round %d: PMTiles header %+v (%v); want %d tiles to zoom %d", round, h, err, n, maxZoom)
		}

		db, err := sql.Open("sqlite", "file:"+filepath.Join(store, "faults.mbtiles")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var count, top int
		err = db.QueryRow("SELECT count(*), max(zoom_level) FROM tiles").Scan(&count, &top)
		db.Close()
		if err != nil || count != n || top != maxZoom {
			t.Errorf("round %d: MBTiles holds %d tiles to zoom %d (%v); want %d to zoom %d", round, count, top, err, n, maxZoom)
		}
	}
	entries, err := os.ReadDir(store)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "faults.mbtiles faults.pmtiles faults.tileset" {
		t.Errorf("store holds %s; want the tileset and its two archives, no temporary file", got)
	}
}
