package ingest

import (
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
