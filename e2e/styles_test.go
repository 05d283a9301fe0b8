//go:build cgo

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/vocab"
)

// The styles test's data: the viewer test's two squares as map units,
// ingested through a mapping onto GeoSciML-Lite with Thai as their
// language. Alpha is a Permian granite, Beta a Jurassic sandstone.
const (
	stylesID = "units"
	permian  = "http://resource.geosciml.org/classifier/ics/ischart/Permian"
	jurassic = "http://resource.geosciml.org/classifier/ics/ischart/Jurassic"
	granite  = "http://resource.geosciml.org/classifier/cgi/lithology/granite"

	stylesMapping = `view: GeologicUnitView
fields:
  identifier: {template: "test:{name}"}
  name: name
  geologicHistory: age
  representativeAge_uri: {from: age, age: span}
  representativeLithology_uri: {from: rock, by_label: true}
`
)

// stylesServer ingests the units through their mapping, as
// `outcrop ingest --mapping --lang th` would, and serves the store.
func stylesServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "units.geojson")
	square := func(name, age, rock string, ring [5][2]float64) string {
		coords, _ := json.Marshal([][5][2]float64{ring})
		return fmt.Sprintf(`{"type":"Feature","properties":{"name":%q,"age":%q,"rock":%q},"geometry":{"type":"Polygon","coordinates":%s}}`, name, age, rock, coords)
	}
	ring := func(w, s, e, n float64) [5][2]float64 { return [5][2]float64{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}} }
	a, b := viewerAlpha.Bound(), viewerBeta.Bound()
	fc := `{"type":"FeatureCollection","features":[` +
		square("Alpha", "Permian", "Granite", ring(a.Min[0], a.Min[1], a.Max[0], a.Max[1])) + "," +
		square("Beta", "Jurassic", "sandstone", ring(b.Min[0], b.Min[1], b.Max[0], b.Max[1])) + "]}"
	mapping := filepath.Join(dir, "units.yaml")
	storeDir := filepath.Join(dir, "store")
	for name, body := range map[string]string{src: fc, mapping: stylesMapping} {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(storeDir, 0o755)
	_, err := ingest.Run(context.Background(), src, ingest.Options{
		Store: storeDir, ID: stylesID, Title: "Test units", MaxZoom: 6, Mapping: mapping, Strict: true, Language: "th",
	})
	if err != nil {
		t.Fatal(err)
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

func getJSONDoc(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// servedFill reads the fill layer of a served style: the colour of each
// value of the match expression, and the fill opacity (1 when unset).
func servedFill(t *testing.T, url string) (map[string]string, float64) {
	t.Helper()
	var doc struct {
		Layers []struct {
			Type  string
			Paint map[string]any
		}
	}
	getJSONDoc(t, url, &doc)
	for _, l := range doc.Layers {
		if l.Type != "fill" {
			continue
		}
		opacity := 1.0
		if o, ok := l.Paint["fill-opacity"].(float64); ok {
			opacity = o
		}
		e, _ := l.Paint["fill-color"].([]any)
		colours := map[string]string{}
		for i := 2; i+1 < len(e); i += 2 {
			for _, v := range e[i].([]any) {
				colours[v.(string)] = e[i+1].(string)
			}
		}
		return colours, opacity
	}
	t.Fatalf("%s has no fill layer", url)
	return nil, 0
}

// TestStylesInChromium: the viewer opens a harmonised tileset in its
// geology-by-age style and draws each unit in the ICS chart's exact colour,
// lists it in the legend, switches to lithology and back to its own
// colours, and names the vocabulary URIs of a clicked unit in English and
// Thai above its source fields.
func TestStylesInChromium(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := stylesServer(t)

	ageColours, ageOpacity := servedFill(t, srv.URL+"/styles/units.geology-age.json")
	for uri, want := range map[string]string{permian: "#F04028", jurassic: "#34B2C9"} {
		if chart, _ := vocab.ColourOf(uri); ageColours[uri] != want || chart != want {
			t.Fatalf("the age style fills %s with %s (chart: %s), want %s", uri, ageColours[uri], chart, want)
		}
	}

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	shots := t.TempDir()
	b.open(ctx, srv.URL+"/map/")

	var page struct {
		Style      string
		Background string
		Colour     string
		Options    []string
		Legend     []string
		Errors     []string
		Px         map[string][2]float64
	}
	read := func() {
		t.Helper()
		b.eval(`(() => {
			const m = outcrop.map, ts = outcrop.tilesets.find(t => t.id === 'units');
			const px = {};
			for (const [k, p] of Object.entries({alpha: [`+lonLat(viewerPlaces["alpha"])+`], beta: [`+lonLat(viewerPlaces["beta"])+`]})) {
				const q = m.project(p); px[k] = [q.x, q.y];
			}
			return {
				style: ts.style ? ts.style.id : '',
				background: m.getPaintProperty('background', 'background-color'),
				colour: ts.color,
				options: [...document.querySelectorAll('.outcrop-layer[data-id="units"] select.style option')].map(o => o.value),
				legend: [...document.querySelectorAll('.outcrop-legend section[data-id="units"] li')].map(li => li.textContent),
				errors: outcrop.errors,
				px,
			};
		})()`, &page)
	}
	shot := func(name string) viewerShot {
		t.Helper()
		file := filepath.Join(shots, name)
		img := b.screenshot(file)
		viewerKeep(t, file)
		return viewerShot{img: img, scale: float64(img.Bounds().Dx()) / width, px: page.Px}
	}
	read()
	if page.Style != "units.geology-age" || len(page.Errors) > 0 {
		t.Fatalf("the viewer drew units in style %q with errors %q; want its preferred style, units.geology-age", page.Style, page.Errors)
	}
	if strings.Join(page.Options, " ") != " units.geology-age units.geology-lithology units.default" {
		t.Errorf("style choices %q; want the viewer's colours and the three styles the server offers", page.Options)
	}
	bg := viewerParseColor(t, page.Background)
	age := shot("styles-age.png")
	age.expect(t, "alpha", viewerBlend(viewerParseColor(t, "#F04028"), bg, ageOpacity), 2, "Permian unit, ICS chart colour")
	age.expect(t, "beta", viewerBlend(viewerParseColor(t, "#34B2C9"), bg, ageOpacity), 2, "Jurassic unit, ICS chart colour")
	legend := strings.Join(page.Legend, "\n")
	if len(page.Legend) != 2 || !strings.Contains(page.Legend[0], "Jurassic") || !strings.Contains(page.Legend[1], "Permian") {
		t.Errorf("legend entries %q; want Jurassic then Permian, youngest first as the chart lists them", page.Legend)
	}
	// The legend lists the tilesets in view only: away from the units it
	// is empty and hidden, and back over them it lists them again.
	var away, again struct {
		Entries int
		Hidden  bool
	}
	const legendNow = `({entries: document.querySelectorAll('.outcrop-legend section[data-id="units"] li').length, hidden: document.querySelector('.outcrop-legend').hidden})`
	b.eval(`(() => { const m = outcrop.map; window.outcropBack = {center: m.getCenter(), zoom: m.getZoom()};
		const moved = new Promise(r => m.once('moveend', () => r(true))); m.jumpTo({center: [-60, -40]}); return moved; })()`, nil)
	b.eval(legendNow, &away)
	b.eval(`(() => { const m = outcrop.map; const moved = new Promise(r => m.once('moveend', () => r(true))); m.jumpTo(window.outcropBack); return moved; })()`, nil)
	b.eval(legendNow, &again)
	if away.Entries != 0 || !away.Hidden || again.Entries != 2 || again.Hidden {
		t.Errorf("legend away from the units: %+v, back over them: %+v; want none and hidden, then both entries", away, again)
	}

	// Lithology, through the switcher.
	b.eval(switchStyle("units.geology-lithology"), nil)
	read()
	var lith struct {
		Entries []struct {
			Colour     string
			LocalLabel string `json:"label_local"`
			Values     []string
		}
	}
	getJSONDoc(t, srv.URL+"/collections/units/legend?style=geology-lithology", &lith)
	classOf := map[string]string{}
	for _, e := range lith.Entries {
		for _, v := range e.Values {
			classOf[v] = e.Colour
		}
	}
	lithColours, lithOpacity := servedFill(t, srv.URL+"/styles/units.geology-lithology.json")
	if classOf[granite] == "" || lithColours[granite] != classOf[granite] {
		t.Fatalf("granite: legend colour %q, style colour %q", classOf[granite], lithColours[granite])
	}
	ls := shot("styles-lithology.png")
	ls.expect(t, "alpha", viewerBlend(viewerParseColor(t, classOf[granite]), bg, lithOpacity), 2, "granite, its lithology class's colour")
	if page.Style != "units.geology-lithology" || strings.Join(page.Legend, "\n") == legend {
		t.Errorf("after switching: style %q, legend %q", page.Style, page.Legend)
	}

	// And back to the viewer's own colours: no legend.
	b.eval(switchStyle(""), nil)
	read()
	own := shot("styles-own.png")
	own.expect(t, "alpha", viewerBlend(viewerParseColor(t, page.Colour), bg, 0.45), 12, "the viewer's own colour")
	if len(page.Legend) != 0 {
		t.Errorf("legend %q in the viewer's colours", page.Legend)
	}

	// The popup names the harmonised fields' URIs, then lists the source's.
	b.click(page.Px["alpha"][0], page.Px["alpha"][1])
	popup := b.waitFor(ctx, `document.querySelector('.maplibregl-popup-content td[data-named]') ? document.querySelector('.maplibregl-popup-content').innerText : ''`)
	c, _ := vocab.Lookup(granite)
	for _, want := range []string{"representativeAge_uri\tPermian", "representativeLithology_uri\tgranite", c.PrefLabels["th"], "Source fields", "rock\tGranite"} {
		if !strings.Contains(popup, want) {
			t.Errorf("popup %q lacks %q", popup, want)
		}
	}
	if h, s := strings.Index(popup, "representativeAge_uri"), strings.Index(popup, "Source fields"); h < 0 || s < h {
		t.Errorf("popup %q: harmonised fields must come before the source's", popup)
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}

func lonLat(p [2]float64) string { return fmt.Sprintf("%g, %g", p[0], p[1]) }

// switchStyle picks a style in the units' switcher and waits until the map
// has drawn it.
func switchStyle(id string) string {
	return `new Promise((resolve) => {
		const want = '` + id + `';
		const s = document.querySelector('.outcrop-layer[data-id="units"] select.style');
		s.value = want;
		s.dispatchEvent(new Event('change'));
		const m = outcrop.map, ts = outcrop.tilesets.find(t => t.id === 'units');
		const check = () => {
			if ((ts.style ? ts.style.id : '') === want) {
				m.once('idle', () => resolve(true));
				m.triggerRepaint();
			} else {
				setTimeout(check, 50);
			}
		};
		check();
	})`
}

// TestStylesInQGIS: QGIS loads the served tileset as a vector tile layer
// styled by the served style, converting it with its own
// QgsMapBoxGlStyleConverter, and draws each unit in the chart's colour.
func TestStylesInQGIS(t *testing.T) {
	qgisNeeds(t)
	srv := stylesServer(t)
	places, _ := json.Marshal(map[string][2]float64{"alpha": viewerPlaces["alpha"], "beta": viewerPlaces["beta"], "gap": viewerPlaces["gap"]})
	png := filepath.Join(t.TempDir(), "qgis-styles.png")
	var rep struct {
		QGIS         string
		Valid        bool
		StyleLoaded  bool     `json:"style_loaded"`
		StyleMessage string   `json:"style_message"`
		Styles       []string `json:"renderer_styles"`
		Colours      map[string]float64
		Pixels       map[string]string
	}
	runQGIS(t, &rep, "qgis_styled_layer.py",
		srv.URL+"/tiles/units/{z}/{x}/{y}.mvt", srv.URL+"/styles/units.geology-age.json", "6", "98,-7,127,7", string(places), png)
	viewerKeep(t, png)
	t.Logf("QGIS %s: styles %q, colours %v", rep.QGIS, rep.Styles, rep.Colours)
	if !rep.Valid || !rep.StyleLoaded || len(rep.Styles) == 0 {
		t.Fatalf("QGIS: layer valid %v, style loaded %v (%q), renderer styles %q", rep.Valid, rep.StyleLoaded, rep.StyleMessage, rep.Styles)
	}
	// Each unit covers about a quarter of the image, the style's background
	// the rest.
	bg := servedBackground(t, srv.URL+"/styles/units.geology-age.json")
	for colour, least := range map[string]float64{"#f04028": 0.15, "#34b2c9": 0.15, strings.ToLower(bg): 0.3} {
		if rep.Colours[colour] < least {
			t.Errorf("QGIS drew %.0f%% of the image in %s, want at least %.0f%%", 100*rep.Colours[colour], colour, 100*least)
		}
	}
	for name, want := range map[string]string{"alpha": "#F04028", "beta": "#34B2C9", "gap": bg} {
		got := rep.Pixels[name]
		if d := viewerColorDist(viewerParseColor(t, got), viewerParseColor(t, want)); d > 2 {
			t.Errorf("QGIS drew %s in %s, want %s", name, got, want)
		}
	}
}

// servedBackground is the colour of a served style's background layer.
func servedBackground(t *testing.T, url string) string {
	t.Helper()
	var doc struct {
		Layers []struct {
			Type  string
			Paint map[string]any
		}
	}
	getJSONDoc(t, url, &doc)
	for _, l := range doc.Layers {
		if c, ok := l.Paint["background-color"].(string); ok && l.Type == "background" {
			return c
		}
	}
	t.Fatalf("%s has no background layer", url)
	return ""
}

// qgisNeeds skips the test, loudly, unless qgisPython has QGIS's bindings
// (under CI, fails it). Unlike needQGIS it runs the test wherever QGIS is
// installed.
func qgisNeeds(t *testing.T) {
	t.Helper()
	if exec.Command(qgisPython, "-c", "import qgis.core").Run() != nil {
		msg := "QGIS Python bindings are not installed: apt-get install python3-qgis"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Logf("!!!!!!!! SKIPPING THE QGIS STYLE TEST: %s !!!!!!!!", msg)
		t.Skip(msg)
	}
}
