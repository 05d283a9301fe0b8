package tiles

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tiles/validity"
)

// invalidFeatures decodes every tile and counts, per zoom, the polygon
// features validity.Check finds invalid, with a few examples.
func invalidFeatures(t testing.TB, got map[maptile.Tile][]byte) (invalid, checked map[int]int, examples []string) {
	t.Helper()
	invalid, checked = map[int]int{}, map[int]int{}
	for tile, data := range got {
		for _, f := range decode(t, data).Features {
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
			default:
				continue
			}
			checked[int(tile.Z)]++
			if err := validity.Check(f.Geometry); err != nil {
				invalid[int(tile.Z)]++
				if len(examples) < 5 {
					examples = append(examples, fmt.Sprintf("tile %d/%d/%d feature %v: %v", tile.Z, tile.X, tile.Y, f.ID, err))
				}
			}
		}
	}
	return invalid, checked, examples
}

// checkValid fails the test for every zoom with an invalid polygon.
func checkValid(t *testing.T, got map[maptile.Tile][]byte, minZoom, maxZoom int) {
	t.Helper()
	invalid, checked, examples := invalidFeatures(t, got)
	var report []string
	total := 0
	for z := minZoom; z <= maxZoom; z++ {
		total += checked[z]
		if invalid[z] > 0 {
			report = append(report, fmt.Sprintf("zoom %d: %d of %d polygon features invalid", z, invalid[z], checked[z]))
		}
	}
	if total == 0 {
		t.Fatal("no polygon features in the tiles")
	}
	if len(report) > 0 {
		t.Errorf("invalid polygons:\n%s\ne.g.\n%s", strings.Join(report, "\n"), strings.Join(examples, "\n"))
	}
}

// repoBorders reads the repository's ASEAN borders with ids 1..n.
func repoBorders(t testing.TB) []*geojson.Feature {
	t.Helper()
	b, err := os.ReadFile("../data/borders/asean-borders-10m.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fc.Features {
		f.ID = uint64(i + 1)
	}
	return fc.Features
}

// TestBordersTilesAreValid cuts the ASEAN borders, countries whose coasts
// leave and re-enter tiles and whose islands crowd at low zooms, and checks
// every polygon of every tile.
func TestBordersTilesAreValid(t *testing.T) {
	got, _ := cutAll(t, repoBorders(t), Options{MinZoom: 0, MaxZoom: 8})
	checkValid(t, got, 0, 8)
}

// TestSyntheticCoverageTilesAreValid cuts a synthetic geological map at
// zooms 0-12 and checks every polygon of every tile.
func TestSyntheticCoverageTilesAreValid(t *testing.T) {
	box := orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{100.6, 14.6}}
	got, _ := cutAll(t, syntheticCoverage(t, 300, 40, box), Options{MinZoom: 0, MaxZoom: 12})
	checkValid(t, got, 0, 12)
}
