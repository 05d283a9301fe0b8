package tileset

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestRawFeatureParts checks the geometry and properties of a stored
// feature read without decoding the whole object.
func TestRawFeatureParts(t *testing.T) {
	f := RawFeature{ID: 7, JSON: []byte(`{"type":"Feature","id":7,"bbox":[0,0,1,1],"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"a":"x\"y","b":2.5,"c":null,"d":true,"e":"\u00e9"}}`)}
	g, err := f.Geometry()
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := g.(orb.Polygon); !ok || len(p[0]) != 4 {
		t.Fatalf("geometry %#v", g)
	}
	props, err := f.Properties()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": `x"y`, "b": "2.5", "d": "true", "e": "é"} {
		if got, ok := PropertyText(props, name); !ok || got != want {
			t.Errorf("%s = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"c", "missing"} {
		if got, ok := PropertyText(props, name); ok {
			t.Errorf("%s = %q, want none", name, got)
		}
	}
	null := RawFeature{JSON: []byte(`{"type":"Feature","id":1,"geometry":null,"properties":null}`)}
	if g, err := null.Geometry(); g != nil || err != nil {
		t.Errorf("null geometry: %v, %v", g, err)
	}
	if p, err := null.Properties(); p != nil || err != nil {
		t.Errorf("null properties: %s, %v", p, err)
	}
}
