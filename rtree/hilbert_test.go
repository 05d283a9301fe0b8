package rtree

import (
	"math"
	"testing"
)

// TestHilbertIsACurve checks the two properties the ordering relies on over
// the 256 × 256 cells at the origin: the first 65536 distances number them
// exactly once each, and consecutive distances are neighbouring cells.
func TestHilbertIsACurve(t *testing.T) {
	const side = 256
	var at [side * side][2]int
	var seen [side * side]bool
	for x := range side {
		for y := range side {
			d := hilbert(uint32(x), uint32(y))
			if d >= side*side || seen[d] {
				t.Fatalf("hilbert(%d, %d) = %d: outside the first %d or repeated", x, y, d, side*side)
			}
			seen[d] = true
			at[d] = [2]int{x, y}
		}
	}
	for d := 1; d < side*side; d++ {
		a, b := at[d-1], at[d]
		if dx, dy := a[0]-b[0], a[1]-b[1]; dx*dx+dy*dy != 1 {
			t.Fatalf("distances %d and %d are cells %v and %v, not neighbours", d-1, d, a, b)
		}
	}
}

func TestHilbertCorners(t *testing.T) {
	// The full curve runs from (0, 0) to (65535, 0) and its last distance
	// is the last of 2^32.
	if d := hilbert(0, 0); d != 0 {
		t.Errorf("hilbert(0, 0) = %d, want 0", d)
	}
	if d := hilbert(hilbertMax, 0); d != math.MaxUint32 {
		t.Errorf("hilbert(%d, 0) = %d, want %d", hilbertMax, d, uint32(math.MaxUint32))
	}
}

func TestCell(t *testing.T) {
	for _, c := range []struct {
		v, lo, width float64
		want         uint32
	}{
		{0, 0, 10, 0},
		{10, 0, 10, hilbertMax},
		{5, 0, 10, hilbertMax / 2},
		{3, 3, 0, 0},                     // zero width: every centre on one line
		{math.Inf(1), 0, math.Inf(1), 0}, // NaN ratio
		{11, 0, 10, hilbertMax},          // rounding past the extent
		{-1, 0, 10, 0},                   // rounding before it
		{math.MaxFloat64, -math.MaxFloat64, math.Inf(1), 0}, // infinite width
	} {
		if got := cell(c.v, c.lo, c.width); got != c.want {
			t.Errorf("cell(%g, %g, %g) = %d, want %d", c.v, c.lo, c.width, got, c.want)
		}
	}
}
