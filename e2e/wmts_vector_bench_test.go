//go:build cgo

package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// BenchmarkWMTSVectorTiles draws every WMTS tile of zoom 13 over the
// demo's Hamersley geology (61 units, harmonised as make demo ingests it)
// in the age style, PNG, through the server's handler with a fresh tile
// cache each round, so that every tile is drawn: a client's first view of
// the map. It reports the CPU time per tile as cpu-ms/tile, which a busy
// machine inflates less than wall time.
//
//	go test ./e2e/ -run '^$' -bench BenchmarkWMTSVectorTiles -benchtime 3x
func BenchmarkWMTSVectorTiles(b *testing.B) {
	dir := b.TempDir()
	if _, err := ingest.Run(context.Background(), gswaGeology, ingest.Options{Store: dir, ID: "gswa-geology", Mapping: "../data/mappings/gswa-geology.yaml"}); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const z = 13
	lo, hi := maptile.At(orb.Point{117.15, -22.41}, z), maptile.At(orb.Point{117.62, -22.85}, z)
	var paths []string
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			paths = append(paths, "/wmts/1.0.0/gswa-geology/geology-age/WebMercatorQuad/"+strconv.Itoa(z)+"/"+strconv.Itoa(int(y))+"/"+strconv.Itoa(int(x))+".png")
		}
	}
	cpu0 := cpuTime()
	for b.Loop() {
		h := server.New(server.Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
		for _, p := range paths {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", p, w.Code, w.Body)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N*len(paths)), "cpu-ms/tile")
	b.ReportMetric(float64(len(paths)), "tiles")
}
