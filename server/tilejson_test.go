package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// tileJSONDoc is what a client reads from TileJSON, decoded independently of
// the server's own types.
type tileJSONDoc struct {
	TileJSON     string    `json:"tilejson"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Attribution  string    `json:"attribution"`
	Scheme       string    `json:"scheme"`
	Tiles        []string  `json:"tiles"`
	MinZoom      *int      `json:"minzoom"`
	MaxZoom      *int      `json:"maxzoom"`
	Bounds       []float64 `json:"bounds"`
	Center       []float64 `json:"center"`
	VectorLayers []struct {
		ID      string          `json:"id"`
		Fields  json.RawMessage `json:"fields"`
		MinZoom *int            `json:"minzoom"`
		MaxZoom *int            `json:"maxzoom"`
	} `json:"vector_layers"`
}

func TestTileJSON(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/tiles/geology.json")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", w.Code, w.Body.String())
	}
	var doc tileJSONDoc
	decodeJSON(t, w, &doc)
	if doc.TileJSON != "3.0.0" || doc.Scheme != "xyz" || doc.Name != "Hamersley geology" ||
		doc.Description != "Bedrock geology around a granite" || doc.Attribution != "© Geological Survey of Western Australia" {
		t.Errorf("header members wrong: %+v", doc)
	}
	if len(doc.Tiles) != 1 || doc.Tiles[0] != "http://example.com/tiles/geology@"+f.geology.Version+"/{z}/{x}/{y}.mvt" {
		t.Errorf("tiles = %q, want the absolute template of the current version on the request's host", doc.Tiles)
	}
	if doc.MinZoom == nil || *doc.MinZoom != geologyMin || doc.MaxZoom == nil || *doc.MaxZoom != geologyMax {
		t.Errorf("zooms = %v..%v, want %d..%d", doc.MinZoom, doc.MaxZoom, geologyMin, geologyMax)
	}
	if !equalFloats(doc.Bounds, []float64{118.45, -22.55, 118.55, -22.45}) {
		t.Errorf("bounds = %v", doc.Bounds)
	}
	// The center's zoom is made a whole number, as TileJSON asks.
	if !equalFloats(doc.Center, []float64{118.5, -22.5, 6}) {
		t.Errorf("center = %v, want [118.5 -22.5 6]", doc.Center)
	}
	if len(doc.VectorLayers) != 1 {
		t.Fatalf("vector_layers = %d, want 1", len(doc.VectorLayers))
	}
	vl := doc.VectorLayers[0]
	if vl.ID != geologyLayer || *vl.MinZoom != geologyMin || *vl.MaxZoom != geologyMax {
		t.Errorf("vector layer = %s %v..%v", vl.ID, *vl.MinZoom, *vl.MaxZoom)
	}
	// The fields keep the tileset's order, with TileJSON's type names.
	want := `{"code":"String","age_ma":"Number","n_samples":"Number","active":"Boolean","mapped":"String"}`
	if got := compactJSON(t, vl.Fields); got != want {
		t.Errorf("fields = %s\nwant     %s", got, want)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("CORS header = %q", got)
	}
	if got := w.Header().Get("Cache-Control"); !strings.HasPrefix(got, "public, max-age=") {
		t.Errorf("Cache-Control = %q", got)
	}
}

func TestTileJSONAbsoluteURLs(t *testing.T) {
	plain := newFixture(t, Config{})
	for _, tc := range []struct {
		name   string
		header []string
		want   string
	}{
		{"host", []string{"Host", "tiles.example.org:8080"}, "http://tiles.example.org:8080"},
		{"x-forwarded", []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "maps.example.org"}, "https://maps.example.org"},
		{"x-forwarded chain", []string{"X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "maps.example.org, internal:8080"}, "https://maps.example.org"},
		{"x-forwarded prefix", []string{"X-Forwarded-Host", "maps.example.org", "X-Forwarded-Prefix", "/outcrop/"}, "http://maps.example.org/outcrop"},
		{"forwarded", []string{"Forwarded", `for=192.0.2.60;proto=https;host="gsi.example.org"`}, "https://gsi.example.org"},
		{"forwarded beats x-forwarded", []string{"Forwarded", "proto=https;host=a.example.org", "X-Forwarded-Host", "b.example.org"}, "https://a.example.org"},
		{"hostile values ignored", []string{"X-Forwarded-Proto", "javascript", "X-Forwarded-Host", `evil.org/"><script>`, "X-Forwarded-Prefix", "//evil.org"}, "http://example.com"},
	} {
		r := httptestRequest(http.MethodGet, "/tiles/geology.json", tc.header...)
		w := serve(plain.handler, r)
		var doc tileJSONDoc
		decodeJSON(t, w, &doc)
		if want := tc.want + "/tiles/geology@" + plain.geology.Version + "/{z}/{x}/{y}.mvt"; len(doc.Tiles) != 1 || doc.Tiles[0] != want {
			t.Errorf("%s: tiles = %q, want %s", tc.name, doc.Tiles, want)
		}
		if got := w.Header().Get("Vary"); !strings.Contains(got, "X-Forwarded-Host") {
			t.Errorf("%s: Vary = %q; links follow forwarding headers, so caches must key on them", tc.name, got)
		}
	}

	// A configured base URL wins over anything a request says.
	based := newFixture(t, Config{BaseURL: "https://data.example.org/outcrop/"})
	w := serve(based.handler, httptestRequest(http.MethodGet, "/tiles/geology.json", "X-Forwarded-Host", "other.example.org"))
	var doc tileJSONDoc
	decodeJSON(t, w, &doc)
	if want := "https://data.example.org/outcrop/tiles/geology@" + based.geology.Version + "/{z}/{x}/{y}.mvt"; doc.Tiles[0] != want {
		t.Errorf("with BaseURL: tiles = %q, want %s", doc.Tiles, want)
	}
	if got := w.Header().Get("Vary"); got != "" {
		t.Errorf("with BaseURL: Vary = %q; links no longer depend on the request", got)
	}
}

func TestTileJSONConditional(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/tiles/geology.json")
	etag := w.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := f.get(t, "/tiles/geology.json", "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidation: status %d with %d bytes, want 304", w.Code, w.Body.Len())
	}
	// Another host gets other links, hence another ETag.
	if w := f.get(t, "/tiles/geology.json", "If-None-Match", etag, "X-Forwarded-Host", "elsewhere.example.org"); w.Code != http.StatusOK {
		t.Errorf("revalidation from another host: status %d, want 200", w.Code)
	}
	head := f.do(t, http.MethodHead, "/tiles/geology.json", nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != w.Header().Get("Content-Length") {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q (GET %q)", head.Code, head.Body.Len(),
			head.Header().Get("Content-Length"), w.Header().Get("Content-Length"))
	}
}

func TestTileJSONUnknownTileset(t *testing.T) {
	f := newFixture(t, Config{})
	wantError(t, f.get(t, "/tiles/nosuch.json"), http.StatusNotFound, "NotFound")
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if d := a[i] - b[i]; d > 1e-9 || d < -1e-9 {
			return false
		}
	}
	return true
}

// compactJSON removes the whitespace from raw, keeping the order of members.
func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRasterTileJSON: a raster's TileJSON names its PNG tiles, its bands
// and the tiles' size in pixels, and no vector layer.
func TestRasterTileJSON(t *testing.T) {
	h := rasterServer(t)
	w := serve(h, httptestRequest(http.MethodGet, "/tiles/depth.json"))
	var tj tileJSON
	decodeJSON(t, w, &tj)
	if len(tj.Tiles) != 1 || !versionedTemplate(tj.Tiles[0], "depth", "png") {
		t.Errorf("tiles %q, want the PNG template", tj.Tiles)
	}
	if tj.TileSize != 4 || len(tj.Bands) != 1 || tj.Bands[0].Units != "km" || tj.VectorLayers != nil {
		t.Errorf("tile_size %d, bands %+v, vector_layers %+v; want 4, the km band and none", tj.TileSize, tj.Bands, tj.VectorLayers)
	}
}
