package render

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestThinStrokeJoins checks a thin line's joins: a mitre (one outline
// vertex a side) at a turn whose mitre reaches little past the bevel, a
// bevel (two) at a sharper one, and the mitre's tip within
// maxMitreOverBevel of the bevel.
func TestThinStrokeJoins(t *testing.T) {
	const h = 0.5
	for _, c := range []struct {
		turn float64 // degrees
		n    int     // outline vertices
	}{{5, 6}, {30, 6}, {45, 6}, {60, 8}, {90, 8}, {150, 8}} {
		a := c.turn * math.Pi / 180
		p := []orb.Point{{0, 0}, {10, 0}, {10 + 10*math.Cos(a), 10 * math.Sin(a)}}
		out := strokeOutline(nil, p, h, false)
		if len(out) != c.n {
			t.Errorf("turn of %v°: %d outline vertices, want %d", c.turn, len(out), c.n)
			continue
		}
		if c.n == 6 {
			// the outer mitre's tip, past the bevel chord's middle
			tip := out[1]
			if tip[1] > 0 {
				tip = out[4]
			}
			mid := orb.Point{10 + h*(math.Sin(a)-0)/2, -h * (1 + math.Cos(a)) / 2}
			if d := math.Hypot(tip[0]-10, tip[1]) - math.Hypot(mid[0]-10, mid[1]); d < 0 || d > maxMitreOverBevel+1e-9 {
				t.Errorf("turn of %v°: mitre %v reaches %.3f px past the bevel", c.turn, out, d)
			}
		}
	}
}
