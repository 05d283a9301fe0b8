package export

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/outcrop/outcrop/tileset"
)

// readPMTiles reads an archive back with go-pmtiles: its header, its
// metadata and every addressed tile by "z/x/y".
func readPMTiles(t *testing.T, path string) (pmtiles.HeaderV3, map[string]any, map[string][]byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(data[:pmtiles.HeaderV3LenBytes])
	if err != nil {
		t.Fatal(err)
	}
	meta, err := pmtiles.DeserializeMetadata(bytes.NewReader(data[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatal(err)
	}
	tiles := map[string][]byte{}
	fetch := func(off, n uint64) ([]byte, error) { return data[off : off+n], nil }
	err = pmtiles.IterateEntries(h, fetch, func(e pmtiles.EntryV3) {
		for i := uint64(0); i < uint64(e.RunLength); i++ {
			z, x, y := pmtiles.IDToZxy(e.TileID + i)
			at := h.TileDataOffset + e.Offset
			tiles[fmt.Sprintf("%d/%d/%d", z, x, y)] = data[at : at+uint64(e.Length)]
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, meta, tiles
}

// TestPMTilesRoundTrip exports the test tileset and reads it back with
// go-pmtiles: the header describes it, the metadata carries its name,
// credit, licence and layer, and every tile is the stored one byte for
// byte, identical tiles stored once.
func TestPMTilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "pilbara.pmtiles")
	if err := Write(r, PMTiles, out, false); err != nil {
		t.Fatal(err)
	}
	h, meta, got := readPMTiles(t, out)
	want := allTiles(t, r)
	if h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip || !h.Clustered {
		t.Errorf("tile type %d, compression %d, clustered %v; want MVT, gzip, clustered", h.TileType, h.TileCompression, h.Clustered)
	}
	if h.MinZoom != 0 || h.MaxZoom != testMaxZoom || h.CenterZoom != 5 {
		t.Errorf("zooms %d-%d, center zoom %d; want 0-%d, 5", h.MinZoom, h.MaxZoom, h.CenterZoom, testMaxZoom)
	}
	if b := [6]int32{h.MinLonE7, h.MinLatE7, h.MaxLonE7, h.MaxLatE7, h.CenterLonE7, h.CenterLatE7}; b != [6]int32{114e7, -26e7, 120e7, -20e7, 117e7, -23e7} {
		t.Errorf("bounds and center %v", b)
	}
	if int(h.AddressedTilesCount) != len(want) || h.TileContentsCount >= h.AddressedTilesCount {
		t.Errorf("%d tiles addressed, %d contents; want %d addressed and fewer contents (the square's inner tiles are alike)", h.AddressedTilesCount, h.TileContentsCount, len(want))
	}
	if len(got) != len(want) {
		t.Errorf("%d tiles read back, want %d", len(got), len(want))
	}
	for k, w := range want {
		if !bytes.Equal(got[k], w) {
			t.Errorf("tile %s: %d bytes read back differ from the %d stored", k, len(got[k]), len(w))
		}
	}
	for k, w := range map[string]string{"name": "Pilbara units", "description": "Test units of the Pilbara craton", "attribution": "© Test Survey", "license": "CC-BY-4.0"} {
		if meta[k] != w {
			t.Errorf("metadata %s = %v, want %q", k, meta[k], w)
		}
	}
	checkVectorLayers(t, meta["vector_layers"])
}

// checkVectorLayers checks a decoded vector_layers array against the test
// tileset's layer.
func checkVectorLayers(t *testing.T, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	var layers []struct {
		ID               string
		Fields           map[string]string
		MinZoom, MaxZoom int
	}
	if err := json.Unmarshal(b, &layers); err != nil || len(layers) != 1 {
		t.Fatalf("vector_layers %s: want one layer (%v)", b, err)
	}
	l := layers[0]
	if l.ID != testLayer || l.Fields["code"] != "String" || l.Fields["age_ma"] != "Number" || l.MinZoom != 0 || l.MaxZoom != testMaxZoom {
		t.Errorf("vector_layers %s", b)
	}
}

// TestMBTilesRoundTrip exports the test tileset as MBTiles and reads it
// back with SQLite: the metadata table holds the MBTiles 1.3 rows and the
// tiles table every tile byte for byte, in TMS rows.
func TestMBTilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "pilbara.mbtiles")
	if err := Write(r, MBTiles, out, false); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	meta := map[string]string{}
	rows, err := db.Query("SELECT name, value FROM metadata")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		meta[k] = v
	}
	rows.Close()
	for k, w := range map[string]string{
		"name": "Pilbara units", "format": "pbf", "type": "overlay", "bounds": "114,-26,120,-20", "center": "117,-23,5",
		"minzoom": "0", "maxzoom": "8", "attribution": "© Test Survey", "license": "CC-BY-4.0", "description": "Test units of the Pilbara craton",
	} {
		if meta[k] != w {
			t.Errorf("metadata %s = %q, want %q", k, meta[k], w)
		}
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(meta["json"]), &j); err != nil {
		t.Fatalf("metadata json %q: %v", meta["json"], err)
	}
	checkVectorLayers(t, j["vector_layers"])

	want := allTiles(t, r)
	rows, err = db.Query("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var z, x, row int
		var data []byte
		if err := rows.Scan(&z, &x, &row, &data); err != nil {
			t.Fatal(err)
		}
		n++
		k := fmt.Sprintf("%d/%d/%d", z, x, (1<<z)-1-row)
		if !bytes.Equal(data, want[k]) {
			t.Errorf("tile %s (TMS row %d): %d bytes differ from the %d stored", k, row, len(data), len(want[k]))
		}
	}
	if n != len(want) {
		t.Errorf("%d tiles in the MBTiles, want %d", n, len(want))
	}
}

// TestWriteRefusals checks that an existing file is kept without overwrite
// and replaced with it, that a raster tileset is refused, and that a failed
// export leaves neither the file nor a temporary one.
func TestWriteRefusals(t *testing.T) {
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "out.pmtiles")
	if err := os.WriteFile(out, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(r, PMTiles, out, false); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), out) {
		t.Errorf("existing file: %v, want ErrExists naming %s", err, out)
	}
	if b, _ := os.ReadFile(out); string(b) != "keep" {
		t.Errorf("existing file was changed to %d bytes", len(b))
	}
	if err := Write(r, PMTiles, out, true); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("PMTiles")) {
		t.Errorf("overwrite left %q", b[:min(len(b), 8)])
	}

	raster, err := tileset.Open("../tileset/testdata/format-v2-raster.tileset")
	if err != nil {
		t.Fatal(err)
	}
	defer raster.Close()
	rout := filepath.Join(dir, "raster.mbtiles")
	if err := Write(raster, MBTiles, rout, false); err == nil || !strings.Contains(err.Error(), "raster") {
		t.Errorf("raster tileset: %v, want a refusal naming it raster", err)
	}
	if err := Write(r, Format("geojson"), rout, false); err == nil || !strings.Contains(err.Error(), `"geojson"`) {
		t.Errorf("unknown format: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") || e.Name() == "raster.mbtiles" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
