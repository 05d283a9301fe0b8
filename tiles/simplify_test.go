package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestZoomGeometryScalesAndSimplifies(t *testing.T) {
	// A line in world units with a wiggle of 0.3 pixels at scale 4096 and a
	// bend of 100 pixels.
	const scale = 4096
	ls := orb.LineString{{0.1, 0.1}, {0.11, 0.1 + 0.3/scale}, {0.12, 0.1}, {0.13, 0.1 + 100.0/scale}}
	before := ls.Clone()
	got, ok := zoomGeometry(ls, scale, 1).(orb.LineString)
	if !orb.Equal(ls, before) {
		t.Fatal("input changed")
	}
	if !ok || len(got) != 3 {
		t.Fatalf("got %v, want the wiggle gone and the bend kept", got)
	}
	if math.Abs(got[0][0]-409.6) > 1e-9 || math.Abs(got[2][1]-509.6) > 1e-9 {
		t.Errorf("not scaled to world pixels: %v", got)
	}
	if kept := zoomGeometry(ls, scale, 0).(orb.LineString); len(kept) != 4 {
		t.Errorf("tolerance 0 simplified to %v", kept)
	}
}
