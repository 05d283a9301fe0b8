package download

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"
)

// TestUniqueName: names are cut to the byte limit at a character boundary,
// and a name taken already (in any case) gets a numeric suffix within it.
func TestUniqueName(t *testing.T) {
	taken := map[string]bool{}
	for _, tc := range []struct{ in, want string }{
		{"commodity_primary", "commodity_"},
		{"commodity_secondary", "commodit_1"},
		{"Commodity_tertiary", "Commodit_2"},
		{"name", "name"},
		{"NAME", "NAME_1"},
		{"élémentsmajeurs", "éléments"}, // 10 bytes: é is two
		{"éléments_traces", "élémen_1"},
		{"aéééééé", "aéééé"}, // 9 bytes: the fifth é would end at byte 11
	} {
		got := uniqueName(tc.in, taken, 10)
		if got != tc.want || len(got) > 10 || !utf8.ValidString(got) {
			t.Errorf("uniqueName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatNamed(t *testing.T) {
	for _, f := range Formats {
		if got, ok := FormatNamed(f.Name); !ok || got != f {
			t.Errorf("FormatNamed(%q) = %+v, %v", f.Name, got, ok)
		}
	}
	if _, ok := FormatNamed("kml"); ok {
		t.Error("FormatNamed(kml) found a format")
	}
}

// TestShapefileTooBig: a shapefile that would pass the format's size limit
// is refused with ErrTooBig before anything is written.
func TestShapefileTooBig(t *testing.T) {
	defer func(n int64) { shpMaxBytes = n }(shpMaxBytes)
	shpMaxBytes = 160 // the header (100 bytes) and two points (28 each)
	var buf bytes.Buffer
	w, err := NewShapefile(&buf, testLayer(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	point := testFeatures(t)[0]
	for i := range 3 {
		err = w.Write(point)
		if i < 2 && err != nil {
			t.Fatalf("point %d: %v", i+1, err)
		}
	}
	if !errors.Is(err, ErrTooBig) || buf.Len() != 0 {
		t.Errorf("the third point: %v, %d bytes out; want ErrTooBig and none", err, buf.Len())
	}
}

// TestStreaming: GeoJSON and CSV reach the output as features are written,
// not at Close, so a large download is never whole in memory; GeoPackage
// and Shapefile send nothing before Close (they build in temporary files),
// so a failure while reading can still be answered with an error.
func TestStreaming(t *testing.T) {
	for _, f := range Formats {
		var out bytes.Buffer
		w, err := New(f, &out, testLayer(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2000 {
			point := fmt.Sprintf(`{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[100.5,%d]},"properties":{"name":"%s"}}`, i+1, i%90, thaiName)
			if err := w.Write([]byte(point)); err != nil {
				t.Fatal(err)
			}
		}
		sent := out.Len()
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		streams := f == GeoJSON || f == CSV
		switch {
		case streams && sent < out.Len()/2:
			t.Errorf("%s: %d of %d bytes sent before Close; want most of them", f.Name, sent, out.Len())
		case !streams && sent != 0:
			t.Errorf("%s: %d bytes sent before Close; want none", f.Name, sent)
		}
	}
}
