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
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The basemap as make demo ingests it.
const (
	basemapVRT = "../data/basemap/basemap.vrt"
	basemapID  = "basemap"
)

// basemapThemes are the files of data/basemap, one per theme (the field
// kind in the tileset).
var basemapThemes = []string{"ocean", "land", "lakes", "rivers", "coastline", "borders", "places"}

// basemapServer ingests data/basemap as make demo does, and a polygon over
// Borneo for the viewer to open on, and serves the store with cfg.
func basemapServer(t *testing.T, cfg server.Config) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	storeDir := filepath.Join(dir, "store")
	if err := os.Mkdir(storeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	if _, err := ingest.Run(context.Background(), basemapVRT, ingest.Options{
		Store: storeDir, ID: basemapID, Title: "Basemap (Natural Earth)", MaxZoom: 6, Precision: 5, DropRate: 1,
		Attribution: "Made with Natural Earth", Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	box := filepath.Join(dir, "box.geojson")
	if err := os.WriteFile(box, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"box"},
		"geometry":{"type":"Polygon","coordinates":[[[116,4],[117,4],[117,5],[116,5],[116,4]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(context.Background(), box, ingest.Options{Store: storeDir, ID: "box", MaxZoom: 6, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Catalog, cfg.Logger = st, logger
	srv := httptest.NewServer(server.New(cfg))
	t.Cleanup(srv.Close)
	return srv
}

// TestBasemap checks the ingested basemap against its source files: every
// feature of each theme is served, and tiles at known places hold the
// right themes (the Java Sea is ocean, Borneo is land, the Thai–Lao border
// follows the Mekong at Vientiane).
func TestBasemap(t *testing.T) {
	srv := basemapServer(t, server.Config{})

	t.Run("counts match the source files", func(t *testing.T) {
		for _, theme := range basemapThemes {
			fc := readFeatures(t, filepath.Join("..", "data", "basemap", theme+".geojson"))
			var items struct{ NumberMatched int }
			getJSONDoc(t, srv.URL+"/collections/"+basemapID+"/items?limit=1&kind="+theme, &items)
			if items.NumberMatched != len(fc.Features) || len(fc.Features) == 0 {
				t.Errorf("%s: %d features served, the file has %d", theme, items.NumberMatched, len(fc.Features))
			}
		}
	})

	t.Run("tiles at known places", func(t *testing.T) {
		const z = 6 // the max zoom
		kindsAt := func(ll orb.Point) []string {
			tile, px := tileOf(ll, z)
			l := getTile(t, srv.URL, basemapID, basemapID, z, int(tile.X), int(tile.Y))
			var kinds []string
			for _, f := range featuresContaining(l, px) {
				kinds = append(kinds, f.Properties.MustString("kind", ""))
			}
			return kinds
		}
		javaSea := orb.Point{110, -5}
		if k := kindsAt(javaSea); !slices.Equal(k, []string{"ocean"}) {
			t.Errorf("the Java Sea at %v lies in %q, want ocean alone", javaSea, k)
		}
		borneo := orb.Point{114, 0.5}
		if k := kindsAt(borneo); !slices.Equal(k, []string{"land"}) {
			t.Errorf("Borneo at %v lies in %q, want land alone", borneo, k)
		}
		// The Mekong at Vientiane is the Thai–Lao border: a border line and
		// the river both pass within 3 km.
		vientiane := orb.Point{102.6, 17.95}
		tile, px := tileOf(vientiane, z)
		l := getTile(t, srv.URL, basemapID, basemapID, z, int(tile.X), int(tile.Y))
		kmPerPixel := 40075.0 / float64(uint(1)<<z) / 4096 * 0.951 // cos 18°
		near := map[string]float64{"borders": math.Inf(1), "rivers": math.Inf(1)}
		for _, f := range l.Features {
			k := f.Properties.MustString("kind", "")
			if d, ok := near[k]; ok {
				near[k] = min(d, planar.DistanceFrom(f.Geometry, px)*kmPerPixel)
			}
		}
		if near["borders"] > 3 || near["rivers"] > 3 {
			t.Errorf("at Vientiane the nearest border is %.1f km away, the nearest river %.1f km; want both within 3 km", near["borders"], near["rivers"])
		}
		// Places carry their names in the region's languages, for labels.
		hanoi := orb.Point{105.848, 21.035}
		tile, px = tileOf(hanoi, z)
		l = getTile(t, srv.URL, basemapID, basemapID, z, int(tile.X), int(tile.Y))
		var names []string
		for _, f := range l.Features {
			if f.Properties.MustString("kind", "") == "places" && f.Properties.MustString("name", "") == "Hanoi" {
				names = append(names, f.Properties.MustString("name_vi", ""), f.Properties.MustString("name_zh", ""))
			}
		}
		if !slices.Equal(names, []string{"Hà Nội", "河內"}) {
			t.Errorf("Hanoi's names in Vietnamese and Chinese: %q, want Hà Nội, 河內", names)
		}
	})
}

// TestViewerDrawsTheBasemap: /map/ draws the basemap below the data, in
// the basemap style's colours (sea over the Java Sea, land over Borneo),
// leaves the basemap out of its layer list, and with --basemap none draws
// nothing apart.
func TestViewerDrawsTheBasemap(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := basemapServer(t, server.Config{})
	var style struct {
		Layers []struct {
			ID    string
			Paint map[string]any
		}
	}
	getJSONDoc(t, srv.URL+"/styles/basemap.basemap.json", &style)
	colour := map[string]string{}
	for _, l := range style.Layers {
		for _, p := range []string{"background-color", "fill-color"} {
			if c, ok := l.Paint[p].(string); ok {
				colour[l.ID] = c
			}
		}
	}
	sea, land := viewerParseColor(t, colour["basemap.ocean"]), viewerParseColor(t, colour["basemap.land"])

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	shots := t.TempDir()

	look := func(name string, zoom int, probes map[string]orb.Point) map[string]color.RGBA {
		t.Helper()
		b.eval(`new Promise(r => { const m = outcrop.map;
			m.jumpTo({center: [112, -2], zoom: `+strconv.Itoa(zoom)+`});
			const check = () => { if (m.areTilesLoaded()) { m.off('idle', check); r(true); } };
			m.on('idle', check); m.triggerRepaint(); })`, nil)
		file := filepath.Join(shots, name)
		img := b.screenshot(file)
		viewerKeep(t, file)
		out := map[string]color.RGBA{}
		for what, ll := range probes {
			var p struct{ X, Y float64 }
			b.eval(fmt.Sprintf(`(() => { const p = outcrop.map.project([%g, %g]); return {x: p.x, y: p.y}; })()`, ll[0], ll[1]), &p)
			out[what] = color.RGBAModel.Convert(img.At(int(p.X), int(p.Y))).(color.RGBA)
		}
		return out
	}
	probes := map[string]orb.Point{"the Java Sea": {110, -5}, "Borneo": {114, 0.5}}

	b.open(ctx, srv.URL+"/map/")
	var state struct {
		Layers   []string
		Tilesets []string
		Errors   []string
	}
	b.eval(`(() => ({
		layers: outcrop.map.getStyle().layers.map(l => l.id),
		tilesets: outcrop.tilesets.map(t => t.id),
		errors: outcrop.errors,
	}))()`, &state)
	if len(state.Errors) > 0 || !slices.Equal(state.Tilesets, []string{"box"}) {
		t.Fatalf("tilesets %q, errors %q; want the box alone, the basemap drawn apart", state.Tilesets, state.Errors)
	}
	ocean, box := slices.Index(state.Layers, "basemap/basemap.ocean"), slices.IndexFunc(state.Layers, func(id string) bool { return id != "background" && !strings.HasPrefix(id, "basemap/") })
	if ocean < 0 || box < ocean || slices.ContainsFunc(state.Layers[box:], func(id string) bool { return strings.HasPrefix(id, "basemap/") }) {
		t.Errorf("layers %q: want every basemap/ layer below the data's", state.Layers)
	}
	// At zoom 5 and at zoom 3, where the tiles are the most simplified.
	for _, zoom := range []int{5, 3} {
		got := look(fmt.Sprintf("basemap-z%d.png", zoom), zoom, probes)
		if d := viewerColorDist(got["the Java Sea"], sea); d > 3 {
			t.Errorf("zoom %d: the Java Sea is %v on the map, want the sea's %v", zoom, got["the Java Sea"], sea)
		}
		if d := viewerColorDist(got["Borneo"], land); d > 3 {
			t.Errorf("zoom %d: Borneo is %v on the map, want the land's %v", zoom, got["Borneo"], land)
		}
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}

	// With --basemap none nothing is drawn apart: the basemap tileset is a
	// layer like any other, listed in the switcher.
	none := basemapServer(t, server.Config{Basemap: server.NoBasemap})
	b.open(ctx, none.URL+"/map/")
	var plain struct {
		Basemap  any
		Tilesets []string
		Layers   []string
	}
	b.eval(`(() => ({
		basemap: outcrop.basemap,
		tilesets: outcrop.tilesets.map(t => t.id),
		layers: outcrop.map.getStyle().layers.map(l => l.id),
	}))()`, &plain)
	if plain.Basemap != nil || !slices.Equal(plain.Tilesets, []string{"basemap", "box"}) ||
		slices.ContainsFunc(plain.Layers, func(id string) bool { return strings.HasPrefix(id, "basemap/") }) {
		t.Errorf("--basemap none: basemap %v, tilesets %q, layers %q; want no basemap, the basemap tileset listed", plain.Basemap, plain.Tilesets, plain.Layers)
	}
}
