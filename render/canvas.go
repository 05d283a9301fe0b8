package render

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"

	"github.com/outcrop/outcrop/styles"
)

// margin is how far outside the image, in pixels, geometry is kept when
// clipped: past the widest stroke and circle, so that clipping never shows.
const margin = 64

// minStep is the shortest step, in pixels, between two vertices kept: finer
// detail is invisible and only costs time.
const minStep = 0.3

// Canvas is an image being drawn for a View. What is drawn reaches the
// image when Image is called.
type Canvas struct {
	view View
	img  *image.RGBA
	clip orb.Bound // the image plus margin, in pixels
	scan *scanner  // the rasteriser, from scanners once used
	buf  *buffers  // what geometry is prepared in, from bufferPool once used
}

// buffers hold a canvas's geometry as it is prepared for the scanner,
// kept from geometry to geometry and, through bufferPool, from canvas to
// canvas: allocated per geometry, they cost a map a tenth of its drawing.
type buffers struct {
	pts     []orb.Point // the pixels of the geometry's rings or lines
	rings   []orb.Ring  // its rings, in pts
	polys   orb.MultiPolygon
	lines   orb.MultiLineString
	closed  []orb.Point // the ring being stroked, closed
	outline []orb.Point // the outline of the line being stroked
}

var bufferPool = sync.Pool{New: func() any { return new(buffers) }}

// buffers returns the canvas's buffers.
func (c *Canvas) buffers() *buffers {
	if c.buf == nil {
		c.buf = bufferPool.Get().(*buffers)
	}
	return c.buf
}

// NewCanvas returns a canvas for v filled with bg; a nil bg leaves it
// transparent. v must pass Check.
func NewCanvas(v View, bg color.Color) *Canvas {
	rect := image.Rect(0, 0, v.Width, v.Height)
	n := 4 * rect.Dx() * rect.Dy()
	var pix []uint8
	if p, ok := pixPool.Get().(*[]uint8); ok && cap(*p) >= n {
		pix = (*p)[:n]
	}
	c := &Canvas{
		view: v,
		img:  &image.RGBA{Pix: pix, Stride: 4 * rect.Dx(), Rect: rect},
		clip: orb.Bound{Min: orb.Point{-margin, -margin}, Max: orb.Point{float64(v.Width + margin), float64(v.Height + margin)}},
	}
	switch {
	case bg != nil:
		if pix == nil {
			c.img.Pix = make([]uint8, n)
		}
		r, g, b, a := bg.RGBA()
		paintPixels(c.img.Pix, color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)})
	case pix == nil:
		c.img.Pix = make([]uint8, n)
	default:
		clear(c.img.Pix)
	}
	return c
}

// pixPool holds the pixels of released canvases: a map's 3 MB, allocated
// and collected per request, cost a tenth of its drawing in allocation
// and garbage collection.
var pixPool sync.Pool

// Release gives the canvas's pixels back for another canvas to reuse;
// neither the canvas nor its Image may be used after. Calling it is
// optional (unreleased pixels are collected as garbage), and done once
// the image is encoded.
func (c *Canvas) Release() {
	if c.scan != nil {
		scanners.Put(c.scan)
		c.scan = nil
	}
	if c.buf != nil {
		bufferPool.Put(c.buf)
		c.buf = nil
	}
	if c.img == nil || c.img.Pix == nil {
		return
	}
	pix := c.img.Pix
	c.img.Pix = nil
	pixPool.Put(&pix)
}

// Image returns the canvas's image (premultiplied RGBA), with everything
// drawn so far.
func (c *Canvas) Image() *image.RGBA {
	if c.scan != nil {
		c.scan.draw(c.img)
	}
	return c.img
}

// View returns the canvas's view.
func (c *Canvas) View() View { return c.view }

// Draw draws a lon/lat geometry with sym: polygons filled with sym.Fill at
// sym.Opacity and outlined with sym.Stroke (a "line" symbol outlines them
// only), lines stroked in sym.Stroke (sym.Fill when it has none), points as
// circles of diameter sym.Size filled with sym.Fill and ringed with
// sym.Stroke. Parts outside the view cost little and draw nothing.
func (c *Canvas) Draw(g orb.Geometry, sym *styles.Symbol) {
	if g == nil || sym == nil {
		return
	}
	switch g := g.(type) {
	case orb.Polygon:
		c.polygon(orb.MultiPolygon{g}, sym)
	case orb.MultiPolygon:
		c.polygon(g, sym)
	case orb.LineString:
		c.line(orb.MultiLineString{g}, sym)
	case orb.MultiLineString:
		c.line(g, sym)
	case orb.Point:
		c.points(orb.MultiPoint{g}, sym)
	case orb.MultiPoint:
		c.points(g, sym)
	case orb.Collection:
		for _, part := range g {
			c.Draw(part, sym)
		}
	case orb.Ring:
		c.polygon(orb.MultiPolygon{{g}}, sym)
	case orb.Bound:
		c.polygon(orb.MultiPolygon{{g.ToRing()}}, sym)
	}
}

// Pass says in which pass of a map's drawing a geometry belongs: 0 for
// areas, 1 for lines, 2 for points. A map draws all areas, then all lines,
// then all points, so that nothing small is hidden under an area.
func Pass(g orb.Geometry) int {
	switch g.Dimensions() {
	case 2:
		return 0
	case 1:
		return 1
	}
	return 2
}

// pixels appends to out a lon/lat path projected to pixels, dropping
// vertices closer than minStep to the last one kept (the last vertex is
// always kept), and reports whether every vertex kept is inside the clip
// box.
func (c *Canvas) pixels(out, ps []orb.Point) ([]orb.Point, bool) {
	start := len(out)
	inside := true
	for i, p := range ps {
		q := c.view.Pixel(p)
		if n := len(out); n > start && i < len(ps)-1 {
			if d := out[n-1]; math.Abs(q[0]-d[0]) < minStep && math.Abs(q[1]-d[1]) < minStep {
				continue
			}
		}
		inside = inside && c.clip.Contains(q)
		out = append(out, q)
	}
	return out, inside
}

func (c *Canvas) polygon(mp orb.MultiPolygon, sym *styles.Symbol) {
	// The rings are projected into one buffer and sliced from it: where
	// it grows, the rings sliced before keep the old array.
	b := c.buffers()
	pts, rings, px := b.pts[:0], b.rings[:0], b.polys[:0]
	inside := true
	for _, p := range mp {
		first := len(rings)
		for _, r := range p {
			start := len(pts)
			var in bool
			pts, in = c.pixels(pts, r)
			if len(pts)-start >= 3 {
				rings = append(rings, orb.Ring(pts[start:len(pts):len(pts)]))
				inside = inside && in
			} else {
				pts = pts[:start]
			}
		}
		if len(rings) > first {
			px = append(px, orb.Polygon(rings[first:len(rings):len(rings)]))
		}
	}
	b.pts, b.rings, b.polys = pts, rings, px
	if !inside {
		// (a polygon inside the clip box is as clipping leaves it)
		px = clip.MultiPolygon(c.clip, px)
	}
	if len(px) == 0 {
		return
	}
	if fill := paint(sym.Fill, sym.Opacity); sym.Kind != "line" && sym.Fill != "" && fill.A != 0 {
		// Under an opaque solid outline at least a pixel wide, the
		// fill's edge pixels are mostly drawn over: it is sampled at
		// pixel centres, whole pixels, which costs a cell per row
		// rather than per pixel of its edges.
		aliased := fill.A == 255 && paint(sym.Stroke, 1).A == 255 && sym.StrokeWidth >= 1 && len(sym.Dash) < 2
		s := c.scanner()
		s.fill(fill, aliased)
		for _, p := range px {
			for i, r := range p {
				// Outer rings one way round, holes the other: the
				// rasteriser's coverage is the absolute winding number,
				// so a hole wound like its ring would be filled.
				s.path(r, (i == 0) != (signedArea(r) > 0))
			}
		}
	}
	stroke := sym.Stroke
	if sym.Kind == "line" && stroke == "" {
		stroke = sym.Fill
	}
	if colour := paint(stroke, 1); stroke != "" && sym.StrokeWidth > 0 && colour.A != 0 {
		c.scanner().fill(colour, false)
		for _, p := range px {
			for _, r := range p {
				b.closed = append(append(b.closed[:0], r...), r[0])
				c.strokePath(b.closed, sym.StrokeWidth, sym.Dash)
			}
		}
	}
}

func (c *Canvas) line(ml orb.MultiLineString, sym *styles.Symbol) {
	colour := sym.Stroke
	if colour == "" {
		colour = sym.Fill
	}
	if colour == "" {
		return
	}
	b := c.buffers()
	pts, px := b.pts[:0], b.lines[:0]
	inside := true
	for _, l := range ml {
		start := len(pts)
		var in bool
		pts, in = c.pixels(pts, l)
		if len(pts)-start >= 2 {
			px = append(px, orb.LineString(pts[start:len(pts):len(pts)]))
			inside = inside && in
		} else {
			pts = pts[:start]
		}
	}
	b.pts, b.lines = pts, px
	if len(px) == 0 {
		return
	}
	if !inside {
		// (a line inside the clip box is as clipping leaves it)
		px = clip.MultiLineString(c.clip, px)
	}
	p := paint(colour, 1)
	if p.A == 0 {
		return
	}
	c.scanner().fill(p, false)
	for _, l := range px {
		c.strokePath(l, max(sym.StrokeWidth, 1), sym.Dash)
	}
}

func (c *Canvas) points(mp orb.MultiPoint, sym *styles.Symbol) {
	d := sym.Size
	if d <= 0 {
		d = 8
	}
	for _, p := range mp {
		q := c.view.Pixel(p)
		if !c.clip.Contains(q) {
			continue
		}
		if sym.Fill != "" {
			c.fill([][]orb.Point{circle(q, d/2)}, paint(sym.Fill, sym.Opacity), false)
		}
		if sym.Stroke != "" && sym.StrokeWidth > 0 {
			ring := circle(q, d/2)
			c.stroke([][]orb.Point{append(ring, ring[0])}, sym.StrokeWidth, nil, paint(sym.Stroke, 1))
		}
	}
}

// fill rasterises the closed paths (in pixels, already wound as they should
// be) and composites colour over the image where they cover it, when the
// image is next read: antialiased, or when aliased covering wholly the
// pixels whose centre they cover.
func (c *Canvas) fill(paths [][]orb.Point, colour color.RGBA, aliased bool) {
	if colour.A == 0 {
		return
	}
	s := c.scanner()
	s.fill(colour, aliased)
	for _, p := range paths {
		s.path(p, false)
	}
}

// scanner returns the canvas's scanner, which records what is filled
// until the image is read.
func (c *Canvas) scanner() *scanner {
	if c.scan == nil {
		c.scan, _ = scanners.Get().(*scanner)
		if c.scan == nil {
			c.scan = new(scanner)
		}
		c.scan.reset(c.img.Rect.Dx(), c.img.Rect.Dy())
	}
	return c.scan
}

// paintPixels sets every pixel of pix (RGBA bytes) to c, doubling what is
// done with copy, which runs at memmove speed.
func paintPixels(pix []uint8, c color.RGBA) {
	if len(pix) < 4 {
		return
	}
	pix[0], pix[1], pix[2], pix[3] = c.R, c.G, c.B, c.A
	for n := 4; n < len(pix); n *= 2 {
		copy(pix[n:], pix[:n])
	}
}

// paint is a "#RRGGBB" colour at an opacity, premultiplied; an unreadable
// colour paints nothing.
func paint(hex string, opacity float64) color.RGBA {
	if len(hex) != 7 || hex[0] != '#' {
		return color.RGBA{}
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return color.RGBA{}
	}
	if opacity <= 0 || opacity > 1 {
		opacity = 1
	}
	a := opacity
	return color.RGBA{
		R: uint8(math.Round(float64(uint8(v>>16)) * a)),
		G: uint8(math.Round(float64(uint8(v>>8)) * a)),
		B: uint8(math.Round(float64(uint8(v)) * a)),
		A: uint8(math.Round(255 * a)),
	}
}

// circle is a closed polygon of the circle of radius r around p, wound as
// stroke quads are (negative signed area in pixel coordinates).
func circle(p orb.Point, r float64) []orb.Point {
	n := max(8, min(64, int(math.Ceil(r*2))))
	out := make([]orb.Point, n)
	for i := range n {
		a := -2 * math.Pi * float64(i) / float64(n)
		out[i] = orb.Point{p[0] + r*math.Cos(a), p[1] + r*math.Sin(a)}
	}
	return out
}

// signedArea is the shoelace sum of a closed path (twice its area, signed).
func signedArea(p []orb.Point) float64 {
	var s float64
	for i := range p {
		a, b := p[i], p[(i+1)%len(p)]
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s
}
