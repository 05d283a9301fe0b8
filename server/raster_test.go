package server

import (
	"bytes"
	"image/color"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// rasterServer serves a store holding the raster tileset "depth": one 4×4
// data tile at 1/1/1 (the max zoom) whose top row is -600, 0, nodata, -300.
func rasterServer(t *testing.T) http.Handler {
	t.Helper()
	dir := t.TempDir()
	tile := raster.NewTile(4, 1)
	tile.Data[0], tile.Data[1], tile.Data[3] = -600, 0, -300
	stats := raster.Compute(tile.Data)
	commit(t, dir, "depth", []tileset.Tile{{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)}}, &tileset.Metadata{
		Title: "Slab depth", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 1, Bounds: [4]float64{0, -85, 180, 0},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 4, Resampling: "nearest",
			Bands: []tileset.Band{{Name: "z", Units: "km", DataType: "Float32", Stats: stats}}},
	})
	writeGeology(t, dir, "Hamersley geology")
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
}

func TestRasterTilePNG(t *testing.T) {
	h := rasterServer(t)
	w := serve(h, httptestRequest(http.MethodGet, "/tiles/depth/1/1/1.png?colormap=rdbu&rescale=-600,0"))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	ramp := raster.RampByName("rdbu")
	at := func(x, y int) [4]uint32 {
		r, g, b, a := img.At(x, y).RGBA()
		return [4]uint32{r >> 8, g >> 8, b >> 8, a >> 8}
	}
	lo, hi := ramp.Colour(0), ramp.Colour(1)
	if at(0, 0) != [4]uint32{uint32(lo.R), uint32(lo.G), uint32(lo.B), 255} || at(1, 0) != [4]uint32{uint32(hi.R), uint32(hi.G), uint32(hi.B), 255} {
		t.Errorf("pixels %v %v, want the ramp's ends %v %v", at(0, 0), at(1, 0), lo, hi)
	}
	if at(2, 0)[3] != 0 {
		t.Errorf("nodata pixel %v is not transparent", at(2, 0))
	}
	// One zoom deeper is drawn from the max-zoom tile: its north-west
	// quarter, each value a 2×2 block.
	w = serve(h, httptestRequest(http.MethodGet, "/tiles/depth/2/2/2.png?rescale=-600,0"))
	img, err = png.Decode(bytes.NewReader(w.Body.Bytes()))
	if err != nil || at(0, 0) != at(1, 1) || at(2, 0) == at(0, 0) {
		t.Errorf("overzoomed tile: %v, pixels %v %v %v", err, at(0, 0), at(1, 1), at(2, 0))
	}
	if w := serve(h, httptestRequest(http.MethodGet, "/tiles/depth/1/0/0.png")); w.Code != http.StatusNoContent {
		t.Errorf("a tile without data: status %d, want 204", w.Code)
	}
}

func TestRasterBadParameters(t *testing.T) {
	h := rasterServer(t)
	for _, c := range []struct{ target, names string }{
		{"/tiles/depth/1/1/1.png?colormap=jet", "colormap="},
		{"/tiles/depth/1/1/1.png?rescale=5", "rescale="},
		{"/tiles/depth/1/1/1.png?rescale=1,1", "rescale="},
		{"/tiles/depth/1/1/1.png?band=2", "band="},
		{"/tiles/depth/1/1/1.png?colormap=0:ff0000", "colormap="},
		{"/tiles/depth/1/1/1.png?colormap=0:ff0000,-1:00ff00", "colormap="},
		{"/tiles/depth/1/1/1.png?colormap=0:ff0000,1:00ff00&rescale=0,1", "rescale="},
		{"/tiles/depth/1/1/1.png?stretch=p5-95", "stretch="},
		{"/tiles/depth/1/1/1.png?stretch=minmax&rescale=0,1", "rescale="},
		{"/tiles/depth/1/1/1.png?hillshade=yes", "hillshade="},
		{"/tiles/depth/1/1/1.png?azimuth=90", "azimuth="},
		{"/tiles/depth/1/1/1.png?hillshade=grey&azimuth=400", "azimuth="},
		{"/tiles/depth/1/1/1.png?hillshade=grey&altitude=-5", "altitude="},
		{"/tiles/depth/1/1/1.png?hillshade=grey&zfactor=0", "zfactor="},
		{"/tiles/depth/1/1/1.png?hillshade=grey&multidirectional=1", "multidirectional="},
		{"/tiles/depth/1/1/1.png?encoding=mapbox", "encoding="},
		{"/tiles/depth/1/1/1.png?encoding=terrarium&colormap=viridis", "encoding="},
		{"/tiles/depth/1/1/1.png?encoding=terrarium&zfactor=0", "zfactor="},
		{"/tiles/depth/1/1/1.png?encoding=terrarium&azimuth=90", "azimuth="},
		{"/tiles/depth/1/1/1.png?zfactor=1000", "zfactor="},
		{"/collections/depth/value?lon=200&lat=0", "lon="},
		{"/collections/depth/value?lon=10", "lat="},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		if e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue"); !bytes.Contains([]byte(e.Description), []byte(c.names)) {
			t.Errorf("%s: %q does not name %s", c.target, e.Description, c.names)
		}
	}
	if w := serve(h, httptestRequest(http.MethodGet, "/tiles/depth/1/1/1.mvt")); w.Code != http.StatusNotFound {
		t.Errorf("a raster as MVT: status %d, want 404", w.Code)
	}
	if w := serve(h, httptestRequest(http.MethodGet, "/tiles/geology/1/1/1.png")); w.Code != http.StatusNotFound {
		t.Errorf("a vector tileset as PNG: status %d, want 404", w.Code)
	}
}

func TestRasterValue(t *testing.T) {
	h := rasterServer(t)
	// The centre of pixel (0, 0) of tile 1/1/1, 8 pixels to the world.
	lat := math.Atan(math.Sinh(math.Pi*(1-2*4.5/8))) * 180 / math.Pi
	value := func(lon, lat float64) (int, valueDoc) {
		w := serve(h, httptestRequest(http.MethodGet, "/collections/depth/value?lon="+strconv.FormatFloat(lon, 'f', -1, 64)+"&lat="+strconv.FormatFloat(lat, 'f', -1, 64)))
		var d valueDoc
		if w.Code == http.StatusOK {
			decodeJSON(t, w, &d)
		}
		return w.Code, d
	}
	code, d := value(22.5, lat)
	if code != http.StatusOK || len(d.Values) != 1 || d.Values[0].Value == nil || *d.Values[0].Value != -600 || d.Values[0].Units != "km" {
		t.Errorf("value at a data pixel: %d %+v", code, d)
	}
	if code, d := value(22.5+2*45, lat); code != http.StatusOK || d.Values[0].Value != nil {
		t.Errorf("value at nodata: %d %+v, want null", code, d)
	}
	if code, _ := value(-90, 40); code != http.StatusNotFound {
		t.Errorf("value outside the data: %d, want 404", code)
	}
	var c struct {
		Bands []tileset.Band `json:"bands"`
	}
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/depth?f=json")), &c)
	if len(c.Bands) != 1 || c.Bands[0].Stats == nil || c.Bands[0].Stats.Min != -600 {
		t.Errorf("collection bands %+v", c.Bands)
	}
}

// tilePixels fetches a raster tile and returns its pixels as NRGBA.
func tilePixels(t *testing.T, h http.Handler, target string) func(x, y int) [4]uint8 {
	t.Helper()
	w := serve(h, httptestRequest(http.MethodGet, target))
	if w.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", target, w.Code, w.Body)
	}
	img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return func(x, y int) [4]uint8 {
		c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
		return [4]uint8{c.R, c.G, c.B, c.A}
	}
}

func TestRasterRenderOptions(t *testing.T) {
	h := rasterServer(t)
	// Terrarium and Terrain-RGB decode to the stored values.
	at := tilePixels(t, h, "/tiles/depth/1/1/1.png?encoding=terrarium")
	for x, want := range map[int]float64{0: -600, 1: 0, 3: -300} {
		p := at(x, 0)
		if got := float64(p[0])*256 + float64(p[1]) + float64(p[2])/256 - 32768; got != want || p[3] != 255 {
			t.Errorf("terrarium pixel %d decodes as %v alpha %d, want %v", x, got, p[3], want)
		}
	}
	if p := at(2, 0); p[3] != 0 {
		t.Errorf("terrarium nodata %v is not transparent", p)
	}
	// zfactor scales what the encoding writes: km to metres, or depths of
	// hundreds of km down into Terrarium's range.
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?encoding=terrarium&zfactor=0.05")
	if p := at(0, 0); float64(p[0])*256+float64(p[1])+float64(p[2])/256-32768 != -30 {
		t.Errorf("terrarium zfactor=0.05 pixel %v does not decode as -30", p)
	}
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?encoding=terrain-rgb")
	if p := at(0, 0); -10000+float64(int(p[0])<<16|int(p[1])<<8|int(p[2]))*0.1 != -600 {
		t.Errorf("terrain-rgb pixel %v does not decode as -600", p)
	}
	// A custom ramp of values colours each value exactly.
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?colormap=-600:0000ff,-300:ffffff,0:ff0000")
	if at(0, 0) != [4]uint8{0, 0, 255, 255} || at(3, 0) != [4]uint8{255, 255, 255, 255} || at(1, 0) != [4]uint8{255, 0, 0, 255} {
		t.Errorf("custom ramp pixels %v %v %v", at(0, 0), at(3, 0), at(1, 0))
	}
	// minmax spreads -600…0 over the ramp; histeq puts the middle value
	// (-300, one of three) at about a third.
	v := raster.RampByName("viridis")
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?stretch=minmax")
	if c := v.Colour(0.5); at(3, 0) != [4]uint8{c.R, c.G, c.B, 255} {
		t.Errorf("minmax: -300 is %v, want the ramp's middle %v", at(3, 0), c)
	}
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?stretch=histeq")
	eq := raster.Equalise(raster.Compute([]float32{-600, 0, -300}))
	if c := v.Colour(eq.At(-300)); at(3, 0) != [4]uint8{c.R, c.G, c.B, 255} || eq.At(-300) > 0.5 {
		t.Errorf("histeq: -300 is %v, want %v (at %v)", at(3, 0), c, eq.At(-300))
	}
	// Hillshade: pixel 3 has only nodata and the tile's edge around it, so
	// it is flat ground, lit by sin(altitude); pixel 0 rises to the east
	// (-600 to 0), so faces a sun in the west.
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?hillshade=grey&altitude=30&azimuth=270&zfactor=1000")
	if at(3, 0) != [4]uint8{128, 128, 128, 255} || at(0, 0)[0] <= 128 || at(0, 0)[3] != 255 {
		t.Errorf("hillshade pixels %v %v; want flat 128 and brighter", at(3, 0), at(0, 0))
	}
	if at(2, 0)[3] != 0 {
		t.Error("hillshade: nodata is not transparent")
	}
	at = tilePixels(t, h, "/tiles/depth/1/1/1.png?hillshade=blend&multidirectional=true&colormap=terrain")
	if at(0, 0)[3] != 255 {
		t.Errorf("blend pixel %v", at(0, 0))
	}
}
