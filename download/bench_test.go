package download

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

var benchFields = []tileset.Field{
	{Name: "name", Type: "string"}, {Name: "commodity", Type: "string"}, {Name: "rank", Type: "integer"},
	{Name: "grade", Type: "real"}, {Name: "active", Type: "boolean"}, {Name: "found", Type: "date"},
}

// benchFeatures are n stored features like a survey's occurrences: a point,
// a name, a commodity list, numbers and a date.
func benchFeatures(b *testing.B, n int) [][]byte {
	b.Helper()
	out := make([][]byte, n)
	for i := range out {
		f := geojson.NewFeature(orb.Point{100 + float64(i%1000)/100, float64(i/1000) / 100})
		f.ID = i + 1
		f.Properties = geojson.Properties{
			"name": fmt.Sprintf("Occurrence %d (Phu Thap Fah)", i+1), "commodity": "Au, Cu, Mo", "rank": i % 5,
			"grade": float64(i%997) / 7, "active": i%3 == 0, "found": fmt.Sprintf("19%02d-01-01", i%100),
		}
		raw, err := f.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

// writeBenchInput writes the features as a GeoJSON file, for the peer
// (ogr2ogr in bench/downloads.sh) to convert the same features.
func writeBenchInput(b *testing.B, path string, layer Layer, features [][]byte) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := NewGeoJSON(f, layer)
	for _, raw := range features {
		if err := w.Write(raw); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWrite writes 100000 features in each format to a discarding
// output and reports the time per feature and the largest heap seen while
// writing (sampled every 1000 features), which stays flat however many
// features there are. bench/downloads.sh runs it beside ogr2ogr; with
// BENCH_DOWNLOAD_GEOJSON set it writes the features there as GeoJSON.
//
//	go test ./download -run - -bench Write -benchtime 1x
func BenchmarkWrite(b *testing.B) {
	const n = 100000
	features := benchFeatures(b, n)
	layer := Layer{Name: "occurrences", Fields: benchFields}
	if path := os.Getenv("BENCH_DOWNLOAD_GEOJSON"); path != "" {
		writeBenchInput(b, path, layer, features)
	}
	for _, f := range Formats {
		b.Run(f.Name, func(b *testing.B) {
			var peak uint64
			var ms runtime.MemStats
			cpu0 := cpuTime(b)
			for range b.N {
				runtime.GC()
				w, err := New(f, io.Discard, layer, os.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				for i, raw := range features {
					if err := w.Write(raw); err != nil {
						b.Fatal(err)
					}
					if i%1000 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/feature")
			// The CPU time tells more than the wall time on a shared machine.
			b.ReportMetric(float64((cpuTime(b)-cpu0).Nanoseconds())/float64(b.N*n), "cpu-ns/feature")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
