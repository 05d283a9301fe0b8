package export

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"github.com/outcrop/outcrop/tileset"
)

// The test tileset: a 6° square unit over the Pilbara, an occurrence at a
// known place inside it and a fault, cut into real gzip MVT from zoom 0 to 8.
// The square is wound so that its ring is clockwise in tile coordinates (y
// down), an exterior ring as the MVT spec wants: QGIS draws nothing of the
// other winding.
// The square covers whole tiles from zoom 7, whose tiles are then the same
// bytes, as an ocean or a large unit makes them in real data.
var (
	unit       = orb.Polygon{{{114, -26}, {114, -20}, {120, -20}, {120, -26}, {114, -26}}}
	occurrence = orb.Point{117.25, -22.5}
	fault      = orb.LineString{{115, -21}, {119, -25}}
)

const (
	testLayer   = "units"
	testMaxZoom = 8
)

// writeTestTileset writes the test tileset into dir as ID "pilbara" and
// opens it.
func writeTestTileset(t *testing.T, dir string) *tileset.Reader {
	t.Helper()
	// features returns them afresh: projecting to a tile changes them in place.
	features := func() *geojson.FeatureCollection {
		fc := geojson.NewFeatureCollection()
		for i, g := range []orb.Geometry{unit, occurrence, fault} {
			f := geojson.NewFeature(orb.Clone(g))
			f.ID = i + 1
			f.Properties = geojson.Properties{"code": string(rune('A' + i)), "age_ma": 2700 - 100*i}
			fc.Append(f)
		}
		return fc
	}
	w, err := tileset.Create(dir, "pilbara")
	if err != nil {
		t.Fatal(err)
	}
	bound := unit.Bound()
	for z := maptile.Zoom(0); z <= testMaxZoom; z++ {
		tiles := tilecover.Bound(bound, z) // the square holds the other two
		for tile := range tiles {
			layers := mvt.NewLayers(map[string]*geojson.FeatureCollection{testLayer: features()})
			layers.ProjectToTile(tile)
			layers.Clip(orb.Bound{Min: orb.Point{-64, -64}, Max: orb.Point{4160, 4160}})
			layers.RemoveEmpty(0, 0)
			if len(layers) == 0 || len(layers[0].Features) == 0 {
				continue
			}
			data, err := mvt.MarshalGzipped(layers)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Put(tileset.Tile{Z: int(tile.Z), X: int(tile.X), Y: int(tile.Y), Data: data}); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = w.Commit(&tileset.Metadata{
		Title: "Pilbara units", Description: "Test units of the Pilbara craton",
		Attribution: "© Test Survey", License: "CC-BY-4.0",
		Layer: testLayer, GeometryType: "mixed",
		Fields:  []tileset.Field{{Name: "code", Type: "string"}, {Name: "age_ma", Type: "integer"}},
		Bounds:  [4]float64{114, -26, 120, -20},
		Center:  [3]float64{117, -23, 5},
		MinZoom: 0, MaxZoom: testMaxZoom, FeatureCount: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(dir + "/pilbara" + tileset.Ext)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// allTiles returns every tile of r by "z/x/y".
func allTiles(t *testing.T, r *tileset.Reader) map[string][]byte {
	t.Helper()
	tiles := map[string][]byte{}
	if err := r.ForEach(func(z, x, y int, gz []byte) error {
		tiles[fmt.Sprintf("%d/%d/%d", z, x, y)] = bytes.Clone(gz)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return tiles
}

// gunzip decompresses a gzip tile.
func gunzip(t *testing.T, gz []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// needTool returns the path of a command-line tool, or skips the test when
// it is missing; under CI (CI set) a missing tool fails the test instead.
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: apt-get install %s", name, debianPackage)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
	return ""
}
