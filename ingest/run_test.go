package ingest

import (
	"bytes"
	"context"
	"encoding/binary"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

// decodeTile returns the features of the tile at z/x/y containing p.
func decodeTile(t *testing.T, r *tileset.Reader, p orb.Point, z int) (maptile.Tile, mvt.Layers) {
	t.Helper()
	tile := maptile.At(p, maptile.Zoom(z))
	var layers mvt.Layers
	found, err := r.Tile(int(tile.Z), int(tile.X), int(tile.Y), func(gz []byte) error {
		var err error
		layers, err = mvt.UnmarshalGzipped(gz)
		return err
	})
	if err != nil || !found {
		t.Fatalf("tile %d/%d/%d: found %v, %v", tile.Z, tile.X, tile.Y, found, err)
	}
	layers.ProjectToWGS84(tile)
	return tile, layers
}

func TestRunEndToEnd(t *testing.T) {
	shp := legacyShapefile(t, "CP874", thaiGranite) // one point at 100.5, 13.7
	store := t.TempDir()
	sum, err := Run(context.Background(), shp, Options{Store: store, ID: "thai-units", MaxZoom: 8, Attribution: "DMR Thailand"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 1 || sum.Written != 1 || len(sum.Zooms) != 9 {
		t.Errorf("summary: read %d, written %d, %d zooms", sum.Read, sum.Written, len(sum.Zooms))
	}
	path := filepath.Join(store, "thai-units"+tileset.Ext)
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != sum.Bytes {
		t.Errorf("tileset file: %v, size %d; summary says %d bytes", err, fi.Size(), sum.Bytes)
	}

	r, err := tileset.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	if m.ID != "thai-units" || m.Layer != "thai-units" || m.Title != "units" || m.Attribution != "DMR Thailand" {
		t.Errorf("metadata id %q layer %q title %q attribution %q", m.ID, m.Layer, m.Title, m.Attribution)
	}
	if m.FeatureCount != 1 || m.GeometryType != geomPoint || m.MinZoom != 0 || m.MaxZoom != 8 {
		t.Errorf("metadata count %d type %q zooms %d-%d", m.FeatureCount, m.GeometryType, m.MinZoom, m.MaxZoom)
	}
	if want := []tileset.Field{{Name: "name", Type: "string"}, {Name: "code", Type: "integer"}}; !slices.Equal(m.Fields, want) {
		t.Errorf("fields %v, want %v", m.Fields, want)
	}
	if m.Bounds != [4]float64{100.5, 13.7, 100.5, 13.7} || m.Center[0] != 100.5 || m.Center[1] != 13.7 {
		t.Errorf("bounds %v center %v", m.Bounds, m.Center)
	}
	if m.Source.File != "units.shp" || m.Source.Driver != "ESRI Shapefile" || m.Source.CRS != "EPSG:4326" {
		t.Errorf("source %+v", m.Source)
	}
	if len(m.Zooms) != 9 || m.Zooms[8].Tiles != 1 {
		t.Errorf("zoom stats %+v", m.Zooms)
	}

	// The Thai name comes out right in the tile, at the right place.
	for _, z := range []int{0, 8} {
		tile, layers := decodeTile(t, r, orb.Point{100.5, 13.7}, z)
		if len(layers) != 1 || layers[0].Name != "thai-units" || len(layers[0].Features) != 1 {
			t.Fatalf("zoom %d: layers %v", z, layers)
		}
		f := layers[0].Features[0]
		if f.Properties["name"] != thaiGranite {
			t.Errorf("zoom %d: name %q, want %q", z, f.Properties["name"], thaiGranite)
		}
		p := f.Geometry.(orb.Point)
		tol := 2 * (tile.Bound().Max[0] - tile.Bound().Min[0]) / 4096 // two tile units
		if math.Abs(p[0]-100.5) > tol || math.Abs(p[1]-13.7) > tol {
			t.Errorf("zoom %d: point at %v, want 100.5, 13.7", z, p)
		}
	}
}

func TestRunAutoMaxZoom(t *testing.T) {
	src := writeFile(t, t.TempDir(), "deposits.geojson", depositsGeoJSON)
	store := t.TempDir()
	sum, err := Run(context.Background(), src, Options{Store: store, ID: "deposits", MinZoom: 2, MaxZoom: -1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(filepath.Join(store, "deposits"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	if m.MinZoom != 2 || m.MaxZoom < 2 || m.MaxZoom > MaxZoomLimit || len(sum.Zooms) != m.MaxZoom-1 {
		t.Errorf("zooms %d-%d with %d zoom stats", m.MinZoom, m.MaxZoom, len(sum.Zooms))
	}
	if m.Title != "deposits" || m.FeatureCount != 3 {
		t.Errorf("title %q, count %d", m.Title, m.FeatureCount)
	}
}

// storeSnapshot records every file in a store directory with its bytes.
func storeSnapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		snap[e.Name()] = b
	}
	return snap
}

func TestRunBadInputLeavesStoreUntouched(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	os.Mkdir(store, 0o755)
	good := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	if _, err := Run(context.Background(), good, Options{Store: store, ID: "survey", MaxZoom: 4}); err != nil {
		t.Fatal(err)
	}
	before := storeSnapshot(t, store)

	shapefile := func(name string) string {
		shp := filepath.Join(t.TempDir(), name+".shp")
		gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, good)
		return shp
	}
	gpkg := filepath.Join(dir, "two.gpkg")
	gdalTool(t, "ogr2ogr", "-f", "GPKG", "-nln", "deposits", gpkg, good)
	gdalTool(t, "ogr2ogr", "-f", "GPKG", "-update", "-nln", "faults", gpkg, writeFile(t, dir, "faults.geojson", faultsGeoJSON))

	cases := []struct {
		name string
		file func() string
		opts Options
		want []string // besides the file name
	}{
		{"missing file", func() string { return filepath.Join(dir, "nope.shp") }, Options{}, []string{"no such file", "check the path"}},
		{"not a vector file", func() string { return writeFile(t, dir, "notes.txt", "field notes\n") }, Options{}, []string{"cannot open", "give a Shapefile"}},
		{"unknown layer", func() string { return gpkg }, Options{SourceLayer: "dykes"}, []string{`"dykes"`, "--source-layer"}},
		{"several layers", func() string { return gpkg }, Options{}, []string{"2 layers", "--source-layer"}},
		{"no CRS", func() string { return writeFile(t, dir, "nocrs.csv", "WKT,n\n\"POINT (1 2)\",1\n") }, Options{}, []string{"no coordinate reference system", "--s-srs"}},
		{"empty layer", func() string { return writeFile(t, dir, "empty.geojson", `{"type":"FeatureCollection","features":[]}`) }, Options{}, []string{"no features", "nothing to ingest"}},
		{"1e30 coordinate", func() string {
			return writeFile(t, dir, "huge.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e30,2]}}]}`)
		}, Options{}, []string{"feature 1", "1e+30", "none of the 1 features"}},
		{"NaN coordinate", func() string {
			// GDAL reads a NaN point as an empty one (skipped and counted);
			// a NaN vertex of a line skips its feature, an error under
			// --strict.
			shp := filepath.Join(t.TempDir(), "faults.shp")
			gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, filepath.Join(dir, "faults.geojson"))
			b, _ := os.ReadFile(shp)
			// Header 100, record header 8, type 4, bbox 32, counts 8, part index 4:
			// then the first point's x.
			binary.LittleEndian.PutUint64(b[100+8+4+32+8+4:], math.Float64bits(math.NaN()))
			os.WriteFile(shp, b, 0o644)
			return shp
		}, Options{Strict: true}, []string{"feature 1 (FID 0)", "NaN", "--strict"}},
		{"truncated .shp", func() string {
			shp := shapefile("truncated")
			os.Truncate(shp, 120)
			return shp
		}, Options{}, []string{"feature 1", "corrupt or truncated", "export it again"}},
		{"corrupt .dbf", func() string {
			shp := shapefile("corruptdbf")
			dbf := strings.TrimSuffix(shp, ".shp") + ".dbf"
			b, _ := os.ReadFile(dbf)
			copy(b[32:64], bytes.Repeat([]byte{0xff}, 32)) // the first field descriptor
			os.WriteFile(dbf, b, 0o644)
			return shp
		}, Options{}, []string{".dbf is corrupt", "export the shapefile again"}},
		{"truncated .dbf", func() string {
			shp := shapefile("shortdbf")
			dbf := strings.TrimSuffix(shp, ".shp") + ".dbf"
			fi, _ := os.Stat(dbf)
			os.Truncate(dbf, fi.Size()-40)
			return shp
		}, Options{}, []string{"DBF", "corrupt or truncated"}},
		{"bad id", func() string { return good }, Options{ID: "Survey Map"}, []string{"--id"}},
		{"bad zoom", func() string { return good }, Options{MinZoom: 5, MaxZoom: 3}, []string{"--maxzoom", "--minzoom"}},
		{"bad --s-srs", func() string { return good }, Options{SrcSRS: "EPSG:nope"}, []string{"--s-srs", "EPSG code"}},
	}
	if os.Geteuid() != 0 { // root reads files whatever their mode
		cases = append(cases, struct {
			name string
			file func() string
			opts Options
			want []string
		}{"unreadable file", func() string {
			p := writeFile(t, dir, "secret.geojson", depositsGeoJSON)
			os.Chmod(p, 0)
			return p
		}, Options{}, []string{"permission denied"}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file()
			opts := tc.opts
			opts.Store = store
			if opts.ID == "" {
				opts.ID = "survey"
			}
			if opts.MaxZoom == 0 && opts.MinZoom == 0 {
				opts.MaxZoom = 4
			}
			sum, err := Run(context.Background(), file, opts)
			if err == nil {
				t.Fatalf("no error (summary %+v)", sum)
			}
			want := tc.want
			if !strings.HasPrefix(err.Error(), "--") {
				want = append([]string{file}, want...)
			}
			assertUserError(t, err, want...)
			after := storeSnapshot(t, store)
			if len(after) != len(before) {
				t.Errorf("store holds %d files, had %d", len(after), len(before))
			}
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("%s changed", name)
				}
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	store := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := writeFile(t, t.TempDir(), "deposits.geojson", depositsGeoJSON)
	if _, err := Run(ctx, src, Options{Store: store, ID: "deposits", MaxZoom: 3}); err == nil {
		t.Fatal("cancelled ingest succeeded")
	}
	if entries, _ := os.ReadDir(store); len(entries) != 0 {
		t.Errorf("cancelled ingest left %d files in the store", len(entries))
	}
}

// Deposits at full double precision, with a feature without geometry between
// them that ingest skips: its id, 2, stays unused.
const preciseGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Khao Soi Dao","code":11,"grade":1.0625,"active":true},"geometry":{"type":"Polygon","coordinates":[[[102.12345678901234,12.987654321098765],[102.5,12.9],[102.4,13.3],[102.12345678901234,12.987654321098765]],[[102.3,13.0],[102.35,13.05],[102.35,13.0],[102.3,13.0]]]}},
{"type":"Feature","properties":{"name":"nowhere","code":12},"geometry":null},
{"type":"Feature","properties":{"name":"ภูเขาทอง","code":13,"grade":0.1,"active":false},"geometry":{"type":"Point","coordinates":[100.50000000000001,13.699999999999999]}}]}`

// TestRunStoresFeatures reads back the features an ingest stored beside the
// tiles: the count, the ids of the source, every attribute with its type and
// the coordinates rounded to the default 7 decimals, exactly, through a
// lookup, a bbox and a filter.
func TestRunStoresFeatures(t *testing.T) {
	src := writeFile(t, t.TempDir(), "deposits.geojson", preciseGeoJSON)
	store := t.TempDir()
	sum, err := Run(context.Background(), src, Options{Store: store, ID: "deposits", MaxZoom: 6})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 2 {
		t.Fatalf("summary: read %d, written %d, skipped %v", sum.Read, sum.Written, sum.Skipped)
	}
	r, err := tileset.Open(filepath.Join(store, "deposits"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Metadata().FeatureCount != 2 || r.Metadata().Precision != DefaultPrecision {
		t.Errorf("feature_count %d, precision %d; want 2, %d", r.Metadata().FeatureCount, r.Metadata().Precision, DefaultPrecision)
	}
	ids := func(q tileset.FeatureQuery) (int64, []uint64) {
		t.Helper()
		var ids []uint64
		matched, err := r.Features(q, func(f tileset.RawFeature) error { ids = append(ids, f.ID); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return matched, ids
	}
	if matched, got := ids(tileset.FeatureQuery{Limit: 10}); matched != 2 || !slices.Equal(got, []uint64{1, 3}) {
		t.Errorf("all features: matched %d, ids %v; want 2, [1 3]", matched, got)
	}
	box := orb.Bound{Min: orb.Point{100, 13}, Max: orb.Point{101, 14}}
	if matched, got := ids(tileset.FeatureQuery{BBox: &box, Limit: 10}); matched != 1 || !slices.Equal(got, []uint64{3}) {
		t.Errorf("bbox around the point: matched %d, ids %v", matched, got)
	}
	if matched, got := ids(tileset.FeatureQuery{Filters: map[string]string{"name": "ภูเขาทอง", "code": "13"}, Limit: 10}); matched != 1 || !slices.Equal(got, []uint64{3}) {
		t.Errorf("filter on the Thai name: matched %d, ids %v", matched, got)
	}
	if found, err := r.Feature(2, func(tileset.RawFeature) error { return nil }); found || err != nil {
		t.Errorf("the skipped feature 2: found %v, %v", found, err)
	}

	want := map[uint64]struct {
		geom  orb.Geometry
		props map[string]any
	}{
		1: {orb.Polygon{
			{{102.1234568, 12.9876543}, {102.5, 12.9}, {102.4, 13.3}, {102.1234568, 12.9876543}},
			{{102.3, 13.0}, {102.35, 13.05}, {102.35, 13.0}, {102.3, 13.0}},
		}, map[string]any{"name": "Khao Soi Dao", "code": 11.0, "grade": 1.0625, "active": true}},
		3: {orb.Point{100.5, 13.7},
			map[string]any{"name": "ภูเขาทอง", "code": 13.0, "grade": 0.1, "active": false}},
	}
	for id, w := range want {
		found, err := r.Feature(id, func(f tileset.RawFeature) error {
			got, err := geojson.UnmarshalFeature(f.JSON)
			if err != nil {
				return err
			}
			if got.ID != float64(id) || !orb.Equal(got.Geometry, w.geom) {
				t.Errorf("feature %d: id %v, geometry %v; want %v exactly", id, got.ID, got.Geometry, w.geom)
			}
			if !maps.Equal(map[string]any(got.Properties), w.props) {
				t.Errorf("feature %d: properties %v, want %v", id, got.Properties, w.props)
			}
			return nil
		})
		if err != nil || !found {
			t.Errorf("Feature(%d): found %v, %v", id, found, err)
		}
	}
}
