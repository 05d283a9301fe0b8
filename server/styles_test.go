package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// Vocabulary URIs of the style fixture.
const (
	icsPermian   = "http://resource.geosciml.org/classifier/ics/ischart/Permian"
	icsJurassic  = "http://resource.geosciml.org/classifier/ics/ischart/Jurassic"
	lithGranite  = "http://resource.geosciml.org/classifier/cgi/lithology/granite"
	lithGravel   = "http://resource.geosciml.org/classifier/cgi/lithology/gravel"
	nilMissing   = "http://www.opengis.net/def/nil/OGC/0/missing"
	nilUnknown   = "http://www.opengis.net/def/nil/OGC/0/unknown"
	unitsReport  = `{"mapping":"units.yaml","view":"GeologicUnitView","features":4,"unmapped":[{"field":"representativeLithology_uri","source":["rock"],"value":"pyroxenite?","reason":"not in values or the vocabulary's labels","features":1}]}`
	unitsID      = "units"
	staleUnitsID = "stale"
)

// styleFixture is a server over a store with a harmonised geology tileset
// ("units": 2 Permian, 1 Jurassic and 1 undated unit; 2 granites, a gravel
// and an unknown lithology; Thai as its language; a stored report), the faults
// tileset, which was not harmonised, and "stale", which has an age field
// but no value counts, as a tileset written before they were stored.
func styleFixture(t testing.TB) http.Handler {
	t.Helper()
	dir := t.TempDir()
	fields := []tileset.Field{
		{Name: "representativeAge_uri", Type: "string"},
		{Name: "representativeLithology_uri", Type: "string"},
		{Name: "name", Type: "string"},
	}
	w, err := tileset.Create(dir, unitsID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutMeta(tileset.MetaHarmonisation, []byte(unitsReport)); err != nil {
		t.Fatal(err)
	}
	err = w.Commit(&tileset.Metadata{
		Title: "Units", Layer: unitsID, GeometryType: "polygon", Fields: fields,
		Bounds: [4]float64{100, 10, 105, 15}, Center: [3]float64{102.5, 12.5, 5}, MinZoom: 0, MaxZoom: 8, FeatureCount: 4,
		Language: "th",
		ValueCounts: map[string]map[string]int64{
			"representativeAge_uri":       {icsPermian: 2, icsJurassic: 1, nilMissing: 1},
			"representativeLithology_uri": {lithGranite: 2, lithGravel: 1, nilUnknown: 1},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	commit(t, dir, staleUnitsID, nil, &tileset.Metadata{
		Title: "Stale", Layer: staleUnitsID, GeometryType: "polygon", Fields: fields[:1],
		Bounds: [4]float64{100, 10, 105, 15}, MinZoom: 0, MaxZoom: 8,
	})
	writeFaults(t, dir)
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
}

func TestStyleList(t *testing.T) {
	h := styleFixture(t)
	w := serve(h, httptestRequest(http.MethodGet, "/styles"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc styleList
	decodeJSON(t, w, &doc)
	got := map[string]styleInfo{}
	var order []string
	for _, s := range doc.Styles {
		got[s.ID] = s
		order = append(order, s.ID)
	}
	want := []string{"faults.default", "stale.default", "units.geology-age", "units.geology-lithology", "units.default", "all"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("styles %q, want %q", order, want)
	}
	age := got["units.geology-age"]
	if !age.Default || age.Tileset != unitsID || age.Kind != "geology-age" || got["units.default"].Default {
		t.Errorf("units.geology-age: %+v; want the default style of units", age)
	}
	if !strings.Contains(age.Title, "Units") || !strings.Contains(age.Title, "age") {
		t.Errorf("title %q", age.Title)
	}
	sheets := map[string]string{}
	for _, l := range age.Links {
		if l.Rel == "stylesheet" {
			sheets[l.Type] = l.Href
		}
	}
	for typ, want := range map[string]string{
		styleType: "http://example.com/styles/units.geology-age.json", styles.SLDType: "http://example.com/styles/units.geology-age.sld",
		styles.QMLType: "http://example.com/styles/units.geology-age.qml",
	} {
		if sheets[typ] != want {
			t.Errorf("stylesheet link of type %s: %q, want %q", typ, sheets[typ], want)
		}
	}
}

// styleDoc is what the tests read of a MapLibre style.
type styleDoc struct {
	Version int
	Sources map[string]struct{ Type, URL string }
	Layers  []struct {
		ID, Type string
		Source   string
		Layer    string `json:"source-layer"`
		Paint    map[string]any
	}
}

// matchColours reads a ["match", ["get", f], [v…], colour, …, fallback]
// expression into value -> colour.
func matchColours(t *testing.T, expr any) map[string]string {
	t.Helper()
	e, ok := expr.([]any)
	if !ok || len(e) < 4 || e[0] != "match" {
		t.Fatalf("colour %v is not a match expression", expr)
	}
	out := map[string]string{}
	for i := 2; i+1 < len(e); i += 2 {
		labels, _ := e[i].([]any)
		for _, l := range labels {
			out[l.(string)] = e[i+1].(string)
		}
	}
	return out
}

// TestStyleDocument: the age style fills each unit with the ICS chart's
// exact colour, from a source on the server's own TileJSON as the request
// (or a proxy's headers) names it.
func TestStyleDocument(t *testing.T) {
	h := styleFixture(t)
	w := serve(h, httptestRequest(http.MethodGet, "/styles/units.geology-age.json", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "geo.example.org"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != styleType {
		t.Errorf("Content-Type %q, want %s", ct, styleType)
	}
	var doc styleDoc
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 8 || doc.Sources[unitsID].URL != "https://geo.example.org/tiles/units.json" {
		t.Errorf("version %d, sources %+v", doc.Version, doc.Sources)
	}
	fills := 0
	for _, l := range doc.Layers {
		if l.Type != "fill" {
			continue
		}
		fills++
		if l.Source != unitsID || l.Layer != unitsID {
			t.Errorf("fill layer %s reads %s/%s", l.ID, l.Source, l.Layer)
		}
		c := matchColours(t, l.Paint["fill-color"])
		if c[icsPermian] != "#F04028" || c[icsJurassic] != "#34B2C9" || len(c) != 2 {
			t.Errorf("fill colours %v; want Permian #F04028 and Jurassic #34B2C9 only", c)
		}
	}
	if fills != 1 {
		t.Errorf("%d fill layers, want 1", fills)
	}

	// Revalidation by ETag.
	etag := w.Header().Get("ETag")
	w = serve(h, httptestRequest(http.MethodGet, "/styles/units.geology-age.json", "If-None-Match", etag, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "geo.example.org"))
	if etag == "" || w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, w.Code)
	}

	// The whole store in one style: a source per tileset.
	w = serve(h, httptestRequest(http.MethodGet, "/styles/all.json"))
	var all styleDoc
	if err := json.Unmarshal(w.Body.Bytes(), &all); w.Code != http.StatusOK || err != nil {
		t.Fatalf("all: status %d, %v", w.Code, err)
	}
	for _, id := range []string{unitsID, faultsID, staleUnitsID} {
		if all.Sources[id].URL != "http://example.com/tiles/"+id+".json" {
			t.Errorf("combined style's source %s: %+v", id, all.Sources[id])
		}
	}
}

func TestStyleErrors(t *testing.T) {
	h := styleFixture(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
		says   string
	}{
		{"/styles/units.faults-type.json", 404, "NotFound", "has no faults-type style"},
		{"/styles/nope.geology-age.json", 404, "NotFound", `no tileset "nope"`},
		{"/styles/units.json", 404, "NotFound", "{tileset}.{kind}"},
		{"/styles/units.sepia.json", 404, "NotFound", "GET /styles"},
		// A tileset with a thematic field but no counts offers only its
		// default style rather than failing.
		{"/styles/stale.geology-age.json", 404, "NotFound", "has no geology-age style"},
		{"/styles/units.default.json?lang=%21%21", 400, "InvalidParameterValue", "BCP 47"},
		{"/styles?lang=%3Cscript%3E", 400, "InvalidParameterValue", "BCP 47"},
	} {
		w := serve(h, httptestRequest(http.MethodGet, tc.path))
		e := wantError(t, w, tc.status, tc.code)
		if !strings.Contains(e.Description, tc.says) {
			t.Errorf("%s: %q does not say %q", tc.path, e.Description, tc.says)
		}
	}
	if w := serve(h, httptestRequest(http.MethodGet, "/styles/stale.default.json")); w.Code != http.StatusOK {
		t.Errorf("stale.default: status %d", w.Code)
	}
	if w := serve(h, httptestRequest(http.MethodHead, "/styles/units.default.json")); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d bytes", w.Code, w.Body.Len())
	}
}

// TestStyleDesktopEncodings serves a tileset's style as SLD and QML: the
// media type, a download name, the units' ICS colours, and the errors of
// the MapLibre route (the combined style has neither encoding).
func TestStyleDesktopEncodings(t *testing.T) {
	h := styleFixture(t)
	for ext, typ := range map[string]string{"sld": styles.SLDType, "qml": styles.QMLType} {
		w := serve(h, httptestRequest(http.MethodGet, "/styles/units.geology-age."+ext))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != typ {
			t.Fatalf("%s: status %d, Content-Type %q: %s", ext, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		if cd := w.Header().Get("Content-Disposition"); cd != `inline; filename="units.geology-age.`+ext+`"` {
			t.Errorf("%s: Content-Disposition %q", ext, cd)
		}
		body := w.Body.String()
		permian, jurassic := "#F04028", "#34B2C9"
		if ext == "qml" {
			permian, jurassic = "240,64,40,255", "52,178,201,255"
		}
		for _, want := range []string{permian, jurassic, icsPermian, icsJurassic} {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not hold %s:\n%s", ext, want, body)
			}
		}
		if ext == "sld" && !strings.Contains(body, "<se:Name>units</se:Name>") {
			t.Errorf("the SLD does not name the layer units:\n%s", body)
		}
		for path, says := range map[string]string{
			"/styles/all." + ext:                         "per tileset",
			"/styles/units.faults-type." + ext:           "has no faults-type style",
			"/styles/nope.geology-age." + ext:            `no tileset "nope"`,
			"/styles/units.default." + ext + "?lang=%21": "BCP 47",
		} {
			w := serve(h, httptestRequest(http.MethodGet, path))
			code, status := "NotFound", http.StatusNotFound
			if strings.Contains(path, "lang") {
				code, status = "InvalidParameterValue", http.StatusBadRequest
			}
			if e := wantError(t, w, status, code); !strings.Contains(e.Description, says) {
				t.Errorf("%s: %q does not say %q", path, e.Description, says)
			}
		}
	}
}

// BenchmarkStyles measures generating a tileset's styles, which the
// server does per request, beside serving one of them whole.
func BenchmarkStyles(b *testing.B) {
	h := styleFixture(b)
	b.Run("request", func(b *testing.B) {
		for b.Loop() {
			serve(h, httptestRequest(http.MethodGet, "/styles/units.geology-age.json"))
		}
	})
	b.Run("generate", func(b *testing.B) {
		srv := &server{log: slog.New(slog.DiscardHandler)}
		meta := &tileset.Metadata{ID: unitsID, Layer: unitsID, GeometryType: "polygon",
			Fields:      []tileset.Field{{Name: "representativeAge_uri", Type: "string"}, {Name: "representativeLithology_uri", Type: "string"}},
			ValueCounts: map[string]map[string]int64{"representativeAge_uri": {icsPermian: 2, icsJurassic: 1}, "representativeLithology_uri": {lithGranite: 3}}}
		for b.Loop() {
			srv.stylesOf(unitsID, meta, "http://example.com", "")
		}
	})
}

// TestRasterStyles: a raster tileset has a MapLibre style of its raster
// source and layer (and a single-band one a terrain style), listed in /styles without SLD or QML (asking for them
// is a 404 naming the XYZ tiles), and the combined style draws it under
// the geology.
func TestRasterStyles(t *testing.T) {
	h := rasterServer(t)
	var list styleList
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/styles")), &list)
	var kinds []string
	for _, st := range list.Styles {
		if st.Tileset != "depth" {
			continue
		}
		kinds = append(kinds, st.Kind)
		if st.ID != "depth."+st.Kind || st.Default != (st.Kind == "raster") {
			t.Errorf("raster style %+v", st)
		}
		for _, l := range st.Links {
			if l.Type != styleType && l.Rel == "stylesheet" {
				t.Errorf("raster style links %s (%s); MapLibre only", l.Href, l.Type)
			}
		}
	}
	if len(kinds) != 2 || kinds[0] != "raster" || kinds[1] != "terrain" {
		t.Fatalf("/styles lists the raster's styles %q, want raster (the default) and terrain: %+v", kinds, list.Styles)
	}
	w := serve(h, httptestRequest(http.MethodGet, "/styles/depth.raster.json"))
	if w.Code != http.StatusOK {
		t.Fatalf("/styles/depth.raster.json: %d %s", w.Code, w.Body)
	}
	var doc struct {
		Sources map[string]struct {
			Type, URL string
			TileSize  int
		}
		Layers []struct{ ID, Type, Source string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	src := doc.Sources["depth"]
	if src.Type != "raster" || !strings.HasSuffix(src.URL, "/tiles/depth.json") || src.TileSize != 4 {
		t.Errorf("source %+v, want the raster TileJSON with tileSize 4", src)
	}
	if len(doc.Layers) != 2 || doc.Layers[1].Type != "raster" || doc.Layers[1].Source != "depth" {
		t.Errorf("layers %+v, want a background and the raster", doc.Layers)
	}
	for _, ext := range []string{".sld", ".qml"} {
		e := wantError(t, serve(h, httptestRequest(http.MethodGet, "/styles/depth.raster"+ext)), http.StatusNotFound, "NotFound")
		if !strings.Contains(e.Description, "/tiles/depth/{z}/{x}/{y}.png") {
			t.Errorf("%s: %q does not name the XYZ tiles", ext, e.Description)
		}
	}
	w = serve(h, httptestRequest(http.MethodGet, "/styles/all.json"))
	if w.Code != http.StatusOK {
		t.Fatalf("/styles/all.json with a raster in the store: %d %s", w.Code, w.Body)
	}
	doc.Layers = nil
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Layers) < 3 || doc.Layers[1].Type != "raster" || doc.Layers[2].Type != "fill" {
		t.Errorf("combined layers %+v, want the raster over the background, under the fills", doc.Layers)
	}
}
