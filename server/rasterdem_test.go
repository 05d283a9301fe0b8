package server

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// TestRasterDEMTileJSON: ?encoding= on a raster's TileJSON gives the
// variant MapLibre's raster-dem source reads: tiles of the band encoded as
// elevations, and encoding named as MapLibre names it (terrain-rgb is
// "mapbox"); its tile decodes to the stored value. A bad encoding, or one
// asked of a vector tileset, is a 400 naming encoding. The raster's terrain
// style points its raster-dem source at the Terrarium variant.
func TestRasterDEMTileJSON(t *testing.T) {
	h := rasterServer(t)
	for _, c := range []struct {
		param, maplibre string
		decode          func(r, g, b uint8) float64
	}{
		{"terrarium", "terrarium", func(r, g, b uint8) float64 { return float64(r)*256 + float64(g) + float64(b)/256 - 32768 }},
		{"terrain-rgb", "mapbox", func(r, g, b uint8) float64 {
			return -10000 + (float64(r)*65536+float64(g)*256+float64(b))*0.1
		}},
	} {
		var tj tileJSON
		decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/tiles/depth.json?encoding="+c.param)), &tj)
		// TileJSON names the current version's immutable URL, /tiles/depth@{version}/.
		if len(tj.Tiles) != 1 || !strings.Contains(tj.Tiles[0], "/tiles/depth@") || !strings.HasSuffix(tj.Tiles[0], "/{z}/{x}/{y}.png?encoding="+c.param) || tj.Encoding != c.maplibre || tj.TileSize != 4 {
			t.Fatalf("encoding=%s: tiles %q, encoding %q, tile_size %d; want the PNG tiles with encoding=%s, encoding %q", c.param, tj.Tiles, tj.Encoding, tj.TileSize, c.param, c.maplibre)
		}
		target := strings.NewReplacer("{z}", "1", "{x}", "1", "{y}", "1").Replace(tj.Tiles[0])
		target = target[strings.Index(target, "/tiles/"):]
		w := serve(h, httptestRequest(http.MethodGet, target))
		img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
		if w.Code != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %v", target, w.Code, err)
		}
		r, g, b, _ := img.At(0, 0).RGBA()
		if v := c.decode(uint8(r>>8), uint8(g>>8), uint8(b>>8)); v < -600.05 || v > -599.95 {
			t.Errorf("%s: pixel 0,0 decodes to %g, want -600", target, v)
		}
	}
	var plain tileJSON
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/tiles/depth.json")), &plain)
	if plain.Encoding != "" || strings.Contains(plain.Tiles[0], "encoding") {
		t.Errorf("the plain TileJSON declares an encoding: %+v", plain)
	}
	for target, param := range map[string]string{"/tiles/depth.json?encoding=png": "encoding=", "/tiles/geology.json?encoding=terrarium": "encoding=",
		"/tiles/depth.json?zfactor=1000": "zfactor=", "/tiles/depth.json?encoding=terrarium&zfactor=0": "zfactor="} {
		if w := serve(h, httptestRequest(http.MethodGet, target)); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), param) {
			t.Errorf("%s: %d %s, want 400 naming %s", target, w.Code, w.Body, param)
		}
	}
	var scaled tileJSON
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/tiles/depth.json?encoding=terrarium&zfactor=1000")), &scaled)
	if !strings.HasSuffix(scaled.Tiles[0], "?encoding=terrarium&zfactor=1000") {
		t.Errorf("zfactor is not passed on to the tiles: %s", scaled.Tiles[0])
	}
	var style struct {
		Sources map[string]struct {
			Type, URL, Encoding string
		}
	}
	w := serve(h, httptestRequest(http.MethodGet, "/styles/depth.terrain.json"))
	if err := json.Unmarshal(w.Body.Bytes(), &style); w.Code != http.StatusOK || err != nil {
		t.Fatalf("/styles/depth.terrain.json: %d %v", w.Code, err)
	}
	if dem := style.Sources["depth-dem"]; dem.Type != "raster-dem" || !strings.HasSuffix(dem.URL, "/tiles/depth.json?encoding=terrarium") || dem.Encoding != "terrarium" {
		t.Errorf("terrain style's raster-dem source %+v", dem)
	}
}
