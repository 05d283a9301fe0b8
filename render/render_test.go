package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

const (
	ics    = "http://resource.geosciml.org/classifier/ics/ischart/"
	litho  = "http://resource.geosciml.org/classifier/cgi/lithology/"
	faultT = "http://resource.geosciml.org/classifier/cgi/faulttype/"
	commod = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
)

func meta(id, geom string, fields ...string) *tileset.Metadata {
	m := &tileset.Metadata{ID: id, Title: id, Layer: id, GeometryType: geom, Bounds: [4]float64{116, -23, 118, -21}}
	for _, f := range fields {
		m.Fields = append(m.Fields, tileset.Field{Name: f, Type: "string"})
	}
	return m
}

// everyStyle is every vector style kind of fixtures like ingest's.
func everyStyle(t *testing.T) []styles.Style {
	t.Helper()
	inputs := []struct {
		m *tileset.Metadata
		c styles.Counts
	}{
		{meta("geology", "polygon", styles.FieldAge, styles.FieldLithology), styles.Counts{
			styles.FieldAge:       {ics + "Permian": 3, ics + "Neoarchean": 5, "http://example.org/none": 1},
			styles.FieldLithology: {litho + "granite": 4, litho + "basalt": 4, litho + "schist": 1},
		}},
		{meta("faults", "line", styles.FieldFaultType), styles.Counts{
			styles.FieldFaultType: {faultT + "thrust_fault": 2, faultT + "normal_fault": 1, "http://example.org/x": 1},
		}},
		{meta("occurrences", "point", styles.FieldCommodity), styles.Counts{
			styles.FieldCommodity: {commod + "Au": 2, commod + "Cu": 3},
		}},
		{meta("borders", "polygon", "iso_a3"), nil},
		{meta("plain", "mixed"), nil},
	}
	var out []styles.Style
	for _, in := range inputs {
		all, err := styles.ForTileset(in.m, in.c, styles.Options{Base: "http://localhost"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, all...)
	}
	return out
}

// view is a 200×200 window on 116..118 E, 23..21 S.
var view = View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{116, -23}, Max: orb.Point{118, -21}}, Width: 200, Height: 200}

// at is the lon/lat point at pixel centre (x, y).
func at(v View, x, y float64) orb.Point { return v.LonLat(orb.Point{x + 0.5, y + 0.5}) }

func rgba(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

func hexColour(t *testing.T, s string) color.RGBA {
	t.Helper()
	c := paint(s, 1)
	if c.A == 0 {
		t.Fatalf("colour %q unreadable", s)
	}
	return c
}

// TestPixelColoursEveryStyle draws one feature per symbol of every style
// kind and checks the pixel colour inside it: the fill of an area, the line
// colour on a line, the circle colour at a point's centre, exactly the
// style's (blended with the background where the style's fill is
// translucent).
func TestPixelColoursEveryStyle(t *testing.T) {
	bg := color.RGBA{255, 255, 255, 255}
	kinds := map[string]bool{}
	for _, st := range everyStyle(t) {
		syms, err := st.Symbols()
		if err != nil {
			t.Fatalf("%s: %v", st.ID, err)
		}
		kinds[st.Kind] = true
		for _, s := range syms {
			c := NewCanvas(view, bg)
			var x, y int
			var want color.RGBA
			switch s.Kind {
			case "fill":
				c.Draw(orb.Polygon{{at(view, 20, 20), at(view, 120, 20), at(view, 120, 120), at(view, 20, 120), at(view, 20, 20)}}, &s)
				x, y, want = 70, 70, hexColour(t, s.Fill)
				if s.Opacity < 1 {
					a := s.Opacity
					want = color.RGBA{blend(want.R, a), blend(want.G, a), blend(want.B, a), 255}
				}
			case "line":
				c.Draw(orb.LineString{at(view, 10, 50), at(view, 190, 50)}, &s)
				x, y, want = 11, 50, hexColour(t, s.Stroke)
			default:
				c.Draw(at(view, 100, 100), &s)
				x, y, want = 100, 100, hexColour(t, s.Fill)
			}
			if got := rgba(c.Image(), x, y); !near(got, want, 1) {
				t.Errorf("%s %q: pixel (%d,%d) is %v, want the style's %v", st.ID, s.Label, x, y, got, want)
			}
			if got := rgba(c.Image(), 195, 195); got != bg {
				t.Errorf("%s %q: pixel far from the feature is %v, want the background", st.ID, s.Label, got)
			}
		}
	}
	for _, k := range []string{styles.KindGeologyAge, styles.KindGeologyLithology, styles.KindFaultType, styles.KindOccurrenceCommodity, styles.KindBorders, styles.KindDefault} {
		if !kinds[k] {
			t.Errorf("no %s style among the fixtures", k)
		}
	}
}

// blend is a channel of colour v at opacity a over white.
func blend(v uint8, a float64) uint8 {
	return uint8(math.Round(float64(v)*a + 255*(1-a)))
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= float64(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// TestOutlineAndHole checks a polygon's outline colour on its edge and that
// its hole shows the background, whichever way its rings are wound.
func TestOutlineAndHole(t *testing.T) {
	sym := styles.Symbol{Kind: "fill", Fill: "#FF0000", Stroke: "#000080", StrokeWidth: 3, Opacity: 1}
	outer := orb.Ring{at(view, 20, 20), at(view, 180, 20), at(view, 180, 180), at(view, 20, 180), at(view, 20, 20)}
	hole := orb.Ring{at(view, 80, 80), at(view, 120, 80), at(view, 120, 120), at(view, 80, 120), at(view, 80, 80)}
	for _, reverse := range []bool{false, true} {
		o, h := outer, hole
		if reverse {
			o, h = orb.Ring(reversed(outer)), orb.Ring(reversed(hole))
		}
		c := NewCanvas(view, nil)
		c.Draw(orb.Polygon{o, h}, &sym)
		if got := rgba(c.Image(), 50, 50); got != (color.RGBA{255, 0, 0, 255}) {
			t.Errorf("reverse %v: inside is %v, want the fill", reverse, got)
		}
		if got := rgba(c.Image(), 100, 100); got.A != 0 {
			t.Errorf("reverse %v: the hole is %v, want transparent", reverse, got)
		}
		if got := rgba(c.Image(), 20, 100); got != (color.RGBA{0, 0, 0x80, 255}) {
			t.Errorf("reverse %v: the outline is %v, want #000080", reverse, got)
		}
		if got := rgba(c.Image(), 10, 10); got.A != 0 {
			t.Errorf("reverse %v: outside is %v, want transparent", reverse, got)
		}
	}
}

// TestDashes checks that a dashed line has its colour on a dash and the
// background in a gap: 4 px on, 3 px off from x=10.
func TestDashes(t *testing.T) {
	sym := styles.Symbol{Kind: "line", Stroke: "#252525", StrokeWidth: 2, Dash: []float64{4, 3}}
	c := NewCanvas(view, nil)
	c.Draw(orb.LineString{view.LonLat(orb.Point{10, 50}), view.LonLat(orb.Point{190, 50})}, &sym)
	for _, x := range []int{11, 12, 18, 25} { // on: [10,14) [17,21) [24,28)
		if got := rgba(c.Image(), x, 49); got != (color.RGBA{0x25, 0x25, 0x25, 255}) {
			t.Errorf("dash pixel x=%d is %v", x, got)
		}
	}
	for _, x := range []int{15, 22} {
		if got := rgba(c.Image(), x, 49); got.A != 0 {
			t.Errorf("gap pixel x=%d is %v, want transparent", x, got)
		}
	}
}

// TestWebMercatorView checks the projection round trip and that a feature
// lands at the same pixel however the window is given.
func TestWebMercatorView(t *testing.T) {
	lo, hi := orb.Point{116, -23}, orb.Point{118, -21}
	v := View{CRS: WebMercator, Width: 256, Height: 256}
	v.BBox = orb.Bound{Min: v.project(lo), Max: v.project(hi)}
	p := orb.Point{117.3, -22.1}
	px := v.Pixel(p)
	if back := v.LonLat(px); math.Abs(back[0]-p[0]) > 1e-9 || math.Abs(back[1]-p[1]) > 1e-9 {
		t.Errorf("LonLat(Pixel(%v)) = %v", p, back)
	}
	if c := v.Pixel(lo); math.Abs(c[0]) > 1e-9 || math.Abs(c[1]-256) > 1e-9 {
		t.Errorf("south-west corner at pixel %v, want (0, 256)", c)
	}
	b := v.LonLatBound(orb.Bound{Max: orb.Point{256, 256}})
	if math.Abs(b.Min[1]+23) > 1e-9 || math.Abs(b.Max[1]+21) > 1e-9 {
		t.Errorf("LonLatBound = %v, want latitudes -23..-21", b)
	}
}

// TestClassifier checks the first listing symbol wins, the fallback takes
// unlisted and missing values, and a style without fallback draws nothing
// for them.
func TestClassifier(t *testing.T) {
	syms := []styles.Symbol{
		{Label: "a", Field: "f", Values: []string{"1", "2"}},
		{Label: "b", Field: "f", Values: []string{"2", "3"}},
		{Label: "else", Field: "f", Fallback: true},
	}
	c := NewClassifier(syms)
	for v, want := range map[string]string{"1": "a", "2": "a", "3": "b", "9": "else", "": "else"} {
		got := c.Symbol(func(string) (string, bool) { return v, v != "" })
		if got == nil || got.Label != want {
			t.Errorf("value %q: symbol %v, want %s", v, got, want)
		}
	}
	if got := NewClassifier(syms[:2]).Symbol(func(string) (string, bool) { return "9", true }); got != nil {
		t.Errorf("no fallback: value 9 drawn with %v", got)
	}
}

// TestLegendAndEncoders checks a legend image shows each entry's colour in
// its swatch and that PNG and JPEG encode.
func TestLegendAndEncoders(t *testing.T) {
	syms := []styles.Symbol{
		{Kind: "fill", Fill: "#F04028", Stroke: "#9C291A", StrokeWidth: 1, Opacity: 1, Label: "Permian"},
		{Kind: "line", Stroke: "#2166AC", StrokeWidth: 2, Label: "normal fault"},
		{Kind: "circle", Fill: "#E0B000", Stroke: "#FFFFFF", StrokeWidth: 0.8, Size: 14, Label: "precious metal"},
	}
	img := Legend("Geology", syms)
	for i, want := range []color.RGBA{{0xF0, 0x40, 0x28, 255}, {0x21, 0x66, 0xAC, 255}, {0xE0, 0xB0, 0, 255}} {
		y := legendRow + i*legendRow + legendPad + (legendRow-2*legendPad)/2
		if got := rgba(img, legendPad+legendSwatch/2, y); got != want {
			t.Errorf("row %d swatch centre is %v, want %v", i, got, want)
		}
	}
	b, err := PNG(img)
	if err != nil {
		t.Fatal(err)
	}
	if dec, err := png.Decode(bytes.NewReader(b)); err != nil || dec.Bounds() != img.Rect {
		t.Fatalf("PNG round trip: %v", err)
	}
	if j, err := JPEG(img, color.White); err != nil || len(j) < 100 || j[0] != 0xFF || j[1] != 0xD8 {
		t.Fatalf("JPEG: %v", err)
	}
}

// TestFillExactArea checks a fill's coverage against the exact area of
// each pixel the shape covers (the polygon clipped to the pixel), on a
// star with a hole: every pixel within two levels (the scanner's
// coordinates are exact to 1/256 pixel).
func TestFillExactArea(t *testing.T) {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{400, 300}}, Width: 400, Height: 300}
	var star, hole orb.Ring
	for i := range 44 {
		r := 140.0
		if i%2 == 1 {
			r = 120
		}
		a := float64(i) * math.Pi / 22
		star = append(star, orb.Point{200 + 1.35*r*math.Cos(a), 150 + r*math.Sin(a)*0.95})
		hole = append(hole, orb.Point{200 + 25*math.Cos(-a), 150 + 25*math.Sin(-a)})
	}
	if signedArea(star) < 0 {
		star = reversed(star)
	}
	if signedArea(hole) > 0 {
		hole = reversed(hole)
	}
	c := NewCanvas(v, nil)
	c.fill([][]orb.Point{star, hole}, color.RGBA{200, 40, 30, 255}, false)
	poly := orb.Polygon{append(star, star[0]), append(hole, hole[0])}
	bad := 0
	for y := 0; y < 300; y += 2 {
		for x := 0; x < 400; x += 2 {
			px := orb.Bound{Min: orb.Point{float64(x), float64(y)}, Max: orb.Point{float64(x + 1), float64(y + 1)}}
			want := 0.0
			if p := clip.Polygon(px, poly.Clone()); len(p) > 0 {
				want = planar.Area(p) * 255
			}
			if got := float64(c.Image().RGBAAt(x, y).A); math.Abs(got-want) > 2 {
				if bad++; bad < 5 {
					t.Errorf("pixel (%d,%d): coverage %v, want about %v", x, y, got, want)
				}
			}
		}
	}
	if c.Image().RGBAAt(200, 150).A != 0 || c.Image().RGBAAt(300, 100).A != 255 {
		t.Errorf("hole %v, inside %v", c.Image().RGBAAt(200, 150), c.Image().RGBAAt(300, 100))
	}
}

// A canvas made after another is released starts blank (transparent, or
// all its background), whatever the released one held.
func TestReleasedCanvasStartsBlank(t *testing.T) {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{40, 30}}, Width: 40, Height: 30}
	for range 3 {
		c := NewCanvas(v, color.RGBA{10, 20, 30, 255})
		c.Draw(orb.Bound{Max: orb.Point{40, 30}}, &styles.Symbol{Kind: "fill", Fill: "#C80000", Opacity: 1})
		if got := c.Image().RGBAAt(20, 15); got != (color.RGBA{200, 0, 0, 255}) {
			t.Fatalf("drawn %v", got)
		}
		c.Release()
		blank := NewCanvas(v, nil)
		for i, b := range blank.Image().Pix {
			if b != 0 {
				t.Fatalf("transparent canvas byte %d is %d", i, b)
			}
		}
		blank.Release()
		bg := NewCanvas(v, color.RGBA{1, 2, 3, 255})
		if got := bg.Image().RGBAAt(39, 29); got != (color.RGBA{1, 2, 3, 255}) {
			t.Fatalf("background %v", got)
		}
		bg.Release()
	}
}

// Drawn as one multi-geometry, parts that neither overlap nor touch look
// as they do drawn one by one: many rings (holes wound like their outer
// ring, for the canvas to turn) in one geometry, and lines inside and
// across the clip box, on canvases that reuse released buffers.
func TestMultiPartsDrawLikeParts(t *testing.T) {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{400, 300}}, Width: 400, Height: 300}
	fill := &styles.Symbol{Kind: "fill", Fill: "#F04028", Stroke: "#9C291A", StrokeWidth: 1.5, Opacity: 0.6}
	line := &styles.Symbol{Kind: "line", Stroke: "#2166AC", StrokeWidth: 2}
	square := func(x, y, d float64) orb.Ring {
		return orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
	}
	var mp orb.MultiPolygon
	for i := range 60 {
		x, y := 5+float64(i%10)*40, 5+float64(i/10)*40
		mp = append(mp, orb.Polygon{square(x, y, 30.3), square(x+10.2, y+10.7, 9.6)})
	}
	var ml orb.MultiLineString
	for i := range 40 {
		x0, x1 := 20.0, 380.0
		if i%2 == 0 {
			x0, x1 = -150, 550 // beyond the clip box
		}
		y := 3 + float64(i)*7.3
		ml = append(ml, orb.LineString{{x0, y}, {200, y + 2.5}, {x1, y}})
	}
	for range 2 {
		together := NewCanvas(v, color.RGBA{255, 255, 255, 255})
		together.Draw(mp, fill)
		together.Draw(ml, line)
		apart := NewCanvas(v, color.RGBA{255, 255, 255, 255})
		for _, p := range mp {
			apart.Draw(p, fill)
		}
		for _, l := range ml {
			apart.Draw(l, line)
		}
		a, b := together.Image(), apart.Image()
		if got := a.RGBAAt(10, 290); got == (color.RGBA{255, 255, 255, 255}) {
			t.Fatalf("the first square is not drawn: %v", got)
		}
		if got := a.RGBAAt(20, 278); got != (color.RGBA{255, 255, 255, 255}) {
			t.Fatalf("the first square's hole is filled: %v", got)
		}
		for y := range 300 {
			for x := range 400 {
				if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
					t.Fatalf("pixel (%d,%d): %v together, %v apart", x, y, a.RGBAAt(x, y), b.RGBAAt(x, y))
				}
			}
		}
		together.Release()
		apart.Release()
	}
}

func reversed(p []orb.Point) []orb.Point {
	out := make([]orb.Point, len(p))
	for i, q := range p {
		out[len(p)-1-i] = q
	}
	return out
}
