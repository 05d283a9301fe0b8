package e2e

import (
	"context"
	"fmt"
	"image"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The label test's points: one named in Thai, and one named with as many
// code points of the Thai block that Unicode leaves unassigned, which no
// font has: what a browser draws for those is tofu.
var (
	chiangMai = orb.Point{98.9853, 18.7883}
	tofuPlace = orb.Point{100.5018, 13.7563}
	pilbara   = orb.Point{118.6, -22.3}
)

const (
	chiangMaiThai = "เชียงใหม่"
	tofuName      = "\u0e5c\u0e5d\u0e5e\u0e5f\u0e60\u0e61\u0e62"
)

// labelPage draws the server's style of the places tileset alone, centred
// on the point at ?at=lon,lat at zoom 11 (past the name labels' min zoom),
// and says "ready" on <body data-state> once the map is idle; the point's
// CSS pixel position is in data-point.
const labelPage = `<!doctype html>
<html><head><meta charset="utf-8">
<style>html, body, #map { margin: 0; width: 100%%; height: 100%%; }</style>
</head><body data-state="loading"><div id="map"></div>
<script type="module">
const maplibregl = await import('/map/vendor/%s/maplibre-gl.mjs');
try {
  const at = new URLSearchParams(location.search).get('at').split(',').map(Number);
  const style = await (await fetch('/styles/places.default.json')).json();
  const map = new maplibregl.Map({container: 'map', style, center: at, zoom: 11, attributionControl: false, fadeDuration: 0});
  map.on('error', (e) => { document.body.dataset.error = String(e.error && e.error.message); });
  map.once('idle', () => {
    const p = map.project(at);
    document.body.dataset.point = p.x + ',' + p.y;
    document.body.dataset.state = 'ready';
  });
} catch (err) {
  document.body.dataset.error = String(err);
  document.body.dataset.state = 'error';
}
</script></body></html>`

// TestThaiLabelInChromium: MapLibre in Chromium draws the Thai name of a
// point in the server's style, above it, and as Thai letters rather than
// tofu: its ink differs from that of a name of unassigned code points.
// MapLibre GL JS 6 draws the complex scripts (Thai, Lao, Khmer, Myanmar)
// from font files rather than glyph PBFs: the style names the server's
// Noto Sans Thai file in font-faces, and the page must fetch it. The glyphs
// the style points to, which MapLibre Native and older GL JS draw Thai
// from, are checked too: a bitmap with ink for every code point of the
// name.
func TestThaiLabelInChromium(t *testing.T) {
	chromium := viewerNeeds(t)
	dir := t.TempDir()
	viewerWriteTileset(t, dir, "places", tileset.Metadata{Title: "Places", Description: "A point named in Thai"}, []*geojson.Feature{
		viewerFeature(1, chiangMai, geojson.Properties{"name": chiangMaiThai}),
		viewerFeature(2, tofuPlace, geojson.Properties{"name": tofuName}),
		viewerFeature(3, pilbara, geojson.Properties{"name": "Pilbara"}),
	})
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	lib, err := glyphs.Open(glyphs.DefaultDirs...)
	if err != nil || !lib.Has("Noto Sans Thai Regular") {
		msg := fmt.Sprintf("fonts-noto-core is not installed (make deps-test): %v", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	mux := http.NewServeMux()
	mux.Handle("/", server.New(server.Config{Catalog: st, Logger: logger, Fonts: lib}))
	mux.HandleFunc("/label-test.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, labelPage, viewer.VendoredVersion())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := startViewerBrowser(t, chromium, labelWidth, labelHeight)
	thai := labelInk(t, b, srv.URL, "thai", chiangMai)
	// MapLibre shaped the Thai with the server's font, which the style
	// names in font-faces, not with whatever the browser has.
	fetchedFont := false
	for _, u := range b.requests() {
		fetchedFont = fetchedFont || strings.HasSuffix(u, "/fonts/Noto%20Sans%20Thai%20Regular.ttf")
	}
	if !fetchedFont {
		t.Errorf("the page did not fetch the Thai font file the style names; it fetched %q", b.requests())
	}
	tofu := labelInk(t, b, srv.URL, "tofu", tofuPlace)
	// At 11 px the seven clusters of เชียงใหม่ are about 40 px wide, in
	// strokes a pixel thin: some fifty pixels darker than mid-grey.
	if n := count(thai); n < 30 {
		t.Errorf("the Thai label has %d dark pixels above the point, want a drawn name (>= 30)", n)
	}
	// Latin comes from the server's glyph PBFs, signed distance fields
	// this server drew: the name is inked where MapLibre placed it by their
	// metrics.
	latin := labelInk(t, b, srv.URL, "latin", pilbara)
	fetchedRange := false
	for _, u := range b.requests() {
		fetchedRange = fetchedRange || strings.HasSuffix(u, "/0-255.pbf")
	}
	if n := count(latin); !fetchedRange || n < 20 {
		t.Errorf("Pilbara: %d dark pixels above the point, glyph range 0-255 fetched: %v; want a drawn name from the server's glyphs", n, fetchedRange)
	}
	same, n := overlap(thai, tofu)
	t.Logf("Thai label: %d dark pixels; tofu label: %d; %.0f %% of either's in both; Latin label: %d", count(thai), count(tofu), same*100, count(latin))
	if n == 0 || same > 0.5 {
		t.Errorf("the Thai label's ink overlaps the tofu label's by %.0f %% (%d pixels), want Thai letters, not boxes (< 50 %%)", same*100, n)
	}

	// The glyphs the style names hold every code point of the name, drawn.
	var style struct{ Glyphs string }
	getJSONDoc(t, srv.URL+"/styles/places.default.json", &style)
	var font []string
	var doc struct {
		Layers []struct {
			Type   string
			Layout map[string]any
		}
	}
	getJSONDoc(t, srv.URL+"/styles/places.default.json", &doc)
	for _, l := range doc.Layers {
		if l.Type == "symbol" {
			for _, f := range l.Layout["text-font"].([]any) {
				font = append(font, f.(string))
			}
		}
	}
	if len(font) == 0 || style.Glyphs == "" {
		t.Fatalf("the style has glyphs %q and a text layer in %q; want both", style.Glyphs, font)
	}
	url := strings.NewReplacer("{fontstack}", strings.ReplaceAll(strings.Join(font, ","), " ", "%20"), "{range}", "3584-3839").Replace(style.Glyphs)
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	pbf, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	inked := glyphInk(t, pbf)
	for _, r := range chiangMaiThai {
		if !inked[r] {
			t.Errorf("the served glyphs of %s have no drawn glyph for %U", font, r)
		}
	}
}

const labelWidth, labelHeight = 400, 300

// labelInk loads labelPage centred on at and returns which pixels of the
// band above the point, where the name is anchored, are dark.
func labelInk(t *testing.T, b *viewerBrowser, origin, name string, at orb.Point) [][]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.navigate(fmt.Sprintf("%s/label-test.html?at=%g,%g", origin, at[0], at[1]))
	if state := b.waitFor(ctx, `{ const s = document.body?.dataset.state; s === 'loading' ? '' : (s || '') }`); state != "ready" {
		var e string
		b.eval(`document.body.dataset.error || ''`, &e)
		t.Fatalf("%s: page state %q: %s\n%s", name, state, e, b.pageLog())
	}
	var page struct{ Point, Error string }
	b.eval(`({point: document.body.dataset.point, error: document.body.dataset.error || ''})`, &page)
	if page.Error != "" {
		t.Fatalf("%s: MapLibre reported %s", name, page.Error)
	}
	var px, py float64
	if _, err := fmt.Sscanf(page.Point, "%g,%g", &px, &py); err != nil {
		t.Fatalf("point at %q: %v", page.Point, err)
	}
	file := filepath.Join(t.TempDir(), "label-"+name+".png")
	img := b.screenshot(file)
	viewerKeep(t, file)
	scale := float64(img.Bounds().Dx()) / labelWidth
	// The name sits above the point (text-anchor bottom, 0.8 em up); the
	// point's circle is at most 7 px in radius, so the band from 30 px to
	// 9 px above its centre, 60 px either side, holds only text.
	band := image.Rect(int((px-60)*scale), int((py-30)*scale), int((px+60)*scale), int((py-9)*scale))
	ink := make([][]bool, band.Dy())
	for y := range ink {
		ink[y] = make([]bool, band.Dx())
		for x := range ink[y] {
			r, g, bl, _ := img.At(band.Min.X+x, band.Min.Y+y).RGBA()
			ink[y][x] = (r+g+bl)/3 < 0x6000 // label text is #1A1A1A on a light background
		}
	}
	return ink
}

func count(ink [][]bool) int {
	n := 0
	for _, row := range ink {
		for _, v := range row {
			if v {
				n++
			}
		}
	}
	return n
}

// overlap is the share of the inked pixels of a or b inked in both, and
// how many are inked in either.
func overlap(a, b [][]bool) (float64, int) {
	both, either := 0, 0
	for y := range a {
		for x := range a[y] {
			if a[y][x] && b[y][x] {
				both++
			}
			if a[y][x] || b[y][x] {
				either++
			}
		}
	}
	if either == 0 {
		return 0, 0
	}
	return float64(both) / float64(either), either
}

// glyphInk reads a glyph PBF (glyphs.proto) with protowire and reports
// which code points have a bitmap with ink (a value past the outline, 192).
func glyphInk(t *testing.T, pbf []byte) map[rune]bool {
	t.Helper()
	out := map[rune]bool{}
	fields := func(b []byte, fn func(num protowire.Number, v []byte, n uint64)) {
		for len(b) > 0 {
			num, typ, k := protowire.ConsumeTag(b)
			if k < 0 {
				t.Fatalf("bad glyph PBF: %v", protowire.ParseError(k))
			}
			b = b[k:]
			switch typ {
			case protowire.VarintType:
				v, k := protowire.ConsumeVarint(b)
				if k < 0 {
					t.Fatalf("bad glyph PBF: %v", protowire.ParseError(k))
				}
				fn(num, nil, v)
				b = b[k:]
			case protowire.BytesType:
				v, k := protowire.ConsumeBytes(b)
				if k < 0 {
					t.Fatalf("bad glyph PBF: %v", protowire.ParseError(k))
				}
				fn(num, v, 0)
				b = b[k:]
			default:
				t.Fatalf("bad glyph PBF: wire type %d", typ)
			}
		}
	}
	fields(pbf, func(num protowire.Number, stack []byte, _ uint64) {
		fields(stack, func(num protowire.Number, glyph []byte, _ uint64) {
			if num != 3 {
				return
			}
			var id rune
			var inked bool
			fields(glyph, func(num protowire.Number, v []byte, n uint64) {
				switch num {
				case 1:
					id = rune(n)
				case 2:
					for _, c := range v {
						inked = inked || c > 192
					}
				}
			})
			out[id] = inked
		})
	})
	return out
}
