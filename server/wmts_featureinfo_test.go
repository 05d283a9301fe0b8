package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/styles"
)

// infoIDs reads the layer and id of each feature of a JSON FeatureInfo.
func infoIDs(t *testing.T, w interface{ Bytes() []byte }) []string {
	t.Helper()
	var doc struct {
		Type     string `json:"type"`
		Features []struct {
			ID    uint64 `json:"id"`
			Layer string `json:"layer"`
		} `json:"features"`
	}
	if err := json.Unmarshal(w.Bytes(), &doc); err != nil || doc.Type != "FeatureCollection" {
		t.Fatalf("not a FeatureCollection: %v\n%s", err, w.Bytes())
	}
	ids := []string{}
	for _, f := range doc.Features {
		ids = append(ids, f.Layer+"/"+strconv.FormatUint(f.ID, 10))
	}
	return ids
}

// restInfo is the REST FeatureInfo path of the pixel of zoom z's tile
// holding lon, lat.
func restInfo(layer, style string, lon, lat float64, z int, ext string) string {
	col, row, x, y := tilePixel(lon, lat, z)
	return fmt.Sprintf("/wmts/1.0.0/%s/%s/WebMercatorQuad/%d/%d/%d/%d/%d.%s", layer, style, z, row, col, y, x, ext)
}

// TestWMTSVectorFeatureInfo: the features at a pixel of a vector layer's
// tile, by KVP and REST, in each InfoFormat: a unit under the pixel, none
// in its hole, a fault within the pick tolerance, FEATURE_COUNT bounding
// the features where two faults cross; the same features WMS
// GetFeatureInfo gives for that tile's box and pixel.
func TestWMTSVectorFeatureInfo(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	get := func(target string) *bytes.Buffer {
		t.Helper()
		w := serve(fx.h, httptestRequest(http.MethodGet, target))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		return w.Body
	}
	const z = 9
	for _, c := range []struct {
		layer, style string
		lon, lat     float64
		query        string
		want         string
	}{
		{"units", styles.KindGeologyAge, 116.2, -22.2, "", "units/1"},
		{"units", styles.KindGeologyLithology, 117.7, -22.3, "", "units/2"},
		{"units", styles.KindGeologyAge, 116.5, -22.5, "", ""}, // the hole of unit 1
		{"occurrences", styles.KindOccurrenceCommodity, 117.5, -21.5, "", "occurrences/1"},
		{"faults", "default", 117, -21.5, "", "faults/1"},
		{"faults", "default", 116.505, -21.5, "", "faults/1"},
		{"faults", "default", 116.505, -21.5, "?feature_count=5", "faults/1,faults/2"},
		{"faults", "default", 116.9, -21.7, "", ""}, // between the faults
	} {
		rest := restInfo(c.layer, c.style, c.lon, c.lat, z, "json") + c.query
		if got := strings.Join(infoIDs(t, get(rest)), ","); got != c.want {
			t.Errorf("%s: features %q, want %q", rest, got, c.want)
		}
		col, row, x, y := tilePixel(c.lon, c.lat, z)
		kvp := fmt.Sprintf("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=%s&STYLE=%s&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=%d&TILEROW=%d&TILECOL=%d&J=%d&I=%d&INFO_FORMAT=application/json",
			c.layer, c.style, z, row, col, y, x)
		if c.query != "" {
			kvp += "&FEATURE_COUNT=5"
		}
		if got := get(kvp); !bytes.Equal(got.Bytes(), get(rest).Bytes()) {
			t.Errorf("%s: not the REST resource's answer:\n%s", kvp, got)
		}
		b := mercatorBound(maptile.New(uint32(col), uint32(row), z))
		wms := fmt.Sprintf("/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&VERSION=1.3.0&LAYERS=%s&QUERY_LAYERS=%s&STYLES=%s&CRS=EPSG:3857&BBOX=%f,%f,%f,%f&WIDTH=256&HEIGHT=256&FORMAT=image/png&I=%d&J=%d&INFO_FORMAT=application/json",
			c.layer, c.layer, c.style, b.Min[0], b.Min[1], b.Max[0], b.Max[1], x, y)
		if c.query != "" {
			wms += "&FEATURE_COUNT=5"
		}
		if got, want := strings.Join(infoIDs(t, get(wms)), ","), c.want; got != want {
			t.Errorf("WMS GetFeatureInfo of the tile's box: %q, want %q as WMTS", got, want)
		}
	}

	// Text and HTML list the unit's properties, escaped in HTML.
	w := serve(fx.h, httptestRequest(http.MethodGet, restInfo("units", styles.KindGeologyAge, 116.2, -22.2, z, "txt")))
	if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" || !strings.Contains(w.Body.String(), "Layer 'units'") || !strings.Contains(w.Body.String(), "name = 'Granite <one>'") {
		t.Errorf("text/plain: %q\n%s", ct, w.Body)
	}
	w = serve(fx.h, httptestRequest(http.MethodGet, restInfo("units", styles.KindGeologyAge, 116.2, -22.2, z, "html")))
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || !strings.Contains(w.Body.String(), "Granite &lt;one&gt;") {
		t.Errorf("text/html: %q\n%s", ct, w.Body)
	}
	if !strings.Contains(get(restInfo("units", styles.KindGeologyAge, 116.5, -22.5, z, "txt")).String(), "no features found") {
		t.Error("text/plain in the hole does not say no features were found")
	}
	// GML by KVP, its INFO_FORMAT with a raw ; as curl sends it.
	col, row, x, y := tilePixel(116.2, -22.2, z)
	kvp := fmt.Sprintf("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=units&STYLE=geology-age&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=%d&TILEROW=%d&TILECOL=%d&J=%d&I=%d&INFO_FORMAT=application/gml%%2Bxml;%%20version=3.2",
		z, row, col, y, x)
	w = serve(fx.h, httptestRequest(http.MethodGet, kvp))
	if ct := w.Header().Get("Content-Type"); w.Code != http.StatusOK || ct != wfsGMLType || !strings.Contains(w.Body.String(), `gml:id="GeologicUnitView.units.1"`) {
		t.Errorf("%s: %d %q\n%s", kvp, w.Code, ct, w.Body)
	}
}

// TestWMTSRasterFeatureInfo: a value raster's GetFeatureInfo gives each
// band's value at the pixel, from the max-zoom tile, null for nodata; a
// layer of stored colours has none to give (501).
func TestWMTSRasterFeatureInfo(t *testing.T) {
	h := wmtsServer(t)
	value := func(target string) *float64 {
		t.Helper()
		w := serve(h, httptestRequest(http.MethodGet, target))
		var doc valueDoc
		if err := json.Unmarshal(w.Body.Bytes(), &doc); w.Code != http.StatusOK || err != nil || len(doc.Values) != 1 || doc.Values[0].Units != "km" {
			t.Fatalf("%s: %d %v %s", target, w.Code, err, w.Body)
		}
		return doc.Values[0].Value
	}
	// The data tile 1/1/1 holds -600, 0, nodata, -300 along its top row.
	for _, c := range []struct {
		target string
		want   string
	}{
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/1/1/0/0.json", "-600"},
		{"/wmts/1.0.0/depth/default/WebMercatorQuad/1/1/1/0/3.json", "-300"},
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/1/1/0/2.json", "null"},
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/2/2/2/1/1.json", "-600"}, // deeper than the max zoom
		{"/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/0/0/9/9.json", "null"}, // no tile stored
		{"/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=depth&STYLE=&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=1&TILECOL=1&J=0&I=3&INFO_FORMAT=application/json", "-300"},
	} {
		got := "null"
		if v := value(c.target); v != nil {
			got = strconv.FormatFloat(*v, 'g', -1, 64)
		}
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.target, got, c.want)
		}
	}
	w := serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/1/1/0/0.txt"))
	if !strings.Contains(w.Body.String(), "z = -600 km") {
		t.Errorf("text/plain: %s", w.Body)
	}
	// A raster has values, not features: no GML.
	w = serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/depth/viridis/WebMercatorQuad/1/1/1/0/0.gml"))
	if code, locator := owsExceptionOf(t, w.Body.Bytes()); w.Code != http.StatusBadRequest || code != "InvalidParameterValue" || locator != "info_format" {
		t.Errorf("GML of a value raster: %d %s %s, want 400 InvalidParameterValue info_format", w.Code, code, locator)
	}
	var caps struct {
		Layers []struct {
			Identifier  string   `xml:"Identifier"`
			InfoFormats []string `xml:"InfoFormat"`
		} `xml:"Contents>Layer"`
	}
	if err := xml.Unmarshal(serve(h, httptestRequest(http.MethodGet, "/wmts/1.0.0/WMTSCapabilities.xml")).Body.Bytes(), &caps); err != nil {
		t.Fatal(err)
	}
	for _, l := range caps.Layers {
		if l.Identifier == "depth" && strings.Join(l.InfoFormats, ",") != "text/html,text/plain,application/json" {
			t.Errorf("the value raster's InfoFormats: %v", l.InfoFormats)
		}
	}
	colour, _ := colourServer(t)
	w = serve(colour, httptestRequest(http.MethodGet, "/wmts/1.0.0/scan/default/WebMercatorQuad/1/1/1/0/0.html"))
	if code, _ := owsExceptionOf(t, w.Body.Bytes()); w.Code != http.StatusNotImplemented || code != "OperationNotSupported" {
		t.Errorf("a colour layer: %d %s, want 501 OperationNotSupported", w.Code, code)
	}
}

// TestWMTSFeatureInfoExceptions: a pixel outside the tile is
// PointIJOutOfRange, other faults the GetTile exceptions, all 400.
func TestWMTSFeatureInfoExceptions(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=units&STYLE=geology-age&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=9&TILEROW=290&TILECOL=421&J=10&I=20&INFO_FORMAT=text/plain"
	for _, c := range []struct {
		target, code, locator string
	}{
		{strings.Replace(kvp, "I=20", "I=256", 1), "PointIJOutOfRange", "i"},
		{strings.Replace(kvp, "J=10", "J=-1", 1), "PointIJOutOfRange", "j"},
		{strings.Replace(kvp, "J=10", "J=x", 1), "PointIJOutOfRange", "j"},
		{"/wmts/1.0.0/units/geology-age/WebMercatorQuad/9/290/421/10/300.json", "PointIJOutOfRange", "i"},
		{strings.Replace(kvp, "&I=20", "", 1), "MissingParameterValue", "i"},
		{strings.Replace(kvp, "INFO_FORMAT=text/plain", "INFO_FORMAT=application/vnd.ogc.gml", 1), "InvalidParameterValue", "info_format"},
		{strings.Replace(kvp, "INFO_FORMAT=text/plain", "INFO_FORMAT=application/gml%2Bxml;%20version=3.1", 1), "InvalidParameterValue", "info_format"},
		{strings.Replace(kvp, "STYLE=geology-age", "STYLE=viridis", 1), "InvalidParameterValue", "style"},
		{strings.Replace(kvp, "TILEROW=290", "TILEROW=512", 1), "TileOutOfRange", "tilerow"},
		{strings.Replace(kvp, "LAYER=units", "LAYER=nope", 1), "InvalidParameterValue", "layer"},
		{kvp + "&FEATURE_COUNT=0", "InvalidParameterValue", "feature_count"},
	} {
		w := serve(fx.h, httptestRequest(http.MethodGet, c.target))
		code, locator := owsExceptionOf(t, w.Body.Bytes())
		if w.Code != http.StatusBadRequest || code != c.code || locator != c.locator {
			t.Errorf("%s: %d %s %s, want 400 %s %s", c.target, w.Code, code, locator, c.code, c.locator)
		}
	}
}

// TestWMTSFeatureInfoCapabilities: every vector layer lists the four
// InfoFormats (GML last, as GDAL asks in the first) and a FeatureInfo
// ResourceURL template for each, which answers when filled in;
// GetFeatureInfo is an operation.
func TestWMTSFeatureInfoCapabilities(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	var doc struct {
		Ops []struct {
			Name string `xml:"name,attr"`
		} `xml:"OperationsMetadata>Operation"`
		Layers []struct {
			Identifier  string   `xml:"Identifier"`
			InfoFormats []string `xml:"InfoFormat"`
			Resources   []struct {
				Format       string `xml:"format,attr"`
				ResourceType string `xml:"resourceType,attr"`
				Template     string `xml:"template,attr"`
			} `xml:"ResourceURL"`
		} `xml:"Contents>Layer"`
	}
	if err := xml.Unmarshal(serve(fx.h, httptestRequest(http.MethodGet, "/wmts/1.0.0/WMTSCapabilities.xml")).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Ops) != 3 || doc.Ops[2].Name != "GetFeatureInfo" {
		t.Errorf("operations %+v", doc.Ops)
	}
	for _, l := range doc.Layers {
		if strings.Join(l.InfoFormats, ",") != "text/html,text/plain,application/json,application/gml+xml; version=3.2" {
			t.Errorf("%s: InfoFormats %v", l.Identifier, l.InfoFormats)
		}
		n := 0
		for _, r := range l.Resources {
			if r.ResourceType != "FeatureInfo" {
				continue
			}
			n++
			col, row, x, y := tilePixel(117.5, -21.5, 9)
			target := strings.NewReplacer("{Style}", "default", "{TileMatrixSet}", "WebMercatorQuad", "{TileMatrix}", "9",
				"{TileRow}", strconv.Itoa(row), "{TileCol}", strconv.Itoa(col), "{J}", strconv.Itoa(y), "{I}", strconv.Itoa(x)).Replace(r.Template)
			w := serve(fx.h, httptestRequest(http.MethodGet, strings.TrimPrefix(target, "http://example.com")))
			if ct := strings.TrimSuffix(w.Header().Get("Content-Type"), "; charset=utf-8"); w.Code != http.StatusOK || ct != r.Format {
				t.Errorf("%s: %d %q, want 200 %s", target, w.Code, ct, r.Format)
			}
		}
		if n != 4 {
			t.Errorf("%s: %d FeatureInfo resources, want 4", l.Identifier, n)
		}
	}
}
