package e2e

import (
	"context"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// TestPortalInChromium drives the map page and the catalogue in headless
// Chromium over the viewer test's store: the layer tree by theme, opacity,
// the permalink's round trip, identify at a known point, feature search,
// the PNG export, the phone layout, and the home page's search.
func TestPortalInChromium(t *testing.T) {
	chromium := viewerNeeds(t)
	dir := t.TempDir()
	viewerWriteStore(t, dir)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	shots := t.TempDir()

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	b.open(ctx, srv.URL+"/map/")
	page := viewerReadPage(t, b)
	occColor := viewerParseColor(t, page.Tilesets[1].Color)
	bg := viewerParseColor(t, page.Background)

	// The layer tree groups the tilesets by theme.
	var tree map[string][]string
	b.eval(`Object.fromEntries([...document.querySelectorAll('.outcrop-layers details.theme')].map(d =>
		[d.dataset.theme, [...d.querySelectorAll('.outcrop-layer')].map(r => r.dataset.id)]))`, &tree)
	if strings.Join(tree["geology"], ",") != "geology" || strings.Join(tree["occurrences"], ",") != "occurrences" || len(tree) != 2 {
		t.Errorf("layer tree %v; want geology under geology and occurrences under occurrences", tree)
	}

	// Toggling a layer off and on changes its pixels, and back.
	portalToggleCheck(t, b, page, shots, occColor, bg)

	// Opacity: the geology at 50 % draws its fill at half its opacity.
	b.eval(`(() => {
		const idle = new Promise(r => outcrop.map.once('idle', () => r(true)));
		const s = document.querySelector('.outcrop-layer[data-id="geology"] input.opacity');
		s.value = '50';
		s.dispatchEvent(new Event('input'));
		return idle;
	})()`, nil)
	var fillOpacity float64
	b.eval(`outcrop.map.getPaintProperty('geology:fill', 'fill-opacity')`, &fillOpacity)
	if math.Abs(fillOpacity-page.FillOpacity*0.5) > 1e-9 {
		t.Errorf("geology at 50 %%: fill-opacity %g, want %g", fillOpacity, page.FillOpacity*0.5)
	}

	// The permalink round-trips: hide the occurrences, zoom, then open
	// the URL as a new document.
	b.eval(viewerToggle("occurrences"), nil)
	b.eval(`(() => { const idle = new Promise(r => outcrop.map.once('idle', () => r(true))); outcrop.map.jumpTo({zoom: outcrop.map.getZoom() + 0.5}); return idle; })()`, nil)
	var link struct {
		Hash     string
		Zoom     float64
		Lng, Lat float64
		Copied   string
	}
	b.eval(`({hash: location.hash, zoom: outcrop.map.getZoom(), lng: outcrop.map.getCenter().lng, lat: outcrop.map.getCenter().lat,
		copied: (document.querySelector('button.copy-link').click(), document.querySelector('input.permalink').value)})`, &link)
	if !strings.HasSuffix(link.Copied, link.Hash) {
		t.Errorf("copy link shows %q; want the page's URL, ending %q", link.Copied, link.Hash)
	}
	if !strings.Contains(link.Hash, "layers=geology~~50") || strings.Contains(link.Hash, "occurrences") || !strings.Contains(link.Hash, "map=") {
		t.Errorf("permalink hash %q; want map= and layers=geology~~50 without the occurrences", link.Hash)
	}
	b.open(ctx, srv.URL+"/map/?roundtrip"+link.Hash)
	var back struct {
		Zoom, Lng, Lat float64
		Occurrences    bool
		Slider         string
		FillOpacity    float64
		OccVisibility  string
		Hash           string
	}
	b.eval(`({zoom: outcrop.map.getZoom(), lng: outcrop.map.getCenter().lng, lat: outcrop.map.getCenter().lat,
		occurrences: document.querySelector('.outcrop-layer[data-id="occurrences"] input').checked,
		slider: document.querySelector('.outcrop-layer[data-id="geology"] input.opacity').value,
		fillOpacity: outcrop.map.getPaintProperty('geology:fill', 'fill-opacity'),
		occVisibility: outcrop.map.getLayoutProperty('occurrences:point', 'visibility'),
		hash: location.hash})`, &back)
	if math.Abs(back.Zoom-link.Zoom) > 0.01 || math.Abs(back.Lng-link.Lng) > 0.01 || math.Abs(back.Lat-link.Lat) > 0.01 {
		t.Errorf("permalink view: zoom %g at %g,%g; want zoom %g at %g,%g", back.Zoom, back.Lng, back.Lat, link.Zoom, link.Lng, link.Lat)
	}
	if back.Occurrences || back.OccVisibility != "none" || back.Slider != "50" || math.Abs(back.FillOpacity-page.FillOpacity*0.5) > 1e-9 {
		t.Errorf("permalink layers: occurrences ticked %v (%q), geology slider %s, fill-opacity %g; want hidden, 50, %g",
			back.Occurrences, back.OccVisibility, back.Slider, back.FillOpacity, page.FillOpacity*0.5)
	}
	if !strings.Contains(back.Hash, "layers=geology~~50") {
		t.Errorf("after the round trip the hash is %q", back.Hash)
	}

	// Identify: a click on Alpha lists unit Alpha of the geology.
	b.open(ctx, srv.URL+"/map/")
	page = viewerReadPage(t, b)
	alpha := page.Px["alpha"]
	b.click(alpha[0], alpha[1])
	popup := b.waitFor(ctx, `document.querySelector('.maplibregl-popup-content section[data-id="geology"]')?.textContent || ''`)
	if !strings.Contains(popup, "Alpha") || !strings.Contains(popup, "unit_id7") {
		t.Errorf("identify at Alpha: %q; want unit Alpha (unit_id 7)", popup)
	}
	// The popup is on top: no panel covers any corner of it.
	var covered []string
	b.eval(`(() => {
		const p = document.querySelector('.maplibregl-popup-content'), r = p.getBoundingClientRect();
		return [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]]
			.filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight && !p.contains(document.elementFromPoint(x, y)))
			.map(([x, y]) => x + ',' + y + ': ' + document.elementFromPoint(x, y).className);
	})()`, &covered)
	if len(covered) > 0 {
		t.Errorf("the popup is covered at %q", covered)
	}
	b.eval(`document.querySelector('.maplibregl-popup-close-button').click(), true`, nil)

	// Where nothing is drawn (here: out of view), identify asks the
	// OGC API for the features at the place.
	var offscreen string
	b.eval(fmt.Sprintf(`(async () => {
		const m = outcrop.map, moved = new Promise(r => m.once('moveend', () => r(true)));
		m.jumpTo({center: [-60, 40]}); await moved;
		// Settled, so that no tile of the old view is still queried.
		await outcrop.whenSettled();
		await outcrop.identify(%g, %g);
		const s = document.querySelector('.maplibregl-popup-content section[data-id="geology"][data-source="api"]');
		return s ? s.textContent : '';
	})()`, viewerPlaces["alpha"][0], viewerPlaces["alpha"][1]), &offscreen)
	if !strings.Contains(offscreen, "Alpha") {
		t.Errorf("identify out of view at Alpha: %q; want unit Alpha from the OGC API", offscreen)
	}
	b.eval(`document.querySelector('.maplibregl-popup-close-button')?.click(), true`, nil)

	// Search: "cu-1" finds occurrence Cu-1 through the items filters, and
	// choosing it identifies it.
	b.eval(`(() => { const f = document.querySelector('form.outcrop-search'); f.querySelector('input').value = 'cu-1';
		f.querySelector('button[type=submit]').click(); return true; })()`, nil)
	found := b.waitFor(ctx, `document.querySelector('form.outcrop-search')?.dataset.state === 'done' ?
		[...document.querySelectorAll('form.outcrop-search ol.results button')].map(x => x.dataset.id + ':' + x.querySelector('.name').textContent).join('|') || 'none' : ''`)
	if found != "occurrences:Cu-1" {
		t.Errorf("search for cu-1 found %q; want occurrences:Cu-1", found)
	}
	// Part of a name, in another case, finds it too, with one request per
	// tileset (the items' q), not one per field and spelling.
	before := len(b.requests())
	b.eval(`(() => { const f = document.querySelector('form.outcrop-search'); f.querySelector('input').value = 'U-2';
		f.dataset.state = ''; f.querySelector('button[type=submit]').click(); return true; })()`, nil)
	partial := b.waitFor(ctx, `document.querySelector('form.outcrop-search')?.dataset.state === 'done' ?
		[...document.querySelectorAll('form.outcrop-search ol.results button')].map(x => x.dataset.id + ':' + x.querySelector('.name').textContent).join('|') || 'none' : ''`)
	var asked []string
	for _, u := range b.requests()[before:] {
		if strings.Contains(u, "/items?") {
			asked = append(asked, u)
		}
	}
	if partial != "occurrences:Cu-2" || len(asked) != 2 || !strings.Contains(asked[0], "q=U-2") {
		t.Errorf("search for U-2 found %q asking %q; want occurrences:Cu-2, one q=U-2 request per tileset", partial, asked)
	}
	b.eval(`(() => { const f = document.querySelector('form.outcrop-search'); f.querySelector('input').value = 'cu-1';
		f.dataset.state = ''; f.querySelector('button[type=submit]').click(); return true; })()`, nil)
	b.waitFor(ctx, `document.querySelector('form.outcrop-search')?.dataset.state === 'done' ? 'done' : ''`)
	b.eval(`document.querySelector('form.outcrop-search ol.results button')?.click(), true`, nil)
	picked := b.waitFor(ctx, `document.querySelector('.maplibregl-popup-content section[data-id="occurrences"]')?.textContent || ''`)
	if !strings.Contains(picked, "Cu-1") {
		t.Errorf("choosing the result shows %q; want Cu-1", picked)
	}

	// The PNG export: the map and a legend column, a swatch in the
	// occurrences' colour in it.
	var export struct {
		Width, Height int
		Swatch        bool
	}
	b.eval(fmt.Sprintf(`outcrop.composeMap().then(c => {
		const d = c.getContext('2d').getImageData(outcrop.map.getCanvas().width, 0, c.width - outcrop.map.getCanvas().width, c.height).data;
		let swatch = false;
		for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - %d) < 4 && Math.abs(d[i+1] - %d) < 4 && Math.abs(d[i+2] - %d) < 4) { swatch = true; break; }
		return {width: c.width, height: c.height, swatch};
	})`, occColor.R, occColor.G, occColor.B), &export)
	if export.Width != width+260 || export.Height < height || !export.Swatch {
		t.Errorf("export %dx%d with the occurrences' swatch %v; want %dx%d or taller, with it", export.Width, export.Height, export.Swatch, width+260, height)
	}

	// A phone: the map fills the screen, the panels are collapsed sheets.
	phone := startViewerBrowser(t, chromium, 390, 844)
	phone.open(ctx, srv.URL+"/map/")
	var sheet struct {
		MapW, MapH    float64
		Open, LegOpen bool
		PanelTop      float64
		PanelHeight   float64
		Center        string
	}
	phone.eval(`(() => {
		const m = document.getElementById('map').getBoundingClientRect();
		const p = document.querySelector('.outcrop-layers');
		const l = document.querySelector('.outcrop-legend');
		const r = p.getBoundingClientRect();
		const hit = document.elementFromPoint(195, 422);
		return {mapW: m.width, mapH: m.height, open: p.open, legOpen: !!(l && l.open), panelTop: r.top, panelHeight: r.height,
			center: hit ? hit.className : ''};
	})()`, &sheet)
	phone.screenshot(filepath.Join(shots, "phone.png"))
	viewerKeep(t, filepath.Join(shots, "phone.png"))
	if sheet.MapW != 390 || sheet.MapH != 844 || sheet.Open || sheet.LegOpen || sheet.PanelHeight > 60 || sheet.PanelTop < 844-60 ||
		!strings.Contains(sheet.Center, "maplibregl-canvas") {
		t.Errorf("phone: map %gx%g, panel open %v (legend %v) at y=%g, %g tall, centre hits %q; want the map full screen and collapsed sheets at the bottom",
			sheet.MapW, sheet.MapH, sheet.Open, sheet.LegOpen, sheet.PanelTop, sheet.PanelHeight, sheet.Center)
	}

	// Opened, the layer sheet spans the phone's width and leaves the upper
	// part of the map in sight.
	var opened struct {
		Left, Width, Top, Height float64
		Over                     string
	}
	phone.eval(`(() => { const p = document.querySelector('.outcrop-layers'); p.querySelector('summary').click();
		const r = p.getBoundingClientRect();
		// Where the scale bar is: the sheet, not the scale, is on top.
		const s = document.querySelector('.maplibregl-ctrl-scale').getBoundingClientRect();
		const hit = document.elementFromPoint(s.left + 4, s.top + 4);
		return {left: r.left, width: r.width, top: r.top, height: r.height, over: p.contains(hit) ? '' : hit.className}; })()`, &opened)
	phone.screenshot(filepath.Join(shots, "phone-open.png"))
	viewerKeep(t, filepath.Join(shots, "phone-open.png"))
	if opened.Left != 0 || opened.Width != 390 || opened.Top < 844*0.4 || opened.Top+opened.Height > 844.5 {
		t.Errorf("phone: the opened layer sheet is at x=%g, %g wide, y=%g, %g tall; want a full-width sheet over at most the lower 60 %%",
			opened.Left, opened.Width, opened.Top, opened.Height)
	}
	if opened.Over != "" {
		t.Errorf("phone: %q is drawn over the opened layer sheet", opened.Over)
	}

	// A global tileset (a world basemap, say) does not zoom the first view
	// out to the world: it fits the rest.
	worldDir := t.TempDir()
	viewerWriteStore(t, worldDir)
	viewerWriteTileset(t, worldDir, "world", tileset.Metadata{Title: "World places"}, []*geojson.Feature{
		viewerFeature(1, orb.MultiPoint{{-170, -70}, {170, 70}}, geojson.Properties{"name": "corners"}),
	})
	worldStore, err := store.Open(worldDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { worldStore.Close() })
	worldSrv := httptest.NewServer(server.New(server.Config{Catalog: worldStore, Logger: logger}))
	t.Cleanup(worldSrv.Close)
	b.open(ctx, worldSrv.URL+"/map/")
	page = viewerReadPage(t, b)
	if len(page.Tilesets) != 3 || page.Px["se"][0]-page.Px["nw"][0] < 0.4*width {
		t.Errorf("with a global tileset the %d tilesets' data spans pixels %v to %v: zoomed out to the world", len(page.Tilesets), page.Px["nw"], page.Px["se"])
	}

	// The home page lists both collections, and its search narrows them.
	b.navigate(srv.URL + "/")
	cards := b.waitFor(ctx, `document.readyState === 'complete' ? [...document.querySelectorAll('li.card')].map(c => c.dataset.id).join(',') : ''`)
	b.screenshot(filepath.Join(shots, "home.png"))
	viewerKeep(t, filepath.Join(shots, "home.png"))
	if cards != "occurrences,geology" {
		t.Errorf("home page cards %q; want occurrences,geology (by title)", cards)
	}
	b.eval(`(() => { const f = document.querySelector('form.search'); f.querySelector('input[name=q]').value = 'copper'; f.submit(); return true; })()`, nil)
	narrowed := b.waitFor(ctx, `location.search.includes('q=copper') && document.readyState === 'complete' ? [...document.querySelectorAll('li.card')].map(c => c.dataset.id).join(',') : ''`)
	if narrowed != "occurrences" {
		t.Errorf("home page search for copper: cards %q; want occurrences", narrowed)
	}

	if thrown := append(b.exceptions(), phone.exceptions()...); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}

// portalToggleCheck unticks the occurrences and ticks them again: point
// Cu-1's pixel goes to the background and comes back.
func portalToggleCheck(t *testing.T, b *viewerBrowser, page viewerPage, shots string, occ, bg color.RGBA) {
	t.Helper()
	on := viewerScreenshot(t, b, page, filepath.Join(shots, "toggle-on.png"))
	b.eval(viewerToggle("occurrences"), nil)
	off := viewerScreenshot(t, b, page, filepath.Join(shots, "toggle-off.png"))
	b.eval(viewerToggle("occurrences"), nil)
	again := viewerScreenshot(t, b, page, filepath.Join(shots, "toggle-again.png"))
	on.expect(t, "cu1", occ, 24, "point Cu-1, ticked")
	off.expect(t, "cu1", bg, 3, "point Cu-1, unticked")
	again.expect(t, "cu1", occ, 24, "point Cu-1, ticked again")
}
