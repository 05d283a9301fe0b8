package server

// Fuzz targets over every query parser of the server. Each asserts the
// same contract: no panic, no 500, and a refusal is a one-line error that
// names the parameter it refuses. Their seeds run with every go test;
// make soak runs each with -fuzz for FUZZTIME.

import (
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// queryKeys are the parameter names of a raw query string, as a server
// reads them (undecodable ones as they are).
func queryKeys(raw string) []string {
	var keys []string
	for _, kv := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		keys = append(keys, k)
	}
	return keys
}

// namesOne reports whether a refusal's text names one of keys as a word
// (in any case, quoted or not), or says the query string itself is
// malformed.
func namesOne(text string, keys []string) bool {
	lower := strings.ToLower(text)
	if strings.Contains(lower, "query string") {
		return true
	}
	isWord := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	for _, k := range keys {
		if strings.Contains(text, strconv.Quote(k)) {
			return true
		}
		if k = strings.ToLower(k); k == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(lower[from:], k)
			if i < 0 {
				break
			}
			i += from
			end := i + len(k)
			if (i == 0 || !isWord(lower[i-1])) && (end == len(lower) || !isWord(lower[end])) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

// checkRefusal fails t unless w is a success or a redirect, a 404, or a 400 whose JSON
// error body is one line naming one of names: the query's parameters, and
// the route's own (one that is missing, a path segment).
func checkRefusal(t *testing.T, target string, w *httptest.ResponseRecorder, keys []string) {
	t.Helper()
	switch {
	case w.Code < 400: // a redirect to the clean path included
		return
	case w.Code == http.StatusBadRequest, w.Code == http.StatusNotFound:
		var e apiError
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Description == "" || strings.Contains(e.Description, "\n") {
			t.Fatalf("%s: %d with a body that is not a one-line JSON error: %.300q", target, w.Code, w.Body.String())
		}
		if w.Code == http.StatusBadRequest && !namesOne(e.Description, keys) {
			t.Fatalf("%s: 400 %q names none of %q", target, e.Description, keys)
		}
	default:
		t.Fatalf("%s: status %d, body %.300q", target, w.Code, w.Body.String())
	}
}

// get runs a GET of path with the raw query q.
func fuzzGet(h http.Handler, path, q string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.URL.Path, r.URL.RawQuery = path, q
	r.RequestURI = path + "?" + q
	return serve(h, r)
}

// fuzzRasterServer serves the raster "depth" (one 256×256 data tile at
// 1/1/1, the max zoom) and the vector "geology".
func fuzzRasterServer(tb testing.TB) http.Handler {
	tb.Helper()
	dir := tb.TempDir()
	tile := raster.NewTile(256, 1)
	tile.Data[0], tile.Data[1], tile.Data[3] = -600, 0, -300
	commit(tb, dir, "depth", []tileset.Tile{{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)}}, &tileset.Metadata{
		Title: "Slab depth", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 1, Bounds: [4]float64{0, -85, 180, 0},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 256, Resampling: "nearest",
			Bands: []tileset.Band{{Name: "z", Units: "km", DataType: "Float32", Stats: raster.Compute(tile.Data)}}},
	})
	writeGeology(tb, dir, "Hamersley geology")
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
}

// FuzzItemsParams: bbox, datetime, limit, offset, properties, crs and
// property filters, parsed as the items route does.
func FuzzItemsParams(f *testing.F) {
	for _, q := range weirdQueries {
		if len(q) < 1000 {
			f.Add(q)
		}
	}
	for _, q := range []string{"datetime=2020-01-01/P1M", "datetime=P1Y/2020-01-01", "datetime=2020-13-01", "datetime=2020-01-01T25:00:00Z",
		"datetime=/..", "datetime=P/P", "bbox=1,2,3,4&bbox-crs=OGC:CRS84", "limit=0", "offset=-1", "properties=nope", "rank=abc", "active=yes"} {
		f.Add(q)
	}
	fields := []tileset.Field{{Name: "name", Type: "string"}, {Name: "rank", Type: "integer"}, {Name: "grade", Type: "real"}, {Name: "active", Type: "boolean"}}
	f.Fuzz(func(t *testing.T, q string) {
		_, msg := parseItemsQuery(q, "occurrences", fields)
		if msg != "" && (strings.Contains(msg, "\n") || !namesOne(msg, queryKeys(q))) {
			t.Fatalf("?%s: refusal %q is not one line naming a parameter", q, msg)
		}
	})
}

// FuzzTileAddress: the z/x/y of every tile URL and its format suffix.
func FuzzTileAddress(f *testing.F) {
	for _, s := range [][4]string{{"0", "0", "0", "mvt"}, {"1", "1", "1", "pbf"}, {"30", "0", "0", "png"}, {"-1", "0", "0", "mvt"},
		{"00", "+1", "0x1", "mvt"}, {"1", "2", "0", "json"}, {"9999999999", "0", "0", "mvt"}, {"1", "1", "1", "MVT"}, {"1", "1", "1", ""}, {"", "", "", "."}} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	h := fuzzRasterServer(f)
	f.Fuzz(func(t *testing.T, z, x, y, ext string) {
		if _, _, _, msg := parseTileAddress(z, x, y); msg != "" && (strings.Contains(msg, "\n") || !namesOne(msg, []string{"zoom", "column", "row"})) {
			t.Fatalf("%s/%s/%s: %q", z, x, y, msg)
		}
		for _, id := range []string{"geology", "depth"} {
			path := "/tiles/" + id + "/" + z + "/" + x + "/" + y + "." + ext
			checkRefusal(t, path, fuzzGet(h, path, ""), []string{"zoom", "column", "row", "format", "suffix", "extension"})
		}
		for _, path := range []string{
			"/collections/geology/tiles/WebMercatorQuad/" + z + "/" + y + "/" + x,
			"/collections/depth/map/tiles/WebMercatorQuad/" + z + "/" + y + "/" + x,
		} {
			checkRefusal(t, path, fuzzGet(h, path, ""), []string{"tileMatrix", "tileRow", "tileCol", "zoom", "row", "column"})
		}
	})
}

// FuzzRasterParams: colormap, rescale, stretch, band, hillshade and its
// parameters, encoding; the value route's lon/lat and line/samples.
func FuzzRasterParams(f *testing.F) {
	for _, q := range []string{"", "colormap=jet", "colormap=cividis", "colormap=-600:0000ff,0:ff0000", "colormap=0:ff0000,-1:00ff00",
		"colormap=0:ff0000,1:00ff00&rescale=0,1", "rescale=5", "rescale=1,1", "rescale=-600,0", "rescale=NaN,1", "stretch=minmax", "stretch=p5-95",
		"band=2", "band=0", "band=1", "hillshade=grey", "hillshade=grey&azimuth=400", "hillshade=grey&altitude=-5", "hillshade=grey&zfactor=0",
		"hillshade=colour&multidirectional=true", "encoding=terrarium", "encoding=mapbox", "lon=10&lat=-10", "lon=200&lat=0", "lon=10",
		"line=0,0,10,-10&samples=5", "line=0,0", "line=0,0,10,-10&samples=1", "line=0,0,1e400,0", "samples=3000&line=0,0,1,1"} {
		f.Add(q)
	}
	h := fuzzRasterServer(f)
	route := []string{"colormap", "rescale", "stretch", "band", "hillshade", "azimuth", "altitude", "zfactor", "multidirectional", "encoding", "lon", "lat", "line", "samples", "f"}
	f.Fuzz(func(t *testing.T, q string) {
		keys := append(queryKeys(q), route...)
		for _, path := range []string{"/tiles/depth/1/1/1.png", "/collections/depth/map/tiles/WebMercatorQuad/1/1/1", "/collections/depth/value"} {
			checkRefusal(t, path+"?"+q, fuzzGet(h, path, q), keys)
		}
		if _, msg := parseLine(q); msg != "" && (strings.Contains(msg, "\n") || !strings.Contains(msg, "line")) {
			t.Fatalf("line=%q: %q", q, msg)
		}
	})
}

// FuzzWMTS: the KVP of /wmts; a refusal is an OWS ExceptionReport whose
// locator is a parameter of the request or one it lacks.
func FuzzWMTS(f *testing.F) {
	const tile = "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=depth&STYLE=viridis&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1"
	for _, q := range []string{"", "SERVICE=WMTS&REQUEST=GetCapabilities", "service=wmts&request=getcapabilities&acceptversions=2.0.0",
		"SERVICE=WMTS&REQUEST=GetFeatureInfo", "SERVICE=WMS", tile, tile + "&rescale=5", strings.Replace(tile, "TILEROW=1", "TILEROW=-1", 1),
		strings.Replace(tile, "TILEMATRIX=1", "TILEMATRIX=99999999999999999999", 1), tile + "&SERVICE=WMTS", "%zz=1"} {
		f.Add(q)
	}
	h := fuzzRasterServer(f)
	f.Fuzz(func(t *testing.T, q string) {
		w := fuzzGet(h, "/wmts", q)
		if w.Code < 300 {
			return
		}
		var rep struct {
			Exception struct {
				Code    string `xml:"exceptionCode,attr"`
				Locator string `xml:"locator,attr"`
				Text    string `xml:"ExceptionText"`
			} `xml:"Exception"`
		}
		err := xml.Unmarshal(w.Body.Bytes(), &rep)
		e := rep.Exception
		switch {
		case w.Code >= 500 && !(w.Code == http.StatusNotImplemented && e.Code == "OperationNotSupported"):
			t.Fatalf("?%s: status %d: %.300q", q, w.Code, w.Body.String())
		case err != nil || e.Code == "" || e.Text == "" || strings.Contains(e.Text, "\n"):
			t.Fatalf("?%s: %d with no one-line OWS exception: %v %.300q", q, w.Code, err, w.Body.String())
		case e.Locator == "" && !strings.Contains(strings.ToLower(e.Text), "query string"):
			t.Fatalf("?%s: %d %s without a locator: %q", q, w.Code, e.Code, e.Text)
		case e.Code != "MissingParameterValue" && e.Locator != "" && !namesOne(e.Locator, keys(q)):
			t.Fatalf("?%s: %s locator %q is none of the request's parameters", q, e.Code, e.Locator)
		}
	})
}

// keys is queryKeys; a short name for the WMTS check.
func keys(q string) []string { return queryKeys(q) }

// FuzzStyleParams: lang, f and style on the style, style list and legend
// routes.
func FuzzStyleParams(f *testing.F) {
	for _, q := range []string{"", "lang=th", "lang=%3C%3E", "lang=en-GB&f=json", "f=html", "f=xml", "style=geology-age", "style=nope",
		"style=faults.default", "lang=th&lang=en", "f=sld", "f=qml"} {
		f.Add(q)
	}
	h := styleFixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		keys := queryKeys(q)
		for _, path := range []string{"/styles", "/styles/units.default.json", "/styles/units.geology-age.json", "/styles/all.json",
			"/collections/units/legend", "/collections/units/styles"} {
			checkRefusal(t, path+"?"+q, fuzzGet(h, path, q), keys)
		}
	})
}
