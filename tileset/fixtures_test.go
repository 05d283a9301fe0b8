package tileset

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/raster"
)

var writeFixtures = flag.Bool("write-fixtures", false, "write the format fixture of the current format version if it is missing")

// fixtures are committed tileset files, one per format version, written by
// the code of that version and never rewritten: the reader of every later
// version must keep reading them (the compatibility promise of FORMAT.md).
// A new format version adds its fixture with go test -run
// TestFormatFixtures -write-fixtures.
var fixtures = map[int]string{
	1: "format-v1.tileset",
	2: "format-v2.tileset",
}

// TestFormatFixtures opens the committed file of every format version and
// reads what it holds.
func TestFormatFixtures(t *testing.T) {
	if len(fixtures) != FormatVersion {
		t.Fatalf("%d fixtures for format version %d: add format-v%d.tileset", len(fixtures), FormatVersion, FormatVersion)
	}
	if *writeFixtures {
		writeFixture(t, FormatVersion)
	}
	for v, name := range fixtures {
		r, err := Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("format version %d: %v", v, err)
		}
		defer r.Close()
		m := r.Metadata()
		if m.FormatVersion != v {
			t.Errorf("%s: format_version %d, want %d", name, m.FormatVersion, v)
		}
		found, err := r.Tile(1, 1, 1, func(data []byte) error {
			if v == 1 {
				if got := string(gunzip(t, data)); got != "fixture 1/1/1" {
					t.Errorf("%s: tile 1/1/1 is %q", name, got)
				}
				return nil
			}
			tile, err := raster.Decode(data)
			if err != nil {
				return err
			}
			if tile.At(0, 3, 5) != 35.5 || !math.IsNaN(float64(tile.At(0, 0, 0))) {
				t.Errorf("%s: data tile values %v and %v, want 35.5 and NaN", name, tile.At(0, 3, 5), tile.At(0, 0, 0))
			}
			return nil
		})
		if err != nil || !found {
			t.Errorf("%s: tile 1/1/1 found %v, err %v", name, found, err)
		}
		if v >= 2 {
			if m.Kind != KindRaster || m.Raster == nil || m.Raster.Bands[0].Units != "m" || m.Raster.Bands[0].Stats.Max != 35.5 {
				t.Errorf("%s: raster metadata %+v", name, m.Raster)
			}
		}
	}
}

// writeFixture writes the fixture of format version v, if it is missing.
func writeFixture(t *testing.T, v int) {
	path := filepath.Join("testdata", fixtures[v])
	if _, err := os.Stat(path); err == nil {
		return // a fixture is never rewritten
	}
	dir := t.TempDir()
	w, err := Create(dir, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	meta := &Metadata{Title: "format fixture", Layer: "fixture", GeometryType: "point", MinZoom: 0, MaxZoom: 1}
	switch v {
	case 1:
		for _, tl := range pyramid(t, "fixture", 1) {
			w.Put(tl)
		}
		w.PutFeatures([]*geojson.Feature{geojson.NewFeature(orb.Point{117, -22})})
	case 2:
		tile := raster.NewTile(16, 1)
		tile.Data[5*16+3] = 35.5
		tile.Data[1] = -2
		w.Put(Tile{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)})
		meta.Kind, meta.Layer, meta.GeometryType = KindRaster, "", ""
		meta.Raster = &Raster{Encoding: raster.Encoding, TileSize: 16, Resampling: "nearest", Bands: []Band{
			{Name: "elevation", Units: "m", DataType: "Float32", Stats: raster.Compute(tile.Data)},
		}}
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	b := readFile(t, filepath.Join(dir, "fixture"+Ext))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
