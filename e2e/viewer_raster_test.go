//go:build cgo

package e2e

import (
	"context"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// rasterViewerGrid is the Slab2 depth grid bundled in data/.
const (
	rasterViewerGrid = "../data/rasters/slab2-sumatra-java/sum_slab2_dep_02.23.18.grd"
	rasterViewerID   = "slab2-depth"
	rasterVectorID   = "box"
)

// rasterViewerServer ingests the Slab2 grid, as make demo does, and a
// polygon over part of it, and serves the store.
func rasterViewerServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	storeDir := filepath.Join(dir, "store")
	os.Mkdir(storeDir, 0o755)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	if _, err := ingest.Run(context.Background(), rasterViewerGrid, ingest.Options{
		Store: storeDir, ID: rasterViewerID, Title: "Slab2 depth", MaxZoom: -1, Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	box := filepath.Join(dir, "box.geojson")
	if err := os.WriteFile(box, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"box"},
		"geometry":{"type":"Polygon","coordinates":[[[95,2],[97,2],[97,4],[95,4],[95,2]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Run(context.Background(), box, ingest.Options{Store: storeDir, ID: rasterVectorID, MaxZoom: 8, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)
	return srv
}

// TestViewerDrawsARaster: the viewer draws the Slab2 grid as a raster
// layer under the vector layers, its tiles in the default ramp over the
// stored p2–p98 stretch (the pixel at a known point is the ramp's colour of
// the value there), redraws it when another ramp is chosen, shows a colour
// bar of the stretch, and a click shows the value /value gives.
func TestViewerDrawsARaster(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := rasterViewerServer(t)

	var tj struct {
		Bands []struct {
			Stats struct {
				Percentiles map[string]float64
			}
		}
		TileSize int `json:"tile_size"`
		MaxZoom  int
	}
	getJSONDoc(t, srv.URL+"/tiles/"+rasterViewerID+".json", &tj)
	if len(tj.Bands) != 1 || tj.TileSize == 0 {
		t.Fatalf("TileJSON of %s: %+v", rasterViewerID, tj)
	}
	lo, hi := tj.Bands[0].Stats.Percentiles["p2"], tj.Bands[0].Stats.Percentiles["p98"]
	var cms struct {
		Default   string
		Colormaps []struct {
			Name    string
			Colours []string
		}
	}
	getJSONDoc(t, srv.URL+"/colormaps", &cms)
	ramp := map[string][]string{}
	for _, c := range cms.Colormaps {
		ramp[c.Name] = c.Colours
	}
	if cms.Default != "viridis" || len(ramp["viridis"]) != 256 || len(ramp["cividis"]) != 256 {
		t.Fatalf("/colormaps: default %q, ramps %d", cms.Default, len(ramp))
	}

	// The known point: the centre of the max-zoom cell holding 100° E, 1° S,
	// on the slab under Sumatra.
	world := float64(tj.TileSize << tj.MaxZoom)
	sin := math.Sin(-1 * math.Pi / 180)
	px := math.Floor((100.0+180)/360*world) + 0.5
	py := math.Floor((0.5-math.Log((1+sin)/(1-sin))/(4*math.Pi))*world) + 0.5
	lon := px/world*360 - 180
	lat := math.Atan(math.Sinh(math.Pi*(1-2*py/world))) * 180 / math.Pi
	var val struct {
		Values []struct {
			Value *float64
		}
	}
	getJSONDoc(t, fmt.Sprintf("%s/collections/%s/value?lon=%s&lat=%s", srv.URL, rasterViewerID,
		strconv.FormatFloat(lon, 'f', -1, 64), strconv.FormatFloat(lat, 'f', -1, 64)), &val)
	if len(val.Values) != 1 || val.Values[0].Value == nil {
		t.Fatalf("/value at %g, %g: %+v; want the slab's depth", lon, lat, val)
	}
	depth := *val.Values[0].Value
	// The colour the server draws depth in with a ramp and the stretch.
	colourAt := func(name string) color.RGBA {
		f := math.Max(0, math.Min(1, (depth-lo)/(hi-lo)))
		return viewerParseColor(t, ramp[name][int(f*255+0.5)])
	}

	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b.open(ctx, srv.URL+"/map/")

	// The raster is a layer of its own source, the PNG tiles drawn in the
	// default ramp over the stored p2–p98, under the vector tileset's.
	var layers struct {
		IDs    []string
		Type   string
		Tiles  []string
		Errors []string
	}
	b.eval(`(() => {
		const m = outcrop.map, src = m.getSource('ts:`+rasterViewerID+`');
		return {
			ids: m.getStyle().layers.map(l => l.id),
			type: m.getLayer('`+rasterViewerID+`:raster')?.type ?? '',
			tiles: src?.tiles ?? [],
			errors: outcrop.errors,
		};
	})()`, &layers)
	if layers.Type != "raster" || len(layers.Errors) > 0 {
		t.Fatalf("layer %s:raster has type %q, errors %q; layers %q", rasterViewerID, layers.Type, layers.Errors, layers.IDs)
	}
	index := func(id string) int {
		for i, l := range layers.IDs {
			if l == id {
				return i
			}
		}
		t.Fatalf("no layer %s among %q", id, layers.IDs)
		return -1
	}
	if r, f := index(rasterViewerID+":raster"), index(rasterVectorID+":fill"); r > f {
		t.Errorf("the raster layer (%d) lies over the vector fill (%d): %q", r, f, layers.IDs)
	}
	if len(layers.Tiles) != 1 {
		t.Fatalf("raster source tiles %q", layers.Tiles)
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(layers.Tiles[0]))
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); !strings.Contains(u.Path, "/tiles/"+rasterViewerID+"@") || !strings.HasSuffix(u.Path, "/0/0/0.png") || q.Get("colormap") != "viridis" ||
		q.Get("rescale") != strconv.FormatFloat(lo, 'f', -1, 64)+","+strconv.FormatFloat(hi, 'f', -1, 64) {
		t.Errorf("raster tiles %s; want the PNG tiles with colormap=viridis&rescale=%g,%g", layers.Tiles[0], lo, hi)
	}

	// Centre the map on the known point, deep enough that its cell is 8
	// pixels wide (the point 4 pixels from each edge).
	shots := t.TempDir()
	goTo := fmt.Sprintf(`new Promise(r => { const m = outcrop.map;
		m.jumpTo({center: [%s, %s], zoom: %d});
		const check = () => { if (m.areTilesLoaded()) { m.off('idle', check); r(true); } };
		m.on('idle', check); m.triggerRepaint(); })`,
		strconv.FormatFloat(lon, 'f', -1, 64), strconv.FormatFloat(lat, 'f', -1, 64), tj.MaxZoom+3)
	b.eval(goTo, nil)
	centre := func(name string) color.RGBA {
		t.Helper()
		file := filepath.Join(shots, name)
		img := b.screenshot(file)
		viewerKeep(t, file)
		return color.RGBAModel.Convert(img.At(width/2, height/2)).(color.RGBA)
	}
	viridis := colourAt("viridis")
	if got := centre("raster-viridis.png"); viewerColorDist(got, viridis) > 4 {
		t.Errorf("at %.4f, %.4f (depth %g) the map is %v; want viridis's %v", lon, lat, depth, got, viridis)
	}

	// Choose cividis in the switcher: the tiles are redrawn in it, and the
	// colour bar shows it over the stretch.
	b.eval(`(() => {
		const s = document.querySelector('.outcrop-layer[data-id="`+rasterViewerID+`"] select.ramp');
		s.value = 'cividis';
		s.dispatchEvent(new Event('change'));
		return true;
	})()`, nil)
	b.eval(`new Promise(r => { const m = outcrop.map;
		const check = () => { if (m.areTilesLoaded()) { m.off('idle', check); r(true); } };
		m.on('idle', check); m.triggerRepaint(); })`, nil)
	cividis := colourAt("cividis")
	if viewerColorDist(viridis, cividis) < 30 {
		t.Fatalf("viridis %v and cividis %v at depth %g are too close to tell apart", viridis, cividis, depth)
	}
	if got := centre("raster-cividis.png"); viewerColorDist(got, cividis) > 4 {
		t.Errorf("after choosing cividis the map is %v at the point; want cividis's %v", got, cividis)
	}
	var bar struct {
		Ramp, What string
		Lo, Hi     string
		Background string
	}
	b.eval(`(() => {
		const s = document.querySelector('.outcrop-legend section.raster[data-id="`+rasterViewerID+`"]');
		return {
			ramp: s.querySelector('.colour-bar').dataset.ramp,
			what: s.querySelector('.what').textContent,
			lo: s.querySelector('.colour-ticks .lo').dataset.value,
			hi: s.querySelector('.colour-ticks .hi').dataset.value,
			background: getComputedStyle(s.querySelector('.colour-bar')).backgroundImage,
		};
	})()`, &bar)
	if bar.Ramp != "cividis" || bar.Lo != strconv.FormatFloat(lo, 'f', -1, 64) || bar.Hi != strconv.FormatFloat(hi, 'f', -1, 64) {
		t.Errorf("colour bar %+v; want cividis from %g to %g", bar, lo, hi)
	}
	first := viewerParseColor(t, ramp["cividis"][0])
	if want := fmt.Sprintf("rgb(%d, %d, %d)", first.R, first.G, first.B); !strings.Contains(bar.Background, "linear-gradient") || !strings.Contains(bar.Background, want) {
		t.Errorf("colour bar background %q; want a gradient from cividis's %s", bar.Background, want)
	}

	// A click on the point shows the depth /value gives there.
	b.click(width/2, height/2)
	b.waitFor(ctx, `document.querySelector('.outcrop-popup section.raster td.value') ? 'yes' : ''`)
	var popup struct{ Value, Text, Band string }
	b.eval(`(() => {
		const s = document.querySelector('.outcrop-popup section.raster[data-id="`+rasterViewerID+`"]');
		const td = s.querySelector('td.value');
		return {value: td.dataset.value, text: td.textContent, band: s.querySelector('th').textContent};
	})()`, &popup)
	got, err := strconv.ParseFloat(popup.Value, 64)
	if err != nil || got != depth || popup.Band != "z" {
		t.Errorf("popup band %q value %q; want z = %v, as /value says", popup.Band, popup.Value, depth)
	}
	if want := strconv.FormatFloat(depth, 'g', 6, 64); !strings.HasPrefix(popup.Text, want) {
		t.Errorf("popup shows %q; want %s", popup.Text, want)
	}
	if thrown := b.exceptions(); len(thrown) > 0 {
		t.Errorf("uncaught exceptions in the page: %q", thrown)
	}
}
