package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// scanW and scanH are wider than 512 so that x/image/vector accumulates
// in floating point, which is exact to a level; its fixed-point path is
// off by up to 30 levels on steep edges.
const scanW, scanH = 600, 530

// vectorCoverage is x/image/vector's coverage of the closed paths: the
// absolute winding number clamped to one, as the scanner's.
func vectorCoverage(paths [][]orb.Point) *image.Alpha {
	r := vector.NewRasterizer(scanW, scanH)
	r.DrawOp = draw.Src
	for _, p := range paths {
		r.MoveTo(float32(p[0][0]), float32(p[0][1]))
		for _, q := range p[1:] {
			r.LineTo(float32(q[0]), float32(q[1]))
		}
		r.ClosePath()
	}
	dst := image.NewAlpha(image.Rect(0, 0, scanW, scanH))
	r.Draw(dst, dst.Bounds(), image.Opaque, image.Point{})
	return dst
}

// scanCoverage is the scanner's coverage of the closed paths, as the
// alpha of opaque white filled over a transparent canvas.
func scanCoverage(paths [][]orb.Point) *image.RGBA {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{scanW, scanH}}, Width: scanW, Height: scanH}
	c := NewCanvas(v, nil)
	c.fill(paths, color.RGBA{255, 255, 255, 255}, false)
	return c.Image()
}

func rect(x0, y0, x1, y1 float64) []orb.Point {
	return []orb.Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// TestScannerMatchesVector compares the scanner's coverage with
// x/image/vector's, pixel by pixel, for shapes that exercise each part of
// it: within two levels everywhere.
func TestScannerMatchesVector(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	star := func(cx, cy, r0, r1 float64, n int, dir float64) []orb.Point {
		var p []orb.Point
		for i := range 2 * n {
			r := r0
			if i%2 == 1 {
				r = r1
			}
			a := dir * float64(i) * math.Pi / float64(n)
			p = append(p, orb.Point{cx + r*math.Cos(a), cy + r*math.Sin(a)})
		}
		return p
	}
	var strokeUnion [][]orb.Point // a zigzag's stroke outline, crossing itself
	{
		var line []orb.Point
		for i := range 30 {
			line = append(line, orb.Point{40 + float64(i)*17, 200 + 60*float64(i%2) + rng.Float64()*5})
		}
		line = append(line, orb.Point{300, 120}, orb.Point{310, 330}) // back across
		strokeUnion = [][]orb.Point{strokeOutline(nil, line, 3.2, true)}
	}
	thin := func(a, b orb.Point, w float64) []orb.Point {
		return strokeOutline(nil, []orb.Point{a, b}, w/2, false)
	}
	cases := map[string][][]orb.Point{
		"star with a hole":          {star(300, 260, 240, 130, 23, 1), star(300, 260, 60, 40, 9, -1)},
		"hole wound alike (filled)": {rect(50, 50, 400, 400), rect(100, 100, 200, 200)},
		"self-overlapping union":    strokeUnion,
		"partly off the image": {
			rect(-40.3, -30.7, 120.2, 90.9), rect(500.5, 480.25, 700, 600),
			{{-64, 300}, {640, 250}, {620, 320}},
		},
		"subpixel slivers": {
			rect(10.1, 10, 10.35, 300), rect(20, 20.6, 580, 20.8), thin(orb.Point{30, 400}, orb.Point{570, 430.3}, 0.2),
			{{100.2, 100.2}, {100.7, 100.4}, {100.3, 100.9}},
		},
		"long thin shapes": {
			thin(orb.Point{5, 5}, orb.Point{595, 525}, 1), thin(orb.Point{595, 6}, orb.Point{7, 520}, 1.3),
			thin(orb.Point{0.5, 265.5}, orb.Point{599.5, 265.5}, 1), thin(orb.Point{300.5, 0}, orb.Point{300.5, 530}, 1),
		},
		"many edges in one row": func() [][]orb.Point {
			var p []orb.Point
			for i := range 200 {
				p = append(p, orb.Point{3 * float64(i), 100 + 50*float64(i%2)})
			}
			return [][]orb.Point{append(p, orb.Point{597, 400}, orb.Point{0, 400})}
		}(),
	}
	for name, paths := range cases {
		t.Run(name, func(t *testing.T) {
			want, got := vectorCoverage(paths), scanCoverage(paths)
			bad, worst := 0, 0
			for y := range scanH {
				for x := range scanW {
					w, g := int(want.AlphaAt(x, y).A), int(got.RGBAAt(x, y).A)
					if d := max(w-g, g-w); d > 2 {
						if bad++; bad <= 5 {
							t.Errorf("pixel (%d,%d): coverage %d, x/image/vector %d", x, y, g, w)
						}
						worst = max(worst, d)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d pixels off by more than 2 levels, up to %d", bad, worst)
			}
			if fmt.Sprint(got.Bounds()) != fmt.Sprint(want.Bounds()) {
				t.Fatal("bounds differ")
			}
		})
	}
}

// TestAliasedFillSamplesPixelCentres checks that an aliased fill covers
// wholly exactly the pixels whose centre it covers (nonzero winding,
// computed here exactly from the vertices in the scanner's fixed point),
// and that shapes sharing edges (a tessellation) cover every pixel once.
func TestAliasedFillSamplesPixelCentres(t *testing.T) {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{scanW, scanH}}, Width: scanW, Height: scanH}
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := [][]orb.Point{
		wiggly(300, 260, 200, 900, rng),
		reversed(wiggly(300, 260, 60, 200, rng)),
		rect(-40.3, -30.7, 120.2, 90.9), rect(500.5, 480.5, 700, 600), // on pixel centres, and off the image
		{{-64, 300}, {640, 250}, {620, 320}},
		rect(10.1, 10, 10.35, 300), // a sliver between two centres: nothing
	}
	c := NewCanvas(v, nil)
	c.fill(shapes, color.RGBA{255, 255, 255, 255}, true)
	img := c.Image()
	winding := func(px, py float64) int { // in subpixels
		n := 0
		for _, p := range shapes {
			for i := range p {
				a, b := p[i], p[(i+1)%len(p)]
				x0, y0 := float64(fixedPoint(a[0])), float64(fixedPoint(a[1]))
				x1, y1 := float64(fixedPoint(b[0])), float64(fixedPoint(b[1]))
				dir := 1
				if y0 > y1 {
					x0, y0, x1, y1, dir = x1, y1, x0, y0, -1
				}
				if y0 <= py && py < y1 && x0+(py-y0)*(x1-x0)/(y1-y0) <= px {
					n += dir
				}
			}
		}
		return n
	}
	bad := 0
	for y := range scanH {
		for x := range scanW {
			want := uint8(0)
			if winding(float64(x*subScale+subScale/2), float64(y*subScale+subScale/2)) != 0 {
				want = 255
			}
			if got := img.RGBAAt(x, y).A; got != want {
				if bad++; bad <= 5 {
					t.Errorf("pixel (%d,%d): alpha %d, want %d", x, y, got, want)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d pixels wrong", bad)
	}
	c.Release()

	// Half-transparent black over transparent: a pixel covered once has
	// alpha 128, twice 192.
	c = NewCanvas(v, nil)
	defer c.Release()
	for _, r := range units(32) {
		c.fill([][]orb.Point{r}, color.RGBA{0, 0, 0, 128}, true)
	}
	img = c.Image()
	bad = 0
	for y := 40; y < scanH; y++ {
		for x := 40; x < scanW; x++ {
			if a := img.RGBAAt(x, y).A; a != 128 {
				if bad++; bad <= 5 {
					t.Errorf("tessellation: pixel (%d,%d) alpha %d, want 128 (covered once)", x, y, a)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("tessellation: %d pixels not covered exactly once", bad)
	}
}

// TestPainterPixelOver checks the painter's over, four channels at a time
// for an opaque colour, against the formula channel by channel, for every
// coverage and random pixels beneath.
func TestPainterPixelOver(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		a := uint8(rng.IntN(256))
		if rng.IntN(2) == 0 {
			a = 255
		}
		c := color.RGBA{uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), a}
		p := newPainter(c)
		for m := range uint32(256) {
			d := [4]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
			got := d
			p.pixel(got[:], m)
			var want [4]uint8
			for i, ch := range [4]uint8{c.R, c.G, c.B, c.A} {
				want[i] = uint8((uint32(d[i])*(255*255-uint32(c.A)*m) + 255*uint32(ch)*m + 255*255/2) / (255 * 255))
			}
			if got != want {
				t.Fatalf("colour %v at %d over %v: %v, want %v", c, m, d, got, want)
			}
		}
	}
}

// TestSpansOfSuccessiveColours fills overlapping rectangles in opaque
// colours one after the other, the later spans longer and shorter than
// the earlier: each pixel holds the colour filled last over it.
func TestSpansOfSuccessiveColours(t *testing.T) {
	v := View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{scanW, scanH}}, Width: scanW, Height: scanH}
	c := NewCanvas(v, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	colours := []color.RGBA{{200, 0, 0, 255}, {0, 200, 0, 255}, {0, 0, 200, 255}}
	rects := [][]orb.Point{rect(10, 10, 300, 100), rect(50, 20, 590, 90), rect(100, 30, 200, 80)}
	for i, r := range rects {
		c.fill([][]orb.Point{r}, colours[i], i == 1)
	}
	img := c.Image()
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{{20, 50, colours[0]}, {60, 50, colours[1]}, {400, 50, colours[1]}, {150, 50, colours[2]}, {5, 50, color.RGBA{255, 255, 255, 255}}, {595, 50, color.RGBA{255, 255, 255, 255}}} {
		if got := img.RGBAAt(p.x, p.y); got != p.want {
			t.Errorf("pixel (%d,%d): %v, want %v", p.x, p.y, got, p.want)
		}
	}
}
