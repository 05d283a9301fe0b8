package tiles

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

func TestTileTooLargeErrorSaysHowToFix(t *testing.T) {
	for _, tc := range []struct {
		err  TileTooLargeError
		want string
	}{
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
			"tile 5/1/2 (zoom 5) is 585.9 KiB compressed, over the 500.0 KiB limit; raise --max-tile-bytes to at least 600000",
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

func TestDenseInputOverBudgetFailsNamingTheZoom(t *testing.T) {
	puts := 0
	_, err := Cut(context.Background(), crowd(20000), Options{Layer: testLayer, MinZoom: 0, MaxZoom: 6, MaxTileBytes: 64 << 10},
		func(tile tileset.Tile) error {
			puts++
			if len(tile.Data) > 64<<10 {
				t.Errorf("tile %d/%d/%d of %d bytes was put", tile.Z, tile.X, tile.Y, len(tile.Data))
			}
			return nil
		})
	var tooLarge *TileTooLargeError
	if !errors.As(err, &tooLarge) {
		t.Fatalf("error %v, want a TileTooLargeError", err)
	}
	if tooLarge.Z != 0 || tooLarge.Bytes <= 64<<10 || !strings.Contains(err.Error(), "tile 0/") || !strings.Contains(err.Error(), "--minzoom") {
		t.Errorf("error %q, want zoom 0 named with a fix", err)
	}
	if puts != 0 {
		t.Errorf("%d tiles put before the failure at zoom 0", puts)
	}
}

func TestDetailOverBudgetAtHigherZoomSuggestsLowerMaxzoom(t *testing.T) {
	// A line jittering by a few metres with a vertex every 10 cm: a
	// straight line once simplified at low zoom, too detailed at zoom 14.
	var ls orb.LineString
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 40000 {
		ls = append(ls, orb.Point{120 + float64(i)*1e-6, 14 + r.Float64()*5e-5})
	}
	_, err := Cut(context.Background(), []*geojson.Feature{input(1, ls, nil)},
		Options{Layer: testLayer, MinZoom: 0, MaxZoom: 14, MaxTileBytes: 4 << 10}, func(tileset.Tile) error { return nil })
	var tooLarge *TileTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Z != 14 {
		t.Fatalf("error %v, want a TileTooLargeError at zoom 14", err)
	}
	if want := "tile 14/"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the tile", err)
	}
	if want := "lower --maxzoom to 13"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
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
	if stats.Zooms[0].Features != 2000 {
		t.Errorf("zoom 0 encoded %d features, want all 2000", stats.Zooms[0].Features)
	}
}
