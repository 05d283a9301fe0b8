package server

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// webpTile is a lossless WebP tile (76 bytes, written by GDAL's WEBP
// driver through ingest's gdal.EncodeRGBA): its west half {200 30 40},
// its south-east quarter white, its north-east quarter transparent.
const webpTile = "\x52\x49\x46\x46\x44\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x4c\x37\x00\x00\x00\x2f\xff\xc0\x3f\x10\x17\x20\x10\x48\x32\xd9\x9f\x72\x0d\x81\x40\x92\xbf\xd9\x54\x0b\x04\x92\x74\xf6\x07\x7c\xfe\x03\xfe\x15\x18\x64\x1b\xe9\x24\x5f\xf2\x4d\x47\xd0\x88\xfe\x4f\xc0\xe7\xcb\xf9\x0f\xf8\x2e\xe7\x3f\xc0\x03\x00"

// colourServer serves a store holding two colour tilesets of one tile at
// 1/1/1 (the max zoom), its west half {200 30 40} and the rest white:
// "scan", PNG, whose north-east quarter is transparent, and "scanjpg",
// JPEG, opaque; and "scanwebp", the WebP webpTile.
func colourServer(t *testing.T) (http.Handler, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	stored := map[string][]byte{}
	for _, c := range []struct{ id, enc string }{{"scan", raster.ColourPNG}, {"scanjpg", raster.ColourJPEG}, {"scanwebp", raster.ColourWebP}} {
		img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
		for y := range 256 {
			for x := range 256 {
				switch {
				case x < 128:
					img.SetNRGBA(x, y, color.NRGBA{200, 30, 40, 255})
				case y >= 128 || c.enc == raster.ColourJPEG:
					img.SetNRGBA(x, y, color.NRGBA{255, 255, 255, 255})
				}
			}
		}
		b := []byte(webpTile)
		if c.enc != raster.ColourWebP {
			var err error
			if b, err = raster.EncodeColour(img, c.enc); err != nil {
				t.Fatal(err)
			}
		}
		stored[c.id] = b
		var bands []tileset.Band
		for _, n := range []string{"red", "green", "blue", "alpha"} {
			bands = append(bands, tileset.Band{Name: n, DataType: "Byte"})
		}
		commit(t, dir, c.id, []tileset.Tile{{Z: 1, X: 1, Y: 1, Data: b}}, &tileset.Metadata{
			Title: "Scan", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 1, Bounds: [4]float64{-180, -85, 180, 0},
			Raster: &tileset.Raster{Encoding: c.enc, TileSize: 256, Resampling: "bilinear", Bands: bands},
		})
	}
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)}), stored
}

// TestColourTiles: the XYZ, OGC API map tile and WMTS (KVP and REST) routes
// serve a colour tileset's stored bytes as they are, typed by them; a
// tile of the grid without one is 204 (XYZ, OGC) or transparent (WMTS).
func TestColourTiles(t *testing.T) {
	h, stored := colourServer(t)
	for _, c := range []struct{ target, id, ctype string }{
		{"/tiles/scan/1/1/1.png", "scan", "image/png"},
		{"/tiles/scanjpg/1/1/1.jpg", "scanjpg", "image/jpeg"},
		{"/collections/scan/map/tiles/WebMercatorQuad/1/1/1", "scan", "image/png"},
		{"/collections/scanjpg/map/tiles/WebMercatorQuad/1/1/1", "scanjpg", "image/jpeg"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=scan&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1", "scan", "image/png"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=scanjpg&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1", "scanjpg", "image/jpeg"},
		{"/wmts/1.0.0/scanjpg/default/WebMercatorQuad/1/1/1.jpg", "scanjpg", "image/jpeg"},
		{"/wmts/1.0.0/scan/default/WebMercatorQuad/1/1/1.png", "scan", "image/png"},
		{"/tiles/scanwebp/1/1/1.webp", "scanwebp", "image/webp"},
		{"/wmts/1.0.0/scanwebp/default/WebMercatorQuad/1/1/1.webp", "scanwebp", "image/webp"},
		{"/collections/scanwebp/map/tiles/WebMercatorQuad/1/1/1", "scanwebp", "image/webp"},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != c.ctype || !bytes.Equal(w.Body.Bytes(), stored[c.id]) {
			t.Errorf("%s: status %d, type %q, %d bytes; want 200, %s, the %d stored bytes", c.target, w.Code, w.Header().Get("Content-Type"), w.Body.Len(), c.ctype, len(stored[c.id]))
		}
	}
	for _, target := range []string{"/tiles/scan/1/0/0.png", "/tiles/scanjpg/1/0/0.jpg", "/collections/scan/map/tiles/WebMercatorQuad/1/1/0"} {
		if w := serve(h, httptestRequest(http.MethodGet, target)); w.Code != http.StatusNoContent {
			t.Errorf("%s: status %d, want 204", target, w.Code)
		}
	}
	w := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/scan/default/WebMercatorQuad/1/0/0.png"))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("WMTS tile without data: status %d, type %q; want a transparent PNG", w.Code, w.Header().Get("Content-Type"))
	}
}

// TestColourRefusals: rendering parameters, the other extension, a zoom
// beyond the stored ones, a ramp style and a profile are refused, naming
// what is wrong.
func TestColourRefusals(t *testing.T) {
	h, _ := colourServer(t)
	for _, c := range []struct {
		target string
		status int
		says   string
	}{
		{"/tiles/scan/1/1/1.png?colormap=viridis", 400, "colormap="},
		{"/tiles/scan/1/1/1.png?rescale=0,1", 400, "rescale="},
		{"/tiles/scan/1/1/1.png?hillshade=grey", 400, "hillshade="},
		{"/collections/scan/map/tiles/WebMercatorQuad/1/1/1?stretch=histeq", 400, "stretch="},
		{"/tiles/scan/1/1/1.jpg", 404, "/tiles/scan/{z}/{x}/{y}.png"},
		{"/tiles/scanjpg/1/1/1.png", 404, "/tiles/scanjpg/{z}/{x}/{y}.jpg"},
		{"/tiles/scan/2/2/2.png", 404, "to zoom 1"},
		{"/collections/scan/map/tiles/WebMercatorQuad/2/2/2", 404, "run from 0 to 1"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=scan&STYLE=viridis&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1", 400, "STYLE=viridis"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=scanjpg&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1", 400, "image/jpeg"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=scan&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1&colormap2=x&rescale=1,2", 400, "rescale="},
		{"/collections/scan/value?line=10,-10,20,-20", 400, "line="},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.says) {
			t.Errorf("%s: status %d, %s; want %d naming %q", c.target, w.Code, w.Body, c.status, c.says)
		}
	}
}

// TestColourValue: /value returns a pixel's red, green, blue and alpha,
// from PNG and from WebP tiles; null where it is transparent.
func TestColourValue(t *testing.T) {
	for _, id := range []string{"scan", "scanwebp"} {
		t.Run(id, func(t *testing.T) { colourValue(t, id) })
	}
}

func colourValue(t *testing.T, id string) {
	h, _ := colourServer(t)
	// Tile 1/1/1 spans lon 0 to 180: lon 10 is in its west half, lon 100
	// in its east half, lat -10 in its north half.
	var doc valueDoc
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/"+id+"/value?lon=10&lat=-10")), &doc)
	var got []float64
	for _, v := range doc.Values {
		if v.Value != nil {
			got = append(got, *v.Value)
		}
	}
	if len(doc.Values) != 4 || doc.Values[0].Band != "red" || len(got) != 4 || got[0] != 200 || got[1] != 30 || got[2] != 40 || got[3] != 255 {
		t.Errorf("value at the red pixel: %+v, want red 200, green 30, blue 40, alpha 255", doc.Values)
	}
	doc = valueDoc{}
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/"+id+"/value?lon=100&lat=-10")), &doc)
	for _, v := range doc.Values {
		if v.Value != nil {
			t.Errorf("value at the transparent pixel: %s = %v, want null", v.Band, *v.Value)
		}
	}
}

// TestColourCapabilities: a colour layer's WMTS capabilities announce its
// stored format, a REST template of that extension and one style, default,
// without a legend; its TileJSON points at the stored tiles.
func TestColourCapabilities(t *testing.T) {
	h, _ := colourServer(t)
	w := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/WMTSCapabilities.xml"))
	var caps struct {
		Layers []struct {
			Identifier string `xml:"Identifier"`
			Format     string `xml:"Format"`
			Styles     []struct {
				Identifier string `xml:"Identifier"`
				Legend     *struct {
					Href string `xml:"href,attr"`
				} `xml:"LegendURL"`
			} `xml:"Style"`
			ResourceURL struct {
				Template string `xml:"template,attr"`
			} `xml:"ResourceURL"`
		} `xml:"Contents>Layer"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &caps); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, l := range caps.Layers {
		want := map[string]string{"scan": "image/png", "scanjpg": "image/jpeg", "scanwebp": "image/webp"}[l.Identifier]
		ext := map[string]string{"scan": ".png", "scanjpg": ".jpg", "scanwebp": ".webp"}[l.Identifier]
		if want == "" {
			continue
		}
		found++
		if l.Format != want || !strings.HasSuffix(l.ResourceURL.Template, "{TileCol}"+ext) || len(l.Styles) != 1 || l.Styles[0].Identifier != "default" || l.Styles[0].Legend != nil {
			t.Errorf("layer %s: format %q, template %q, styles %+v", l.Identifier, l.Format, l.ResourceURL.Template, l.Styles)
		}
	}
	if found != 3 {
		t.Errorf("%d colour layers in the capabilities, want 3:\n%s", found, w.Body)
	}
	var tj struct {
		Tiles []string `json:"tiles"`
	}
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/tiles/scanjpg.json")), &tj)
	if len(tj.Tiles) != 1 || !versionedTemplate(tj.Tiles[0], "scanjpg", "jpg") {
		t.Errorf("TileJSON tiles %v, want the .jpg template", tj.Tiles)
	}
}
