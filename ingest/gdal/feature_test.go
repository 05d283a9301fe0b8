package gdal

import (
	"slices"
	"testing"
	"time"
)

func TestFields(t *testing.T) {
	ds, err := Open(writeFile(t, "typed.geojson", typed), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	layer := ds.Layers()[0]
	f, err := layer.NextFeature()
	if err != nil || f == nil {
		t.Fatalf("NextFeature = %v, %v", f, err)
	}
	defer f.Close()
	fields := f.Fields()

	if got := fields["i"].Int(); got != 1 {
		t.Errorf("i = %d", got)
	}
	if got := fields["big"].Int(); got != 9007199254740993 {
		t.Errorf("big = %d, want 9007199254740993 exactly", got)
	}
	if got := fields["r"].Float(); got != 1.5 {
		t.Errorf("r = %v", got)
	}
	if got := fields["s"].String(); got != "x" {
		t.Errorf("s = %q", got)
	}
	if got := fields["b"].Int(); got != 1 {
		t.Errorf("b = %d, want 1 (true)", got)
	}
	if got := fields["il"].IntList(); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("il = %v", got)
	}
	if got := fields["sl"].StringList(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("sl = %v", got)
	}
	if got := fields["rl"].FloatList(); !slices.Equal(got, []float64{1.5, 2}) {
		t.Errorf("rl = %v", got)
	}
	if n := fields["n"]; !n.IsNull() {
		t.Errorf("n: IsSet %v IsNull %v, want null", n.IsSet(), n.IsNull())
	}

	for _, tc := range []struct {
		name   string
		want   time.Time
		tzFlag int
	}{
		{"d", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), 0},
		{"dt", time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), 100},
		{"dtu", time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), 0},
		{"dto", time.Date(2020, 1, 2, 3, 4, 5, 250e6, time.FixedZone("", 7*3600)), 128},
	} {
		fld := fields[tc.name]
		got := fld.DateTime()
		if got == nil || !got.Equal(tc.want) || fld.TZFlag() != tc.tzFlag {
			t.Errorf("%s = %v (tz flag %d), want %v (tz flag %d)", tc.name, got, fld.TZFlag(), tc.want, tc.tzFlag)
		}
	}
	if _, off := fields["dto"].DateTime().Zone(); off != 7*3600 {
		t.Errorf("dto offset = %d s, want +07:00", off)
	}

	f2, err := layer.NextFeature()
	if err != nil || f2 == nil {
		t.Fatalf("second feature: %v, %v", f2, err)
	}
	defer f2.Close()
	if f2.Geometry() != nil {
		t.Error("null geometry: Geometry() != nil")
	}
	fields2 := f2.Fields()
	if s := fields2["s"]; !s.IsNull() {
		t.Error("explicit null string not reported null")
	}
	if r := fields2["r"]; r.IsSet() {
		t.Error("absent real reported set")
	}
	if f3, err := layer.NextFeature(); f3 != nil || err != nil {
		t.Errorf("after the last feature: %v, %v; want nil, nil", f3, err)
	}
}
