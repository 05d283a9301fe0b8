package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The fixture store holds two tilesets. "geology" has one polygon, feature
// 42, around granitePoint, in tiles at zooms 3 and 9 only, so that zooms 4 to
// 8 are inside the range but have no tile, and zoom 2 and 10 are outside it.
// "faults" has one line and exists to make listings plural.
const (
	geologyID    = "geology"
	geologyLayer = "geology"
	geologyMin   = 3
	geologyMax   = 9
	graniteID    = 42
	faultsID     = "faults"
)

// granitePoint lies in the GSWA Hamersley map area, WGS 84.
var granitePoint = orb.Point{118.5, -22.5}

var geologyFields = []tileset.Field{
	{Name: "code", Type: "string"},
	{Name: "age_ma", Type: "real"},
	{Name: "n_samples", Type: "integer"},
	{Name: "active", Type: "boolean"},
	{Name: "mapped", Type: "date"},
}

// graniteTile is the tile holding granitePoint at zoom z.
func graniteTile(z int) maptile.Tile {
	return maptile.At(granitePoint, maptile.Zoom(z))
}

// encodeTile returns the gzipped MVT of tile t with fc as layer name.
func encodeTile(t testing.TB, tile maptile.Tile, name string, fc *geojson.FeatureCollection) []byte {
	t.Helper()
	layer := mvt.NewLayer(name, fc)
	layer.ProjectToTile(tile)
	data, err := mvt.MarshalGzipped(mvt.Layers{layer})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// graniteFeatures returns the feature of the geology tileset: a small square
// around granitePoint, smaller than a zoom 9 tile.
func graniteFeatures() *geojson.FeatureCollection { return graniteEdition(1) }

// graniteEdition is graniteFeatures with an "edition" attribute, which tells
// apart the versions of a tileset written by a test.
func graniteEdition(edition int) *geojson.FeatureCollection {
	const d = 0.05
	p := granitePoint
	f := geojson.NewFeature(orb.Polygon{{
		{p[0] - d, p[1] - d}, {p[0] + d, p[1] - d}, {p[0] + d, p[1] + d}, {p[0] - d, p[1] + d}, {p[0] - d, p[1] - d},
	}})
	f.ID = graniteID
	f.Properties = geojson.Properties{"code": "Kgr", "age_ma": 95.5, "n_samples": 7, "active": true, "mapped": "2020-05-01", "edition": edition}
	fc := geojson.NewFeatureCollection()
	fc.Append(f)
	return fc
}

// writeGeology commits a version of the geology tileset to dir, titled title.
func writeGeology(t testing.TB, dir, title string) *tileset.Metadata {
	t.Helper()
	return writeGeologyEdition(t, dir, title, 1)
}

// writeGeologyEdition commits a version whose feature has the given edition.
func writeGeologyEdition(t testing.TB, dir, title string, edition int) *tileset.Metadata {
	t.Helper()
	var tiles []tileset.Tile
	for _, z := range []int{geologyMin, geologyMax} {
		mt := graniteTile(z)
		tiles = append(tiles, tileset.Tile{Z: z, X: int(mt.X), Y: int(mt.Y), Data: encodeTile(t, mt, geologyLayer, graniteEdition(edition))})
	}
	meta := &tileset.Metadata{
		Title:        title,
		Description:  "Bedrock geology around a granite",
		Keywords:     []string{"geology", "granite"},
		Attribution:  "© Geological Survey of Western Australia",
		License:      "CC BY 4.0",
		Layer:        geologyLayer,
		GeometryType: "polygon",
		Fields:       geologyFields,
		Bounds:       [4]float64{118.45, -22.55, 118.55, -22.45},
		Center:       [3]float64{118.5, -22.5, 6.4},
		MinZoom:      geologyMin,
		MaxZoom:      geologyMax,
		FeatureCount: 1,
	}
	commit(t, dir, geologyID, tiles, meta)
	return meta
}

// writeFaults commits the faults tileset to dir.
func writeFaults(t testing.TB, dir string) {
	t.Helper()
	f := geojson.NewFeature(orb.LineString{{118.4, -22.6}, {118.6, -22.4}})
	f.ID = 1
	f.Properties = geojson.Properties{"kind": "thrust"}
	fc := geojson.NewFeatureCollection()
	fc.Append(f)
	mt := maptile.At(orb.Point{118.5, -22.5}, 5)
	commit(t, dir, faultsID, []tileset.Tile{{Z: 5, X: int(mt.X), Y: int(mt.Y), Data: encodeTile(t, mt, "faults", fc)}},
		&tileset.Metadata{
			Title: "Faults", Layer: "faults", GeometryType: "line",
			Fields: []tileset.Field{{Name: "kind", Type: "string"}},
			Bounds: [4]float64{118.4, -22.6, 118.6, -22.4}, Center: [3]float64{118.5, -22.5, 5},
			MinZoom: 5, MaxZoom: 5, FeatureCount: 1,
		})
}

func commit(t testing.TB, dir, id string, tiles []tileset.Tile, meta *tileset.Metadata) {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutTiles(tiles); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
}

// fixture is a server over a fresh store holding the geology and faults
// tilesets.
type fixture struct {
	dir     string
	store   *store.Store
	handler http.Handler
	geology *tileset.Metadata // as committed, Version included
	logs    *bytes.Buffer
}

// newFixture builds the store and a server over it; cfg's Catalog and
// Logger are filled in unless set.
func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, logs: new(bytes.Buffer)}
	f.geology = writeGeology(t, dir, "Hamersley geology")
	writeFaults(t, dir)
	st, err := store.Open(dir, store.Options{PollInterval: 10 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	if cfg.Catalog == nil {
		cfg.Catalog = st
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	f.handler = New(cfg)
	return f
}

// do serves one request and returns the recorded response.
func (f *fixture) do(t testing.TB, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return w
}

// get serves a GET with optional header pairs ("Name", "value", ...).
func (f *fixture) get(t testing.TB, target string, kv ...string) *httptest.ResponseRecorder {
	t.Helper()
	return serve(f.handler, httptestRequest(http.MethodGet, target, kv...))
}

// httptestRequest builds a request with header pairs ("Name", "value", ...);
// "Host" sets the request's Host.
func httptestRequest(method, target string, kv ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "Host" {
			r.Host = kv[i+1]
			continue
		}
		r.Header.Add(kv[i], kv[i+1])
	}
	return r
}

// serve runs one request through h.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// tilePath is the URL path of tile mt of tileset id.
func tilePath(id string, mt maptile.Tile, ext string) string {
	return "/tiles/" + id + "/" + itoa(int(mt.Z)) + "/" + itoa(int(mt.X)) + "/" + itoa(int(mt.Y)) + "." + ext
}

func itoa(i int) string { return strconv.Itoa(i) }

// decodeJSON decodes a response body into v, failing on trailing garbage.
func decodeJSON(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json; body %q", ct, w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decoding %q: %v", w.Body.String(), err)
	}
}

// wantError checks an error response: its status and its JSON code.
func wantError(t testing.TB, w *httptest.ResponseRecorder, status int, code string) apiError {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body %q", w.Code, status, w.Body.String())
	}
	var e apiError
	decodeJSON(t, w, &e)
	if e.Code != code || e.Description == "" {
		t.Fatalf("error body = %+v, want code %q and a description", e, code)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("error Cache-Control = %q, want no-store", got)
	}
	return e
}

// isGzip reports whether data starts with the gzip magic number.
func isGzip(data []byte) bool { return len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b }

// gunzipBytes decompresses data.
func gunzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeGranite decodes an uncompressed MVT and checks that it holds the
// geology layer with feature 42 and its attributes, in a polygon covering
// the tile's point for granitePoint.
func decodeGranite(t testing.TB, raw []byte, mt maptile.Tile) {
	t.Helper()
	if isGzip(raw) {
		t.Fatal("tile body is gzip-compressed; want the raw MVT")
	}
	layers, err := mvt.Unmarshal(raw)
	if err != nil {
		t.Fatalf("decoding MVT: %v", err)
	}
	if len(layers) != 1 || layers[0].Name != geologyLayer {
		t.Fatalf("layers = %d (first %q), want one named %q", len(layers), layers[0].Name, geologyLayer)
	}
	l := layers[0]
	if len(l.Features) != 1 {
		t.Fatalf("features = %d, want 1", len(l.Features))
	}
	l.ProjectToWGS84(mt)
	f := l.Features[0]
	if id, ok := f.ID.(float64); !ok || id != graniteID {
		t.Errorf("feature id = %v (%T), want %d", f.ID, f.ID, graniteID)
	}
	if f.Properties["code"] != "Kgr" || f.Properties["age_ma"] != 95.5 || f.Properties["active"] != true {
		t.Errorf("properties = %v, want code Kgr, age_ma 95.5, active true", f.Properties)
	}
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok {
		t.Fatalf("geometry is %T, want a polygon", f.Geometry)
	}
	if b := poly.Bound(); !b.Contains(granitePoint) {
		t.Errorf("polygon bound %v does not contain %v", b, granitePoint)
	}
}
