package tileset

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestAppendFeatureWritesGeoJSONAtFullPrecision(t *testing.T) {
	f := geojson.NewFeature(orb.Polygon{
		{{116.123456789012345, -22.987654321098765}, {117.5, -22.9}, {117.5, -21.1}, {116.123456789012345, -22.987654321098765}},
		{{117.0, -22.5}, {117.2, -22.5}, {117.2, -22.3}, {117.0, -22.5}},
	})
	f.Properties = geojson.Properties{"name": "Brockman <Iron> & Co", "code": int64(9007199254740993), "age_ma": 2.45e3, "ok": true}
	js, box, ok, err := appendFeature([]byte("prefix"), 42, f)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	js = js[len("prefix"):]
	if !strings.HasPrefix(string(js), `{"type":"Feature","id":42,"bbox":[116.12345678901235,-22.987654321098766,117.5,-21.1],"geometry":{"type":"Polygon",`) {
		t.Errorf("stored feature starts %.120s", js)
	}
	if !strings.Contains(string(js), `"name":"Brockman <Iron> & Co"`) || !strings.Contains(string(js), `"code":9007199254740993`) {
		t.Errorf("properties escaped or rounded: %s", js)
	}
	if box != bound(116.123456789012345, -22.987654321098765, 117.5, -21.1) {
		t.Errorf("box %v", box)
	}
	back, err := geojson.UnmarshalFeature(js)
	if err != nil {
		t.Fatalf("stored feature is not GeoJSON: %v\n%s", err, js)
	}
	if !orb.Equal(back.Geometry, f.Geometry) {
		t.Errorf("geometry changed: %v, want %v", back.Geometry, f.Geometry)
	}
	if back.ID != 42.0 || back.Properties["age_ma"] != 2450.0 || back.Properties["ok"] != true {
		t.Errorf("id %v, properties %v", back.ID, back.Properties)
	}
}

func TestAppendFeaturePointsNullsAndBadInput(t *testing.T) {
	js, box, ok, err := appendFeature(nil, 1, geojson.NewFeature(orb.Point{100.5, 13.7}))
	if err != nil || !ok || box != bound(100.5, 13.7, 100.5, 13.7) {
		t.Fatal(box, ok, err)
	}
	if want := `{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[100.5,13.7]},"properties":{}}`; string(js) != want {
		t.Errorf("point feature %s\nwant %s", js, want)
	}
	js, _, ok, err = appendFeature(nil, 2, &geojson.Feature{Type: "Feature"})
	if err != nil || ok {
		t.Fatal(ok, err)
	}
	if want := `{"type":"Feature","id":2,"geometry":null,"properties":{}}`; string(js) != want {
		t.Errorf("null geometry %s\nwant %s", js, want)
	}
	if !json.Valid(js) {
		t.Error("invalid JSON")
	}
	if _, _, _, err := appendFeature(nil, 3, geojson.NewFeature(orb.LineString{{0, 0}, {math.NaN(), 1}})); err == nil {
		t.Error("a NaN coordinate was accepted")
	}
	nan := geojson.NewFeature(orb.Point{0, 0})
	nan.Properties = geojson.Properties{"x": math.Inf(1)}
	if _, _, _, err := appendFeature(nil, 4, nan); err == nil {
		t.Error("an infinite property was accepted")
	}
}

func TestFeatureID(t *testing.T) {
	for _, c := range []struct {
		id   any
		want uint64
		ok   bool
	}{
		{uint64(7), 7, true}, {7, 7, true}, {int64(7), 7, true}, {uint32(7), 7, true}, {7.0, 7, true},
		{uint64(math.MaxUint64), math.MaxUint64, true},
		{-1, 0, false}, {int64(-1), 0, false}, {7.5, 0, false}, {-1.0, 0, false}, {math.Pow(2, 64), 0, false},
		{math.NaN(), 0, false}, {"7", 0, false}, {nil, 0, false},
	} {
		got, ok := featureID(&geojson.Feature{ID: c.id})
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("featureID(%v %T) = %d, %v; want %d, %v", c.id, c.id, got, ok, c.want, c.ok)
		}
	}
}
