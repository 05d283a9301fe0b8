package harmonise

import (
	"math"
	"testing"
)

func TestTidy(t *testing.T) {
	for in, want := range map[string]string{
		" 20c ":                         "20c",
		"Agua  Rica":                    "Agua Rica",
		"a\t\tb":                        "a b",
		"first paragraph  \nsecond one": "first paragraph\nsecond one",
		"":                              "",
	} {
		if got := tidy(in); got != want {
			t.Errorf("tidy(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTextOf: the same number reads the same from GeoJSON (float64), from
// GDAL (int64) and from text.
func TestTextOf(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
		ok   bool
	}{
		{2629.0, "2629", true},
		{int64(2629), "2629", true},
		{"2629", "2629", true},
		{0.033, "0.033", true},
		{true, "true", true},
		{nil, "", false},
		{math.NaN(), "", false},
	} {
		got, ok := textOf(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("textOf(%#v) = %q, %v", c.in, got, ok)
		}
	}
}
