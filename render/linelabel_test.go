package render

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// inkPixels are the pixels of img darker than mid-grey.
func inkPixels(img *image.RGBA) []image.Point {
	var out []image.Point
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*128 {
				out = append(out, image.Point{x, y})
			}
		}
	}
	return out
}

// pixelView is a view of 0.001° a pixel (zoom 9.6) from 0°, 0° at its
// top left corner, so geometry can be given in pixels (pixelPoint).
func pixelView(w, h int) View {
	return View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{0, float64(-h) / 1000}, Max: orb.Point{float64(w) / 1000, 0}}, Width: w, Height: h}
}

// pixelPoint is the lon/lat of pixel position p of a pixelView.
func pixelPoint(p orb.Point) orb.Point { return orb.Point{p[0] / 1000, -p[1] / 1000} }

func pixelLine(pts ...orb.Point) orb.LineString {
	out := orb.LineString{}
	for _, p := range pts {
		out = append(out, pixelPoint(p))
	}
	return out
}

// TestLabelAlongLine labels a slanting line: the text's ink lies along the
// line (within the text's height of it), its long axis at the line's
// angle, and nowhere else; drawn the other way round, the line's label is
// the same (it reads left to right); nothing leaves the image.
func TestLabelAlongLine(t *testing.T) {
	fonts := notoSans(t)
	v := pixelView(300, 200)
	sym := unitLabel()
	a, b := orb.Point{20, 170}, orb.Point{280, 40}
	angle := math.Atan2(b[1]-a[1], b[0]-a[0])
	var first []image.Point
	for i, line := range []orb.LineString{pixelLine(a, b), pixelLine(b, a)} {
		l := NewLabeller(v, fonts)
		l.Add(line, "Fly River", sym)
		c := NewCanvas(v, color.White)
		boxes := l.Draw(c.Image())
		ink := inkPixels(c.Image())
		if len(boxes) != 1 || !boxes[0].In(c.Image().Rect) || len(ink) < 50 {
			t.Fatalf("boxes %v, %d ink pixels", boxes, len(ink))
		}
		// Every ink pixel within the text's height of the line, and
		// their spread along it: the principal axis of their positions.
		var mx, my float64
		for _, p := range ink {
			mx, my = mx+float64(p.X), my+float64(p.Y)
			d := math.Abs((b[0]-a[0])*(float64(p.Y)+0.5-a[1])-(b[1]-a[1])*(float64(p.X)+0.5-a[0])) / math.Hypot(b[0]-a[0], b[1]-a[1])
			if d > sym.Size {
				t.Fatalf("ink at %v, %.1f pixels from the line", p, d)
			}
		}
		mx, my = mx/float64(len(ink)), my/float64(len(ink))
		var sxx, syy, sxy float64
		for _, p := range ink {
			dx, dy := float64(p.X)-mx, float64(p.Y)-my
			sxx, syy, sxy = sxx+dx*dx, syy+dy*dy, sxy+dx*dy
		}
		if got := 0.5 * math.Atan2(2*sxy, sxx-syy); math.Abs(got-angle) > 3*math.Pi/180 {
			t.Errorf("the text runs at %.1f°, the line at %.1f°", got*180/math.Pi, angle*180/math.Pi)
		}
		if i == 0 {
			first = ink
		} else if len(ink) != len(first) {
			t.Errorf("the line drawn backwards has %d ink pixels, forwards %d: the text is not the same way up", len(ink), len(first))
		}
	}
}

// TestLabelAlongLineUpright labels a level line drawn right to left: the
// text reads left to right, as the same text drawn level at its middle.
func TestLabelAlongLineUpright(t *testing.T) {
	fonts := notoSans(t)
	v := pixelView(300, 100)
	sym := unitLabel()
	draw := func(g orb.Geometry) []image.Point {
		l := NewLabeller(v, fonts)
		l.Add(g, "Fly River", sym)
		c := NewCanvas(v, color.White)
		l.Draw(c.Image())
		return inkPixels(c.Image())
	}
	along, level := draw(pixelLine(orb.Point{250, 50}, orb.Point{50, 50})), draw(pixelPoint(orb.Point{150, 50}))
	same := map[image.Point]bool{}
	for _, p := range level {
		same[p] = true
	}
	n := 0
	for _, p := range along {
		if same[p] {
			n++
		}
	}
	if len(level) < 50 || n < len(level)*8/10 || len(along) > len(level)*12/10 {
		t.Errorf("%d of the level text's %d ink pixels drawn along the line (%d)", n, len(level), len(along))
	}
}

// TestLabelAlongLineCollides: a point's label on the middle of an L's long
// arm sends the line's label elsewhere along the L, clear of it; a line
// too short for its text is not labelled.
func TestLabelAlongLineCollides(t *testing.T) {
	fonts := notoSans(t)
	v := pixelView(400, 300)
	sym := unitLabel()
	l := NewLabeller(v, fonts)
	l.Add(pixelLine(orb.Point{20, 250}, orb.Point{380, 250}, orb.Point{380, 60}), "Fly River", sym)
	l.Add(pixelPoint(orb.Point{200, 250}), "Kiunga", sym)
	l.Add(pixelLine(orb.Point{20, 20}, orb.Point{50, 20}), "Strickland River", sym)
	c := NewCanvas(v, color.White)
	boxes := l.Draw(c.Image())
	if len(boxes) != 2 || boxes[0].Overlaps(boxes[1]) {
		t.Fatalf("boxes %v: want the point's and the line's, apart", boxes)
	}
	r := boxes[1]
	if c := (image.Point{(r.Min.X + r.Max.X) / 2, (r.Min.Y + r.Max.Y) / 2}); !(c.Y >= 245 && c.Y <= 255 && c.X > 20 && c.X < 380) && !(c.X >= 375 && c.X <= 385 && c.Y > 60 && c.Y < 250) {
		t.Errorf("the line's label is at %v, off the line", r)
	}
	for _, p := range inkPixels(c.Image()) {
		if p.Y < 40 {
			t.Errorf("ink at %v, by the line too short for its label", p)
			break
		}
	}
}
