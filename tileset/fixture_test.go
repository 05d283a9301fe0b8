package tileset

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/raster"
)

// updateFixture writes the fixture of the current format version, version
// 3's colour tileset (the older ones, written by writeFixture and
// writeRasterFixture, are kept as they are):
// go test ./tileset/ -run TestColourFormatFixture -update-fixture
var updateFixture = flag.Bool("update-fixture", false, "write testdata/format-v3-colour.tileset, the fixture of the current format version")

// fixturePath is the committed file of one format version. Each is written
// once, by the code of its version, and kept: reading it proves that this
// reader still reads files that version's writers made.
func fixturePath(version int) string {
	return filepath.Join("testdata", fmt.Sprintf("format-v%d%s", version, Ext))
}

// writeFixture writes the fixture's contents: two tiles and three features.
func writeFixture(t *testing.T, dir string) {
	w, err := Create(dir, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	feats := []*geojson.Feature{
		{ID: 1, Geometry: orb.Point{117.25, -22.5}, Properties: geojson.Properties{"code": "A"}},
		{ID: 2, Geometry: orb.Polygon{{{117, -23}, {118, -23}, {118, -22}, {117, -23}}}, Properties: geojson.Properties{"code": "B"}},
		{ID: 3, Geometry: orb.LineString{{116, -21}, {117, -20}}, Properties: geojson.Properties{"code": "C"}},
	}
	if err := w.PutFeatures(feats); err != nil {
		t.Fatal(err)
	}
	tiles := []Tile{{Z: 0, X: 0, Y: 0, Data: gz(t, payload("fixture", 0, 0, 0))}, {Z: 1, X: 1, Y: 1, Data: gz(t, payload("fixture", 1, 1, 1))}}
	if err := w.PutTiles(tiles); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&Metadata{Title: "fixture", Layer: "fixture", GeometryType: "mixed", MaxZoom: 1}); err != nil {
		t.Fatal(err)
	}
}

// TestFormatFixtures reads the committed file of every format version up to
// the current one: tiles, features, a box query and verification.
func TestFormatFixtures(t *testing.T) {
	// Vector tilesets are written as version 2 still (versionFor), so the
	// newest vector fixture is version 2's: writeFixture wrote it.
	const vectorVersion = 2
	for v := 1; v <= vectorVersion; v++ {
		t.Run(fmt.Sprint("v", v), func(t *testing.T) {
			// A copy: opening the committed file must not be able to change it.
			dir := t.TempDir()
			path := tilesetPath(dir, "fixture")
			if err := os.WriteFile(path, readFile(t, fixturePath(v)), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Metadata().FormatVersion; got != v {
				t.Errorf("fixture metadata says format version %d, want %d", got, v)
			}
			for _, c := range [][3]int{{0, 0, 0}, {1, 1, 1}} {
				var got []byte
				found, err := r.Tile(c[0], c[1], c[2], func(data []byte) error { got = gunzip(t, data); return nil })
				if !found || err != nil || !bytes.Equal(got, payload("fixture", c[0], c[1], c[2])) {
					t.Errorf("tile %v = %v, %v, %q", c, found, err, got)
				}
			}
			matched, ids := queryIDs(t, r, FeatureQuery{BBox: &orb.Bound{Min: orb.Point{117.2, -22.95}, Max: orb.Point{117.3, -22.4}}, Limit: 10})
			if matched != 2 || len(ids) != 2 || ids[0] != 1 || ids[1] != 2 {
				t.Errorf("box query matched %d, ids %v; want 2, [1 2]", matched, ids)
			}
			var code []byte
			if found, err := r.Feature(3, func(f RawFeature) error { code, _ = member(f.JSON, "properties"); code = bytes.Clone(code); return nil }); !found || err != nil || !bytes.Contains(code, []byte(`"C"`)) {
				t.Errorf("feature 3 = %v, %v, %s", found, err, code)
			}
		})
	}
}

// rasterFixture is the committed raster tileset of format version 2, the
// first version that holds rasters: one data tile and its band metadata.
const rasterFixture = "testdata/format-v2-raster.tileset"

// writeRasterFixture writes the raster fixture's contents.
func writeRasterFixture(t *testing.T, dir string) {
	w, err := Create(dir, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	tile := raster.NewTile(16, 1)
	tile.Data[5*16+3] = 35.5
	tile.Data[1] = -2
	if err := w.Put(Tile{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)}); err != nil {
		t.Fatal(err)
	}
	meta := &Metadata{Title: "raster fixture", Kind: KindRaster, MaxZoom: 1, Raster: &Raster{
		Encoding: raster.Encoding, TileSize: 16, Resampling: "nearest",
		Bands: []Band{{Name: "elevation", Units: "m", DataType: "Float32", Stats: raster.Compute(tile.Data)}},
	}}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
}

// TestRasterFormatFixture reads the committed raster tileset: its data tile's
// values, nodata as NaN, and its band metadata.
func TestRasterFormatFixture(t *testing.T) {
	dir := t.TempDir()
	path := tilesetPath(dir, "fixture")
	if err := os.WriteFile(path, readFile(t, rasterFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	if m.FormatVersion != 2 || m.Kind != KindRaster || m.Raster == nil || m.Raster.Bands[0].Units != "m" || m.Raster.Bands[0].Stats.Max != 35.5 {
		t.Errorf("raster fixture metadata: version %d, kind %q, raster %+v", m.FormatVersion, m.Kind, m.Raster)
	}
	found, err := r.Tile(1, 1, 1, func(data []byte) error {
		tile, err := raster.Decode(data)
		if err != nil {
			return err
		}
		if tile.At(0, 3, 5) != 35.5 || tile.At(0, 1, 0) != -2 || !math.IsNaN(float64(tile.At(0, 0, 0))) {
			t.Errorf("data tile values %v, %v and %v, want 35.5, -2 and NaN", tile.At(0, 3, 5), tile.At(0, 1, 0), tile.At(0, 0, 0))
		}
		return nil
	})
	if !found || err != nil {
		t.Errorf("tile 1/1/1 found %v, err %v", found, err)
	}
}

// colourFixture is the committed tileset of format version 3, the first
// that holds colour tiles: one PNG tile with a transparent pixel and one
// JPEG tile.
const colourFixture = "testdata/format-v3-colour.tileset"

// colourFixtureTile is the image of the fixture's tiles: a horizontal
// red ramp over green 100 and blue 200, pixel 0,0 transparent in the PNG.
func colourFixtureTile(transparent bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 16), 100, 200, 255})
		}
	}
	if transparent {
		img.SetNRGBA(0, 0, color.NRGBA{})
	}
	return img
}

// writeColourFixture writes the colour fixture's contents.
func writeColourFixture(t *testing.T, dir string) {
	w, err := Create(dir, "fixture")
	if err != nil {
		t.Fatal(err)
	}
	for i, enc := range []string{raster.ColourPNG, raster.ColourJPEG} {
		b, err := raster.EncodeColour(colourFixtureTile(enc == raster.ColourPNG), enc)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Put(Tile{Z: 1, X: i, Y: 1, Data: b}); err != nil {
			t.Fatal(err)
		}
	}
	meta := &Metadata{Title: "colour fixture", Kind: KindRaster, MaxZoom: 1, Raster: &Raster{
		Encoding: raster.ColourJPEG, TileSize: 16, Resampling: "bilinear",
		Bands: []Band{{Name: "red", DataType: "Byte"}, {Name: "green", DataType: "Byte"}, {Name: "blue", DataType: "Byte"}, {Name: "alpha", DataType: "Byte"}},
	}}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
}

// TestColourFormatFixture reads the committed colour tileset of version 3:
// its encoding, the PNG tile exactly (alpha included) and the JPEG tile
// within JPEG's loss; and a version 2 reader's refusal of it is what
// FORMAT.md promises, a newer version.
func TestColourFormatFixture(t *testing.T) {
	if *updateFixture {
		dir := t.TempDir()
		writeColourFixture(t, dir)
		if err := os.WriteFile(colourFixture, readFile(t, tilesetPath(dir, "fixture")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	path := tilesetPath(dir, "fixture")
	if err := os.WriteFile(path, readFile(t, colourFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	if m.FormatVersion != 3 || m.Kind != KindRaster || m.Raster == nil || m.Raster.Encoding != "jpeg" || len(m.Raster.Bands) != 4 {
		t.Fatalf("colour fixture metadata: version %d, kind %q, raster %+v", m.FormatVersion, m.Kind, m.Raster)
	}
	for x, want := range []string{"image/png", "image/jpeg"} {
		found, err := r.Tile(1, x, 1, func(data []byte) error {
			if got := raster.ColourType(data); got != want {
				t.Errorf("tile 1/%d/1 is %q, want %q", x, got, want)
			}
			img, err := raster.DecodeColour(data)
			if err != nil {
				return err
			}
			c := img.NRGBAAt(5, 3)
			if want == "image/png" && (c != color.NRGBA{80, 100, 200, 255} || img.NRGBAAt(0, 0).A != 0) {
				t.Errorf("png tile: %v and %v, want {80 100 200 255} and transparent", c, img.NRGBAAt(0, 0))
			}
			if want == "image/jpeg" && (c.A != 255 || math.Abs(float64(c.R)-80) > 8 || math.Abs(float64(c.G)-100) > 8 || math.Abs(float64(c.B)-200) > 8) {
				t.Errorf("jpeg tile: %v, want within 8 of {80 100 200 255}", c)
			}
			return nil
		})
		if !found || err != nil {
			t.Errorf("tile 1/%d/1 found %v, err %v", x, found, err)
		}
	}
}
