package ingest

import (
	"strings"
	"testing"
)

func TestParseScale(t *testing.T) {
	for in, want := range map[string]int{
		"1:250000": 250_000, "1:250 000": 250_000, "1:1,000,000": 1_000_000, " 1:100000 ": 100_000,
	} {
		if got, err := ParseScale(in); err != nil || got != want {
			t.Errorf("ParseScale(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"250000x", "250000", "1:", "1:0", "1:-5", "1:250k", "1/250000", ""} {
		_, err := ParseScale(in)
		if err == nil || !strings.Contains(err.Error(), "1:N") || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseScale(%q): error %v, want one line giving the form 1:N", in, err)
		}
	}
}
