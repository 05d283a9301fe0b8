package server

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// BenchmarkOverzoom compares overzoomed tiles with stored ones, through the
// whole handler, on Natural Earth's ASEAN borders cut to zoom 6 (the
// repository's data/borders): every stored zoom-6 tile in turn ("native");
// every zoom-10 tile below them in turn, each cut from its decoded zoom-6
// tile with the cut tiles not cached ("cut", what a client's first pan
// costs); and the zoom-8 tiles again and again, served from the cut-tile
// cache ("cached"). tiles/s is the figure to compare.
func BenchmarkOverzoom(b *testing.B) {
	const maxZoom = 6
	data, err := os.ReadFile(filepath.Join("..", "data", "borders", "asean-borders-10m.geojson"))
	if err != nil {
		b.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		b.Fatal(err)
	}
	for i, f := range fc.Features {
		f.ID = i + 1
	}
	var native []tileset.Tile
	if _, err := tiles.Cut(context.Background(), fc.Features, tiles.Options{Layer: "borders", MinZoom: maxZoom, MaxZoom: maxZoom},
		func(t tileset.Tile) error { native = append(native, t); return nil }); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	commit(b, dir, "borders", native, &tileset.Metadata{Title: "Borders", Layer: "borders", GeometryType: "polygon",
		Bounds: [4]float64{90, -12, 142, 29}, MinZoom: maxZoom, MaxZoom: maxZoom})
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })

	paths := func(depth int) []string {
		var out []string
		for _, t := range native {
			for dy := 0; dy < 1<<depth; dy++ {
				for dx := 0; dx < 1<<depth; dx++ {
					out = append(out, "/tiles/borders/"+itoa(t.Z+depth)+"/"+itoa(t.X<<depth+dx)+"/"+itoa(t.Y<<depth+dy)+".mvt")
				}
			}
		}
		return out
	}
	var firstChildren []string // one zoom-7 tile below each zoom-6 one
	for _, t := range native {
		firstChildren = append(firstChildren, "/tiles/borders/"+itoa(t.Z+1)+"/"+itoa(t.X<<1)+"/"+itoa(t.Y<<1)+".mvt")
	}
	for _, bc := range []struct {
		name      string
		paths     []string
		warm      []string // requested before timing
		tileBytes int
	}{
		{"native", paths(0), nil, overzoomTileBytes},
		{"cut", paths(4), firstChildren, 0}, // the zoom-6 tiles decoded; zoom 10 cut per request
		{"cached", paths(2), paths(2), overzoomTileBytes},
	} {
		s := newServer(Config{Catalog: st, MaxOverzoom: maxZoom + 4})
		s.overzoom.tiles = newLRU[overzoomKey, []byte](bc.tileBytes)
		h := withCORS(s.tileDispatch(s.routes()))
		for _, p := range bc.warm {
			if w := serve(h, httptestRequest(http.MethodGet, p, "Accept-Encoding", "gzip")); w.Code != http.StatusOK && w.Code != http.StatusNoContent {
				b.Fatalf("%s: %d", p, w.Code)
			}
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				i := 0
				for pb.Next() {
					r := httptestRequest(http.MethodGet, bc.paths[i%len(bc.paths)], "Accept-Encoding", "gzip")
					i++
					clear(w.h)
					w.status = 0
					h.ServeHTTP(w, r)
					if w.status != http.StatusOK && w.status != http.StatusNoContent {
						b.Fatalf("status %d", w.status)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tiles/s")
		})
	}
}
