package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"
)

// TestEstimateTiles: for rectangles, the estimate is the exact count of the
// tiles they cover (tilecover's), summed over zooms; overlapping features
// count no more than the bounds of them all.
func TestEstimateTiles(t *testing.T) {
	var feats []*geojson.Feature
	for i := range 20 {
		x, y := 100+float64(i)*0.3, 10+float64(i%4)*0.2
		feats = append(feats, geojson.NewFeature(orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 0.05, y + 0.05}}.ToPolygon()))
	}
	want := 0.0
	for z := 0; z <= 14; z++ {
		seen := maptile.Set{}
		for _, f := range feats {
			tc, err := tilecover.Geometry(f.Geometry, maptile.Zoom(z))
			if err != nil {
				t.Fatal(err)
			}
			for tile := range tc {
				seen[tile] = true
			}
		}
		want += float64(len(seen))
	}
	got := EstimateTiles(feats, 0, 14)
	if got < want || got > want*1.05 {
		t.Errorf("estimate %.0f tiles, tilecover counts %.0f", got, want)
	}
	if deep := EstimateTiles(feats, 0, 22); deep < DefaultMaxTiles {
		t.Errorf("20 squares of 0.05° to zoom 22: estimate %.0f, want over DefaultMaxTiles", deep)
	}
	same := []*geojson.Feature{feats[0], feats[0], feats[0]}
	if got, one := EstimateTiles(same, 0, 10), EstimateTiles(feats[:1], 0, 10); got != one {
		t.Errorf("one square thrice: %.0f tiles, once: %.0f", got, one)
	}
	world := []*geojson.Feature{geojson.NewFeature(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}.ToPolygon())}
	if got, want := EstimateTiles(world, 0, 3), 1.0+4+16+64; math.Abs(got-want) > 0 {
		t.Errorf("the world to zoom 3: %.0f tiles, want %.0f", got, want)
	}
}
