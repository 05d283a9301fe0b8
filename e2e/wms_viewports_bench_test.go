//go:build cgo

package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkWMSGetMapViewports draws the 48 viewports of bench/wms.sh's
// "many" scenario in turn, each a 1024×768 PNG of the data
// BenchmarkWMSGetMap draws: windows of the extent's shape at 3 scales (the
// whole extent, 1/2 and 1/4 of its width), each at 16 centres on a 4×4
// grid over it, so that panned maps hold part of it. It reports the median
// wall time as p50-ms and the process's CPU time per map as cpu-ms/op.
//
//	go test ./e2e/ -run '^$' -bench BenchmarkWMSGetMapViewports -benchtime 96x
func BenchmarkWMSGetMapViewports(b *testing.B) {
	h := wmsBenchServer(b, nil)
	const x0, y0, x1, y1 = 117.15, -22.85, 117.62, -22.41
	var urls []string
	for _, scale := range []float64{1, 2, 4} {
		w, hh := (x1-x0)/scale, (y1-y0)/scale
		for j := range 4 {
			for i := range 4 {
				cx, cy := x0+(float64(i)+0.5)*(x1-x0)/4, y0+(float64(j)+0.5)*(y1-y0)/4
				urls = append(urls, fmt.Sprintf("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=gswa-geology,gswa-faults&STYLES=&CRS=CRS:84"+
					"&WIDTH=1024&HEIGHT=768&FORMAT=image/png&BBOX=%.6f,%.6f,%.6f,%.6f", cx-w/2, cy-hh/2, cx+w/2, cy+hh/2))
			}
		}
	}
	get := func(i int) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, urls[i%len(urls)], nil))
		if w.Code != http.StatusOK || w.Body.Len() < 1000 {
			b.Fatalf("GetMap %s: %d, %d bytes: %s", urls[i%len(urls)], w.Code, w.Body.Len(), w.Body.String())
		}
	}
	for i := range urls {
		get(i)
	}
	times := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		get(i)
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
