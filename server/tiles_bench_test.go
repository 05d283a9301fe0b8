package server

import (
	"net/http"
	"testing"
)

// discardWriter is the cheapest ResponseWriter: it keeps the header map
// (cleared per request) and drops the body, so a benchmark measures the
// server rather than a recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// BenchmarkTileHandler measures the tile route through the whole handler
// (CORS, router, metrics, store, tileset read, headers) from parallel
// clients. Socket and HTTP parsing costs are not included; `make bench`
// measures those beside nginx.
func BenchmarkTileHandler(b *testing.B) {
	f := newFixture(b, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	for _, bc := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"gzip", http.Header{"Accept-Encoding": {"gzip, deflate, br"}}, http.StatusOK},
		{"not-modified", http.Header{"Accept-Encoding": {"gzip, deflate, br"}, "If-None-Match": {f.get(b, path, "Accept-Encoding", "gzip").Header().Get("ETag")}}, http.StatusNotModified},
		{"identity", http.Header{}, http.StatusOK},
		{"versioned", http.Header{"Accept-Encoding": {"gzip, deflate, br"}}, http.StatusOK},
	} {
		path := path
		if bc.name == "versioned" {
			path = tilePath(geologyID+versionSep+f.geology.Version, graniteTile(geologyMax), "mvt")
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				r := httptestRequest(http.MethodGet, path)
				r.Header = bc.header
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					w.status = 0
					f.handler.ServeHTTP(w, r)
					if w.status != bc.want {
						b.Fatalf("status %d, want %d", w.status, bc.want)
					}
				}
			})
		})
	}
}
