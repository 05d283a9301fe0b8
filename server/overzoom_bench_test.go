package server

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/outcrop/outcrop/overzoom"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/synth"
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

// BenchmarkOverzoomDense measures overzoomed tiles of a dense geological
// map through the whole handler, with the server's own cache budgets:
// descendants one to four zooms below every max-zoom tile, as many at each
// depth (up to 1,000), in a fixed shuffled order. The map is a 3,000-unit
// synthetic one (synth.Geology) cut to zoom 7, or, with
// OUTCROP_BENCH_OVERZOOM_STORE=DIR, the geology.tileset in DIR (make
// bench-fleet's 50,000-unit map cut to zoom 9, 226 MB). Cases: "native",
// the stored max-zoom tiles; "cut", every ancestor requested once before
// timing and the cut tiles not cached (a client's first pan over a warm
// server); "cold", no ancestor cache either (every request decodes its
// ancestor); "cached", the cut tiles served from their cache. tiles/s is
// the figure to compare.
//
//	go test ./server/ -run '^$' -bench BenchmarkOverzoomDense -benchtime 2000x
func BenchmarkOverzoomDense(b *testing.B) {
	dir := os.Getenv("OUTCROP_BENCH_OVERZOOM_STORE")
	id := "geology"
	if dir == "" {
		dir = b.TempDir()
		denseSynthTileset(b, dir, id, 7)
	}
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	ts, err := tileset.Open(filepath.Join(dir, id+tileset.Ext))
	if err != nil {
		b.Fatal(err)
	}
	maxZoom := ts.Metadata().MaxZoom
	var native []string
	var ancestors [][2]int
	err = ts.ForEach(func(z, x, y int, _ []byte) error {
		if z == maxZoom {
			ancestors = append(ancestors, [2]int{x, y})
			native = append(native, "/tiles/"+id+"/"+itoa(z)+"/"+itoa(x)+"/"+itoa(y)+".mvt")
		}
		return nil
	})
	ts.Close()
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var paths, warm []string
	for depth := 1; depth <= 4; depth++ {
		var all []string
		for _, a := range ancestors {
			for dy := 0; dy < 1<<depth; dy++ {
				for dx := 0; dx < 1<<depth; dx++ {
					all = append(all, "/tiles/"+id+"/"+itoa(maxZoom+depth)+"/"+itoa(a[0]<<depth+dx)+"/"+itoa(a[1]<<depth+dy)+".mvt")
				}
			}
		}
		rnd.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		paths = append(paths, all[:min(len(all), 1000)]...)
	}
	rnd.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	for _, a := range ancestors {
		warm = append(warm, "/tiles/"+id+"/"+itoa(maxZoom+1)+"/"+itoa(a[0]<<1)+"/"+itoa(a[1]<<1)+".mvt")
	}
	b.Logf("%d max-zoom tiles at zoom %d; %d overzoomed paths", len(native), maxZoom, len(paths))
	for _, bc := range []struct {
		name                     string
		paths, warm              []string
		ancestorBytes, tileBytes int
	}{
		{"native", native, nil, overzoomAncestorBytes, overzoomTileBytes},
		{"cut", paths, warm, overzoomAncestorBytes, 0},
		{"cold", paths, nil, 0, 0},
		{"cached", paths, paths, overzoomAncestorBytes, overzoomTileBytes},
	} {
		s := newServer(Config{Catalog: st, MaxOverzoom: maxZoom + 4})
		s.overzoom.ancestors = newLRU[overzoomKey, *overzoom.Tile](bc.ancestorBytes)
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
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					r := httptestRequest(http.MethodGet, bc.paths[int(next.Add(1)-1)%len(bc.paths)], "Accept-Encoding", "gzip")
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

// denseSynthTileset writes tileset id to dir: a 3,000-unit synthetic
// geological map (synth.Geology, in UTM metres, placed on a degree box of
// its size) cut to maxZoom alone.
func denseSynthTileset(b *testing.B, dir, id string, maxZoom int) {
	seq, err := synth.Geology(synth.GeologyOptions{Units: 3000, VerticesPerEdge: 16, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	var features []*geojson.Feature
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for f := range seq {
		features = append(features, f)
		bound = bound.Union(f.Geometry.Bound())
	}
	degrees := func(p orb.Point) orb.Point {
		return orb.Point{98 + (p[0]-bound.Min[0])/111e3, 15 + (p[1]-bound.Min[1])/111e3}
	}
	for _, f := range features {
		f.Geometry = project.Geometry(f.Geometry, degrees)
	}
	var cut []tileset.Tile
	if _, err := tiles.Cut(context.Background(), features, tiles.Options{Layer: id, MinZoom: maxZoom, MaxZoom: maxZoom},
		func(t tileset.Tile) error { cut = append(cut, t); return nil }); err != nil {
		b.Fatal(err)
	}
	lo, hi := degrees(bound.Min), degrees(bound.Max)
	commit(b, dir, id, cut, &tileset.Metadata{Title: "Synthetic geology", Layer: id, GeometryType: "polygon",
		Bounds: [4]float64{lo[0], lo[1], hi[0], hi[1]}, MinZoom: maxZoom, MaxZoom: maxZoom})
}
