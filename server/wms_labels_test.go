package server

import (
	"image"
	"testing"

	"github.com/outcrop/outcrop/styles"
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
