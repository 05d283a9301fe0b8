package tiles

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/gogo/protobuf/proto"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

const testLayer = "units"

// cutAll runs Cut and returns the tiles put, checking that none is put twice.
func cutAll(t testing.TB, features []*geojson.Feature, opts Options) (map[maptile.Tile][]byte, Stats) {
	t.Helper()
	if opts.Layer == "" {
		opts.Layer = testLayer
	}
	got := map[maptile.Tile][]byte{}
	stats, err := Cut(context.Background(), features, opts, func(tile tileset.Tile) error {
		k := maptile.New(uint32(tile.X), uint32(tile.Y), maptile.Zoom(tile.Z))
		if _, dup := got[k]; dup {
			t.Errorf("tile %d/%d/%d put twice", tile.Z, tile.X, tile.Y)
		}
		got[k] = tile.Data
		return nil
	})
	if err != nil {
		t.Fatalf("Cut: %v", err)
	}
	return got, stats
}

// decode decodes a gzipped tile with orb's MVT decoder and checks it holds
// exactly the one layer Cut writes.
func decode(t testing.TB, data []byte) *mvt.Layer {
	t.Helper()
	layers, err := mvt.UnmarshalGzipped(data)
	if err != nil {
		t.Fatalf("decoding tile: %v", err)
	}
	if len(layers) != 1 || layers[0].Name != testLayer || layers[0].Extent != 4096 || layers[0].Version != 2 {
		t.Fatalf("tile has layers %+v, want one version 2 layer %q of extent 4096", layers, testLayer)
	}
	return layers[0]
}

// rawTile decodes a gzipped tile to the protobuf structure, where attribute
// value types are visible (orb's decoder turns every number into float64).
func rawTile(t testing.TB, data []byte) *vectortile.Tile {
	t.Helper()
	layers, err := mvt.UnmarshalGzipped(data) // checks the gzip framing
	if err != nil || len(layers) != 1 {
		t.Fatalf("decoding tile: %v", err)
	}
	raw, err := gunzip(data)
	if err != nil {
		t.Fatal(err)
	}
	var vt vectortile.Tile
	if err := proto.Unmarshal(raw, &vt); err != nil {
		t.Fatalf("unmarshalling tile: %v", err)
	}
	return &vt
}

// feature builds an input feature as ingest hands them over.
func input(id uint64, g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	if props != nil {
		f.Properties = props
	}
	return f
}

// mercY is the textbook Web Mercator y in world units (0 north, 1 south),
// written out here independently of the code under test.
func mercY(lat float64) float64 {
	phi := lat * math.Pi / 180
	return (1 - math.Log(math.Tan(phi)+1/math.Cos(phi))/math.Pi) / 2
}

func mercX(lon float64) float64 { return (lon + 180) / 360 }

// worldPixel is a lon/lat position in the world-pixel space of zoom z.
func worldPixel(lon, lat float64, z int) (float64, float64) {
	s := 4096 * math.Exp2(float64(z))
	return mercX(lon) * s, mercY(lat) * s
}

// toWorldPixels moves a decoded tile geometry to world-pixel coordinates.
func toWorldPixels(g orb.Geometry, tile maptile.Tile) orb.Geometry {
	ox, oy := float64(tile.X)*4096, float64(tile.Y)*4096
	return mapPoints(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[0] + ox, p[1] + oy} })
}

func mapPoints(g orb.Geometry, fn func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return fn(g)
	case orb.MultiPoint:
		for i := range g {
			g[i] = fn(g[i])
		}
	case orb.LineString:
		mapPoints(orb.MultiPoint(g), fn)
	case orb.MultiLineString:
		for _, ls := range g {
			mapPoints(ls, fn)
		}
	case orb.Ring:
		mapPoints(orb.MultiPoint(g), fn)
	case orb.Polygon:
		for _, r := range g {
			mapPoints(r, fn)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			mapPoints(p, fn)
		}
	}
	return g
}

// polygons lists the polygons of a decoded geometry.
func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// checkWinding fails unless every polygon of g winds as the MVT
// specification says: exterior ring of positive area with y down, holes
// negative.
func checkWinding(t testing.TB, tile maptile.Tile, g orb.Geometry) {
	t.Helper()
	for _, p := range polygons(g) {
		for i, r := range p {
			a := ringArea(r)
			if i == 0 && a <= 0 || i > 0 && a >= 0 {
				t.Errorf("tile %v: ring %d of a polygon has area %g, want exterior > 0 and holes < 0", tile, i, a)
			}
		}
	}
}

// loadBorders reads the ASEAN borders with ids 1..n.
func loadBorders(t testing.TB) []*geojson.Feature {
	t.Helper()
	b, err := os.ReadFile("../data/borders/asean-borders-10m.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fc.Features {
		f.ID = uint64(i + 1)
	}
	return fc.Features
}
