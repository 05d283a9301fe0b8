package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestDropShortLinesLeavesOutLinesUnderAPixel(t *testing.T) {
	mls := orb.MultiLineString{{{0, 0}, {3, 4}}, {{10, 10}, {10, 14}}, {{20, 20}, {28, 20}}}
	got, ok := dropShortLines(mls, 5).(orb.MultiLineString)
	if !ok || len(got) != 2 || got[0][1] != (orb.Point{3, 4}) || got[1][1] != (orb.Point{28, 20}) {
		t.Errorf("got %v, want the lines of length 5 and 8", got)
	}
	if g := dropShortLines(orb.LineString{{0, 0}, {1, 1}}, 5); g != nil {
		t.Errorf("got %v, want nothing", g)
	}
}

func TestThresholdIsAPixelBelowTheMaxZoomAndNoneAtIt(t *testing.T) {
	s, err := Options{Layer: "x", MaxZoom: 10}.settings()
	if err != nil {
		t.Fatal(err)
	}
	l := &layer{s: s}
	// A pixel at zoom 3 is 1/512 of a tile 1/8 of the world wide.
	if got, want := l.threshold(3), 1.0/(512*8*512*8); got != want {
		t.Errorf("zoom 3 threshold %g, want %g", got, want)
	}
	if got := l.threshold(10); got != 0 {
		t.Errorf("max zoom threshold %g, want 0: every feature drawn", got)
	}
}
