package tiles

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

func TestTileTooLargeErrorSaysHowToFix(t *testing.T) {
	for _, tc := range []struct {
		err  TileTooLargeError
		want string
	}{
		{
			// --max-tile-bytes 1: sizes under a KiB in bytes, not "0.0 KiB".
			TileTooLargeError{Z: 3, X: 6, Y: 3, Bytes: 200, Limit: 1, MinZoom: 0, MaxZoom: 8},
			"tile 3/6/3 (zoom 3) is 200 bytes compressed, over the 1 byte limit; lower --maxzoom to 2 or raise --max-tile-bytes to at least 200",
		},
		{
			TileTooLargeError{Z: 3, X: 6, Y: 3, Bytes: 831488, Limit: 512000, MinZoom: 0, MaxZoom: 8},
			"tile 3/6/3 (zoom 3) is 812.0 KiB compressed, over the 500.0 KiB limit; lower --maxzoom to 2 or raise --max-tile-bytes to at least 831488",
		},
		{
			TileTooLargeError{Z: 0, X: 0, Y: 0, Bytes: 600000, Limit: 512000, MinZoom: 0, MaxZoom: 8},
			"tile 0/0/0 (zoom 0) is 585.9 KiB compressed, over the 500.0 KiB limit; raise --minzoom above 0 or raise --max-tile-bytes to at least 600000",
		},
		{
			TileTooLargeError{Z: 5, X: 1, Y: 2, Bytes: 600000, Limit: 512000, MinZoom: 5, MaxZoom: 5},
			"tile 5/1/2 (zoom 5, the max zoom, which keeps every line and polygon) is 585.9 KiB compressed, over the 500.0 KiB limit; raise --maxzoom to 6, whose tiles cover a quarter of the ground, or raise --max-tile-bytes to at least 600000",
		},
		{
			TileTooLargeError{Z: 7, X: 1, Y: 2, Bytes: 600, Limit: 512000, MinZoom: 0, MaxZoom: 7, Features: 250000, FeatureLimit: 200000},
			"tile 7/1/2 (zoom 7, the max zoom, which keeps every line and polygon) holds 250000 features, over the limit of 200000; raise --maxzoom to 8, whose tiles cover a quarter of the ground, or raise --max-tile-features to at least 250000",
		},
		{
			TileTooLargeError{Z: 9, X: 400, Y: 230, Bytes: 600000, Limit: 512000, MinZoom: 0, MaxZoom: 12, ID: uint64(77)},
			"tile 9/400/230 (zoom 9) is 585.9 KiB compressed with feature 77 alone, over the 500.0 KiB limit; lower --maxzoom to 8 or raise --max-tile-bytes to at least 600000",
		},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// crowd is n random points with random labels around Manila.
func crowd(n int) []*geojson.Feature {
	r := rand.New(rand.NewPCG(1, 2))
	fs := make([]*geojson.Feature, n)
	for i := range fs {
		fs[i] = input(uint64(i), orb.Point{120 + r.Float64(), 14 + r.Float64()},
			geojson.Properties{"label": fmt.Sprintf("occurrence %x", r.Uint64()), "grade": r.Float64()})
	}
	return fs
}

func TestDenseInputIsThinnedWithinBudget(t *testing.T) {
	// 20,000 points with unique labels in one square degree: zoom 0-6 tiles
	// hold thousands each, far over a 16 KiB limit.
	const limit = 16 << 10
	features := crowd(20000)
	got, stats := cutAll(t, features, Options{MinZoom: 0, MaxZoom: 6, MaxTileBytes: limit})
	for tile, data := range got {
		if len(data) > limit {
			t.Errorf("tile %v is %d bytes, over the %d limit", tile, len(data), limit)
		}
	}
	counts := pointCounts(t, got)
	for z := 0; z <= 6; z++ {
		if counts[z] != len(features) {
			t.Errorf("zoom %d: point_count adds up to %d, want %d", z, counts[z], len(features))
		}
	}
	for _, zs := range stats.Zooms {
		if zs.Kept == 0 || zs.Merged == 0 || zs.Kept+zs.Merged != int64(len(features)) || zs.Dropped != 0 {
			t.Errorf("zoom %d: kept %d, merged %d, dropped %d; want all points kept or merged", zs.Zoom, zs.Kept, zs.Merged, zs.Dropped)
		}
	}
}

func TestFeatureLimitThinsPoints(t *testing.T) {
	got, stats := cutAll(t, crowd(5000), Options{MinZoom: 10, MaxZoom: 10, MaxTileFeatures: 300})
	for tile, data := range got {
		if n := len(decode(t, data).Features); n > 300 {
			t.Errorf("tile %v has %d features, over the limit of 300", tile, n)
		}
	}
	if counts := pointCounts(t, got); counts[10] != 5000 {
		t.Errorf("point_count adds up to %d at the max zoom, want 5000", counts[10])
	}
	if zs := stats.Zooms[0]; zs.Merged == 0 {
		t.Errorf("stats %+v: no point merged", zs)
	}
}

func TestLargestPolygonsKeptWhenTileIsOverBudget(t *testing.T) {
	// Squares of growing size scattered apart over one zoom-8 tile (wider
	// than a pixel there), each with a long label so that a few of them fill 4
	// KiB. Each is 2 % larger than the one before, more than Web Mercator's
	// stretch changes over their degree of latitude. Zoom 9, the max zoom,
	// keeps them all in four tiles.
	r := rand.New(rand.NewPCG(5, 6))
	var features []*geojson.Feature
	cells := r.Perm(200) // apart, on a grid of 20 × 10 cells
	for i := range 200 {
		lon, lat := 99.9+0.065*float64(cells[i]%20), 10+0.1*float64(cells[i]/20)
		d := 0.003 * math.Pow(1.01, float64(i))
		sq := orb.Polygon{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}
		features = append(features, input(uint64(i), sq, geojson.Properties{"label": fmt.Sprintf("%x%x", r.Uint64(), r.Uint64())}))
	}
	const limit = 4 << 10
	got, stats := cutAll(t, features, Options{MinZoom: 8, MaxZoom: 9, MaxTileBytes: limit})
	var ids []float64
	for tile, data := range got {
		if tile.Z != 8 {
			continue
		}
		if len(data) > limit {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
		for _, f := range decode(t, data).Features {
			ids = append(ids, f.ID.(float64))
		}
	}
	slices.Sort(ids)
	if len(ids) == 0 || len(ids) >= 200 {
		t.Fatalf("%d features kept, want some dropped", len(ids))
	}
	// The survivors are the largest: ids from some n up to 199.
	for k, id := range ids {
		if want := float64(200 - len(ids) + k); id != want {
			t.Fatalf("kept ids %v, want the %d largest (%v..199)", ids, len(ids), 200-len(ids))
		}
	}
	// The smallest go in the budget's merge step, which has no neighbour
	// to give them to; stats count them as merged.
	if zs := stats.Zooms[0]; zs.Dropped+zs.Merged != int64(200-len(ids)) || zs.DroppedArea+zs.MergedArea <= 0 {
		t.Errorf("stats %+v, want %d dropped or merged", zs, 200-len(ids))
	}
	if zs := stats.Zooms[1]; zs.Kept != 200 {
		t.Errorf("max zoom stats %+v, want all 200 kept", zs)
	}
}

func TestMaxZoomTileOverBudgetFailsRatherThanDropUnits(t *testing.T) {
	// The squares of TestLargestPolygonsKeptWhenTileIsOverBudget with zoom 4
	// as the max zoom, where every unit must be drawn: the tile is over the
	// limit, and the error says how to make it fit.
	r := rand.New(rand.NewPCG(5, 6))
	var features []*geojson.Feature
	for i := range 200 {
		lon, lat := 100+8*r.Float64(), 10+r.Float64()
		d := 0.003 * math.Pow(1.01, float64(i))
		sq := orb.Polygon{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}
		features = append(features, input(uint64(i), sq, geojson.Properties{"label": fmt.Sprintf("%x%x", r.Uint64(), r.Uint64())}))
	}
	_, err := Cut(context.Background(), features, Options{Layer: testLayer, MinZoom: 4, MaxZoom: 4, MaxTileBytes: 4 << 10},
		func(tileset.Tile) error { return nil })
	var tooLarge *TileTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Z != 4 {
		t.Fatalf("error %v, want a TileTooLargeError at the max zoom 4", err)
	}
	for _, want := range []string{"the max zoom, which keeps every line and polygon", "raise --maxzoom to 5", "raise --max-tile-bytes to at least"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestOneFeatureOverBudgetFails(t *testing.T) {
	// A line jittering by a few metres with a vertex every 10 cm: a
	// straight line once simplified at low zoom, too detailed at zoom 14,
	// where it is the only feature of its tiles.
	var ls orb.LineString
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 40000 {
		ls = append(ls, orb.Point{120 + float64(i)*1e-6, 14 + r.Float64()*5e-5})
	}
	puts := 0
	_, err := Cut(context.Background(), []*geojson.Feature{input(1, ls, nil)},
		Options{Layer: testLayer, MinZoom: 0, MaxZoom: 14, MaxTileBytes: 4 << 10}, func(tileset.Tile) error { puts++; return nil })
	var tooLarge *TileTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Z != 14 || tooLarge.ID != uint64(1) {
		t.Fatalf("error %v, want a TileTooLargeError at zoom 14 naming feature 1", err)
	}
	for _, want := range []string{"tile 14/", "with feature 1 alone", "raise --maxzoom to 15", "raise --max-tile-bytes to at least"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if puts == 0 {
		t.Error("no tile put before zoom 14")
	}
}

// pointCounts adds up point_count (1 when absent) per zoom over the points
// inside their tiles, not in a neighbour's buffer.
func pointCounts(t testing.TB, got map[maptile.Tile][]byte) map[int]int {
	t.Helper()
	counts := map[int]int{}
	for tile, data := range got {
		for _, f := range decode(t, data).Features {
			p, ok := f.Geometry.(orb.Point)
			if !ok || p[0] < 0 || p[1] < 0 || p[0] >= 4096 || p[1] >= 4096 {
				continue
			}
			n := 1
			if c, ok := f.Properties[PointCount]; ok {
				n = int(c.(float64))
			}
			counts[int(tile.Z)] += n
		}
	}
	return counts
}

func TestNormalInputStaysUnderBudget(t *testing.T) {
	got, stats := cutAll(t, crowd(2000), Options{MinZoom: 0, MaxZoom: 8})
	for tile, data := range got {
		if len(data) > DefaultMaxTileBytes {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
	}
	for _, zs := range stats.Zooms {
		if zs.MaxBytes > DefaultMaxTileBytes || zs.MaxBytes == 0 || zs.Bytes < zs.MaxBytes {
			t.Errorf("zoom %d stats %+v", zs.Zoom, zs)
		}
	}
	if counts := pointCounts(t, got); counts[0] != 2000 || counts[8] != 2000 {
		t.Errorf("point_count adds up to %d at zoom 0 and %d at zoom 8, want 2000", counts[0], counts[8])
	}
	if stats.Zooms[8].Kept != 2000 {
		t.Errorf("max zoom kept %d points, want all 2000", stats.Zooms[8].Kept)
	}
}

func TestMillionPointsInASmallAreaStayWithinBudget(t *testing.T) {
	// A million points with unique names in 0.01° (about a kilometre):
	// every tile down to zoom 14 holds far more than 200,000 points and
	// 500 KiB.
	n := 1_000_000
	if testing.Short() {
		n = 250_000
	}
	r := rand.New(rand.NewPCG(11, 12))
	commodities := []string{"Cu", "Au", "Sn", "W", "Pb", "Zn"}
	features := make([]*geojson.Feature, n)
	for i := range features {
		features[i] = input(uint64(i), orb.Point{101 + 0.01*r.Float64(), 15 + 0.01*r.Float64()}, geojson.Properties{
			"name":      fmt.Sprintf("prospect %d", i),
			"commodity": commodities[r.IntN(len(commodities))],
		})
	}
	const maxZoom = 14
	got, stats := cutAll(t, features, Options{MaxZoom: maxZoom, ClusterField: "commodity"})
	for tile, data := range got {
		if len(data) > DefaultMaxTileBytes {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
	}
	counts := pointCounts(t, got)
	for z := 0; z <= maxZoom; z++ {
		if counts[z] != n {
			t.Errorf("zoom %d: point_count adds up to %d, want %d", z, counts[z], n)
		}
	}
	zs := stats.Zooms[maxZoom]
	if zs.Kept+zs.Merged != int64(n) || zs.Merged == 0 || zs.Features > int64(DefaultMaxTileFeatures)*zs.Tiles {
		t.Errorf("max zoom stats %+v: want points merged to fit", zs)
	}
}

func TestPolygonOfAMillionVerticesStaysWithinBudget(t *testing.T) {
	// A lake shore: a ring of radius 0.5° whose million vertices wander
	// randomly by up to 20 m.
	n := 1_000_000
	if testing.Short() {
		n = 200_000
	}
	r := rand.New(rand.NewPCG(13, 14))
	ring := make(orb.Ring, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		rad := 0.5 + 0.0002*r.Float64()
		ring[i] = orb.Point{101 + rad*math.Cos(a), 15 + rad*math.Sin(a)}
	}
	ring[n] = ring[0]
	got, stats := cutAll(t, []*geojson.Feature{input(1, orb.Polygon{ring}, geojson.Properties{"name": "lake"})}, Options{MaxZoom: 14})
	for tile, data := range got {
		if len(data) > DefaultMaxTileBytes {
			t.Errorf("tile %v is %d bytes", tile, len(data))
		}
	}
	for _, zs := range stats.Zooms {
		if zs.Kept != 1 {
			t.Errorf("zoom %d: %+v, want the polygon kept", zs.Zoom, zs)
		}
	}
}
