package render

import (
	"image"
	"image/color"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/outcrop/outcrop/styles"
)

// Legend layout, in pixels.
const (
	legendPad    = 4
	legendRow    = 20
	legendSwatch = 24
	legendText   = 11 // font size
	legendMaxW   = 600
)

var (
	faceOnce sync.Once
	face     font.Face
)

// legendFace is Go Regular (bundled with x/image, BSD licence, covering
// Latin, Greek and Cyrillic) at the legend's size.
func legendFace() font.Face {
	faceOnce.Do(func() {
		f, err := opentype.Parse(goregular.TTF)
		if err == nil {
			face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: legendText, DPI: 72, Hinting: font.HintingFull})
		}
		if err != nil {
			panic("render: the bundled Go Regular font does not load: " + err.Error())
		}
	})
	return face
}

// Legend draws a style's legend: one row per symbol, its swatch drawn as
// the map draws it (a filled and outlined box, a line, a circle) and its
// label beside it, on a transparent background, under the title when there
// is one.
func Legend(title string, syms []styles.Symbol) *image.RGBA {
	f := legendFace()
	width := legendPad*3 + legendSwatch
	textW := func(s string) int { return font.MeasureString(f, s).Ceil() }
	for _, s := range syms {
		width = max(width, legendPad*3+legendSwatch+textW(s.Label))
	}
	rows := len(syms)
	top := 0
	if title != "" {
		width = max(width, legendPad*2+textW(title))
		top = legendRow
	}
	width = min(width, legendMaxW)
	height := top + rows*legendRow + legendPad
	v := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{0, float64(-height)}, Max: orb.Point{float64(width), 0}}, Width: width, Height: height}
	c := NewCanvas(v, nil)
	// at turns pixel (x, y) into the view's coordinates.
	at := func(x, y float64) orb.Point { return orb.Point{x, -y} }
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(color.Black), Face: f}
	text := func(s string, x, y int) {
		d.Dot = fixed.P(x, y)
		d.DrawString(s)
	}
	if title != "" {
		text(title, legendPad, legendRow-6)
	}
	for i, s := range syms {
		y0 := float64(top + i*legendRow + legendPad)
		x0, x1, y1 := float64(legendPad), float64(legendPad+legendSwatch), y0+legendRow-legendPad*2
		sym := s
		switch s.Kind {
		case "fill":
			c.Draw(orb.Polygon{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}, &sym)
		case "line":
			c.Draw(orb.LineString{at(x0, (y0+y1)/2), at(x1, (y0+y1)/2)}, &sym)
		default:
			sym.Size = min(sym.Size, y1-y0)
			c.Draw(at((x0+x1)/2, (y0+y1)/2), &sym)
		}
		text(s.Label, legendPad*2+legendSwatch, int(y1)-1)
	}
	return c.Image()
}
