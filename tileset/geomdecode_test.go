package tileset

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TestDecodeGeometryAgreesWithOrb decodes the geometry of stored features of
// every kind and checks it against orb's own GeoJSON decoder, to the bit.
func TestDecodeGeometryAgreesWithOrb(t *testing.T) {
	feats := randomFeatures(rand.New(rand.NewPCG(19, 20)), 300)
	feats = append(feats,
		geojson.NewFeature(orb.Collection{orb.Point{1, 2}, orb.LineString{{1e-300, -1e300}, {3, 4}}}),
		geojson.NewFeature(orb.MultiPolygon{}),
		geojson.NewFeature(orb.LineString{{0.1, 0.2}, {0.30000000000000004, -0}}),
	)
	for i, f := range feats {
		js, _, _, err := appendFeature(nil, uint64(i), f)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := member(js, "geometry")
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeGeometry(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		want, err := geojson.UnmarshalGeometry(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !orb.Equal(got, want.Geometry()) || !orb.Equal(got, f.Geometry) {
			t.Fatalf("decoded %v\norb %v\nwritten %v", got, want.Geometry(), f.Geometry)
		}
	}
}

func TestDecodeGeometryFormsAndErrors(t *testing.T) {
	for in, want := range map[string]orb.Geometry{
		`null`: nil,
		` { "coordinates" : [ 1.5 , -2 , 300 ] , "type" : "Point" } `:                            orb.Point{1.5, -2},
		`{"type":"LineString","coordinates":[]}`:                                                 orb.LineString{},
		`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]}`:                           orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}},
		`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},null]}`: orb.Collection{orb.Point{1, 2}},
	} {
		got, err := decodeGeometry([]byte(in))
		if err != nil || !orb.Equal(got, want) && !(got == nil && want == nil) {
			t.Errorf("decodeGeometry(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{
		``, `{}`, `[1,2]`, `{"type":"Circle","coordinates":[1,2]}`, `{"type":"Point","coordinates":[1]}`,
		`{"type":"Point","coordinates":[1,"2"]}`, `{"type":"Point","coordinates":[1,2]]}`, `{"type":"Point","coordinates":[1,,2]}`,
		`{"type":"Point"}`, `{"type":"LineString","coordinates":[[1,2],[3]]}`, `{"type":"LineString","coordinates":[[1,2] [3,4]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,0]],[[0,0]`, `{"type":"Point","coordinates":[1e999,2]}`,
		`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1]}]}`,
		`{"type":"GeometryCollection","geometries":{}}`,
	} {
		if g, err := decodeGeometry([]byte(in)); err == nil {
			t.Errorf("decodeGeometry(%s) = %v, no error", in, g)
		}
	}
}

// FuzzDecodeGeometry checks that no input makes the decoder panic, and that
// what it accepts orb's decoder reads alike.
func FuzzDecodeGeometry(f *testing.F) {
	f.Add([]byte(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,1],[0,0]]]]}`))
	f.Add([]byte(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := decodeGeometry(in)
		if err != nil || got == nil {
			return
		}
		want, err := geojson.UnmarshalGeometry(in)
		if err == nil && !orb.Equal(got, want.Geometry()) {
			t.Fatalf("%s: decoded %v, orb %v", in, got, want.Geometry())
		}
	})
}

func BenchmarkDecodeGeometry(b *testing.B) {
	ring := orb.Ring{}
	rng := rand.New(rand.NewPCG(21, 22))
	for range 50000 {
		ring = append(ring, orb.Point{100 + rng.Float64(), rng.Float64()})
	}
	js, _ := geojson.NewGeometry(orb.Polygon{append(ring, ring[0])}).MarshalJSON()
	b.Run("ours", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			if _, err := decodeGeometry(js); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("orb", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			if _, err := geojson.UnmarshalGeometry(js); err != nil {
				b.Fatal(err)
			}
		}
	})
}
