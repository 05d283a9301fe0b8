package tiles

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// benchmarkCut cuts features b.N times and reports throughput in features,
// input vertices and tiles per second.
func benchmarkCut(b *testing.B, features []*geojson.Feature, opts Options) {
	opts.Layer = testLayer
	vertices := 0
	for _, f := range features {
		vertices += VertexCount(f.Geometry)
	}
	var tiles, bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		stats, err := Cut(context.Background(), features, opts, func(tileset.Tile) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		for _, zs := range stats.Zooms {
			tiles += zs.Tiles
			bytes += zs.Bytes
		}
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(len(features)*b.N)/secs, "features/s")
	b.ReportMetric(float64(vertices*b.N)/secs, "vertices/s")
	b.ReportMetric(float64(tiles)/secs, "tiles/s")
	b.ReportMetric(float64(bytes)/float64(b.N), "tile-bytes/op")
}

// northernThailand is the extent of synth's maps.
var northernThailand = orb.Bound{Min: orb.Point{97.5, 15}, Max: orb.Point{102.5, 20.5}}

// BenchmarkCutSyntheticCoverage cuts a synthetic geological map of 5,000
// units (about a million vertices, a tenth of the scale of bench/tiles.sh)
// at zooms 0-12.
func BenchmarkCutSyntheticCoverage(b *testing.B) {
	benchmarkCut(b, syntheticCoverage(b, 5000, 0, northernThailand), Options{MinZoom: 0, MaxZoom: 12})
}

// BenchmarkCutSyntheticPoints cuts 50,000 synthetic occurrences, counted
// per commodity, at zooms 0-12.
func BenchmarkCutSyntheticPoints(b *testing.B) {
	benchmarkCut(b, syntheticOccurrences(b, 50_000, northernThailand), Options{MinZoom: 0, MaxZoom: 12, ClusterField: "commodity"})
}

// BenchmarkCutBorders cuts the ASEAN borders (12 countries at 1:10M, 45 000
// vertices) at zooms 0-8.
func BenchmarkCutBorders(b *testing.B) {
	benchmarkCut(b, loadBorders(b), Options{MinZoom: 0, MaxZoom: 8})
}

// BenchmarkCutPoints cuts 100 000 random occurrence points over Southeast
// Asia, with three attributes each, at zooms 0-10.
func BenchmarkCutPoints(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	kinds := []string{"occurrence", "prospect", "deposit"}
	features := make([]*geojson.Feature, 100_000)
	for i := range features {
		features[i] = input(uint64(i), orb.Point{92 + 48*r.Float64(), -10 + 35*r.Float64()}, geojson.Properties{
			"name":  fmt.Sprintf("occurrence %d", i),
			"kind":  kinds[r.IntN(len(kinds))],
			"grade": float64(r.IntN(1000)) / 100,
		})
	}
	benchmarkCut(b, features, Options{MinZoom: 0, MaxZoom: 10})
}

// BenchmarkAutoMaxZoomBorders measures the spacing survey on the borders.
func BenchmarkAutoMaxZoomBorders(b *testing.B) {
	features := loadBorders(b)
	b.ResetTimer()
	for range b.N {
		AutoMaxZoom(features)
	}
	b.ReportMetric(float64(len(features)*b.N)/b.Elapsed().Seconds(), "features/s")
}
