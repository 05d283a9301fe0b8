package tiles

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestToWorldClampsToTheSquareWorld(t *testing.T) {
	for _, tc := range []struct{ in, want orb.Point }{
		{orb.Point{0, 0}, orb.Point{0.5, 0.5}},
		{orb.Point{-180, 0}, orb.Point{0, 0.5}},
		{orb.Point{190, 0}, orb.Point{1, 0.5}},
		{orb.Point{90, 90}, orb.Point{0.75, mercY(maxLat)}},
		{orb.Point{90, -90}, orb.Point{0.75, mercY(-maxLat)}},
	} {
		got := toWorld(tc.in)
		if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-12 {
			t.Errorf("toWorld(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if y := toWorld(orb.Point{0, -90})[1]; y < 0.999 {
		t.Errorf("south pole at y=%v, want the bottom of the world", y)
	}
}

func TestPrepareKeepsOrderAndSkipsEmpty(t *testing.T) {
	var in []*geojson.Feature
	for i := range 5000 {
		in = append(in, input(uint64(i), orb.Point{float64(i%360) - 180, 0}, nil))
	}
	in = append(in, &geojson.Feature{ID: uint64(9999)}, nil)
	got, err := prepare(context.Background(), in, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5000 {
		t.Fatalf("%d features, want 5000", len(got))
	}
	for i, f := range got {
		if f.id != uint64(i) {
			t.Fatalf("feature %d has id %v", i, f.id)
		}
	}
}

func TestMVTPropertiesDropsNullsAndWritesDates(t *testing.T) {
	p := geojson.Properties{
		"n":    nil,
		"d":    time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		"dt":   time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("ICT", 7*3600)),
		"nilp": (*time.Time)(nil),
		"s":    "x",
	}
	got := mvtProperties(p)
	want := geojson.Properties{"d": "2020-01-02", "dt": "2020-01-02T03:04:05+07:00", "s": "x"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := p["n"]; !ok {
		t.Error("input properties changed")
	}
	clean := geojson.Properties{"a": int64(1)}
	if got := mvtProperties(clean); reflect.ValueOf(got).Pointer() != reflect.ValueOf(clean).Pointer() {
		t.Error("clean properties were copied, want them shared")
	}
}
