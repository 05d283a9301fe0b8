//go:build cgo

package e2e

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// basemapAloneServer ingests data/basemap as make demo does, alone in its
// store, and serves it with the server's glyphs (Debian's Noto fonts).
func basemapAloneServer(t *testing.T) *httptest.Server {
	t.Helper()
	lib, err := glyphs.Open(glyphs.DefaultDirs...)
	if err != nil || !lib.Has("Noto Sans Regular") || !lib.Has("Noto Sans CJK SC Regular") && !lib.Has("Noto Sans SC Regular") {
		msg := fmt.Sprintf("Noto fonts with CJK are not installed (make deps-test): %v", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	storeDir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	if _, err := ingest.Run(context.Background(), basemapVRT, ingest.Options{
		Store: storeDir, ID: basemapID, Title: "Basemap (Natural Earth)", MaxZoom: 6, Precision: 5, DropRate: 1,
		Attribution: "Made with Natural Earth", Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger, Fonts: lib}))
	t.Cleanup(srv.Close)
	return srv
}

// cjkRangeRE matches a glyph range request of the CJK blocks (from U+3400).
var cjkRangeRE = regexp.MustCompile(`/fonts/[^/]+/(\d+)-\d+\.pbf$`)

// TestViewerBasemapInLayerTree: with a store holding only the basemap, the
// viewer draws it and says nothing of an empty store; the layer tree lists
// it under Basemap, hides it and fades it, and the permalink keeps both.
// Place names are drawn from the server's glyphs near their dots, Chinese
// ones too (localIdeographFontFamily false: MapLibre fetches the CJK
// ranges from /fonts instead of drawing with the browser's fonts).
func TestViewerBasemapInLayerTree(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := basemapAloneServer(t)
	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	shots := t.TempDir()

	b.open(ctx, srv.URL+"/map/")
	var page struct {
		Status    string
		StatusOn  bool
		Row       bool
		Basemap   string
		Hash      string
		Tilesets  int
		Labels    []string
		Exception []string
	}
	b.eval(`(() => ({
		status: document.getElementById('status').textContent,
		statusOn: !document.getElementById('status').hidden,
		row: !!document.querySelector('details.theme[data-theme=basemap] .outcrop-basemap input[type=checkbox]'),
		basemap: outcrop.basemap && outcrop.basemap.tileset,
		hash: location.hash,
		tilesets: outcrop.tilesets.length,
		labels: outcrop.map.getStyle().layers.filter(l => l.type === 'symbol').map(l => l.id),
	}))()`, &page)
	if page.StatusOn || strings.Contains(page.Status, "no tilesets") {
		t.Errorf("a store of the basemap alone: the page says %q, want nothing", page.Status)
	}
	if !page.Row || page.Basemap != basemapID || page.Tilesets != 0 {
		t.Errorf("layer tree row for the basemap: %v, basemap %q, %d tilesets; want a row under Basemap, the basemap drawn apart", page.Row, page.Basemap, page.Tilesets)
	}
	if len(page.Labels) == 0 {
		t.Fatalf("no place-name layers in the map; want the basemap's labels, the server serving glyphs")
	}

	// jump moves the map and waits for every tile and glyph in view.
	jump := func(lng, lat float64, zoom int) {
		b.eval(fmt.Sprintf(`new Promise(r => { outcrop.map.jumpTo({center: [%g, %g], zoom: %d}); outcrop.whenSettled().then(() => r(true)); })`, lng, lat, zoom), nil)
	}
	// ink counts the dark pixels (label text is #333333) in the band under
	// a place's dot, where its name is anchored (text-anchor top).
	ink := func(name string, at orb.Point) int {
		var p struct{ X, Y float64 }
		b.eval(fmt.Sprintf(`(() => { const p = outcrop.map.project([%g, %g]); return {x: p.x, y: p.y}; })()`, at[0], at[1]), &p)
		file := filepath.Join(shots, name+".png")
		img := b.screenshot(file)
		viewerKeep(t, file)
		band := image.Rect(int(p.X)-40, int(p.Y)+5, int(p.X)+40, int(p.Y)+28)
		n := 0
		for y := band.Min.Y; y < band.Max.Y; y++ {
			for x := band.Min.X; x < band.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if (r+g+bl)/3 < 0x7000 {
					n++
				}
			}
		}
		return n
	}
	setLabels := func(expr string) {
		b.eval(`(() => { for (const l of outcrop.map.getStyle().layers) if (l.type === 'symbol') `+expr+`; return true; })()`, nil)
	}

	// Bangkok, a capital of scalerank 1, is named at zoom 5 under its dot;
	// with the labels hidden that band is blank.
	bangkok := orb.Point{100.515, 13.752}
	jump(bangkok[0], bangkok[1], 5)
	named := ink("bangkok", bangkok)
	setLabels(`outcrop.map.setLayoutProperty(l.id, 'visibility', 'none')`)
	jump(bangkok[0], bangkok[1], 5)
	bare := ink("bangkok-unlabelled", bangkok)
	setLabels(`outcrop.map.setLayoutProperty(l.id, 'visibility', 'visible')`)
	if named < 40 || bare > named/4 {
		t.Errorf("under Bangkok's dot at zoom 5: %d dark pixels with labels, %d without; want its name drawn (>= 40, 4 times the bare map's)", named, bare)
	}
	latin := false
	for _, u := range b.requests() {
		latin = latin || strings.Contains(u, "/fonts/Noto%20Sans%20Regular") && strings.HasSuffix(u, "/0-255.pbf")
	}
	if !latin {
		t.Errorf("the page did not fetch the server's Latin glyphs (/fonts/Noto Sans Regular,…/0-255.pbf)")
	}

	// Hanoi in Chinese (河內): its glyphs come from the server's CJK ranges.
	hanoi := orb.Point{105.848, 21.035}
	setLabels(`outcrop.map.setLayoutProperty(l.id, 'text-field', ['get', 'name_zh'])`)
	jump(hanoi[0], hanoi[1], 5)
	chinese := ink("hanoi-zh", hanoi)
	var cjk []string
	for _, u := range b.requests() {
		if m := cjkRangeRE.FindStringSubmatch(u); m != nil {
			if start, _ := strconv.Atoi(m[1]); start >= 0x3400 {
				cjk = append(cjk, u)
			}
		}
	}
	if len(cjk) == 0 || chinese < 30 {
		t.Errorf("Hanoi named 河內: %d dark pixels under its dot, CJK glyph ranges fetched %q; want the name drawn from the server's ranges", chinese, cjk)
	}

	// The tree's checkbox hides the basemap, its slider fades it, and the
	// permalink keeps both.
	var state struct {
		Visibility []string
		Opacity    any
		Hash       string
	}
	read := func() {
		b.eval(`(() => { const m = outcrop.map; const ids = outcrop.basemap.layers.map(l => l.id);
			return { visibility: [...new Set(ids.map(id => m.getLayoutProperty(id, 'visibility') || 'visible'))],
				opacity: m.getPaintProperty('basemap/basemap.land', 'fill-opacity'), hash: location.hash }; })()`, &state)
	}
	b.eval(`(() => { const s = document.querySelector('.outcrop-basemap input.opacity'); s.value = '40'; s.dispatchEvent(new Event('input')); return true; })()`, nil)
	read()
	if state.Opacity != 0.4 || !strings.Contains(state.Hash, "basemap=40") {
		t.Errorf("basemap slider at 40: land's fill-opacity %v, hash %q; want 0.4 and basemap=40", state.Opacity, state.Hash)
	}
	b.eval(`(() => { document.querySelector('.outcrop-basemap input[type=checkbox]').click(); return true; })()`, nil)
	read()
	if len(state.Visibility) != 1 || state.Visibility[0] != "none" || !strings.Contains(state.Hash, "basemap=off") {
		t.Errorf("basemap unticked: layers %q, hash %q; want every layer hidden and basemap=off", state.Visibility, state.Hash)
	}
	// Round trip: the link brings the basemap back hidden, and at 40 %.
	for _, c := range []struct {
		hash, visibility string
		opacity          any
		checked          bool
	}{{"basemap=off", "none", nil, false}, {"basemap=40", "visible", 0.4, true}} {
		b.open(ctx, srv.URL+"/map/?reload="+c.visibility+"#map=5/13.75/100.5&layers=&"+c.hash)
		read()
		var checked bool
		b.eval(`document.querySelector('.outcrop-basemap input[type=checkbox]').checked`, &checked)
		if len(state.Visibility) != 1 || state.Visibility[0] != c.visibility || checked != c.checked || (c.opacity != nil && state.Opacity != c.opacity) {
			t.Errorf("opened with %s: layers %q, fill-opacity %v, box ticked %v; want %s, %v, %v", c.hash, state.Visibility, state.Opacity, checked, c.visibility, c.opacity, c.checked)
		}
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}
