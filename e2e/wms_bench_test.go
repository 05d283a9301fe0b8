//go:build cgo

package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// BenchmarkWMSGetMap draws the demo's Hamersley geology (61 units,
// harmonised as make demo ingests it) and its faults at 1024×768 over their
// whole extent, PNG, through the server's handler (no network): the
// issue's GetMap measurement. It reports the median wall time as p50-ms
// beside the mean, and the process's CPU time per map as cpu-ms/op, which
// a busy machine inflates less than wall time.
//
//	go test ./e2e/ -run '^$' -bench BenchmarkWMSGetMap -benchtime 50x
func BenchmarkWMSGetMap(b *testing.B) { benchWMSGetMap(b, nil) }

// BenchmarkWMSGetMapLabels is BenchmarkWMSGetMap with the server serving
// Debian's Noto fonts, so the map draws its units' labels: the difference
// is the labels' cost.
func BenchmarkWMSGetMapLabels(b *testing.B) {
	lib, err := glyphs.Open(glyphs.DefaultDirs...)
	if err != nil || !lib.Has("Noto Sans Regular") {
		b.Fatalf("fonts-noto-core is not installed (make deps-test): %v", err)
	}
	benchWMSGetMap(b, lib)
}

func benchWMSGetMap(b *testing.B, fonts *glyphs.Library) {
	h := wmsBenchServer(b, fonts)
	const q = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=gswa-geology,gswa-faults&STYLES=&CRS=CRS:84" +
		"&BBOX=117.15,-22.85,117.62,-22.41&WIDTH=1024&HEIGHT=768&FORMAT=image/png"
	get := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, q, nil))
		return w
	}
	if w := get(); w.Code != http.StatusOK || w.Body.Len() < 10000 {
		b.Fatalf("GetMap: %d, %d bytes: %s", w.Code, w.Body.Len(), w.Body.String())
	} else if out := os.Getenv("OUTCROP_WMS_BENCH_PNG"); out != "" {
		os.WriteFile(filepath.Clean(out), w.Body.Bytes(), 0o644)
	}
	times := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		get()
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine, where wall time counts the other processes' turns too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// wmsBenchServer is the server the WMS benchmarks draw from: the demo's
// GSWA geology and faults, ingested as make demo ingests them, served with
// fonts (nil: no labels). The store closes when the benchmark ends.
func wmsBenchServer(b *testing.B, fonts *glyphs.Library) http.Handler {
	b.Helper()
	dir := b.TempDir()
	for _, in := range []struct{ id, mapping, src string }{
		{"gswa-geology", "../data/mappings/gswa-geology.yaml", gswaGeology},
		{"gswa-faults", "../data/mappings/gswa-faults.yaml", gswaFaults},
	} {
		if _, err := ingest.Run(context.Background(), in.src, ingest.Options{Store: dir, ID: in.id, Mapping: in.mapping}); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return server.New(server.Config{Catalog: st, Logger: slog.New(slog.DiscardHandler), Fonts: fonts})
}
