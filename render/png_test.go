package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/styles"
)

// TestPNGDecodes checks that image/png decodes what encodePNG writes to
// the pixels drawn, opaque (RGB) and translucent (RGBA, straight alpha),
// antialiased edges included.
func TestPNGDecodes(t *testing.T) {
	for _, bg := range []color.Color{color.White, nil} {
		c := NewCanvas(view, bg)
		fill := styles.Symbol{Kind: "fill", Fill: "#F04028", Stroke: "#9C291A", StrokeWidth: 1.5, Opacity: 0.55}
		c.Draw(orb.Polygon{{at(view, 20.3, 20.7), at(view, 150, 40), at(view, 120, 170), at(view, 20.3, 20.7)}}, &fill)
		line := styles.Symbol{Kind: "line", Stroke: "#2166AC", StrokeWidth: 2.4, Dash: []float64{5, 3}}
		c.Draw(orb.LineString{at(view, 5, 190), at(view, 190, 5)}, &line)
		b, err := encodePNG(c.Image())
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("bg %v: %v", bg, err)
		}
		if got.Bounds() != c.Image().Rect {
			t.Fatalf("bounds %v", got.Bounds())
		}
		if _, rgb := got.(*image.RGBA); (bg != nil) != rgb {
			t.Errorf("bg %v: decoded as %T", bg, got)
		}
		bad := 0
		for y := range view.Height {
			for x := range view.Width {
				w := color.NRGBAModel.Convert(c.Image().At(x, y)).(color.NRGBA)
				g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
				d := func(a, b uint8) bool { return int(a)-int(b) > 1 || int(b)-int(a) > 1 }
				if w.A != g.A || w.A != 0 && (d(w.R, g.R) || d(w.G, g.G) || d(w.B, g.B)) {
					if bad++; bad < 5 {
						t.Errorf("bg %v: pixel (%d,%d) decodes as %v, drawn %v", bg, x, y, g, w)
					}
				}
			}
		}
	}
}
