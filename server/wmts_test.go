package server

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// wmtsServer serves a store holding the 256-pixel raster tileset "depth",
// one data tile at 1/1/1 (the max zoom) whose top row starts -600, 0,
// nodata, and the vector tileset "geology".
func wmtsServer(t *testing.T) http.Handler {
	t.Helper()
	return New(Config{Catalog: wmtsStore(t), Logger: slog.New(slog.DiscardHandler)})
}

// wmtsStore is the store wmtsServer serves.
func wmtsStore(t *testing.T) *store.Store {
	t.Helper()
	dir := t.TempDir()
	tile := raster.NewTile(256, 1)
	tile.Data[0], tile.Data[1], tile.Data[3] = -600, 0, -300
	commit(t, dir, "depth", []tileset.Tile{{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)}}, &tileset.Metadata{
		Title: "Slab depth", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 1, Bounds: [4]float64{0, -85, 180, 0},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 256, Resampling: "nearest",
			Bands: []tileset.Band{{Name: "z", Units: "km", DataType: "Float32", Stats: raster.Compute(tile.Data)}}},
	})
	writeGeology(t, dir, "Hamersley geology")
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// capsDoc is the part of the capabilities the tests read.
type capsDoc struct {
	Version string `xml:"version,attr"`
	Ops     []struct {
		Name string `xml:"name,attr"`
	} `xml:"OperationsMetadata>Operation"`
	Layers []struct {
		Identifier string `xml:"Identifier"`
		Lower      string `xml:"WGS84BoundingBox>LowerCorner"`
		Styles     []struct {
			IsDefault  bool   `xml:"isDefault,attr"`
			Identifier string `xml:"Identifier"`
			Legend     struct {
				Href string `xml:"href,attr"`
			} `xml:"LegendURL"`
		} `xml:"Style"`
		Format string `xml:"Format"`
		TMS    string `xml:"TileMatrixSetLink>TileMatrixSet"`
		Limits []struct {
			TileMatrix string `xml:"TileMatrix"`
			MinTileRow int    `xml:"MinTileRow"`
			MinTileCol int    `xml:"MinTileCol"`
		} `xml:"TileMatrixSetLink>TileMatrixSetLimits>TileMatrixLimits"`
		Resources []struct {
			Template     string `xml:"template,attr"`
			ResourceType string `xml:"resourceType,attr"`
		} `xml:"ResourceURL"`
	} `xml:"Contents>Layer"`
	TMS struct {
		Identifier string `xml:"Identifier"`
		WKSS       string `xml:"WellKnownScaleSet"`
		Matrices   []struct {
			Identifier       string  `xml:"Identifier"`
			ScaleDenominator float64 `xml:"ScaleDenominator"`
			TopLeftCorner    string  `xml:"TopLeftCorner"`
			MatrixWidth      int     `xml:"MatrixWidth"`
		} `xml:"TileMatrix"`
	} `xml:"Contents>TileMatrixSet"`
}

func TestWMTSCapabilities(t *testing.T) {
	h := wmtsServer(t)
	kvp := serve(h, httptestRequest(http.MethodGet, "/wmts?service=wmts&Request=GetCapabilities"))
	rest := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/WMTSCapabilities.xml"))
	if kvp.Code != http.StatusOK || kvp.Header().Get("Content-Type") != "application/xml" || !bytes.Equal(kvp.Body.Bytes(), rest.Body.Bytes()) {
		t.Fatalf("KVP %d %q, REST %d: want the same XML document\n%s", kvp.Code, kvp.Header().Get("Content-Type"), rest.Code, kvp.Body)
	}
	var c capsDoc
	if err := xml.Unmarshal(kvp.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if c.Version != "1.0.0" || len(c.Ops) != 3 || c.Ops[0].Name != "GetCapabilities" || c.Ops[1].Name != "GetTile" || c.Ops[2].Name != "GetFeatureInfo" {
		t.Errorf("version %q, operations %+v", c.Version, c.Ops)
	}
	// One layer per tileset: the raster "depth" and the vector "geology"
	// (wmts_vector_test.go checks vector layers).
	if len(c.Layers) != 2 || c.Layers[1].Identifier != "geology" {
		t.Fatalf("layers %+v, want depth and geology", c.Layers)
	}
	l := c.Layers[0]
	if l.Identifier != "depth" || l.Format != "image/png" || l.TMS != "WebMercatorQuad" || l.Lower != "0 -85" {
		t.Errorf("layer %+v", l)
	}
	if len(l.Styles) != len(raster.Ramps()) || !l.Styles[0].IsDefault || l.Styles[0].Identifier != raster.DefaultRamp || l.Styles[1].IsDefault {
		t.Errorf("styles %+v, want the %d ramps, %s the default", l.Styles, len(raster.Ramps()), raster.DefaultRamp)
	}
	if !strings.HasSuffix(l.Styles[0].Legend.Href, "/wmts/1.0.0/depth/viridis/legend.png") {
		t.Errorf("legend URL %q", l.Styles[0].Legend.Href)
	}
	if len(l.Limits) != 2 || l.Limits[1].TileMatrix != "1" || l.Limits[1].MinTileRow != 1 || l.Limits[1].MinTileCol != 1 {
		t.Errorf("limits %+v", l.Limits)
	}
	if len(l.Resources) == 0 || !strings.HasSuffix(l.Resources[0].Template, "/wmts/1.0.0/depth/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png") {
		t.Errorf("resource templates %+v", l.Resources)
	}
	// The matrices run to the layers' deepest max zoom, geology's, which
	// depth is drawn to as well (its max zoom 1 plus 8), on the
	// GoogleMapsCompatible scales.
	m := c.TMS.Matrices
	if c.TMS.Identifier != "WebMercatorQuad" || c.TMS.WKSS != "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible" || len(m) != geologyMax+1 ||
		m[0].ScaleDenominator < 559082264.028 || m[0].ScaleDenominator > 559082264.029 || m[1].MatrixWidth != 2 ||
		m[0].TopLeftCorner != "-20037508.342789244 20037508.342789244" {
		t.Errorf("tile matrix set %+v", c.TMS)
	}
}

func TestWMTSGetTile(t *testing.T) {
	h := wmtsServer(t)
	body := func(target string) []byte {
		t.Helper()
		w := serve(h, httptestRequest(http.MethodGet, target))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %q %s", target, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		return w.Body.Bytes()
	}
	const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=depth&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1"
	// The style is the XYZ route's colormap, the tile the same bytes.
	xyz := body("/tiles/depth/1/1/1.png?colormap=rdbu")
	if got := body(kvp + "&STYLE=rdbu"); !bytes.Equal(got, xyz) {
		t.Error("KVP GetTile in style rdbu differs from /tiles/depth/1/1/1.png?colormap=rdbu")
	}
	if got := body("/wmts/1.0.0/depth/rdbu/WebMercatorQuad/1/1/1.png"); !bytes.Equal(got, xyz) {
		t.Error("REST GetTile in style rdbu differs from /tiles/depth/1/1/1.png?colormap=rdbu")
	}
	// The default style, asked for as "default" or empty, is the layer's
	// default ramp.
	def := body("/tiles/depth/1/1/1.png")
	if !bytes.Equal(body(kvp+"&STYLE="), def) || !bytes.Equal(body(kvp+"&style=default"), def) {
		t.Error("the default style differs from the XYZ route's default")
	}
	// Rendering parameters beyond the style pass through.
	if !bytes.Equal(body(kvp+"&STYLE=rdbu&rescale=-600,0"), body("/tiles/depth/1/1/1.png?colormap=rdbu&rescale=-600,0")) {
		t.Error("rescale= on GetTile is not the XYZ route's")
	}
	// A tile of the grid without data is transparent, not an error; so is
	// one deeper than the max zoom, drawn from it.
	img, err := png.Decode(bytes.NewReader(body("/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/0/0.png")))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("empty tile: %v %v", err, img)
	}
	if _, _, _, a := img.At(10, 10).RGBA(); a != 0 {
		t.Errorf("the empty tile is not transparent")
	}
	if !bytes.Equal(body("/wmts/1.0.0/depth/viridis/WebMercatorQuad/3/4/4.png"), body("/tiles/depth/3/4/4.png")) {
		t.Error("an overzoomed tile differs from the XYZ route's")
	}
}

func TestWMTSLegend(t *testing.T) {
	h := wmtsServer(t)
	w := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/depth/terrain/legend.png"))
	img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
	if w.Code != http.StatusOK || err != nil {
		t.Fatalf("%d %v", w.Code, err)
	}
	ramp := raster.RampByName("terrain")
	for _, x := range []int{0, 255} {
		r, g, b, _ := img.At(x, 8).RGBA()
		want := ramp.Colour(float64(x) / 255)
		if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
			t.Errorf("legend pixel %d: %d %d %d, want %v", x, r>>8, g>>8, b>>8, want)
		}
	}
}

func TestWMTSExceptions(t *testing.T) {
	h := wmtsServer(t)
	const tile = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=depth&STYLE=viridis&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1"
	for _, c := range []struct {
		target  string
		status  int
		code    string
		locator string
	}{
		{"/wmts", 400, "MissingParameterValue", "service"},
		{"/wmts?SERVICE=WMS&REQUEST=GetCapabilities", 400, "InvalidParameterValue", "service"},
		{"/wmts?SERVICE=WMTS", 400, "MissingParameterValue", "request"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetMap", 400, "InvalidParameterValue", "request"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo", 400, "MissingParameterValue", "version"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&AcceptVersions=2.0.0", 400, "VersionNegotiationFailed", "acceptversions"},
		{"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&request=GetTile", 400, "InvalidParameterValue", "request"},
		{strings.Replace(tile, "&VERSION=1.0.0", "", 1), 400, "MissingParameterValue", "version"},
		{strings.Replace(tile, "VERSION=1.0.0", "VERSION=2.0", 1), 400, "InvalidParameterValue", "version"},
		{strings.Replace(tile, "&LAYER=depth", "", 1), 400, "MissingParameterValue", "layer"},
		{strings.Replace(tile, "LAYER=depth", "LAYER=nope", 1), 400, "InvalidParameterValue", "layer"},
		{strings.Replace(tile, "LAYER=depth", "LAYER=geology", 1), 400, "InvalidParameterValue", "style"}, // a vector layer, without the ramps
		{strings.Replace(tile, "&STYLE=viridis", "", 1), 400, "MissingParameterValue", "style"},
		{strings.Replace(tile, "STYLE=viridis", "STYLE=jet", 1), 400, "InvalidParameterValue", "style"},
		{strings.Replace(tile, "FORMAT=image/png", "FORMAT=image/jpeg", 1), 400, "InvalidParameterValue", "format"},
		{strings.Replace(tile, "TILEMATRIXSET=WebMercatorQuad", "TILEMATRIXSET=EPSG:4326", 1), 400, "InvalidParameterValue", "tilematrixset"},
		{strings.Replace(tile, "TILEMATRIX=1", "TILEMATRIX=x", 1), 400, "InvalidParameterValue", "tilematrix"},
		{strings.Replace(tile, "TILEMATRIX=1", "TILEMATRIX=20", 1), 400, "TileOutOfRange", "tilematrix"},
		{strings.Replace(tile, "TILEROW=1", "TILEROW=2", 1), 400, "TileOutOfRange", "tilerow"},
		{strings.Replace(tile, "TILECOL=1", "TILECOL=-1", 1), 400, "TileOutOfRange", "tilecol"},
		{tile + "&rescale=5", 400, "InvalidParameterValue", "rescale"},
		{"/wmts/1.0.0/depth/jet/WebMercatorQuad/1/1/1.png", 400, "InvalidParameterValue", "style"},
		{"/wmts/1.0.0/nope/viridis/WebMercatorQuad/1/1/1.png", 400, "InvalidParameterValue", "layer"},
		{"/wmts/1.0.0/depth/viridis/GoogleCRS84Quad/1/1/1.png", 400, "InvalidParameterValue", "tilematrixset"},
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/5/1.png", 400, "TileOutOfRange", "tilerow"},
		{"/wmts/1.0.0/depth/jet/legend.png", 400, "InvalidParameterValue", "style"},
	} {
		w := serve(h, httptestRequest(http.MethodGet, c.target))
		var rep struct {
			XMLName   xml.Name `xml:"http://www.opengis.net/ows/1.1 ExceptionReport"`
			Exception struct {
				Code    string `xml:"exceptionCode,attr"`
				Locator string `xml:"locator,attr"`
				Text    string `xml:"ExceptionText"`
			} `xml:"Exception"`
		}
		err := xml.Unmarshal(w.Body.Bytes(), &rep)
		e := rep.Exception
		if w.Code != c.status || err != nil || e.Code != c.code || e.Locator != c.locator || e.Text == "" || w.Header().Get("Content-Type") != "application/xml" {
			t.Errorf("%s: %d %q %v %+v, want %d %s locator %s", c.target, w.Code, w.Header().Get("Content-Type"), err, e, c.status, c.code, c.locator)
		}
	}
}

func TestMapTiles(t *testing.T) {
	h := wmtsServer(t)
	var list tilesetList
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/depth/map/tiles?f=json")), &list)
	if len(list.Tilesets) != 1 || list.Tilesets[0].DataType != "map" || !strings.HasSuffix(list.Tilesets[0].Links[2].Href, "/collections/depth/map/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}") {
		t.Errorf("map tilesets %+v", list)
	}
	var meta mapTilesetMetadata
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/depth/map/tiles/WebMercatorQuad?f=json")), &meta)
	if meta.DataType != "map" || len(meta.Bands) != 1 || meta.Bands[0].Units != "km" || meta.Bands[0].Stats == nil || len(meta.TileMatrixSetLimits) != 2 ||
		meta.BoundingBox.LowerLeft != [2]float64{0, -85} || len(meta.Colormaps) != len(raster.Ramps()) {
		t.Errorf("map tileset metadata %+v", meta)
	}
	// Row 1, column 1 is XYZ 1/1/1, with the same rendering parameters.
	w := serve(h, httptestRequest(http.MethodGet, "/collections/depth/map/tiles/WebMercatorQuad/1/1/1?colormap=cividis&f=png"))
	xyz := serve(h, httptestRequest(http.MethodGet, "/tiles/depth/1/1/1.png?colormap=cividis"))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), xyz.Body.Bytes()) {
		t.Errorf("map tile: %d %q, want the XYZ tile's bytes", w.Code, w.Header().Get("Content-Type"))
	}
	for _, c := range []struct {
		target string
		status int
	}{
		{"/collections/depth/map/tiles/WebMercatorQuad/1/0/0", 404}, // outside the limits
		{"/collections/depth/map/tiles/WebMercatorQuad/10/0/0", 404},
		{"/collections/depth/map/tiles/WebMercatorQuad/1/1/1?colormap=jet", 400},
		{"/collections/depth/map/tiles/WebMercatorQuad/1/1/1?f=jpeg", 400},
		{"/collections/depth/map/tiles/GoogleCRS84Quad/1/1/1", 404},
		{"/collections/geology/map/tiles/WebMercatorQuad/1/1/1", 404},
		{"/collections/geology/map/tiles", 404},
		{"/collections/depth/map/tiles/WebMercatorQuad/3/4/4", 200}, // deeper than the data, drawn from it
	} {
		if w := serve(h, httptestRequest(http.MethodGet, c.target)); w.Code != c.status {
			t.Errorf("%s: %d, want %d: %s", c.target, w.Code, c.status, w.Body)
		}
	}
	// The collection links its map tiles, values and WMTS.
	var coll collection
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/collections/depth?f=json")), &coll)
	rels := map[string]bool{}
	for _, l := range coll.Links {
		rels[l.Rel+" "+l.Href[strings.Index(l.Href, "/collections")+1:]] = true
	}
	for _, want := range []string{relTilesetsMap + " collections/depth/map/tiles", "describedby collections/depth/value"} {
		if !rels[want] {
			t.Errorf("collection links lack %q: %v", want, rels)
		}
	}
}

// TestRasterRendersBehindHeavyGate: with every place of the heavy gate
// taken, a tile not yet rendered is refused after the render wait with 503 and
// Retry-After on each raster tile route (XYZ, OGC API map tile, WMTS REST
// and KVP, the last as an ExceptionReport), while a tile already in the
// render cache is served; once a place is free the refused tile is drawn.
func TestRasterRendersBehindHeavyGate(t *testing.T) {
	s := newServer(Config{Catalog: wmtsStore(t), Logger: slog.New(slog.DiscardHandler), MaxHeavy: 2})
	s.renderWait = 50 * time.Millisecond
	h := s.tileDispatch(s.routes())
	const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=depth&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1&STYLE="
	routes := []struct{ cached, fresh string }{
		{"/tiles/depth/1/1/1.png", "/tiles/depth/1/1/1.png?colormap=cividis"},
		{"/collections/depth/map/tiles/WebMercatorQuad/1/1/1?colormap=rdbu", "/collections/depth/map/tiles/WebMercatorQuad/1/1/1?colormap=terrain"},
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/2/2/2.png", "/wmts/1.0.0/depth/cividis/WebMercatorQuad/2/2/2.png"},
		{kvp + "viridis&rescale=-600,0", kvp + "rdbu&rescale=-500,-100"},
	}
	for _, r := range routes {
		if w := serve(h, httptestRequest(http.MethodGet, r.cached)); w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", r.cached, w.Code, w.Body)
		}
	}
	for range cap(s.heavy) {
		s.heavy <- struct{}{}
	}
	for _, r := range routes {
		if w := serve(h, httptestRequest(http.MethodGet, r.cached)); w.Code != http.StatusOK {
			t.Errorf("%s, cached, while the gate is full: %d, want 200", r.cached, w.Code)
		}
		w := serve(h, httptestRequest(http.MethodGet, r.fresh))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
			t.Errorf("%s, not cached, while the gate is full: %d, Retry-After %q; want 503 and 1", r.fresh, w.Code, w.Header().Get("Retry-After"))
		}
		if strings.HasPrefix(r.fresh, "/wmts?") && !strings.Contains(w.Body.String(), "ExceptionReport") {
			t.Errorf("KVP GetTile refused without an ExceptionReport: %s", w.Body)
		}
	}
	<-s.heavy
	for _, r := range routes {
		if w := serve(h, httptestRequest(http.MethodGet, r.fresh)); w.Code != http.StatusOK {
			t.Errorf("%s with a place free: %d, want 200", r.fresh, w.Code)
		}
	}
}
