package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestAttributeTypes(t *testing.T) {
	src := writeFile(t, t.TempDir(), "typed.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"i":1,"big":9007199254740993,"r":1.5,"s":"x","d":"2020-01-02","dt":"2020-01-02T03:04:05Z","dtu":"2020-01-02T03:04:05","dto":"2020-01-02T03:04:05.250+07:00","b":true,"il":[1,2],"sl":["a","b"],"rl":[1.5,2],"n":null},"geometry":{"type":"Point","coordinates":[100,10]}},
{"type":"Feature","properties":{"i":2,"b":false,"s":null},"geometry":{"type":"Point","coordinates":[101,11]}}]}`)
	_, feats, attrs := mustRead(t, src, Options{})

	wantFields := []tileset.Field{
		{Name: "i", Type: "integer"}, {Name: "big", Type: "integer"}, {Name: "r", Type: "real"}, {Name: "s", Type: "string"},
		{Name: "d", Type: "date"}, {Name: "dt", Type: "datetime"}, {Name: "dtu", Type: "datetime"}, {Name: "dto", Type: "datetime"},
		{Name: "b", Type: "boolean"}, {Name: "il", Type: "string"}, {Name: "sl", Type: "string"}, {Name: "rl", Type: "string"},
		{Name: "n", Type: "string"},
	}
	if got := schemaFields(attrs); !reflect.DeepEqual(got, wantFields) {
		t.Errorf("fields\n got %v\nwant %v", got, wantFields)
	}

	want := map[string]any{
		"i":   int64(1),
		"big": int64(9007199254740993),
		"r":   1.5,
		"s":   "x",
		"d":   "2020-01-02",
		"dt":  "2020-01-02T03:04:05Z",
		"dtu": "2020-01-02T03:04:05", // zone unknown: no offset invented
		"dto": "2020-01-02T03:04:05.25+07:00",
		"b":   true,
		"il":  "[1,2]",
		"sl":  `["a","b"]`,
		"rl":  "[1.5,2]",
	}
	if got := map[string]any(feats[0].Properties); !reflect.DeepEqual(got, want) {
		t.Errorf("properties\n got %#v\nwant %#v", got, want)
	}
	// Nulls and absent values are left out; false is a value.
	if got, want := map[string]any(feats[1].Properties), map[string]any{"i": int64(2), "b": false}; !reflect.DeepEqual(got, want) {
		t.Errorf("second feature properties %#v, want %#v", got, want)
	}
}

// Fields sharing a name are all kept, the later renamed, with a warning: a
// CSV header "name,name" and a .dbf with two NAME fields (one string, one
// integer) lost a column silently.
func TestDuplicateFieldNames(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "dup.csv", "name,name,name_2,lon,lat\na,b,c,100,10\n")
	var rec logRecorder
	_, feats, attrs := mustRead(t, csv, Options{Logger: rec.logger()})
	wantFields := []tileset.Field{{Name: "name", Type: "string"}, {Name: "name_3", Type: "string"}, {Name: "name_2", Type: "string"}}
	if got := schemaFields(attrs); !reflect.DeepEqual(got, wantFields) {
		t.Errorf("CSV fields %v, want %v", got, wantFields)
	}
	if got, want := map[string]any(feats[0].Properties), map[string]any{"name": "a", "name_3": "b", "name_2": "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("CSV properties %v, want %v", got, want)
	}
	if !rec.contains("share a name") {
		t.Errorf("no warning about the shared name in %q", rec.msgs)
	}

	// A shapefile with fields NAME (string) and NAMX (integer), the second
	// renamed NAME in the .dbf header.
	src := writeFile(t, dir, "pts.csv", "NAME,NAMX,lon,lat\nalpha,7,100,10\n")
	shp := filepath.Join(dir, "pts.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, src, "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "AUTODETECT_TYPE=YES", "-oo", "KEEP_GEOM_COLUMNS=NO", "-a_srs", "EPSG:4326")
	dbf := filepath.Join(dir, "pts.dbf")
	b, err := os.ReadFile(dbf)
	if err != nil {
		t.Fatal(err)
	}
	// Field descriptors are 32 bytes each from offset 32, the name first.
	if string(b[64:68]) != "NAMX" {
		t.Fatalf("second field of the .dbf is %q", b[64:75])
	}
	copy(b[64:68], "NAME")
	if err := os.WriteFile(dbf, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, feats, attrs = mustRead(t, shp, Options{})
	wantFields = []tileset.Field{{Name: "NAME", Type: "string"}, {Name: "NAME_2", Type: "integer"}}
	if got := schemaFields(attrs); !reflect.DeepEqual(got, wantFields) {
		t.Errorf("DBF fields %v, want %v", got, wantFields)
	}
	if got, want := map[string]any(feats[0].Properties), map[string]any{"NAME": "alpha", "NAME_2": int64(7)}; !reflect.DeepEqual(got, want) {
		t.Errorf("DBF properties %v, want %v", got, want)
	}
}
