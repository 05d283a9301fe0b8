//go:build cgo

package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// TestViewerSpeaksIndonesian: the page's language switch turns the
// panel's labels into Bahasa Indonesia, and a vocabulary URI in a popup is
// then named in Indonesian, the map's own language (Thai) beside it.
func TestViewerSpeaksIndonesian(t *testing.T) {
	chromium := viewerNeeds(t)
	dir := t.TempDir()
	files := map[string]string{
		"units.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"Kg","rock":"granite"},
			"geometry":{"type":"Polygon","coordinates":[[[100,14],[101,14],[101,15],[100,15],[100,14]]]}}]}`,
		"units.yaml": "view: GeologicUnitView\nfields:\n  identifier: {template: \"{code}\"}\n  representativeLithology_uri: {from: rock, by_label: true}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	storeDir := filepath.Join(dir, "store")
	if err := os.Mkdir(storeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	if _, err := ingest.Run(context.Background(), filepath.Join(dir, "units.geojson"), ingest.Options{
		Store: storeDir, ID: "units", MaxZoom: 8, Mapping: filepath.Join(dir, "units.yaml"), Language: "th", Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)

	b := startViewerBrowser(t, chromium, 900, 700)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	type page struct {
		Lang, Layers, Opacity, Export, Label, LabelLang, Local string
	}
	read := func() page {
		t.Helper()
		b.eval(`outcrop.identify(100.5, 14.5).then(() => true)`, nil)
		lith := `[...document.querySelectorAll('.outcrop-popup tr')].find(tr => tr.querySelector('th').textContent === 'representativeLithology_uri')?.querySelector('td[data-named]')`
		b.waitFor(ctx, lith+` ? 'named' : ''`)
		var p page
		b.eval(`(() => { const td = `+lith+`;
			return { lang: document.documentElement.lang,
				layers: document.querySelector('.outcrop-layers > summary').textContent,
				opacity: document.querySelector('.outcrop-layer .opacity-choice').firstChild.textContent,
				export: document.querySelector('.outcrop-layers button.export').textContent,
				label: td.querySelector('.label').textContent, labelLang: td.querySelector('.label').lang,
				local: td.querySelector('.local')?.textContent || '' }; })()`, &p)
		return p
	}

	b.open(ctx, srv.URL+"/map/")
	if got, want := read(), (page{Lang: "en", Layers: "Layers", Opacity: "Opacity", Export: "Export PNG", Label: "granite", Local: "หินแกรนิต"}); got != want {
		t.Errorf("in English: %+v, want %+v", got, want)
	}
	// The switch reloads the page: evaluations fail while it navigates.
	b.eval(`(() => { const s = document.querySelector('select.language'); s.value = 'id';
		setTimeout(() => s.dispatchEvent(new Event('change'))); return true; })()`, nil)
	for reloaded := false; !reloaded; {
		var r struct {
			Result struct{ Value any } `json:"result"`
		}
		err := b.try(b.session, "Runtime.evaluate", map[string]any{"returnByValue": true,
			"expression": `document.body?.dataset.state === 'ready' && document.documentElement.lang === 'id'`}, &r, 5*time.Second)
		reloaded = err == nil && r.Result.Value == true
		select {
		case <-ctx.Done():
			t.Fatalf("the page never came back in Indonesian: %v\n%s", err, b.pageLog())
		case <-time.After(200 * time.Millisecond):
		}
	}
	if got, want := read(), (page{Lang: "id", Layers: "Lapisan", Opacity: "Opasitas", Export: "Ekspor PNG", Label: "granit", LabelLang: "id", Local: "หินแกรนิต"}); got != want {
		t.Errorf("after switching to Bahasa Indonesia: %+v, want %+v", got, want)
	}
	// The choice stays: a new visit is in Indonesian, and ?lang=en wins.
	b.open(ctx, srv.URL+"/map/")
	var langs [2]string
	b.eval(`document.documentElement.lang`, &langs[0])
	b.open(ctx, srv.URL+"/map/?lang=en")
	b.eval(`document.documentElement.lang`, &langs[1])
	if langs != [2]string{"id", "en"} {
		t.Errorf("languages of a new visit and of ?lang=en: %q, want id and en", langs)
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}

// TestViewerBasemapInIndonesian: in Bahasa Indonesia the basemap names
// places by Natural Earth's name_id where it has one (Singapore is
// Singapura), falling back to the plain name, and the PNG export writes
// its legend's heading and the north arrow's letter in Indonesian; in
// English both stay as they were.
func TestViewerBasemapInIndonesian(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := basemapAloneServer(t)
	b := startViewerBrowser(t, chromium, 800, 600)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	type page struct {
		Fields []string // the place labels' text-field, each as JSON
		Names  []string // name_id of the places drawn around Singapore
		Drawn  []string // the words the export drew
	}
	read := func(lang string) page {
		t.Helper()
		b.open(ctx, srv.URL+"/map/?lang="+lang+"#map=5/1.3/103.85&layers=")
		var p page
		b.eval(`(async () => {
			const m = outcrop.map;
			const labels = m.getStyle().layers.filter(l => l.type === 'symbol');
			const fields = [...new Set(labels.map(l => JSON.stringify(l.layout['text-field'])))];
			const at = m.project([103.854, 1.295]);
			const names = m.queryRenderedFeatures([[at.x - 30, at.y - 30], [at.x + 30, at.y + 30]], { layers: labels.map(l => l.id) })
				.map(f => f.properties.name_id || '');
			const drawn = [];
			const fill = CanvasRenderingContext2D.prototype.fillText;
			CanvasRenderingContext2D.prototype.fillText = function (s, ...rest) { drawn.push(String(s)); return fill.call(this, s, ...rest); };
			try { await outcrop.composeMap(); } finally { CanvasRenderingContext2D.prototype.fillText = fill; }
			return { fields, names, drawn };
		})()`, &p)
		return p
	}

	id := read("id")
	if want := `["coalesce",["get","name_id"],["get","name"]]`; len(id.Fields) != 1 || id.Fields[0] != want {
		t.Errorf("in Indonesian the place labels show %q; want %s", id.Fields, want)
	}
	if !slices.Contains(id.Names, "Singapura") {
		t.Errorf("places labelled around Singapore carry name_id %q; want Singapura among them", id.Names)
	}
	if !slices.Contains(id.Drawn, "Legenda") || !slices.Contains(id.Drawn, "U") || slices.Contains(id.Drawn, "Legend") {
		t.Errorf("the export in Indonesian drew %q; want Legenda and U (Utara)", id.Drawn)
	}
	en := read("en")
	if want := `["get","name"]`; len(en.Fields) != 1 || en.Fields[0] != want {
		t.Errorf("in English the place labels show %q; want %s", en.Fields, want)
	}
	if !slices.Contains(en.Drawn, "Legend") || !slices.Contains(en.Drawn, "N") {
		t.Errorf("the export in English drew %q; want Legend and N", en.Drawn)
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}
