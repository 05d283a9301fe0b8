package tileset

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// benchPoints is the size of the benchmarks' collection, issue 4's scale.
const benchPoints = 1_000_000

var bench1M struct {
	once sync.Once
	dir  string
	err  error
}

// TestMain removes the benchmarks' shared collection, which is built once
// per run, in a directory of its own.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench1M.dir != "" {
		os.RemoveAll(bench1M.dir)
	}
	os.Exit(code)
}

// points1M returns a Reader of a tileset of benchPoints random points over
// [100, 120] × [-10, 10] (Southeast Asia), with the properties of a mineral
// occurrence, written by PutFeatures in ingest-sized batches.
func points1M(b *testing.B) *Reader {
	b.Helper()
	bench1M.once.Do(func() {
		bench1M.dir, bench1M.err = os.MkdirTemp("", "outcrop-features-bench-")
		if bench1M.err != nil {
			return
		}
		rng := rand.New(rand.NewPCG(1, 1))
		w, err := Create(bench1M.dir, "points")
		if err != nil {
			bench1M.err = err
			return
		}
		batch := make([]*geojson.Feature, 0, 10000)
		for i := range benchPoints {
			f := geojson.NewFeature(orb.Point{100 + 20*rng.Float64(), -10 + 20*rng.Float64()})
			f.ID = uint64(i + 1)
			f.Properties = geojson.Properties{
				"name":      fmt.Sprintf("Occurrence %d", i+1),
				"commodity": []string{"Cu", "Au", "Sn", "Ni"}[i%4],
				"grade_pct": float64(i%1000) / 100,
				"year":      int64(1900 + i%120),
			}
			if batch = append(batch, f); len(batch) == cap(batch) || i == benchPoints-1 {
				if bench1M.err = w.PutFeatures(batch); bench1M.err != nil {
					w.Abort()
					return
				}
				batch = batch[:0]
			}
		}
		bench1M.err = w.Commit(&Metadata{Title: "points", Layer: "points", GeometryType: "point"})
	})
	if bench1M.err != nil {
		b.Fatal(bench1M.err)
	}
	r, err := Open(tilesetPath(bench1M.dir, "points"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	return r
}

// reportLatency adds the p50 and p99 of per-query times to the results.
func reportLatency(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkFeaturesBBox queries boxes holding about 100 of the million
// points (0.2° × 0.2° of 20° × 20°), all of them returned and counted.
func BenchmarkFeaturesBBox(b *testing.B) {
	r := points1M(b)
	rng := rand.New(rand.NewPCG(2, 2))
	var times []time.Duration
	returned, bytes := 0, 0
	fn := func(f RawFeature) error { returned++; bytes += len(f.JSON); return nil }
	b.ReportAllocs()
	for b.Loop() {
		x, y := 100+19.8*rng.Float64(), -10+19.8*rng.Float64()
		box := bound(x, y, x+0.2, y+0.2)
		start := time.Now()
		if _, err := r.Features(FeatureQuery{BBox: &box, Limit: 1000}, fn); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.ReportMetric(float64(returned)/float64(b.N), "features/op")
	reportLatency(b, times)
}

// BenchmarkFeaturesPage reads the whole collection in pages of 10,000, as a
// client following next links does; one op is the whole collection.
func BenchmarkFeaturesPage(b *testing.B) {
	r := points1M(b)
	const limit = 10000
	var times []time.Duration
	total := 0
	fn := func(f RawFeature) error { total++; return nil }
	b.ReportAllocs()
	for b.Loop() {
		for offset := 0; ; offset += limit {
			start := time.Now()
			matched, err := r.Features(FeatureQuery{Offset: offset, Limit: limit}, fn)
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
			if int64(offset+limit) >= matched {
				break
			}
		}
	}
	if total != b.N*benchPoints {
		b.Fatalf("read %d features in %d passes, want %d each", total, b.N, benchPoints)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "features/s")
	reportLatency(b, times)
}

// BenchmarkFeaturesFilter counts a filter over the whole collection, which
// reads every feature's properties: the slowest kind of query, here always
// the first of its kind (the match cache is emptied).
func BenchmarkFeaturesFilter(b *testing.B) {
	r := points1M(b)
	b.ReportAllocs()
	for b.Loop() {
		resetMatchCache()
		matched, err := r.Features(FeatureQuery{Filters: map[string]string{"commodity": "Sn"}, Limit: 10}, func(RawFeature) error { return nil })
		if err != nil || matched != benchPoints/4 {
			b.Fatal(matched, err)
		}
	}
}

// BenchmarkFeaturesDatetime counts a datetime span over the whole
// collection, the years 1960 to 1989 of its integer year field (a quarter),
// from an empty match cache: beside BenchmarkFeaturesFilter, the cost of
// reading a time rather than comparing text.
func BenchmarkFeaturesDatetime(b *testing.B) {
	r := points1M(b)
	r.meta.Time = &Temporal{Field: "year"}
	span := &Interval{Start: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(1989, 12, 31, 23, 59, 59, 0, time.UTC)}
	want := int64(0) // feature i has the year 1900 + i%120
	for i := range benchPoints {
		if y := 1900 + i%120; y >= 1960 && y <= 1989 {
			want++
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		resetMatchCache()
		matched, err := r.Features(FeatureQuery{Datetime: span, Limit: 10}, func(RawFeature) error { return nil })
		if err != nil || matched != want {
			b.Fatal(matched, err)
		}
	}
}

// BenchmarkFeaturesBBoxPage reads a box holding a quarter of the collection
// in pages of 10,000, as QGIS does with its view's extent; one op is the
// whole box, from an empty match cache.
func BenchmarkFeaturesBBoxPage(b *testing.B) {
	r := points1M(b)
	const limit = 10000
	box := bound(100, -10, 110, 0)
	var times []time.Duration
	total := 0
	fn := func(f RawFeature) error { total++; return nil }
	b.ReportAllocs()
	for b.Loop() {
		resetMatchCache()
		for offset := 0; ; offset += limit {
			start := time.Now()
			matched, err := r.Features(FeatureQuery{BBox: &box, Offset: offset, Limit: limit}, fn)
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
			if int64(offset+limit) >= matched {
				break
			}
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "features/s")
	reportLatency(b, times)
}
