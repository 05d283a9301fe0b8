//go:build cgo

package e2e

import (
	"context"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/outcrop/outcrop/compile"
	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/data/borders"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The QA viewer test's compilation: two maps of a box across the
// Thailand–Lao border on the Mekong west of Vientiane (the bundled Natural
// Earth borders run from 18.09° N at 102.25° E to 17.97° N at 102.55° E
// there), each split at 102.40° E. West, a Jurassic Thai granite faces a
// Permian Lao granite (an age mismatch); east, both are Permian granite (a
// match), except for a 3 km wide slot the Thai map leaves uncovered from
// 17.90° N up to the border (a gap).
const (
	qaViewerID      = "th-la"
	qaViewerMapping = `view: GeologicUnitView
fields:
  identifier: {template: "{code}"}
  name: name
  representativeAge_uri: {from: age, age: span}
  representativeLithology_uri: {from: rock, by_label: true}
`
)

// qaViewerServer compiles the two maps, as outcrop compile would, and
// serves the store.
func qaViewerServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	country := qaViewerCountries(t)
	unit := func(code, age string, g *geos.Geom) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,"name":%q,"age":%q,"rock":"granite"},"geometry":%s}`, code, code, age, g.ToGeoJSON(0))
	}
	box := func(c string, w, e float64) *geos.Geom {
		return geos.NewGeomFromBounds(w, 17.85, e, 18.25).Intersection(country[c])
	}
	// The east Thai unit with the slot cut from its top down to 17.90° N.
	slotted := box("THA", 102.40, 102.55).Difference(geos.NewGeomFromBounds(102.47, 17.90, 102.50, 18.25))
	files := map[string]string{
		"th.geojson": `{"type":"FeatureCollection","features":[` + unit("TH-W", "Jurassic", box("THA", 102.25, 102.40)) + "," + unit("TH-E", "Permian", slotted) + "]}",
		"la.geojson": `{"type":"FeatureCollection","features":[` + unit("LA-W", "Permian", box("LAO", 102.25, 102.40)) + "," + unit("LA-E", "Permian", box("LAO", 102.40, 102.55)) + "]}",
		"units.yaml": qaViewerMapping,
		"compile.yaml": `id: ` + qaViewerID + `
title: Mekong test compilation
tolerance_m: 250
sources:
  - country: THA
    file: th.geojson
    mapping: units.yaml
    attribution: Thai test map
  - country: LAO
    file: la.geojson
    mapping: units.yaml
    attribution: Lao test map
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	storeDir := filepath.Join(dir, "store")
	os.Mkdir(storeDir, 0o755)
	cfg, err := compile.LoadConfig(filepath.Join(dir, "compile.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Run(context.Background(), cfg, compile.Options{Store: storeDir, MaxZoom: 12})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Report.Pairs {
		for _, is := range p.Issues {
			got = append(got, is.Kind+":"+is.Class)
		}
	}
	// The fixture must plant what the test looks for, and nothing else.
	slices.Sort(got)
	if strings.Join(got, " ") != "gap: segment:age_mismatch segment:gap" {
		t.Fatalf("the compilation found issues %q; want an age mismatch, a gap segment and a gap", got)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)
	return srv
}

// qaViewerCountries reads Thailand and Lao PDR from the bundled borders,
// the reference compile cuts the maps to, so that each test map ends
// exactly at its border.
func qaViewerCountries(t *testing.T) map[string]*geos.Geom {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(borders.ASEAN10m)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*geos.Geom{}
	for _, f := range fc.Features {
		code, _ := f.Properties["iso_a3"].(string)
		if code != "THA" && code != "LAO" {
			continue
		}
		raw, err := geojson.NewGeometry(f.Geometry).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if out[code], err = geos.NewGeomFromGeoJSON(string(raw)); err != nil {
			t.Fatal(err)
		}
	}
	if len(out) != 2 {
		t.Fatalf("the bundled borders hold %d of THA and LAO", len(out))
	}
	return out
}

// TestViewerDrawsTheEdgeMatchingLayer: the viewer draws an {id}-qa
// tileset in the server's edge-matching style over its compiled map (gaps
// hatched), lists the report's issues in a panel, and an entry of the
// panel flies the map to its issue, the place its viewer link names,
// where the age mismatch is drawn in its class's colour.
func TestViewerDrawsTheEdgeMatchingLayer(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := qaViewerServer(t)
	qaID := qaViewerID + "-qa"

	var rep qa.Report
	getJSONDoc(t, srv.URL+"/collections/"+qaID+"/report?f=json", &rep)
	var mismatch, gap qa.Issue
	for _, is := range rep.Pairs[0].Issues {
		switch {
		case is.Class == qa.ClassAgeMismatch:
			mismatch = is
		case is.Kind == qa.KindGap:
			gap = is
		}
	}
	var legend struct {
		Entries []struct {
			Colour string
			Values []string
			Hatch  bool
		}
	}
	getJSONDoc(t, srv.URL+"/collections/"+qaID+"/legend", &legend)
	colourOf := map[string]string{} // class, or kind + ",area"
	for _, e := range legend.Entries {
		k := strings.Join(e.Values, ",")
		if e.Hatch {
			k += ",area"
		}
		colourOf[k] = e.Colour
	}
	if colourOf[qa.ClassAgeMismatch] != "#E69F00" || colourOf[qa.KindGap+",area"] != "#0072B2" {
		t.Fatalf("legend of %s: age_mismatch in %q, gaps in %q; want #E69F00 and #0072B2", qaID, colourOf[qa.ClassAgeMismatch], colourOf[qa.KindGap+",area"])
	}

	const width, height = 900, 700
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Start away from every issue, zoomed out.
	b.open(ctx, srv.URL+"/map/#7/17.5/101.5")

	// The QA tileset is drawn in its edge-matching style, above the
	// compiled map, its gaps filled with a hatch pattern.
	var layers struct {
		Style   string
		IDs     []string
		Pattern any
		Errors  []string
	}
	b.eval(`(() => {
		const m = outcrop.map, ts = outcrop.tilesets.find(t => t.id === '`+qaID+`');
		const ids = m.getStyle().layers.filter(l => l.layout?.visibility !== 'none').map(l => l.id);
		return {
			style: ts.style ? ts.style.id : '',
			ids,
			pattern: m.getPaintProperty('style:`+qaID+`:`+qaID+`.gap-area', 'fill-pattern') ?? null,
			errors: outcrop.errors,
		};
	})()`, &layers)
	if layers.Style != qaID+".edge-matching" || len(layers.Errors) > 0 {
		t.Fatalf("the viewer drew %s in style %q with errors %q; want its edge-matching style", qaID, layers.Style, layers.Errors)
	}
	index := func(id string) int {
		for i, l := range layers.IDs {
			if l == id {
				return i
			}
		}
		t.Fatalf("no visible layer %s among %q", id, layers.IDs)
		return -1
	}
	compiledFill := index("style:" + qaViewerID + ":" + qaViewerID + ".fill")
	gapArea := index("style:" + qaID + ":" + qaID + ".gap-area")
	ageLine := index("style:" + qaID + ":" + qaID + ".age_mismatch")
	if !(compiledFill < gapArea && gapArea < ageLine) {
		t.Errorf("layer order: compiled fill %d, QA gap area %d, QA age mismatch %d; the QA layer must lie over the map", compiledFill, gapArea, ageLine)
	}
	if p, _ := layers.Pattern.(string); !strings.HasPrefix(p, "outcrop-hatch-0072b2") {
		t.Errorf("gap areas are filled with pattern %v, want the blue hatch", layers.Pattern)
	}

	// The report panel lists the issues; click the age mismatch.
	b.waitFor(ctx, `document.querySelectorAll('.outcrop-report li button').length ? 'yes' : ''`)
	var entries []struct {
		Kind, Class, Text string
		X, Y              float64
	}
	b.eval(`[...document.querySelectorAll('.outcrop-report li')].map(li => {
		const r = li.querySelector('button').getBoundingClientRect();
		return {kind: li.dataset.kind, class: li.dataset.class || '', text: li.textContent, x: r.x + r.width / 2, y: r.y + r.height / 2};
	})`, &entries)
	if len(entries) != 3 {
		t.Fatalf("report panel entries %+v; want the three issues", entries)
	}
	var target int = -1
	for i, e := range entries {
		if e.Class == qa.ClassAgeMismatch {
			target = i
		}
	}
	if target < 0 || !strings.Contains(entries[target].Text, "age mismatch") || !strings.Contains(entries[target].Text, "TH-W") {
		t.Fatalf("no age mismatch entry naming the Thai unit among %+v", entries)
	}
	shots := t.TempDir()
	var start [3]float64
	b.eval(`(() => { const c = outcrop.map.getCenter(); return [c.lng, c.lat, outcrop.map.getZoom()]; })()`, &start)
	if start != [3]float64{101.5, 17.5, 7} {
		t.Fatalf("the viewer opened at %v, not at its deep link", start)
	}
	flyTo := func(entry int, is qa.Issue, name, colour string) int {
		t.Helper()
		b.click(entries[entry].X, entries[entry].Y)
		b.waitFor(ctx, `(() => {
			const m = outcrop.map, c = m.getCenter();
			const there = Math.abs(c.lng - `+fmt.Sprint(is.Center[0])+`) < 1e-4 && Math.abs(c.lat - `+fmt.Sprint(is.Center[1])+`) < 1e-4 &&
				Math.abs(m.getZoom() - `+fmt.Sprint(is.Zoom)+`) < 1e-6;
			return there && !m.isMoving() && m.areTilesLoaded() ? 'yes' : '';
		})()`)
		// The map now shows what the issue's viewer link names (the
		// viewer keeps the view in the hash's map= parameter).
		var hash string
		b.eval(`location.hash`, &hash)
		var z, lat, lon float64
		view, _, _ := strings.Cut(strings.TrimPrefix(hash, "#map="), "&")
		if _, err := fmt.Sscanf(view, "%g/%g/%g", &z, &lat, &lon); err != nil ||
			z != float64(is.Zoom) || math.Abs(lat-is.Center[1]) > 1e-4 || math.Abs(lon-is.Center[0]) > 1e-4 {
			t.Errorf("after the click the page is at %q; the issue's link is %s", hash, is.ViewerHref(""))
		}
		// Let the settled map draw a frame, then look for the colour.
		b.eval(`new Promise(r => { outcrop.map.once('idle', () => r(true)); outcrop.map.triggerRepaint(); })`, nil)
		file := filepath.Join(shots, name)
		img := b.screenshot(file)
		viewerKeep(t, file)
		want := viewerParseColor(t, colour)
		n := 0
		bounds := img.Bounds()
		cx, cy := bounds.Dx()/2, bounds.Dy()/2
		for y := cy - bounds.Dy()/4; y < cy+bounds.Dy()/4; y++ {
			for x := cx - bounds.Dx()/4; x < cx+bounds.Dx()/4; x++ {
				if viewerColorDist(color.RGBAModel.Convert(img.At(x, y)).(color.RGBA), want) <= 6 {
					n++
				}
			}
		}
		return n
	}
	if n := flyTo(target, mismatch, "qa-age-mismatch.png", colourOf[qa.ClassAgeMismatch]); n < 40 {
		t.Errorf("only %d pixels of the age mismatch's %s near the centre of the map after flying there", n, colourOf[qa.ClassAgeMismatch])
	}
	// The gap: hatched in its colour, so some pixels are the colour and
	// some, between the hatch lines, are not.
	gapColour := colourOf[qa.KindGap+",area"]
	for i, e := range entries {
		if e.Kind == qa.KindGap {
			if n := flyTo(i, gap, "qa-gap.png", gapColour); n < 200 {
				t.Errorf("only %d pixels of the gap's hatch colour %s near the centre after flying there", n, gapColour)
			}
		}
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}
