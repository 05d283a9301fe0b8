package server

import (
	"image"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// darkNear counts the pixels of img within r darker than mid-grey: label
// text (#1A1A1A), which no unit colour of the fixture is.
func darkNear(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := rgbaAt(img, x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*100 {
				n++
			}
		}
	}
	return n
}

// TestWMSGetMapLabels checks GetMap draws unit labels where the server
// serves fonts: a window inside unit 2 at 0.001° a pixel (zoom 9.4, past
// the labels' minimum zoom 9) shows dark text at its centre, the unit's
// interior point; the same map from a server without fonts, or zoomed out
// below zoom 9, has none, and still draws the unit.
func TestWMSGetMapLabels(t *testing.T) {
	withFonts := newWMSFixture(t, Config{Fonts: notoFonts(t)})
	without := newWMSFixture(t, Config{})
	window := []string{"BBOX", "117.4,-22.6,117.6,-22.4"}
	centre := image.Rect(60, 90, 140, 110)
	basalt := without.symbolColour(t, "units", "geology-age", icsURI+"Neoarchean")
	for _, c := range []struct {
		name  string
		fx    *wmsFixture
		q     string
		label bool
	}{
		{"fonts", withFonts, getMap130("units", "", window...), true},
		{"no fonts", without, getMap130("units", "", window...), false},
		{"zoom 7", withFonts, getMap130("units", ""), false},
	} {
		img := decodeImage(t, c.fx.get(t, c.q), pngType)
		box := centre
		if c.name == "zoom 7" {
			box = image.Rect(110, 140, 190, 160) // unit 2's centre in the fixture window
		}
		if dark := darkNear(img, box); (dark > 20) != c.label {
			t.Errorf("%s: %d dark pixels at the unit's centre, want labelled %v", c.name, dark, c.label)
		}
		if got := rgbaAt(img, 10, 10); got != basalt && c.name != "zoom 7" {
			t.Errorf("%s: the unit away from its label is %v, want %v", c.name, got, basalt)
		}
	}
}

// TestLabelTextFallback: a label of a field a feature lacks, or holds null
// in, draws its fallback's value (a place's own name where it has none in
// the style's language).
func TestLabelTextFallback(t *testing.T) {
	sym := &styles.TextSymbol{Field: "name_id", Fallback: "name"}
	for props, want := range map[string]string{
		`{"name":"Bangkok","name_id":"Bangkok (id)"}`: "Bangkok (id)",
		`{"name":"Vientiane"}`:                        "Vientiane",
		`{"name":"Hanoi","name_id":null}`:             "Hanoi",
		`{"kind":"places"}`:                           "",
	} {
		if got := labelText([]byte(props), sym); got != want {
			t.Errorf("labelText(%s) = %q, want %q", props, got, want)
		}
	}
}

// TestWMSGetMapBasemapPlaceLabels draws the basemap as a WMS layer: its
// place labels' size is a zoom table and each band of scalerank is its own
// label layer, so Singapore (rank 0) is labelled under its symbol at zoom
// 6.8, at the size the table gives there; a rank-8 town, whose band shows
// from zoom 6, is labelled at 6.8 and not at zoom 4.8; a river's name is
// set along it, in the river labels' blue, from zoom 6.
func TestWMSGetMapBasemapPlaceLabels(t *testing.T) {
	dir := t.TempDir()
	place := func(id int, lon, lat float64, name string, rank int) *geojson.Feature {
		f := geojson.NewFeature(orb.Point{lon, lat})
		f.ID = id
		f.Properties = geojson.Properties{"kind": "places", "name": name, "scalerank": rank}
		return f
	}
	land := geojson.NewFeature(orb.Polygon{{{95, -10}, {115, -10}, {115, 10}, {95, 10}, {95, -10}}})
	land.ID = 1
	land.Properties = geojson.Properties{"kind": "land", "scalerank": 0}
	river := geojson.NewFeature(orb.LineString{{103.0, 0.8}, {104.6, 2.3}})
	river.ID = 4
	river.Properties = geojson.Properties{"kind": "rivers", "name": "Sungai Johor", "scalerank": 5}
	commitFeatures(t, dir, "basemap", "mixed", []string{"kind", "name", "scalerank"}, nil,
		[]*geojson.Feature{land, place(2, 103.8198, 1.3521, "Singapore", 0), place(3, 104.5, 2.0, "Mersing", 8), river},
		func(_ string, m *tileset.Metadata) { m.Fields[2].Type = "integer" })
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, c := range []struct {
		name  string
		fonts bool
		bbox  string
		// where the label of Singapore and of Mersing would be drawn:
		// under their points, centred.
		singapore, mersing image.Rectangle
		labelled           bool
	}{
		// 160 pixels a degree: zoom 6.8, where labels are 12.3 pixels.
		{"zoom 6.8", true, "102.5,0.5,105,2.5", image.Rect(185, 192, 238, 208), image.Rect(298, 89, 342, 105), true},
		{"no fonts", false, "102.5,0.5,105,2.5", image.Rect(185, 192, 238, 208), image.Rect(298, 89, 342, 105), false},
		// 40 pixels a degree: zoom 4.8, where labels are 11.1 pixels.
		{"zoom 4.8", true, "98.5,-2,108.5,6", image.Rect(195, 193, 232, 206), image.Rect(222, 167, 258, 180), false},
	} {
		cfg := Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)}
		if c.fonts {
			cfg.Fonts = notoFonts(t)
		}
		h := New(cfg)
		w := serve(h, httptestRequest(http.MethodGet, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=basemap&STYLES=&CRS=CRS:84&BBOX="+c.bbox+"&WIDTH=400&HEIGHT=320&FORMAT=image/png"))
		img := decodeImage(t, w.Result(), pngType)
		sg, me := darkNear(img, c.singapore), darkNear(img, c.mersing)
		near, far := riverInk(img, c.bbox)
		if (near > 20) != c.labelled || far != 0 {
			t.Errorf("%s: %d pixels of the river's label along it, %d elsewhere; want labelled %v", c.name, near, far, c.labelled)
		}
		if c.name == "zoom 4.8" {
			if sg < 10 || me != 0 {
				t.Errorf("%s: %d dark pixels under Singapore (rank 0), %d under Mersing (rank 8, from zoom 6); want Singapore's label only", c.name, sg, me)
			}
			continue
		}
		if (sg > 20) != c.labelled || (me > 10) != c.labelled {
			t.Errorf("%s: %d dark pixels under Singapore, %d under Mersing; want labelled %v", c.name, sg, me, c.labelled)
		}
	}
}

// riverInk counts the pixels of the river labels' blue (#3D6F99, and its
// blends with white and the land) in the map of bbox: near, within 12
// pixels of the fixture's river (103.0, 0.8 to 104.6, 2.3), and far,
// elsewhere.
func riverInk(img image.Image, bbox string) (near, far int) {
	var b [4]float64
	for i, f := range strings.Split(bbox, ",") {
		b[i], _ = strconv.ParseFloat(f, 64)
	}
	size := img.Bounds().Size()
	px := func(lon, lat float64) orb.Point {
		return orb.Point{(lon - b[0]) / (b[2] - b[0]) * float64(size.X), (b[3] - lat) / (b[3] - b[1]) * float64(size.Y)}
	}
	p, q := px(103.0, 0.8), px(104.6, 2.3)
	for y := 0; y < size.Y; y++ {
		for x := 0; x < size.X; x++ {
			c := rgbaAt(img, x, y)
			if !(c.R < 110 && int(c.B) > int(c.R)+40) {
				continue
			}
			// Position along the river (0 to 1) and distance from it.
			dx, dy := q[0]-p[0], q[1]-p[1]
			t := ((float64(x)+0.5-p[0])*dx + (float64(y)+0.5-p[1])*dy) / (dx*dx + dy*dy)
			d := math.Abs(dx*(float64(y)+0.5-p[1])-dy*(float64(x)+0.5-p[0])) / math.Hypot(dx, dy)
			if t > 0 && t < 1 && d < 12 {
				near++
			} else {
				far++
			}
		}
	}
	return near, far
}

// TestWMSGetMapLabelsCached draws a map in which unit 1 lies whole, at
// zoom 9.4, twice from one server (the second time from its label cache),
// then a map panned by a fraction of a pixel at the same scale; each
// image is the same as a fresh server's, and unit 1 is labelled.
func TestWMSGetMapLabelsCached(t *testing.T) {
	fonts := notoFonts(t)
	warm := newWMSFixture(t, Config{Fonts: fonts})
	size := []string{"WIDTH", "1100", "HEIGHT", "1100"}
	whole := getMap130("units", "", append(size, "BBOX", "115.95,-23.05,117.05,-21.95")...)
	panned := getMap130("units", "", append(size, "BBOX", "115.9503,-23.0497,117.0503,-21.9497")...)
	body := func(fx *wmsFixture, q string) string {
		resp := fx.get(t, q)
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GetMap: %d, %v", resp.StatusCode, err)
		}
		return string(b)
	}
	for i, q := range []string{whole, whole, panned} {
		got := body(warm, q)
		want := body(newWMSFixture(t, Config{Fonts: fonts}), q)
		if got != want {
			t.Errorf("map %d from the label cache differs from a fresh server's", i)
		}
		img, err := png.Decode(strings.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		// Unit 1's pole: the middle of its west or east part, beside its
		// hole (116.4–116.6).
		if dark := darkNear(img, img.Bounds()); dark < 20 {
			t.Errorf("map %d: %d dark pixels, want unit 1's label", i, dark)
		}
	}
}
