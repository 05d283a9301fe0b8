package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/store"
)

// TestViewerInChromium loads /map/ in headless Chromium from a real server
// over a store built here, waits until MapLibre has drawn every source, and
// checks the screenshot's pixels where the data is and where it is not, the
// layer switcher, attributions, the click popup, a deep link, the viewer
// behind a path prefix and over an empty store.
func TestViewerInChromium(t *testing.T) {
	chromium := viewerNeeds(t)

	dir := t.TempDir()
	viewerWriteStore(t, dir)
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	shots := t.TempDir()

	b.open(ctx, srv.URL+"/map/")
	page := viewerReadPage(t, b)
	shot := viewerScreenshot(t, b, page, filepath.Join(shots, "viewer.png"))

	if page.Width != width || page.Height != height {
		t.Errorf("viewport %dx%d, want %dx%d", page.Width, page.Height, width, height)
	}
	viewerCheckLoaded(t, b, page, srv.URL)
	viewerCheckBuiltAfterFirstIdle(t, b)
	geo, occ := page.Tilesets[0], page.Tilesets[1]
	bg := viewerParseColor(t, page.Background)
	geoColor, occColor := viewerParseColor(t, geo.Color), viewerParseColor(t, occ.Color)

	// Zoomed to the data: all of it in view beside the open layer panel,
	// filling most of one dimension of what the panel leaves.
	nw, se := page.Px["nw"], page.Px["se"]
	free := float64(width) - page.PanelRight
	if page.PanelRight <= 0 || page.PanelRight > 0.5*width {
		t.Errorf("the layer panel ends at x=%g of %d: want it open, at most half the map", page.PanelRight, width)
	}
	if nw[0] < page.PanelRight || nw[1] < 0 || se[0] > width || se[1] > height ||
		(se[0]-nw[0] < 0.6*free && se[1]-nw[1] < 0.6*height) {
		t.Errorf("the data spans pixels %v to %v of the %dx%d map, panel to x=%g: not zoomed to it", nw, se, width, height, page.PanelRight)
	}

	// Each kind of geometry is drawn in its tileset's colour where the
	// data is, and the background shows where there is none.
	fill := viewerBlend(geoColor, bg, page.FillOpacity)
	if d := viewerColorDist(fill, bg); d < 40 {
		t.Errorf("polygons are filled %v over the background %v: too close to tell apart (%d)", fill, bg, d)
	}
	shot.expect(t, "alpha", fill, 12, "inside polygon Alpha")
	shot.expect(t, "beta", fill, 12, "inside polygon Beta")
	shot.expect(t, "gap", bg, 3, "between the polygons, no data")
	shot.expect(t, "south", bg, 3, "below Alpha, above the fault, no data")
	shot.expect(t, "cu1", occColor, 24, "on point Cu-1")
	shot.expect(t, "cu2", occColor, 24, "on point Cu-2")
	shot.expectNear(t, "fault", 3, geoColor, 40, "on the 2-pixel fault line")

	// Unticking a tileset in the switcher hides it, and only it.
	b.eval(viewerToggle("geology"), nil)
	hidden := viewerScreenshot(t, b, page, filepath.Join(shots, "viewer-geology-hidden.png"))
	hidden.expect(t, "alpha", bg, 3, "polygon Alpha with its tileset unticked")
	hidden.expect(t, "cu1", occColor, 24, "point Cu-1 with the other tileset unticked")
	b.eval(viewerToggle("geology"), nil)

	viewerCheckPopups(ctx, t, b, page, shots)
	viewerCheckDeepLink(ctx, t, b, srv.URL)
	viewerCheckPrefix(ctx, t, b, st, logger)
	viewerCheckEmptyStore(ctx, t, b, logger)

	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}

// viewerPage is what the test reads from the loaded page.
type viewerPage struct {
	Width, Height int
	Background    string
	FillOpacity   float64
	Errors        []string
	Tilesets      []struct {
		ID, Title, Color, Error string
		Synthetic               bool
	}
	Switcher []struct {
		ID, Text string
		Checked  bool
	}
	Attribution string
	// PanelRight is the right edge of the open layer panel.
	PanelRight float64
	// Px holds the CSS pixel of each of viewerPlaces, from map.project.
	Px map[string][2]float64
}

func viewerReadPage(t *testing.T, b *viewerBrowser) viewerPage {
	t.Helper()
	var js strings.Builder
	for name, p := range viewerPlaces {
		fmt.Fprintf(&js, "%q: m.project([%g, %g]),", name, p[0], p[1])
	}
	var page viewerPage
	b.eval(`(() => {
		const m = outcrop.map;
		const px = {`+js.String()+`};
		for (const k in px) px[k] = [px[k].x, px[k].y];
		return {
			width: innerWidth, height: innerHeight,
			background: m.getPaintProperty('background', 'background-color'),
			fillOpacity: m.getPaintProperty('geology:fill', 'fill-opacity'),
			errors: outcrop.errors,
			tilesets: outcrop.tilesets.map(t => ({id: t.id, title: t.title, color: t.color, error: t.error, synthetic: t.synthetic})),
			switcher: [...document.querySelectorAll('.outcrop-layer')].map(e => ({
				id: e.dataset.id, text: e.textContent, checked: e.querySelector('input').checked})),
			attribution: document.querySelector('.maplibregl-ctrl-attrib').textContent,
			panelRight: document.querySelector('.outcrop-layers[open]')?.getBoundingClientRect().right || 0,
			px,
		};
	})()`, &page)
	return page
}

func viewerScreenshot(t *testing.T, b *viewerBrowser, page viewerPage, file string) viewerShot {
	t.Helper()
	img := b.screenshot(file)
	t.Logf("screenshot: %s", file)
	viewerKeep(t, file)
	return viewerShot{img: img, scale: float64(img.Bounds().Dx()) / float64(page.Width), px: page.Px}
}

// viewerToggle clicks a tileset's checkbox and waits for the map to redraw.
func viewerToggle(id string) string {
	return `(() => {
		const idle = new Promise(r => outcrop.map.once('idle', () => r(true)));
		document.querySelector('.outcrop-layer[data-id="` + id + `"] input').click();
		return idle;
	})()`
}

// viewerCheckLoaded checks what the page loaded: both tilesets, their
// tiles, from the server only, without errors, and how it lists them.
func viewerCheckLoaded(t *testing.T, b *viewerBrowser, page viewerPage, origin string) {
	t.Helper()
	if len(page.Errors) > 0 {
		t.Errorf("the map reported errors: %q", page.Errors)
	}
	tilesFetched := map[string]int{}
	for _, u := range b.requests() {
		for _, id := range []string{"geology", "occurrences"} {
			// TileJSON names the current version's immutable URLs, /tiles/{id}@{version}/.
			if (strings.HasPrefix(u, origin+"/tiles/"+id+"/") || strings.HasPrefix(u, origin+"/tiles/"+id+"@")) && strings.HasSuffix(u, ".mvt") {
				tilesFetched[id]++
			}
		}
		if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") && u != "about:blank" {
			t.Errorf("the page fetched %s, outside the server: the viewer must load nothing from elsewhere", u)
		}
	}
	if tilesFetched["geology"] == 0 || tilesFetched["occurrences"] == 0 {
		t.Errorf("tiles fetched per tileset: %v; want some of each", tilesFetched)
	}
	if len(page.Tilesets) != 2 || page.Tilesets[0].ID != "geology" || page.Tilesets[1].ID != "occurrences" {
		t.Fatalf("the viewer loaded tilesets %+v, want geology and occurrences", page.Tilesets)
	}
	geo, occ := page.Tilesets[0], page.Tilesets[1]
	if geo.Error != "" || occ.Error != "" {
		t.Fatalf("tileset errors: %q, %q", geo.Error, occ.Error)
	}
	if geo.Color == occ.Color {
		t.Errorf("both tilesets are drawn in %s; each needs its own colour", geo.Color)
	}
	// The switcher lists both titles and marks only the synthetic one.
	if len(page.Switcher) != 2 {
		t.Fatalf("the layer switcher has %d entries, want 2: %+v", len(page.Switcher), page.Switcher)
	}
	for i, want := range []struct {
		title     string
		synthetic bool
	}{{"Test geology", false}, {"Copper occurrences", true}} {
		e := page.Switcher[i]
		if !strings.Contains(e.Text, want.title) || strings.Contains(e.Text, "synthetic") != want.synthetic || !e.Checked {
			t.Errorf("switcher entry %d is %+v; want title %q, synthetic badge %v, ticked", i, e, want.title, want.synthetic)
		}
	}
	// Attributions are text: the metadata's <i> shows as written.
	for _, want := range []string{viewerTrickyAttr, "Outcrop tests"} {
		if !strings.Contains(page.Attribution, want) {
			t.Errorf("attribution %q lacks %q", page.Attribution, want)
		}
	}
}

// viewerCheckPopups clicks a polygon and a point. The popup lists the
// feature's attributes once (its fill and outline are one feature), as
// text: nothing in an attribute value becomes markup.
func viewerCheckPopups(ctx context.Context, t *testing.T, b *viewerBrowser, page viewerPage, shots string) {
	t.Helper()
	const popupText = `document.querySelector('.maplibregl-popup-content')?.textContent || ''`
	b.click(page.Px["alpha"][0], page.Px["alpha"][1])
	popup := b.waitFor(ctx, popupText)
	for _, want := range []string{"Test geology", "Alpha", viewerTrickyCode, "age_ma", "66.5", "unit_id", "7"} {
		if !strings.Contains(popup, want) {
			t.Errorf("popup %q lacks %q", popup, want)
		}
	}
	var shape struct{ Sections, Markup int }
	b.eval(`(() => {
		const p = document.querySelector('.maplibregl-popup-content');
		return {sections: p.querySelectorAll('section').length, markup: p.querySelectorAll('b, img').length};
	})()`, &shape)
	if shape.Sections != 1 || shape.Markup != 0 {
		t.Errorf("popup lists %d features and holds %d elements made from attribute values; want 1 and 0", shape.Sections, shape.Markup)
	}
	viewerScreenshot(t, b, page, filepath.Join(shots, "viewer-popup.png"))
	b.eval(`document.querySelector('.maplibregl-popup-close-button').click(), true`, nil)

	b.click(page.Px["cu1"][0], page.Px["cu1"][1])
	popup = b.waitFor(ctx, popupText)
	if !strings.Contains(popup, "Cu-1") || !strings.Contains(popup, "Copper occurrences") {
		t.Errorf("popup on Cu-1 reads %q; want its name and its tileset", popup)
	}
}

// viewerCheckDeepLink checks that a position in the URL wins over zooming
// to the data.
func viewerCheckDeepLink(ctx context.Context, t *testing.T, b *viewerBrowser, origin string) {
	t.Helper()
	// The query makes it a new document rather than a change of hash.
	b.open(ctx, origin+"/map/?deep#3/1/112.5")
	var view struct{ Zoom, Lng, Lat float64 }
	b.eval(`{ const c = outcrop.map.getCenter(); ({zoom: outcrop.map.getZoom(), lng: c.lng, lat: c.lat}) }`, &view)
	if math.Abs(view.Zoom-3) > 1e-6 || math.Abs(view.Lng-112.5) > 1e-6 || math.Abs(view.Lat-1) > 1e-6 {
		t.Errorf("deep link #3/1/112.5 shows zoom %g at %g,%g", view.Zoom, view.Lng, view.Lat)
	}
}

// viewerCheckPrefix serves the store under /outcrop, as a proxy publishing
// the server under a path prefix would, and checks that the viewer's
// relative URLs still reach the data.
func viewerCheckPrefix(ctx context.Context, t *testing.T, b *viewerBrowser, st store.Catalog, logger *slog.Logger) {
	t.Helper()
	proxied := httptest.NewUnstartedServer(nil)
	base := "http://" + proxied.Listener.Addr().String() + "/outcrop"
	proxied.Config.Handler = http.StripPrefix("/outcrop", server.New(server.Config{Catalog: st, BaseURL: base, Logger: logger}))
	proxied.Start()
	t.Cleanup(proxied.Close)

	before := len(b.requests())
	b.open(ctx, base+"/map/")
	var drawn struct {
		Errors   []string
		Tilesets []string
	}
	b.eval(`({errors: outcrop.errors, tilesets: outcrop.tilesets.filter(t => !t.error).map(t => t.id)})`, &drawn)
	if len(drawn.Errors) > 0 || len(drawn.Tilesets) != 2 {
		t.Errorf("behind a prefix: drew %q with errors %q; want both tilesets, no error", drawn.Tilesets, drawn.Errors)
	}
	tiles := 0
	for _, u := range b.requests()[before:] {
		if strings.HasPrefix(u, "http") && !strings.HasPrefix(u, base+"/") {
			t.Errorf("behind a prefix: the page fetched %s, outside %s/", u, base)
		}
		if strings.HasPrefix(u, base+"/tiles/") && strings.HasSuffix(u, ".mvt") {
			tiles++
		}
	}
	if tiles == 0 {
		t.Errorf("behind a prefix: no tile fetched under %s/tiles/", base)
	}
}

// viewerCheckEmptyStore checks that an empty store gives a map that is
// ready and says what to do.
func viewerCheckEmptyStore(ctx context.Context, t *testing.T, b *viewerBrowser, logger *slog.Logger) {
	t.Helper()
	empty, err := store.Open(t.TempDir(), store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { empty.Close() })
	bare := httptest.NewServer(server.New(server.Config{Catalog: empty, Logger: logger}))
	t.Cleanup(bare.Close)
	b.open(ctx, bare.URL+"/map/")
	var status string
	b.eval(`document.getElementById('status').textContent`, &status)
	if !strings.Contains(status, "no tilesets") || !strings.Contains(status, "outcrop ingest") {
		t.Errorf("empty store: the page says %q; want that there are no tilesets and how to add one", status)
	}
}

// viewerNeeds returns Chromium's path, or skips the test, loudly, when
// Chromium or the vendored MapLibre is missing. Under CI (CI set) it fails
// instead, so that a broken setup cannot pass as a skipped test.
func viewerNeeds(t testing.TB) string {
	t.Helper()
	missing := func(msg string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Logf("!!!!!!!! SKIPPING THE VIEWER BROWSER TEST: %s !!!!!!!!", msg)
		t.Skip(msg)
	}
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		p, err := exec.LookPath("chromium")
		if err != nil {
			missing("no chromium at /usr/bin/chromium nor on PATH: apt-get install chromium")
		}
		chromium = p
	}
	if viewer.VendoredVersion() == "" {
		missing("MapLibre is not vendored into this build: run make (or server/viewer/vendor.sh) first")
	}
	return chromium
}

// viewerKeep copies a screenshot into $OUTCROP_E2E_ARTIFACTS when that is
// set, for a look after the test's temporary directory is gone.
func viewerKeep(t *testing.T, file string) {
	dir := os.Getenv("OUTCROP_E2E_ARTIFACTS")
	if dir == "" {
		return
	}
	raw, err := os.ReadFile(file)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, filepath.Base(file)), raw, 0o644)
	}
	if err != nil {
		t.Logf("keeping %s in $OUTCROP_E2E_ARTIFACTS: %v", file, err)
	}
}

// viewerCheckBuiltAfterFirstIdle: the legend's entries and the feature
// search are built once every tile of the first view is drawn (the mark
// outcrop:first-idle), not before, and by readiness the search is at the
// top of the layer panel, in the place kept for it.
func viewerCheckBuiltAfterFirstIdle(t *testing.T, b *viewerBrowser) {
	t.Helper()
	var got struct {
		Idle, Legend float64
		Search       bool
		Slot         bool
	}
	b.eval(`(() => { const m = (n) => performance.getEntriesByName(n)[0]?.startTime || 0;
		const first = document.querySelector('.outcrop-layers .body')?.firstElementChild;
		return { idle: m('outcrop:first-idle'), legend: m('outcrop:legend-built'),
			search: !!first && first.matches('form.outcrop-search'), slot: !!document.querySelector('.outcrop-search-slot') }; })()`, &got)
	if got.Idle == 0 || got.Legend < got.Idle {
		t.Errorf("legend built at %g ms, first idle at %g ms: want it built after the first idle", got.Legend, got.Idle)
	}
	if !got.Search || got.Slot {
		t.Errorf("search form first in the layer panel %v, its place still kept %v: want the search there once ready", got.Search, got.Slot)
	}
}
