package qa

import (
	"strings"
	"testing"
)

// TestPrint checks the summary outcrop compile prints: per border, each
// class's length and share, then the gaps, overlaps, dangling lines and line ends snapped, in columns.
func TestPrint(t *testing.T) {
	var b strings.Builder
	sampleReport().Print(&b)
	want := `border LAO–THA        10.0 km
  match               6.00 km  60.0 %
  compatible          0.00 km  0.0 %
  age_mismatch        2.50 km  25.0 %
  lithology_mismatch  0.00 km  0.0 %
  both_mismatch       0.00 km  0.0 %
  gap                 1.50 km  15.0 %
  gaps                1        1.250 km²
  overlaps            2        0.500 km²
  dangling lines      1
  line ends snapped   2
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
