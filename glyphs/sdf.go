package glyphs

import (
	"image"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The parameters of the glyphs, those of node-fontnik, which MapLibre's
// shaping assumes: glyphs drawn at Size pixels, with Buffer pixels of field
// around each, distances of up to radius pixels, and the outline at
// 1-cutoff of 255 (192).
const (
	// Size is the size in pixels (the em) the glyphs are drawn at.
	Size = 24
	// Buffer is the margin, in pixels, around each glyph's bitmap.
	Buffer = 3
	radius = 8
	cutoff = 0.25
)

// glyph is one glyph of a range, with its metrics in pixels as the PBF
// holds them: Top is from the font's ascent, Left from the pen position.
type glyph struct {
	id            rune
	bitmap        []byte // (width+2*Buffer)*(height+2*Buffer) bytes; nil for an empty glyph
	width, height int
	left, top     int
	advance       int
}

// ascent is f's ascent at Size pixels, rounded up, as FreeType gives it:
// glyph tops are measured from it.
func ascent(f *sfnt.Font, b *sfnt.Buffer) (int, error) {
	m, err := f.Metrics(b, fixed.I(Size), font.HintingNone)
	return m.Ascent.Ceil(), err
}

// render draws the glyph x of f, whose ascent is asc, as a signed distance
// field.
func render(f *sfnt.Font, b *sfnt.Buffer, id rune, x sfnt.GlyphIndex, asc int) (glyph, error) {
	ppem := fixed.I(Size)
	advance, err := f.GlyphAdvance(b, x, ppem, font.HintingNone)
	if err != nil {
		return glyph{}, err
	}
	g := glyph{id: id, advance: advance.Round()}
	segs, err := f.LoadGlyph(b, x, ppem, nil)
	if err != nil {
		return glyph{}, err
	}
	if len(segs) == 0 {
		return g, nil // a space: an advance and nothing to draw
	}
	// The box of the outline's points, control points included (FreeType's
	// control box, which node-fontnik sizes its bitmaps by). sfnt's y axis
	// points down: its top is y0.
	bounds := fixed.Rectangle26_6{Min: segs[0].Args[0], Max: segs[0].Args[0]}
	for _, s := range segs {
		for _, p := range s.Args[:points(s.Op)] {
			bounds.Min.X, bounds.Min.Y = min(bounds.Min.X, p.X), min(bounds.Min.Y, p.Y)
			bounds.Max.X, bounds.Max.Y = max(bounds.Max.X, p.X), max(bounds.Max.Y, p.Y)
		}
	}
	x0, x1 := bounds.Min.X.Floor(), bounds.Max.X.Ceil()
	y0, y1 := bounds.Min.Y.Floor(), bounds.Max.Y.Ceil()
	if x1 <= x0 || y1 <= y0 {
		return g, nil
	}
	g.width, g.height = x1-x0, y1-y0
	g.left, g.top = x0, -y0-asc
	w, h := g.width+2*Buffer, g.height+2*Buffer

	z := vector.NewRasterizer(w, h)
	dx, dy := float32(Buffer-x0), float32(Buffer-y0)
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64 + dx, float32(p.Y)/64 + dy
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			z.ClosePath()
			z.MoveTo(pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			z.LineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			z.QuadTo(ax, ay, bx, by)
		case sfnt.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy := pt(s.Args[2])
			z.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	z.ClosePath()
	alpha := image.NewAlpha(image.Rect(0, 0, w, h))
	z.Draw(alpha, alpha.Bounds(), image.Opaque, image.Point{})
	g.bitmap = distanceField(alpha.Pix, w, h)
	return g, nil
}

// points is how many points a segment of op has.
func points(op sfnt.SegmentOp) int {
	switch op {
	case sfnt.SegmentOpQuadTo:
		return 2
	case sfnt.SegmentOpCubeTo:
		return 3
	}
	return 1
}

// inf stands for "no edge in reach" in the distance transform.
const inf = 1e20

// distanceField turns a coverage bitmap of w×h pixels into a signed distance
// field: 255 deep inside, 192 on the outline, 0 radius pixels or more
// outside. Partly covered pixels place the outline within the pixel, as
// TinySDF does.
func distanceField(coverage []byte, w, h int) []byte {
	n := w * h
	outer, inner := make([]float64, n), make([]float64, n)
	for i, c := range coverage {
		switch c {
		case 0:
			outer[i], inner[i] = inf, 0
		case 255:
			outer[i], inner[i] = 0, inf
		default:
			d := 0.5 - float64(c)/255
			outer[i], inner[i] = max(d, 0)*max(d, 0), min(d, 0)*min(d, 0)
		}
	}
	t := newTransform(max(w, h))
	t.squared(outer, w, h)
	t.squared(inner, w, h)
	out := make([]byte, n)
	for i := range out {
		d := math.Sqrt(outer[i]) - math.Sqrt(inner[i])
		out[i] = byte(math.Round(max(0, min(255, 255-255*(d/radius+cutoff)))))
	}
	return out
}

// transform holds the scratch space of the exact squared Euclidean distance
// transform of Felzenszwalb and Huttenlocher ("Distance Transforms of
// Sampled Functions", 2012), run over columns then rows.
type transform struct {
	f, z []float64
	v    []int
}

func newTransform(n int) *transform {
	return &transform{f: make([]float64, n), z: make([]float64, n+1), v: make([]int, n)}
}

// squared replaces each value of grid (w×h, 0 at edges, inf elsewhere) by
// its squared distance to the nearest edge.
func (t *transform) squared(grid []float64, w, h int) {
	for x := range w {
		t.line(grid, x, w, h)
	}
	for y := range h {
		t.line(grid, y*w, 1, w)
	}
}

// line is the one-dimensional transform of the n values of grid from offset
// by stride: the lower envelope of the parabolas rooted at each value.
func (t *transform) line(grid []float64, offset, stride, n int) {
	f, v, z := t.f, t.v, t.z
	v[0], z[0], z[1] = 0, -inf, inf
	f[0] = grid[offset]
	k := 0
	for q := 1; q < n; q++ {
		f[q] = grid[offset+q*stride]
		var s float64
		for {
			r := v[k]
			s = (f[q] - f[r] + float64(q*q-r*r)) / float64(q-r) / 2
			if s > z[k] {
				break
			}
			k--
			if k < 0 {
				break
			}
		}
		k++
		v[k], z[k], z[k+1] = q, s, inf
	}
	k = 0
	for q := range n {
		for z[k+1] < float64(q) {
			k++
		}
		r := v[k]
		grid[offset+q*stride] = f[r] + float64((q-r)*(q-r))
	}
}
