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
	"strings"
	"testing"
	"time"

	"github.com/outcrop/outcrop/ingest"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// waitTiles is a viewer expression that resolves once the map's tiles are
// loaded.
const waitTiles = `new Promise(r => { const m = outcrop.map;
	const check = () => { if (m.areTilesLoaded()) { m.off('idle', check); r(true); } };
	m.on('idle', check); m.triggerRepaint(); })`

// check ticks a checkbox of the raster's row in the layer switcher.
func check(b *viewerBrowser, id, class string) {
	b.eval(`(() => {
		const c = document.querySelector('.outcrop-layer[data-id="`+id+`"] input.`+class+`');
		c.checked = true;
		c.dispatchEvent(new Event('change'));
		return true;
	})()`, nil)
}

// TestViewerHillshadesARaster: the hillshade checkbox of the Slab2 depth
// grid asks the server for hillshade=blend (with zfactor=1000 for values in
// km), and the map turns from the ramp's colour to that colour times the
// shade (darker, never lighter); a grid not in metres offers no 3D terrain.
func TestViewerHillshadesARaster(t *testing.T) {
	chromium := viewerNeeds(t)
	srv := rasterViewerServer(t)
	var tj struct {
		Bands []struct{ Units string }
	}
	getJSONDoc(t, srv.URL+"/tiles/"+rasterViewerID+".json", &tj)
	if len(tj.Bands) != 1 {
		t.Fatalf("TileJSON bands %+v", tj.Bands)
	}
	units := tj.Bands[0].Units
	const width, height = 800, 600
	b := startViewerBrowser(t, chromium, width, height)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b.open(ctx, srv.URL+"/map/")
	b.eval(`outcrop.map.jumpTo({center: [100, -1], zoom: 6}), true`, nil)
	b.eval(waitTiles, nil)
	shots := t.TempDir()
	centre := func(name string) color.RGBA {
		t.Helper()
		file := filepath.Join(shots, name)
		img := b.screenshot(file)
		viewerKeep(t, file)
		return color.RGBAModel.Convert(img.At(width/2, height/2)).(color.RGBA)
	}
	flat := centre("raster-flat.png")
	var has struct{ Hillshade, Terrain bool }
	b.eval(`(() => {
		const row = document.querySelector('.outcrop-layer[data-id="`+rasterViewerID+`"]');
		return {hillshade: !!row.querySelector('input.hillshade'), terrain: !!row.querySelector('input.terrain')};
	})()`, &has)
	if !has.Hillshade || has.Terrain {
		t.Fatalf("the raster's row has a hillshade checkbox %v, a terrain toggle %v; want a hillshade checkbox only (the grid is not in metres)", has.Hillshade, has.Terrain)
	}
	check(b, rasterViewerID, "hillshade")
	b.eval(waitTiles, nil)
	var tiles []string
	b.eval(`outcrop.map.getSource('ts:`+rasterViewerID+`').tiles`, &tiles)
	if len(tiles) != 1 {
		t.Fatalf("raster source tiles %q", tiles)
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(tiles[0]))
	// Values in km are scaled to metres for the slopes; others are taken
	// as metres.
	zfactor := ""
	if units == "km" {
		zfactor = "1000"
	}
	if err != nil || u.Query().Get("hillshade") != "blend" || u.Query().Get("zfactor") != zfactor {
		t.Fatalf("raster tiles %q after the hillshade checkbox (units %q); want hillshade=blend, zfactor=%s", tiles, units, zfactor)
	}
	shaded := centre("raster-hillshade.png")
	if viewerColorDist(flat, shaded) < 10 || shaded.R > flat.R+3 || shaded.G > flat.G+3 || shaded.B > flat.B+3 {
		t.Errorf("hillshaded the map is %v at the centre, unshaded %v; want the ramp's colour darkened by the shade", shaded, flat)
	}
}

// demASCII writes a 200×200 ESRI ASCII grid in WGS 84 over 95–97° E,
// 2–4° N: a hill peak metres high at 96° E, 3° N, falling to 0.
func demASCII(t *testing.T, file string, peak float64) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "ncols 200\nnrows 200\nxllcorner 95\nyllcorner 2\ncellsize 0.01\nNODATA_value -9999\n")
	for j := range 200 {
		for i := range 200 {
			x, y := (float64(i)+0.5-100)/40, (float64(j)+0.5-100)/40
			fmt.Fprintf(&b, "%.1f ", peak*math.Exp(-(x*x+y*y)))
		}
		b.WriteByte('\n')
	}
	prj := `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]]`
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(file, ".asc")+".prj", []byte(prj), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestViewerTerrain: an elevation raster (one band in metres) has a 3D
// terrain toggle; turning it on adds a raster-dem source of the tileset's
// Terrarium TileJSON, makes it the map's terrain and tilts the map, and
// MapLibre, decoding the server's Terrarium tiles, finds the hill's peak
// at its height.
func TestViewerTerrain(t *testing.T) {
	chromium := viewerNeeds(t)
	dir := t.TempDir()
	storeDir := filepath.Join(dir, "store")
	os.Mkdir(storeDir, 0o755)
	const peak = 2000.0
	dem := filepath.Join(dir, "hill.asc")
	demASCII(t, dem, peak)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	if _, err := ingest.Run(context.Background(), dem, ingest.Options{
		Store: storeDir, ID: "hill", Title: "Hill", MaxZoom: -1, Units: "m", Logger: logger,
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

	b := startViewerBrowser(t, chromium, 800, 600)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b.open(ctx, srv.URL+"/map/")
	b.eval(`outcrop.map.jumpTo({center: [96, 3], zoom: 8}), true`, nil)
	b.eval(waitTiles, nil)
	check(b, "hill", "terrain")
	got := b.waitFor(ctx, `{ const m = outcrop.map; const e = m.getTerrain() && m.queryTerrainElevation([96, 3]); (e && e > 10 && m.getPitch() > 30) ? String(e) : '' }`)
	var state struct {
		Source, Type, URL, Encoding string
		Errors                      []string
	}
	b.eval(`(() => {
		const m = outcrop.map, id = m.getTerrain().source, s = m.getStyle().sources[id];
		return {source: id, type: s.type, url: s.url, encoding: s.encoding, errors: outcrop.errors};
	})()`, &state)
	if state.Source != "ts:hill:terrain" || state.Type != "raster-dem" || state.Encoding != "terrarium" ||
		!strings.HasSuffix(state.URL, "/tiles/hill.json?encoding=terrarium") || len(state.Errors) > 0 {
		t.Errorf("terrain %+v; want the raster-dem source ts:hill:terrain of /tiles/hill.json?encoding=terrarium", state)
	}
	var e float64
	fmt.Sscan(got, &e)
	if math.Abs(e-peak) > 0.05*peak {
		t.Errorf("MapLibre's terrain is %g m high at the peak, want %g", e, peak)
	}
	file := filepath.Join(t.TempDir(), "terrain.png")
	b.screenshot(file)
	viewerKeep(t, file)
}
