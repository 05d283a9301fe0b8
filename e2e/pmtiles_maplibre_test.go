package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/export"
	"github.com/outcrop/outcrop/tileset"
)

// pmtilesDir holds the pmtiles npm package at a pinned version, whose
// browser bundle dist/pmtiles.js is the pmtiles protocol for MapLibre;
// `npm ci --prefix e2e/testdata/pmtiles-maplibre` installs it (make
// deps-test).
var pmtilesDir = filepath.Join("testdata", "pmtiles-maplibre")

// pmtilesAttribution is the test tileset's attribution, which the archive
// carries in its metadata.
const pmtilesAttribution = "© Pilbara Test Survey 2026"

// pmtilesPage draws the archive with MapLibre through the pmtiles protocol
// in a style of its own, a colour per unit, on white: no Outcrop server
// is involved, as on a static host. body[data-state] becomes "ready" once
// every tile in view is drawn, "error" on a MapLibre error.
const pmtilesPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>PMTiles</title>
<link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html,body,#map{margin:0;width:100%;height:100%}</style>
<script src="/pmtiles/pmtiles.js"></script>
</head><body data-state="loading"><div id="map"></div>
<script type="module">
const maplibregl = await import('/maplibre/maplibre-gl.mjs');
const protocol = new pmtiles.Protocol({metadata: true});
maplibregl.addProtocol('pmtiles', protocol.tile);
window.errors = [];
const map = new maplibregl.Map({
  container: 'map', fadeDuration: 0, attributionControl: {compact: false},
  bounds: [[100, -10], [125, 8]], fitBoundsOptions: {padding: 40},
  style: {version: 8, sources: {g: {type: 'vector', url: 'pmtiles://' + location.origin + '/data/geology.pmtiles'}},
    layers: [
      {id: 'bg', type: 'background', paint: {'background-color': '#ffffff'}},
      {id: 'units', type: 'fill', source: 'g', 'source-layer': 'geology', filter: ['==', ['geometry-type'], 'Polygon'],
       paint: {'fill-color': ['match', ['get', 'name'], 'Alpha', '#d04020', 'Beta', '#2060c0', '#000000'], 'fill-antialias': false}},
      {id: 'fault', type: 'line', source: 'g', 'source-layer': 'geology', filter: ['==', ['geometry-type'], 'LineString'],
       paint: {'line-color': '#10a040', 'line-width': 3}}]}
});
window.map = map;
map.on('error', e => { window.errors.push(String(e.error && e.error.message || e)); document.body.dataset.state = 'error'; });
map.on('idle', () => {
  if (map.loaded() && map.areTilesLoaded() && document.body.dataset.state === 'loading') {
    document.body.dataset.state = 'ready';
  }
});
</script></body></html>
`

// TestMapLibreReadsPMTilesExport exports a small tileset as PMTiles and
// has MapLibre GL JS (the viewer's vendored copy) read it in headless
// Chromium through the pmtiles protocol, from a static file server with
// HTTP Range requests on loopback: the units are drawn in the style's
// colours where they lie, the background between them, the fault in its
// colour, and the archive's attribution shows in MapLibre's attribution
// control.
func TestMapLibreReadsPMTilesExport(t *testing.T) {
	chromium := viewerNeeds(t)
	bundle := filepath.Join(pmtilesDir, "node_modules", "pmtiles", "dist", "pmtiles.js")
	if _, err := os.Stat(bundle); err != nil {
		msg := "the pmtiles npm package is not installed: npm ci --prefix " + pmtilesDir + " (make deps-test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI is set, so this is a failure, not a skip)")
		}
		t.Skip(msg)
	}

	dir := t.TempDir()
	viewerWriteTileset(t, dir, "geology", tileset.Metadata{Title: "Test geology", Attribution: pmtilesAttribution, License: "CC-BY-4.0"},
		[]*geojson.Feature{
			viewerFeature(1, viewerAlpha, geojson.Properties{"name": "Alpha"}),
			viewerFeature(2, viewerBeta, geojson.Properties{"name": "Beta"}),
			viewerFeature(3, viewerFault, geojson.Properties{"name": "Main fault"}),
		})
	r, err := tileset.Open(filepath.Join(dir, "geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data := t.TempDir()
	if err := export.Write(r, export.PMTiles, filepath.Join(data, "geology.pmtiles"), false); err != nil {
		t.Fatal(err)
	}

	// The static host: http.FileServer answers Range requests with 206.
	var mu sync.Mutex
	var ranges []string
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(pmtilesPage))
	})
	mux.Handle("/maplibre/", http.StripPrefix("/maplibre/", http.FileServer(http.Dir(filepath.Join("..", "server", "viewer", "static", "vendor")))))
	mux.Handle("/pmtiles/", http.StripPrefix("/pmtiles/", http.FileServer(http.Dir(filepath.Dir(bundle)))))
	files := http.StripPrefix("/data/", http.FileServer(http.Dir(data)))
	mux.Handle("/data/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		files.ServeHTTP(rec, req)
		mu.Lock()
		ranges = append(ranges, req.Header.Get("Range")+" "+http.StatusText(rec.status))
		mu.Unlock()
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b.navigate(srv.URL + "/")
	if state := b.waitFor(ctx, `{ const s = document.body?.dataset.state; s === 'loading' ? '' : (s || '') }`); state != "ready" {
		var errs []string
		b.eval(`window.errors || []`, &errs)
		t.Fatalf("the map did not draw the archive: state %q, errors %q\npage said:\n%s", state, errs, b.pageLog())
	}

	// The attribution control fills in from the source's TileJSON, which
	// the protocol makes from the archive's metadata.
	attribution := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		b.eval(`document.querySelector('.maplibregl-ctrl-attrib-inner')?.textContent || ''`, &attribution)
		if strings.Contains(attribution, pmtilesAttribution) {
			break
		}
	}
	if !strings.Contains(attribution, pmtilesAttribution) {
		t.Errorf("MapLibre's attribution control says %q, want the archive's %q", attribution, pmtilesAttribution)
	}

	var page struct {
		Zooms [2]int
		Px    map[string][2]float64
	}
	places, _ := json.Marshal(viewerPlaces)
	b.eval(`({zooms: [map.getSource('g').minzoom, map.getSource('g').maxzoom], px: Object.fromEntries(Object.entries(`+string(places)+`).map(([k, p]) => { const q = map.project(p); return [k, [q.x, q.y]]; }))})`, &page)
	file := filepath.Join(t.TempDir(), "pmtiles.png")
	shot := viewerShot{img: b.screenshot(file), scale: 1, px: page.Px}
	viewerKeep(t, file)

	if page.Zooms != [2]int{0, 6} {
		t.Errorf("MapLibre read zooms %v from the archive, want the tileset's 0 to 6", page.Zooms)
	}
	white := viewerParseColor(t, "#ffffff")
	shot.expect(t, "alpha", viewerParseColor(t, "#d04020"), 2, "inside unit Alpha")
	shot.expect(t, "beta", viewerParseColor(t, "#2060c0"), 2, "inside unit Beta")
	shot.expect(t, "gap", white, 2, "between the units, no data")
	shot.expectNear(t, "fault", 3, viewerParseColor(t, "#10a040"), 24, "on the fault")

	mu.Lock()
	defer mu.Unlock()
	partial := 0
	for _, r := range ranges {
		if strings.HasPrefix(r, "bytes=") && strings.HasSuffix(r, http.StatusText(http.StatusPartialContent)) {
			partial++
		}
	}
	if partial < 2 || partial != len(ranges) {
		t.Errorf("the archive was read by %q: want only Range requests answered 206, the header's and the tiles'", ranges)
	}
	for _, u := range b.requests() {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page fetched %s, off the loopback server", u)
		}
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}

// statusRecorder keeps the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}
