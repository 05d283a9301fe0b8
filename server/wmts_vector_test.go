package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/color"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// tilePixel is the WebMercatorQuad tile of zoom z holding lon, lat and the
// pixel of that tile the point falls in.
func tilePixel(lon, lat float64, z int) (col, row, x, y int) {
	world := float64(int(256) << z)
	sin := math.Sin(lat * math.Pi / 180)
	gx := int((lon + 180) / 360 * world)
	gy := int((0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)) * world)
	return gx / 256, gy / 256, gx % 256, gy % 256
}

// restTile is the REST GetTile path of the tile of zoom z holding lon,
// lat, and the pixel of the point in it.
func restTile(layer, style string, lon, lat float64, z int, ext string) (path string, x, y int) {
	col, row, x, y := tilePixel(lon, lat, z)
	return "/wmts/1.0.0/" + layer + "/" + style + "/WebMercatorQuad/" + strconv.Itoa(z) + "/" + strconv.Itoa(row) + "/" + strconv.Itoa(col) + "." + ext, x, y
}

// owsExceptionOf reads an OWS ExceptionReport's code and locator.
func owsExceptionOf(t *testing.T, body []byte) (code, locator string) {
	t.Helper()
	var rep struct {
		XMLName   xml.Name `xml:"http://www.opengis.net/ows/1.1 ExceptionReport"`
		Exception struct {
			Code    string `xml:"exceptionCode,attr"`
			Locator string `xml:"locator,attr"`
		} `xml:"Exception"`
	}
	if err := xml.Unmarshal(body, &rep); err != nil {
		t.Fatalf("not an ExceptionReport: %v\n%s", err, body)
	}
	return rep.Exception.Code, rep.Exception.Locator
}

// TestWMTSVectorCapabilities: each vector collection is a layer whose
// styles are the WMS's, the preferred one the default, each with the WMS
// legend as its LegendURL; PNG and JPEG tiles, by REST template too.
func TestWMTSVectorCapabilities(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	w := serve(fx.h, httptestRequest(http.MethodGet, "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"))
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var doc struct {
		TMS struct {
			Matrices []struct{} `xml:"TileMatrix"`
		} `xml:"Contents>TileMatrixSet"`
		Layers []struct {
			Identifier string `xml:"Identifier"`
			Styles     []struct {
				IsDefault  bool   `xml:"isDefault,attr"`
				Identifier string `xml:"Identifier"`
				Legend     struct {
					Href   string `xml:"href,attr"`
					Width  int    `xml:"width,attr"`
					Height int    `xml:"height,attr"`
				} `xml:"LegendURL"`
			} `xml:"Style"`
			Formats   []string `xml:"Format"`
			Resources []struct {
				Format   string `xml:"format,attr"`
				Template string `xml:"template,attr"`
			} `xml:"ResourceURL"`
			Limits []struct {
				TileMatrix string `xml:"TileMatrix"`
				MinTileRow int    `xml:"MinTileRow"`
				MaxTileRow int    `xml:"MaxTileRow"`
			} `xml:"TileMatrixSetLink>TileMatrixSetLimits>TileMatrixLimits"`
		} `xml:"Contents>Layer"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var wms struct {
		Layers []capsLayer `xml:"Capability>Layer>Layer"`
	}
	if err := xml.Unmarshal(serve(fx.h, httptestRequest(http.MethodGet, "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0")).Body.Bytes(), &wms); err != nil {
		t.Fatal(err)
	}
	wmsStyles := map[string][]string{}
	for _, l := range wms.Layers {
		for _, st := range l.Styles {
			wmsStyles[l.Name] = append(wmsStyles[l.Name], st.Name)
		}
	}
	var ids []string
	for _, l := range doc.Layers {
		ids = append(ids, l.Identifier)
		var names []string
		for i, st := range l.Styles {
			names = append(names, st.Identifier)
			if st.IsDefault != (i == 0) {
				t.Errorf("%s: style %s isDefault %v; the first, the collection's preferred style, is the default", l.Identifier, st.Identifier, st.IsDefault)
			}
			q := "STYLE=" + url.QueryEscape(st.Identifier)
			if !strings.Contains(st.Legend.Href, "/wms?") || !strings.Contains(st.Legend.Href, "REQUEST=GetLegendGraphic") || !strings.Contains(st.Legend.Href, q) {
				t.Errorf("%s %s: legend URL %q, want the WMS GetLegendGraphic of the style", l.Identifier, st.Identifier, st.Legend.Href)
				continue
			}
			lw := serve(fx.h, httptestRequest(http.MethodGet, st.Legend.Href[strings.Index(st.Legend.Href, "/wms?"):]))
			if lw.Code != http.StatusOK || lw.Header().Get("Content-Type") != pngType || st.Legend.Width == 0 || st.Legend.Height == 0 {
				t.Errorf("%s %s: legend %d %q, size %d×%d", l.Identifier, st.Identifier, lw.Code, lw.Header().Get("Content-Type"), st.Legend.Width, st.Legend.Height)
			}
		}
		if strings.Join(names, ",") != strings.Join(wmsStyles[l.Identifier], ",") || len(names) < 2 {
			t.Errorf("%s: styles %v, want the WMS's %v", l.Identifier, names, wmsStyles[l.Identifier])
		}
		if strings.Join(l.Formats, ",") != "image/png,image/jpeg" || len(l.Resources) != 6 ||
			!strings.HasSuffix(l.Resources[0].Template, "/wmts/1.0.0/"+l.Identifier+"/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png") ||
			l.Resources[1].Format != jpegType || !strings.HasSuffix(l.Resources[1].Template, "{TileCol}.jpg") {
			t.Errorf("%s: formats %v, resources %+v", l.Identifier, l.Formats, l.Resources)
		}
		// Limits from matrix 0 to the tileset's max zoom, 10; at 10 the
		// box's 2° of latitude span rows 573 to 579.
		if n := len(l.Limits); n != 11 || l.Limits[10].TileMatrix != "10" || l.Limits[10].MinTileRow != 573 || l.Limits[10].MaxTileRow != 579 {
			t.Errorf("%s: limits %+v", l.Identifier, l.Limits)
		}
	}
	if strings.Join(ids, ",") != "faults,occurrences,units" {
		t.Errorf("layers %v, want the three vector collections", ids)
	}
	if len(doc.TMS.Matrices) != 11 {
		t.Errorf("%d tile matrices, want 0 to the layers' max zoom 10", len(doc.TMS.Matrices))
	}
}

// TestWMTSVectorGetTile checks the colour of a tile's pixels inside a
// unit, on a point and in a hole in each style, that KVP and REST give
// the same tile, JPEG, and ETag revalidation.
func TestWMTSVectorGetTile(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	get := func(target string) *http.Response {
		t.Helper()
		return serve(fx.h, httptestRequest(http.MethodGet, target)).Result()
	}
	const z = 9
	for _, c := range []struct {
		layer, kind string
		lon, lat    float64
		value       string
	}{
		{"units", styles.KindGeologyAge, 116.2, -22.2, icsURI + "Permian"},
		{"units", styles.KindGeologyAge, 117.5, -22.5, icsURI + "Neoarchean"},
		{"units", styles.KindGeologyLithology, 116.2, -22.8, lithURI + "granite"},
		{"units", styles.KindGeologyLithology, 117.7, -22.3, lithURI + "basalt"},
		{"occurrences", styles.KindOccurrenceCommodity, 117.5, -21.5, commodURI + "Au"},
	} {
		path, x, y := restTile(c.layer, c.kind, c.lon, c.lat, z, "png")
		img := decodeImage(t, get(path), pngType)
		want := fx.symbolColour(t, c.layer, c.kind, c.value)
		if got := rgbaAt(img, x, y); got != want {
			t.Errorf("%s %s: pixel (%d,%d) of %s is %v, want the style's %v", c.layer, c.kind, x, y, path, got, want)
		}
		jpg := decodeImage(t, get(strings.TrimSuffix(path, "png")+"jpg"), jpegType)
		if got := rgbaAt(jpg, x, y); !closeRGBA(got, want, 6) {
			t.Errorf("%s %s: JPEG pixel (%d,%d) is %v, want near %v", c.layer, c.kind, x, y, got, want)
		}
	}
	// The hole of unit 1 is transparent; a tile away from the data is
	// a transparent PNG, a white JPEG.
	path, x, y := restTile("units", styles.KindGeologyAge, 116.5, -22.5, z, "png")
	if got := rgbaAt(decodeImage(t, get(path), pngType), x, y); got.A != 0 {
		t.Errorf("the hole of unit 1 is %v, want transparent", got)
	}
	if got := rgbaAt(decodeImage(t, get("/wmts/1.0.0/units/geology-age/WebMercatorQuad/3/0/0.png"), pngType), 128, 128); got.A != 0 {
		t.Errorf("a tile away from the data is %v, want transparent", got)
	}
	if got := rgbaAt(decodeImage(t, get("/wmts/1.0.0/units/geology-age/WebMercatorQuad/3/0/0.jpg"), jpegType), 128, 128); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("a JPEG tile away from the data is %v, want white", got)
	}

	// KVP gives the REST tile's bytes; an empty STYLE is the default,
	// the preferred style, geology by age here.
	col, row, _, _ := tilePixel(116.2, -22.2, z)
	kvp := "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=units&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=" +
		strconv.Itoa(z) + "&TILEROW=" + strconv.Itoa(row) + "&TILECOL=" + strconv.Itoa(col)
	rest, _, _ := restTile("units", styles.KindGeologyAge, 116.2, -22.2, z, "png")
	want := serve(fx.h, httptestRequest(http.MethodGet, rest))
	for _, target := range []string{kvp + "&STYLE=geology-age", kvp + "&STYLE=", kvp + "&STYLE=units.geology-age"} {
		if w := serve(fx.h, httptestRequest(http.MethodGet, target)); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), want.Body.Bytes()) {
			t.Errorf("%s: %d, not the bytes of %s", target, w.Code, rest)
		}
	}
	lith := serve(fx.h, httptestRequest(http.MethodGet, kvp+"&STYLE=geology-lithology"))
	if bytes.Equal(lith.Body.Bytes(), want.Body.Bytes()) {
		t.Error("the lithology style drew the same tile as the age style")
	}

	// ETag and 304, with the tiles' caching.
	etag := want.Header().Get("ETag")
	if etag == "" || want.Header().Get("Cache-Control") == "" {
		t.Fatalf("tile headers %v", want.Header())
	}
	r := httptestRequest(http.MethodGet, rest)
	r.Header.Set("If-None-Match", etag)
	if w := serve(fx.h, r); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidation: %d with %d bytes, want 304", w.Code, w.Body.Len())
	}
	r = httptestRequest(http.MethodGet, strings.Replace(rest, "geology-age", "geology-lithology", 1))
	r.Header.Set("If-None-Match", etag)
	if w := serve(fx.h, r); w.Code != http.StatusOK {
		t.Errorf("another style's tile with the age tile's ETag: %d, want 200", w.Code)
	}
}

// TestWMTSVectorExceptions: the errors of a vector layer's GetTile are OWS
// exceptions with the parameter at fault.
func TestWMTSVectorExceptions(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=units&STYLE=geology-age&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=9&TILEROW=290&TILECOL=421"
	for _, c := range []struct {
		target, code, locator string
	}{
		{strings.Replace(kvp, "STYLE=geology-age", "STYLE=viridis", 1), "InvalidParameterValue", "style"},
		{strings.Replace(kvp, "STYLE=geology-age", "STYLE=fault-type", 1), "InvalidParameterValue", "style"},
		{"/wmts/1.0.0/units/nope/WebMercatorQuad/9/290/421.png", "InvalidParameterValue", "style"},
		{"/wmts/1.0.0/units/nope/legend.png", "InvalidParameterValue", "style"},
		{strings.Replace(kvp, "FORMAT=image/png", "FORMAT=image/webp", 1), "InvalidParameterValue", "format"},
		{strings.Replace(kvp, "TILEMATRIXSET=WebMercatorQuad", "TILEMATRIXSET=WorldCRS84Quad", 1), "InvalidParameterValue", "tilematrixset"},
		{strings.Replace(kvp, "TILEMATRIX=9", "TILEMATRIX=25", 1), "InvalidParameterValue", "tilematrix"},
		{strings.Replace(kvp, "TILEROW=290", "TILEROW=512", 1), "TileOutOfRange", "tilerow"},
		{strings.Replace(kvp, "TILECOL=421", "TILECOL=x", 1), "TileOutOfRange", "tilecol"},
	} {
		w := serve(fx.h, httptestRequest(http.MethodGet, c.target))
		code, locator := owsExceptionOf(t, w.Body.Bytes())
		if w.Code != http.StatusBadRequest || code != c.code || locator != c.locator || w.Header().Get("ETag") != "" {
			t.Errorf("%s: %d %s %s, want 400 %s %s", c.target, w.Code, code, locator, c.code, c.locator)
		}
	}
	// The REST legend resource is the WMS legend of the style.
	legend := serve(fx.h, httptestRequest(http.MethodGet, "/wmts/1.0.0/units/geology-lithology/legend.png"))
	wmsLegend := serve(fx.h, httptestRequest(http.MethodGet, "/wms?SERVICE=WMS&REQUEST=GetLegendGraphic&VERSION=1.3.0&FORMAT=image/png&LAYER=units&STYLE=geology-lithology"))
	if legend.Code != http.StatusOK || !bytes.Equal(legend.Body.Bytes(), wmsLegend.Body.Bytes()) {
		t.Errorf("REST legend: %d, not the WMS legend's bytes", legend.Code)
	}
}

// TestWMTSVectorTilesBehindHeavyGate: a vector tile not yet drawn waits for
// the heavy gate and is refused 503 with Retry-After when it stays full,
// while a drawn tile is served from the cache and one away from the data
// needs no drawing.
func TestWMTSVectorTilesBehindHeavyGate(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	s := newServer(Config{Catalog: fx.store, MaxHeavy: 1})
	s.renderWait = 20 * time.Millisecond
	h := s.routes()
	drawn, _, _ := restTile("units", styles.KindGeologyAge, 116.2, -22.2, 9, "png")
	fresh := strings.Replace(drawn, "geology-age", "geology-lithology", 1)
	if w := serve(h, httptestRequest(http.MethodGet, drawn)); w.Code != http.StatusOK {
		t.Fatalf("%s: %d", drawn, w.Code)
	}
	s.heavy <- struct{}{}
	w := serve(h, httptestRequest(http.MethodGet, fresh))
	if code, _ := owsExceptionOf(t, w.Body.Bytes()); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || code != "NoApplicableCode" {
		t.Errorf("a tile not drawn while the gate is full: %d %s, Retry-After %q", w.Code, code, w.Header().Get("Retry-After"))
	}
	for _, target := range []string{drawn, "/wmts/1.0.0/units/geology-age/WebMercatorQuad/3/0/0.png"} {
		if w := serve(h, httptestRequest(http.MethodGet, target)); w.Code != http.StatusOK {
			t.Errorf("%s while the gate is full: %d, want 200", target, w.Code)
		}
	}
	s.heavy.leave()
	if w := serve(h, httptestRequest(http.MethodGet, fresh)); w.Code != http.StatusOK {
		t.Errorf("%s with the gate free: %d", fresh, w.Code)
	}
}

// TestWMTSVectorDepthCapped: vector layers take the tile matrix set no
// deeper than every raster layer is drawn, since readers such as GDAL
// read every layer at its deepest matrix.
func TestWMTSVectorDepthCapped(t *testing.T) {
	dir := t.TempDir()
	tile := raster.NewTile(256, 1)
	commit(t, dir, "depth", []tileset.Tile{{Z: 0, X: 0, Y: 0, Data: raster.Encode(tile)}}, &tileset.Metadata{
		Title: "Slab depth", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 0, Bounds: [4]float64{0, -85, 180, 0},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 256, Resampling: "nearest",
			Bands: []tileset.Band{{Name: "z", Units: "km", DataType: "Float32", Stats: raster.Compute(tile.Data)}}},
	})
	w, err := tileset.Create(dir, "units")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutFeatures([]*geojson.Feature{feature(1, orb.Point{117, -22})}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&tileset.Metadata{Title: "Units", Layer: "units", GeometryType: "point", Bounds: [4]float64{116, -23, 118, -21}, MaxZoom: 14, FeatureCount: 1}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	var c capsDoc
	if err := xml.Unmarshal(serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/WMTSCapabilities.xml")).Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	// depth is drawn to zoom 0 + 8.
	if len(c.TMS.Matrices) != 9 || len(c.Layers) != 2 || len(c.Layers[1].Limits) != 9 {
		t.Errorf("%d matrices, layers %+v; want 0 to 8, the units' limits too", len(c.TMS.Matrices), c.Layers)
	}
	// Deeper tiles of the vector layer are drawn all the same.
	if w := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/units/default/WebMercatorQuad/14/9197/13439.png")); w.Code != http.StatusOK {
		t.Errorf("a zoom-14 tile: %d %s", w.Code, w.Body)
	}
}

// TestWMTSVectorTileCancelled: a tile whose request is cancelled while it
// is drawn is answered 503, and logs no error.
func TestWMTSVectorTileCancelled(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	var log bytes.Buffer
	h := New(Config{Catalog: fx.store, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	path, _, _ := restTile("units", styles.KindGeologyAge, 116.2, -22.2, 9, "png")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := serve(h, httptestRequest(http.MethodGet, path).WithContext(ctx))
	if w.Code != http.StatusServiceUnavailable || strings.Contains(log.String(), "ERROR") {
		t.Errorf("cancelled: %d, log %q; want 503 and no error logged", w.Code, log.String())
	}
	if w := serve(h, httptestRequest(http.MethodGet, path)); w.Code != http.StatusOK {
		t.Errorf("the same tile after: %d", w.Code)
	}
}
