package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

const (
	icsURI    = "http://resource.geosciml.org/classifier/ics/ischart/"
	lithURI   = "http://resource.geosciml.org/classifier/cgi/lithology/"
	faultURI  = "http://resource.geosciml.org/classifier/cgi/faulttype/"
	commodURI = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
)

// wmsFixtureViews are the views the fixture's collections were harmonised
// onto, so that the WFS and GetFeatureInfo's GML serve them as those views.
var wmsFixtureViews = map[string]string{
	"units": harmonise.ViewGeologicUnit, "faults": harmonise.ViewShearDisplacementStructure, "occurrences": harmonise.ViewMineralOccurrence,
}

// The WMS fixture: harmonised collections with stored features, in the
// window 116..118 E, 23..21 S.
//
//   - "units": polygons; 1 Permian granite, the square 116..117 × -23..-22
//     with the hole 116.4..116.6 × -22.6..-22.4; 2 Neoarchean basalt, the
//     square 117..118 × -23..-22.
//   - "faults": lines; 1 a thrust along -21.5 from 116 to 118; 2 of no
//     type along 116.505 E (the centres of pixel column 50) from -21.9 to
//     -21.1, drawn upwards from pixel row 90.
//   - "occurrences": points; 1 gold at 117.5, -21.5.
type wmsFixture struct {
	h     http.Handler
	store *store.Store
	metas map[string]*tileset.Metadata
}

func commitFeatures(t testing.TB, dir, id, geom string, fields []string, counts styles.Counts, fs []*geojson.Feature, edits ...func(id string, m *tileset.Metadata)) *tileset.Metadata {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutFeatures(fs); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	if v := wmsFixtureViews[id]; v != "" {
		if err := w.PutMeta(tileset.MetaHarmonisation, []byte(`{"view":"`+v+`"}`)); err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	meta := &tileset.Metadata{
		Title: "WMS " + id, Attribution: "Outcrop tests", Layer: id, GeometryType: geom,
		Bounds: [4]float64{116, -23, 118, -21}, Center: [3]float64{117, -22, 7}, MinZoom: 0, MaxZoom: 10,
		FeatureCount: int64(len(fs)), ValueCounts: counts, Source: tileset.Source{Scale: 500000},
	}
	for _, f := range fields {
		meta.Fields = append(meta.Fields, tileset.Field{Name: f, Type: "string"})
	}
	for _, edit := range edits {
		edit(id, meta)
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta
}

func feature(id int, g orb.Geometry, kv ...string) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	for i := 0; i+1 < len(kv); i += 2 {
		f.Properties[kv[i]] = kv[i+1]
	}
	return f
}

// newWMSFixture serves the fixture with cfg; edits change the metadata of
// the collections before they are written.
func newWMSFixture(t testing.TB, cfg Config, edits ...func(id string, m *tileset.Metadata)) *wmsFixture {
	t.Helper()
	dir := t.TempDir()
	fx := &wmsFixture{metas: map[string]*tileset.Metadata{}}
	square := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	fx.metas["units"] = commitFeatures(t, dir, "units", "polygon", []string{"name", styles.FieldAge, styles.FieldLithology},
		styles.Counts{styles.FieldAge: {icsURI + "Permian": 1, icsURI + "Neoarchean": 1}, styles.FieldLithology: {lithURI + "granite": 1, lithURI + "basalt": 1}},
		[]*geojson.Feature{
			feature(1, orb.Polygon{square(116, -23, 117, -22), square(116.4, -22.6, 116.6, -22.4)}, "name", "Granite <one>", styles.FieldAge, icsURI+"Permian", styles.FieldLithology, lithURI+"granite"),
			feature(2, orb.Polygon{square(117, -23, 118, -22)}, "name", "Basalt two", styles.FieldAge, icsURI+"Neoarchean", styles.FieldLithology, lithURI+"basalt"),
		}, edits...)
	fx.metas["faults"] = commitFeatures(t, dir, "faults", "line", []string{styles.FieldFaultType},
		styles.Counts{styles.FieldFaultType: {faultURI + "thrust_fault": 1, "http://example.org/unknown": 1}},
		[]*geojson.Feature{
			feature(1, orb.LineString{{116, -21.5}, {118, -21.5}}, styles.FieldFaultType, faultURI+"thrust_fault"),
			feature(2, orb.LineString{{116.505, -21.9}, {116.505, -21.1}}, styles.FieldFaultType, "http://example.org/unknown"),
		}, edits...)
	fx.metas["occurrences"] = commitFeatures(t, dir, "occurrences", "point", []string{styles.FieldCommodity},
		styles.Counts{styles.FieldCommodity: {commodURI + "Au": 1}},
		[]*geojson.Feature{feature(1, orb.Point{117.5, -21.5}, styles.FieldCommodity, commodURI+"Au")}, edits...)
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx.store = st
	cfg.Catalog = st
	cfg.Logger = slog.New(slog.DiscardHandler)
	fx.h = New(cfg)
	return fx
}

func (fx *wmsFixture) get(t testing.TB, q string) *http.Response {
	t.Helper()
	w := serve(fx.h, httptestRequest(http.MethodGet, "/wms?"+q))
	return w.Result()
}

// symbolColour is the colour the style of kind draws value of field with,
// from the styles package itself.
func (fx *wmsFixture) symbolColour(t testing.TB, id, kind, value string) color.RGBA {
	t.Helper()
	st, err := styles.ForKind(fx.metas[id], kind, fx.metas[id].ValueCounts, styles.Options{Base: "http://example.com"})
	if err != nil {
		t.Fatal(err)
	}
	syms, err := st.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		if s.All || s.Fallback && value == "" || contains(s.Values, value) {
			c := s.Fill
			if s.Kind == "line" {
				c = s.Stroke
			}
			return hexRGBA(t, c)
		}
	}
	t.Fatalf("no symbol of %s %s for %q", id, kind, value)
	return color.RGBA{}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func hexRGBA(t testing.TB, s string) color.RGBA {
	t.Helper()
	n, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 {
		t.Fatalf("colour %q is not #RRGGBB", s)
	}
	return color.RGBA{uint8(n >> 16), uint8(n >> 8), uint8(n), 255}
}

func decodeImage(t testing.TB, resp *http.Response, wantType string) image.Image {
	t.Helper()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != wantType {
		t.Fatalf("status %d, type %q, want 200 %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), wantType, b.String())
	}
	var img image.Image
	var err error
	if wantType == pngType {
		img, err = png.Decode(&b)
	} else {
		img, err = jpeg.Decode(&b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	return color.RGBA{c.R, c.G, c.B, c.A}
}

// getMap130 is a 200×200 GetMap of the fixture window in CRS:84, one pixel
// per 0.01°: pixel (x, y) has its centre at 116.005+0.01x, -21.005-0.01y.
func getMap130(layers, styleNames string, extra ...string) string {
	q := url.Values{"SERVICE": {"WMS"}, "VERSION": {"1.3.0"}, "REQUEST": {"GetMap"}, "LAYERS": {layers}, "STYLES": {styleNames},
		"CRS": {"CRS:84"}, "BBOX": {"116,-23,118,-21"}, "WIDTH": {"200"}, "HEIGHT": {"200"}, "FORMAT": {"image/png"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q.Encode()
}

// TestWMSGetMapColours checks, for every style of every layer, that the
// pixel inside a unit, on a line and on a point is the colour the style
// gives that feature, and that outside features the background shows.
func TestWMSGetMapColours(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	cases := []struct {
		layer, kind string
		x, y        int
		value       string
	}{
		{"units", styles.KindGeologyAge, 20, 150, icsURI + "Permian"},
		{"units", styles.KindGeologyAge, 150, 150, icsURI + "Neoarchean"},
		{"units", styles.KindGeologyLithology, 20, 150, lithURI + "granite"},
		{"units", styles.KindGeologyLithology, 150, 150, lithURI + "basalt"},
		{"faults", styles.KindFaultType, 100, 50, faultURI + "thrust_fault"},
		{"faults", styles.KindFaultType, 50, 88, ""}, // the fallback's first dash
		{"occurrences", styles.KindOccurrenceCommodity, 150, 50, commodURI + "Au"},
	}
	for _, c := range cases {
		img := decodeImage(t, fx.get(t, getMap130(c.layer, c.kind)), pngType)
		want := fx.symbolColour(t, c.layer, c.kind, c.value)
		if got := rgbaAt(img, c.x, c.y); got != want {
			t.Errorf("%s %s: pixel (%d,%d) is %v, want the style's %v", c.layer, c.kind, c.x, c.y, got, want)
		}
		if got := rgbaAt(img, 199, 0); got != (color.RGBA{255, 255, 255, 255}) {
			t.Errorf("%s %s: the empty corner is %v, want the white background", c.layer, c.kind, got)
		}
	}
	// The hole of unit 1 shows the background.
	img := decodeImage(t, fx.get(t, getMap130("units", "")), pngType)
	if got := rgbaAt(img, 50, 150); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("the hole of unit 1 is %v, want the background", got)
	}
}

// TestWMSGetMapLayersAndBackground checks several layers drawn in order
// (the fault over the unit), TRANSPARENT, BGCOLOR and JPEG.
func TestWMSGetMapLayersAndBackground(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	img := decodeImage(t, fx.get(t, getMap130("units,faults", ",", "TRANSPARENT", "TRUE",
		"BBOX", "116,-23,118,-21")), pngType)
	if got := rgbaAt(img, 199, 0); got.A != 0 {
		t.Errorf("transparent map: empty pixel %v, want alpha 0", got)
	}
	thrust := fx.symbolColour(t, "faults", styles.KindFaultType, faultURI+"thrust_fault")
	if got := rgbaAt(img, 100, 50); got != thrust {
		t.Errorf("fault pixel %v, want %v", got, thrust)
	}
	img = decodeImage(t, fx.get(t, getMap130("units", "", "BGCOLOR", "0x102030")), pngType)
	if got := rgbaAt(img, 199, 0); got != (color.RGBA{0x10, 0x20, 0x30, 255}) {
		t.Errorf("BGCOLOR 0x102030: empty pixel %v", got)
	}
	img = decodeImage(t, fx.get(t, getMap130("units", "", "FORMAT", "image/jpeg")), jpegType)
	want := fx.symbolColour(t, "units", styles.KindGeologyAge, icsURI+"Neoarchean")
	if got := rgbaAt(img, 150, 150); !closeRGBA(got, want, 6) {
		t.Errorf("JPEG unit pixel %v, want about %v", got, want)
	}
}

func closeRGBA(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// TestWMSAxisOrder checks that EPSG:4326 in 1.3.0 (latitude first), CRS:84
// and EPSG:4326 in 1.1.1 (longitude first) give the same image, and that
// EPSG:3857 draws the units where they are.
func TestWMSAxisOrder(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	body := func(q string) []byte {
		resp := fx.get(t, q)
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, b.String())
		}
		return b.Bytes()
	}
	crs84 := body(getMap130("units,faults,occurrences", ""))
	epsg4326 := body(getMap130("units,faults,occurrences", "", "CRS", "EPSG:4326", "BBOX", "-23,116,-21,118"))
	v111 := body(getMap130("units,faults,occurrences", "", "VERSION", "1.1.1", "SRS", "EPSG:4326", "CRS", ""))
	if !bytes.Equal(crs84, epsg4326) {
		t.Error("1.3.0 EPSG:4326 (lat,lon) and CRS:84 give different images")
	}
	if !bytes.Equal(crs84, v111) {
		t.Error("1.1.1 EPSG:4326 and 1.3.0 CRS:84 give different images")
	}
	// 116..118 E, 23..21 S in Web Mercator metres.
	img := decodeImage(t, fx.get(t, getMap130("units", "", "CRS", "EPSG:3857", "BBOX", "12913060.93,-2632018.64,13135699.91,-2391878.59")), pngType)
	want := fx.symbolColour(t, "units", styles.KindGeologyAge, icsURI+"Neoarchean")
	if got := rgbaAt(img, 150, 150); got != want {
		t.Errorf("EPSG:3857 unit pixel %v, want %v", got, want)
	}
}

// TestWMSGetFeatureInfo checks the features found at a pixel in each
// format: inside a unit, not in its hole, near a line, FEATURE_COUNT.
func TestWMSGetFeatureInfo(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	info := func(layers string, i, j int, format string, extra ...string) (int, string) {
		q := getMap130(layers, "", append([]string{"REQUEST", "GetFeatureInfo", "QUERY_LAYERS", layers, "I", itoa(i), "J", itoa(j), "INFO_FORMAT", format}, extra...)...)
		resp := fx.get(t, q)
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	ids := func(body string) []string {
		var doc struct {
			Features []struct {
				ID    json.Number `json:"id"`
				Layer string      `json:"layer"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		var out []string
		for _, f := range doc.Features {
			out = append(out, f.Layer+"/"+f.ID.String())
		}
		return out
	}
	for _, c := range []struct {
		layers string
		i, j   int
		want   string
	}{
		{"units", 20, 150, "units/1"},
		{"units", 150, 150, "units/2"},
		{"units", 50, 150, ""},                // the hole
		{"faults", 100, 52, "faults/1"},       // 2 px from the thrust
		{"faults", 100, 60, ""},               // 10 px away
		{"units,faults", 100, 50, "faults/1"}, // nothing under the fault
		{"units,occurrences", 150, 50, "occurrences/1"},
	} {
		status, body := info(c.layers, c.i, c.j, "application/json")
		if got := strings.Join(ids(body), ","); status != 200 || got != c.want {
			t.Errorf("%s at (%d,%d): %d %q, want %q", c.layers, c.i, c.j, status, got, c.want)
		}
	}
	// Both layers, topmost first, at the point where the thrust crosses
	// the fault of unknown type: FEATURE_COUNT bounds each layer.
	if _, body := info("units,faults", 50, 50, "application/json", "FEATURE_COUNT", "5"); strings.Join(ids(body), ",") != "faults/1,faults/2" {
		t.Errorf("FEATURE_COUNT=5 at the crossing: %s", body)
	}
	if _, body := info("faults", 50, 50, "application/json"); len(ids(body)) != 1 {
		t.Errorf("FEATURE_COUNT default 1 at the crossing: %s", body)
	}
	_, text := info("units", 20, 150, "text/plain")
	if !strings.Contains(text, "Layer 'units'") || !strings.Contains(text, "name = 'Granite <one>'") || !strings.Contains(text, icsURI+"Permian") {
		t.Errorf("text/plain: %s", text)
	}
	_, page := info("units", 20, 150, "text/html")
	if !strings.Contains(page, "Granite &lt;one&gt;") || strings.Contains(page, "<one>") {
		t.Errorf("text/html does not show the escaped name: %s", page)
	}
	// 1.1.1 takes X and Y.
	q := getMap130("units", "", "VERSION", "1.1.1", "SRS", "EPSG:4326", "CRS", "", "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units", "X", "150", "Y", "150", "INFO_FORMAT", "application/json")
	resp := fx.get(t, q)
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if got := ids(b.String()); len(got) != 1 || got[0] != "units/2" {
		t.Errorf("1.1.1 X,Y: %v", got)
	}
}

// wmsException decodes an exception report.
func wmsException(t testing.TB, resp *http.Response) (code, locator string) {
	t.Helper()
	var doc wmsExceptionReport
	if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("exception report: %v", err)
	}
	if doc.Exception.Text == "" {
		t.Error("exception without text")
	}
	return doc.Exception.Code, doc.Exception.Locator
}

// TestWMSExceptions checks the exception code and status of bad requests.
func TestWMSExceptions(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	gfi := func(kv ...string) string {
		return getMap130("units", "", append([]string{"REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units", "I", "1", "J", "1"}, kv...)...)
	}
	for _, c := range []struct {
		q, code string
	}{
		{getMap130("nope", ""), "LayerNotDefined"},
		{getMap130("units", "faults-type"), "StyleNotDefined"},
		{getMap130("units,faults", "geology-age"), "StyleNotDefined"},
		{getMap130("units", "", "CRS", "EPSG:9999"), "InvalidCRS"},
		{getMap130("units", "", "VERSION", "1.1.1", "SRS", "EPSG:9999"), "InvalidSRS"},
		{getMap130("units", "", "FORMAT", "image/gif"), "InvalidFormat"},
		{getMap130("units", "", "WIDTH", "5000"), "InvalidParameterValue"},
		{getMap130("units", "", "BBOX", "118,-21,116,-23"), "InvalidParameterValue"},
		{getMap130("units", "", "BBOX", "1,2,3"), "InvalidParameterValue"},
		{getMap130("units", "", "BGCOLOR", "red"), "InvalidParameterValue"},
		{getMap130("units", "", "HEIGHT", ""), "MissingParameterValue"},
		{"SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=units&CRS=CRS:84&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1&FORMAT=image/png", "MissingParameterValue"},
		{gfi("I", "200"), "InvalidPoint"},
		{gfi("J", "-1"), "InvalidPoint"},
		{gfi("INFO_FORMAT", "application/pdf"), "InvalidFormat"},
		{gfi("QUERY_LAYERS", "faults"), "LayerNotDefined"},
		{"SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=units&STYLE=nope&FORMAT=image/png", "StyleNotDefined"},
		{"SERVICE=WMS&REQUEST=DescribeLayer", "OperationNotSupported"},
		{"SERVICE=WFS&REQUEST=GetCapabilities", "InvalidParameterValue"},
	} {
		resp := fx.get(t, c.q)
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.ogc.se_xml") {
			t.Errorf("%s: status %d, type %s", c.q, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if code, _ := wmsException(t, resp); code != c.code {
			t.Errorf("%s: code %s, want %s", c.q, code, c.code)
		}
	}
}

// TestWMSGetMapIsHeavy checks that GetMap waits for nothing: past the
// heavy-request bound it is refused with 503 and Retry-After, while
// GetCapabilities is still served.
func TestWMSGetMapIsHeavy(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	s := newServer(Config{Catalog: fx.store, MaxHeavy: 1})
	s.heavy <- struct{}{} // another heavy request being served
	h := s.routes()
	resp := serve(h, httptestRequest(http.MethodGet, "/wms?"+getMap130("units", ""))).Result()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("GetMap past the bound: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if code, _ := wmsException(t, resp); code != "ServerBusy" {
		t.Errorf("code %s", code)
	}
	if resp := serve(h, httptestRequest(http.MethodGet, "/wms?SERVICE=WMS&REQUEST=GetCapabilities")); resp.Code != 200 {
		t.Errorf("GetCapabilities past the bound: %d", resp.Code)
	}
	s.heavy.leave()
	if resp := serve(h, httptestRequest(http.MethodGet, "/wms?"+getMap130("units", ""))); resp.Code != 200 {
		t.Errorf("GetMap after: %d", resp.Code)
	}
}

// TestWMSGetLegendGraphic checks each style's legend is a PNG whose first
// swatch has the first symbol's colour.
func TestWMSGetLegendGraphic(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	for _, c := range []struct{ layer, kind string }{
		{"units", styles.KindGeologyAge},
		{"units", styles.KindGeologyLithology},
		{"faults", styles.KindFaultType},
		{"occurrences", styles.KindOccurrenceCommodity},
	} {
		img := decodeImage(t, fx.get(t, "SERVICE=WMS&REQUEST=GetLegendGraphic&VERSION=1.3.0&SLD_VERSION=1.1.0&FORMAT=image/png&LAYER="+c.layer+"&STYLE="+c.kind), pngType)
		st, err := styles.ForKind(fx.metas[c.layer], c.kind, fx.metas[c.layer].ValueCounts, styles.Options{Base: "http://example.com"})
		if err != nil {
			t.Fatal(err)
		}
		first := st.Legends[0].Entries[0]
		want := hexRGBA(t, first.Colour)
		// The first row's swatch centre: 4 + 12, 4 + 6.
		if got := rgbaAt(img, 16, 10); got != want {
			t.Errorf("%s %s legend: first swatch %v, want %v", c.layer, c.kind, got, want)
		}
	}
}

// capsLayer is the part of a capabilities layer the tests read, in
// either version.
type capsLayer struct {
	Name     string   `xml:"Name"`
	Title    string   `xml:"Title"`
	Keywords []string `xml:"KeywordList>Keyword"`
	CRS      []string `xml:"CRS"`
	SRS      []string `xml:"SRS"`
	BBoxes   []struct {
		CRS  string `xml:"CRS,attr"`
		SRS  string `xml:"SRS,attr"`
		MinX string `xml:"minx,attr"`
		MinY string `xml:"miny,attr"`
	} `xml:"BoundingBox"`
	Styles []struct {
		Name   string `xml:"Name"`
		Legend struct {
			Online struct {
				Href string `xml:"href,attr"`
			} `xml:"OnlineResource"`
		} `xml:"LegendURL"`
	} `xml:"Style"`
	Layers []capsLayer `xml:"Layer"`
}

// TestWMSCapabilities checks both versions: the root element, the CRSs,
// one layer per vector collection with each of its styles and a legend
// that answers, the EPSG:4326 box latitude first in 1.3.0 only, and
// OneGeology's keywords and title form.
func TestWMSCapabilities(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	for _, c := range []struct{ version, root, contentType string }{
		{"1.3.0", "WMS_Capabilities", "text/xml"},
		{"1.1.1", "WMT_MS_Capabilities", "application/vnd.ogc.wms_xml"},
	} {
		resp := fx.get(t, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION="+c.version)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.contentType {
			t.Fatalf("%s: %d %s", c.version, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var doc struct {
			XMLName  xml.Name
			Version  string    `xml:"version,attr"`
			Keywords []string  `xml:"Service>KeywordList>Keyword"`
			Root     capsLayer `xml:"Capability>Layer"`
		}
		var raw bytes.Buffer
		raw.ReadFrom(resp.Body)
		if err := xml.Unmarshal(raw.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw.Bytes(), []byte("e+0")) || bytes.Contains(raw.Bytes(), []byte("<KeywordList></KeywordList>")) {
			t.Errorf("%s: numbers in exponent form or an empty keyword list:\n%s", c.version, raw.Bytes())
		}
		if doc.XMLName.Local != c.root || doc.Version != c.version {
			t.Errorf("%s: root %s version %s", c.version, doc.XMLName.Local, doc.Version)
		}
		crss := append(doc.Root.CRS, doc.Root.SRS...)
		if len(crss) < 4 || strings.Join(crss[:4], " ") != "EPSG:4326 CRS:84 EPSG:3857 EPSG:32646" || !contains(crss, "EPSG:24047") || !contains(crss, "EPSG:23830") {
			t.Errorf("%s: CRSs %v", c.version, crss)
		}
		if !contains(doc.Keywords, "OneGeology") || !contains(doc.Keywords, "MD_LANG@ENG") {
			t.Errorf("%s: service keywords %v", c.version, doc.Keywords)
		}
		names := map[string]capsLayer{}
		for _, l := range doc.Root.Layers {
			names[l.Name] = l
		}
		if len(names) != 3 {
			t.Errorf("%s: layers %v, want units, faults, occurrences", c.version, names)
		}
		u := names["units"]
		if u.Title != "WMS units 1:500k" {
			t.Errorf("%s: title %q, want the OneGeology scale form", c.version, u.Title)
		}
		if !contains(u.Keywords, "DS_TOPIC@geoscientificinformation") || !contains(u.Keywords, "dataprovider@Outcrop tests") {
			t.Errorf("%s: layer keywords %v", c.version, u.Keywords)
		}
		var kinds []string
		for _, s := range u.Styles {
			kinds = append(kinds, s.Name)
			href, err := url.Parse(s.Legend.Online.Href)
			if err != nil {
				t.Fatal(err)
			}
			if resp := fx.get(t, href.RawQuery); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != pngType {
				t.Errorf("%s: legend %s: %d", c.version, href, resp.StatusCode)
			}
		}
		if strings.Join(kinds, ",") != "geology-age,geology-lithology,default" {
			t.Errorf("%s: units styles %v", c.version, kinds)
		}
		for _, b := range u.BBoxes {
			if b.CRS+b.SRS != crsEPSG4326 {
				continue
			}
			latFirst := b.MinX == "-23" && b.MinY == "116"
			if latFirst != (c.version == "1.3.0") {
				t.Errorf("%s: EPSG:4326 box starts %s,%s", c.version, b.MinX, b.MinY)
			}
		}
	}
}

// TestWMSVersionNegotiation checks GetCapabilities answers the highest
// version not above the one asked for.
func TestWMSVersionNegotiation(t *testing.T) {
	for v, want := range map[string]string{"": "1.3.0", "1.3.0": "1.3.0", "2.0.0": "1.3.0", "1.1.1": "1.1.1", "1.2.0": "1.1.1", "1.0.0": "1.1.1"} {
		if got := negotiateWMSVersion(v); got != want {
			t.Errorf("VERSION=%s: %s, want %s", v, got, want)
		}
	}
}

// TestWMSGetMapETag checks a map's ETag names its parameters and its
// layers' versions: a revalidation is answered 304 without drawing (even
// with every drawing slot taken), another window or a new version of the
// collection gets another tag, and the tag sent with the map is the one
// the 304 confirms; both carry the maps' Cache-Control.
func TestWMSGetMapETag(t *testing.T) {
	dir := t.TempDir()
	unit := func(age string) []*geojson.Feature {
		return []*geojson.Feature{feature(1, orb.Polygon{{{116, -23}, {117, -23}, {117, -22}, {116, -22}, {116, -23}}},
			styles.FieldAge, icsURI+age)}
	}
	commitFeatures(t, dir, "units", "polygon", []string{styles.FieldAge}, styles.Counts{styles.FieldAge: {icsURI + "Permian": 1}}, unit("Permian"))
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newServer(Config{Catalog: st, MaxHeavy: 1, Logger: slog.New(slog.DiscardHandler)})
	h := s.routes()
	get := func(q string, kv ...string) *http.Response {
		return serve(h, httptestRequest(http.MethodGet, "/wms?"+q, kv...)).Result()
	}
	q := getMap130("units", "")
	resp := get(q)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("GetMap: %d, ETag %q, want 200 and a weak ETag", resp.StatusCode, etag)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != docLinked.cacheControl {
		t.Errorf("GetMap: Cache-Control %q, want %q", cc, docLinked.cacheControl)
	}
	if again := get(q).Header.Get("ETag"); again != etag {
		t.Errorf("the same map again has ETag %q, want %q", again, etag)
	}
	s.heavy <- struct{}{} // no drawing slot left: a 304 must not draw
	resp = get(q, "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified || resp.Header.Get("ETag") != etag {
		t.Errorf("revalidation: %d, ETag %q, want 304 with %q", resp.StatusCode, resp.Header.Get("ETag"), etag)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != docLinked.cacheControl {
		t.Errorf("revalidation: Cache-Control %q, want %q", cc, docLinked.cacheControl)
	}
	s.heavy.leave()
	if other := get(getMap130("units", "", "BBOX", "116,-23,117,-22")).Header.Get("ETag"); other == etag || other == "" {
		t.Errorf("another window has ETag %q, want one of its own", other)
	}

	commitFeatures(t, dir, "units", "polygon", []string{styles.FieldAge}, styles.Counts{styles.FieldAge: {icsURI + "Neoarchean": 1}}, unit("Neoarchean"))
	if err := st.Refresh(); err != nil {
		t.Fatal(err)
	}
	resp = get(q, "If-None-Match", etag)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Errorf("revalidation after a new version: %d, ETag %q, want 200 with a new ETag", resp.StatusCode, resp.Header.Get("ETag"))
	}
}
