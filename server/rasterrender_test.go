package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The surface fixtures: demTiles×demTiles data tiles of 256 pixels at zoom
// demZoom, the north-west one at demX, demY (near 11° N).
const (
	demZoom, demX, demY, demTiles     = 9, 400, 240, 4
	demSize                       int = 256
)

// demRowRes is the ground size in metres of a pixel of row y (counted over
// the whole world) at zoom z: the Web Mercator pixel × cos(latitude).
func demRowRes(z, y int) float64 {
	py := (float64(y) + 0.5) / float64(demSize<<z)
	return 2 * math.Pi * 6378137 / float64(demSize<<z) * math.Cos(math.Atan(math.Sinh(math.Pi*(1-2*py))))
}

// surfaceServer serves the store holding "dem", the surface height(i, j)
// (metres, at pixel column i and row j counted from the fixture's
// north-west corner) cut into the fixture's data tiles, as ingest stores
// them; it returns the server itself too, for its caches and gate.
func surfaceServer(tb testing.TB, height func(i, j int) float64) (*server, http.Handler) {
	tb.Helper()
	dir := tb.TempDir()
	var tiles []tileset.Tile
	var all []float32
	for ty := range demTiles {
		for tx := range demTiles {
			t := raster.NewTile(demSize, 1)
			for j := range demSize {
				for i := range demSize {
					t.Data[j*demSize+i] = float32(height(tx*demSize+i, ty*demSize+j))
				}
			}
			all = append(all, t.Data...)
			tiles = append(tiles, tileset.Tile{Z: demZoom, X: demX + tx, Y: demY + ty, Data: raster.Encode(t)})
		}
	}
	commit(tb, dir, "dem", tiles, &tileset.Metadata{
		Title: "Surface", Kind: tileset.KindRaster, MinZoom: demZoom, MaxZoom: demZoom, Bounds: [4]float64{101, 5, 104, 11},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: demSize, Resampling: "bilinear",
			Bands: []tileset.Band{{Name: "elevation", Units: "m", DataType: "Float32", Stats: raster.Compute(all)}}},
	})
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	s := newServer(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	return s, s.tileDispatch(s.routes())
}

// hills is a surface of hills and valleys a few hundred metres high with a
// metre of roughness, like a DEM of uplands.
func hills(i, j int) float64 {
	x, y := float64(i), float64(j)
	noise := float64(uint32(i*73856093^j*19349663)%1000)/500 - 1
	return 800 + 600*math.Sin(x/37)*math.Cos(y/53) + 200*math.Sin(x/11+y/17) + noise
}

// plane20 is a plane dropping 20° towards the north-west: the ground size
// of each row's pixels is taken into account, so that it is a plane in
// metres.
func plane20(i, j int) float64 {
	g := math.Tan(20 * math.Pi / 180)
	az := 315 * math.Pi / 180
	res := demRowRes(demZoom, demY*demSize+j)
	return 100000 - g*math.Sin(az)*float64(i)*res + g*math.Cos(az)*float64(j)*res
}

// grey reads a grey tile's pixels.
type grey struct{ image.Image }

func (g grey) at(i, j int) uint8 {
	r, _, _, _ := g.At(i, j).RGBA()
	return uint8(r >> 8)
}

// TestHillshadeSeamless: a plane lit by a sun it faces askew shades alike
// everywhere, so every pixel of every tile drawn from the inner data tiles,
// at the data's zoom and two deeper, edges included, shades as the middle
// of the fixture does: the edge pixels read the neighbouring data tiles.
// Only the fixture's own outer edge, which has no neighbour, is the
// documented flat edge.
func TestHillshadeSeamless(t *testing.T) {
	_, h := surfaceServer(t, plane20)
	shade := func(z, x, y int) grey {
		t.Helper()
		w := serve(h, httptestRequest(http.MethodGet, fmt.Sprintf("/tiles/dem/%d/%d/%d.png?hillshade=grey", z, x, y)))
		img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
		if w.Code != http.StatusOK || err != nil {
			t.Fatalf("%d/%d/%d: %d %v %s", z, x, y, w.Code, err, w.Body)
		}
		return grey{img}
	}
	want := shade(demZoom, demX+1, demY+1).at(128, 128)
	if want < 200 || want > 250 {
		t.Fatalf("the plane's shade is %d; the fixture is not the plane it should be", want)
	}
	for d := range 3 {
		z, n := demZoom+d, 1<<d
		// The tiles within the inner data tiles (1 and 2 of 0-3), whose
		// every edge has a neighbour.
		for y := (demY + 1) * n; y < (demY+3)*n; y++ {
			for x := (demX + 1) * n; x < (demX+3)*n; x++ {
				img := shade(z, x, y)
				for j := range demSize {
					for i := range demSize {
						if i != 0 && j != 0 && i != demSize-1 && j != demSize-1 {
							continue
						}
						if c := img.at(i, j); c < want-1 || c > want+1 {
							t.Fatalf("zoom %d tile %d/%d pixel %d,%d shades %d, the plane %d: a seam", z, x, y, i, j, c, want)
						}
					}
				}
			}
		}
	}
	// The fixture's west edge has no neighbour: a flat edge.
	if c := shade(demZoom, demX, demY+1).at(0, 100); c >= want-1 && c <= want+1 {
		t.Errorf("the outer edge shades %d like the plane; expected the documented flat edge", c)
	}
}

// BenchmarkRasterTile measures a rendered tile through the whole handler
// (router, store, data tiles decoded, drawn, PNG encoded), for the hilly
// surface: uncached (the render cache emptied before each request, so each
// is drawn), cold (the decoded data tiles emptied too) or with the data
// tiles decoded, through a ramp, with a hillshade blended into it, and the
// hillshade alone; and a cached tile. Sockets and HTTP parsing are not
// included; bench/raster-serve.sh measures those. cpu-ms/op is the CPU time
// of the process per tile, which, unlike ns/op, a busy machine leaves alone.
func BenchmarkRasterTile(b *testing.B) {
	s, h := surfaceServer(b, hills)
	for _, bc := range []struct {
		name, query string
		// cached: the tile is in the render cache; decoded: the data tiles
		// are in the cache of decoded tiles (as when a client pans and
		// neighbours are drawn one after another).
		cached, decoded bool
	}{
		{"cold/ramp", "colormap=terrain", false, false},
		{"cold/blend", "colormap=terrain&hillshade=blend", false, false},
		{"decoded/ramp", "colormap=terrain", false, true},
		{"decoded/blend", "colormap=terrain&hillshade=blend", false, true},
		{"decoded/grey", "hillshade=grey", false, true},
		{"cached/blend", "colormap=terrain&hillshade=blend", true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			w := &discardWriter{h: http.Header{}}
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				x, y := demX+1+i%2, demY+1+(i/2)%2
				i++
				if !bc.cached {
					s.rendered = newLRU[renderKey, []byte](renderCacheBytes)
				}
				if !bc.decoded {
					s.dataTiles = newLRU[dataKey, *raster.Tile](decodedCacheBytes)
				}
				clear(w.h)
				w.status = 0
				h.ServeHTTP(w, httptestRequest(http.MethodGet, fmt.Sprintf("/tiles/dem/%d/%d/%d.png?%s", demZoom, x, y, bc.query)))
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's CPU time so far (user and system), in ns: per
// operation it does not grow with what else the machine runs, as the wall
// time does.
func cpuTime() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}

// TestRenderParamsUnknownOrRepeated: a rendered tile's query takes the
// rendering parameters only, each once: a misspelt one or a repeated one is
// a 400 naming it, on the XYZ and OGC API routes. WMTS GetTile passes the
// rendering parameters on, their names in any case, and ignores other
// vendor parameters, as WMTS servers do.
func TestRenderParamsUnknownOrRepeated(t *testing.T) {
	h := wmtsServer(t)
	for _, c := range []struct{ target, names string }{
		{"/tiles/depth/1/1/1.png?hilshade=grey", "hilshade="},
		{"/tiles/depth/1/1/1.png?colormap=viridis&colormap=rdbu", "colormap="},
		{"/collections/depth/map/tiles/WebMercatorQuad/1/1/1?colourmap=rdbu", "colourmap="},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		if e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue"); !bytes.Contains([]byte(e.Description), []byte(c.names)) {
			t.Errorf("%s: %q does not name %s", c.target, e.Description, c.names)
		}
	}
	const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=depth&STYLE=rdbu&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1"
	want := serve(h, httptestRequest(http.MethodGet, "/tiles/depth/1/1/1.png?colormap=rdbu&rescale=-500,-100"))
	for _, target := range []string{kvp + "&RESCALE=-500,-100&vendorthing=1", "/wmts/1.0.0/depth/rdbu/WebMercatorQuad/1/1/1.png?rescale=-500,-100&_=123"} {
		w := serve(h, httptestRequest(http.MethodGet, target))
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), want.Body.Bytes()) {
			t.Errorf("%s: %d, or not the XYZ tile with rescale=-500,-100", target, w.Code)
		}
	}
}

// TestRasterRenderBurst: a map client's burst of hillshaded tiles, more at
// once than the heavy gate admits, is drawn whole: renders wait briefly for
// a place rather than being refused (MapLibre leaves a refused tile blank).
func TestRasterRenderBurst(t *testing.T) {
	s, h := surfaceServer(t, hills)
	s.heavy = newHeavyGate(2)
	// Longer than the server's wait, so that a slow machine (the race
	// detector draws a tile in a tenth of a second) does not make the
	// burst outlast it.
	s.renderWait = time.Minute
	codes := make(chan int)
	const n = 8
	for i := range n {
		go func() {
			target := fmt.Sprintf("/tiles/dem/%d/%d/%d.png?hillshade=blend", demZoom, demX+i%demTiles, demY+i/demTiles)
			codes <- serve(h, httptestRequest(http.MethodGet, target)).Code
		}()
	}
	for range n {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("a tile of the burst: %d, want 200", c)
		}
	}
}

// TestOpenAPIRenderParameters: the API document lists every rendering
// parameter on both routes that take them, and encoding on TileJSON.
func TestOpenAPIRenderParameters(t *testing.T) {
	var doc openAPI
	if err := json.Unmarshal(serve(wmtsServer(t), httptestRequest(http.MethodGet, "/api?f=json")).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]string{
		"/tiles/{collectionId}/{z}/{x}/{y}.png":                                                    renderParamNames,
		"/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": renderParamNames,
		"/tiles/{collectionId}.json":                                                               {"encoding"},
	} {
		op := doc.Paths[path].Get
		if op == nil {
			t.Fatalf("no path %s", path)
		}
		var got []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				got = append(got, p.Name)
			}
		}
		slices.Sort(got)
		if w := slices.Sorted(slices.Values(want)); !slices.Equal(got, w) {
			t.Errorf("%s lists query parameters %q, want %q", path, got, w)
		}
	}
}
