package render

import (
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"golang.org/x/image/vector"

	"github.com/outcrop/outcrop/styles"
)

// margin is how far outside the image, in pixels, geometry is kept when
// clipped: past the widest stroke and circle, so that clipping never shows.
const margin = 64

// minStep is the shortest step, in pixels, between two vertices kept: finer
// detail is invisible and only costs time.
const minStep = 0.3

// Canvas is an image being drawn for a View.
type Canvas struct {
	view View
	img  *image.RGBA
	clip orb.Bound // the image plus margin, in pixels
	r    vector.Rasterizer
	mask image.Alpha // coverage of the tile being drawn, reused
	segs []seg       // edges of the band being drawn, reused
	// heights of the edges left and right of the tile being drawn, per
	// row, reused
	left, right []int32
	shapes      [][]orb.Point // shapes of the stroke being drawn, reused
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
	if c.img == nil || c.img.Pix == nil {
		return
	}
	pix := c.img.Pix
	c.img.Pix = nil
	pixPool.Put(&pix)
}

// Image returns the canvas's image (premultiplied RGBA).
func (c *Canvas) Image() *image.RGBA { return c.img }

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

// pixels projects a lon/lat path to pixels, dropping vertices closer than
// minStep to the last one kept (the last vertex is always kept).
func (c *Canvas) pixels(ps []orb.Point) []orb.Point {
	out := make([]orb.Point, 0, len(ps))
	for i, p := range ps {
		q := c.view.Pixel(p)
		if n := len(out); n > 0 && i < len(ps)-1 {
			if d := out[n-1]; math.Abs(q[0]-d[0]) < minStep && math.Abs(q[1]-d[1]) < minStep {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

func (c *Canvas) polygon(mp orb.MultiPolygon, sym *styles.Symbol) {
	var px orb.MultiPolygon
	for _, p := range mp {
		var q orb.Polygon
		for _, r := range p {
			rr := orb.Ring(c.pixels(r))
			if len(rr) >= 3 {
				q = append(q, rr)
			}
		}
		if len(q) > 0 {
			px = append(px, q)
		}
	}
	px = clip.MultiPolygon(c.clip, px)
	if len(px) == 0 {
		return
	}
	if sym.Kind != "line" && sym.Fill != "" {
		var paths [][]orb.Point
		for _, p := range px {
			for i, r := range p {
				// Outer rings one way round, holes the other: the
				// rasteriser's coverage is the absolute winding number,
				// so a hole wound like its ring would be filled.
				if (i == 0) != (signedArea(r) > 0) {
					r = reversed(r)
				}
				paths = append(paths, r)
			}
		}
		c.fill(paths, paint(sym.Fill, sym.Opacity))
	}
	stroke := sym.Stroke
	if sym.Kind == "line" && stroke == "" {
		stroke = sym.Fill
	}
	if stroke != "" && sym.StrokeWidth > 0 {
		var lines [][]orb.Point
		for _, p := range px {
			for _, r := range p {
				lines = append(lines, append(r[:len(r):len(r)], r[0]))
			}
		}
		c.stroke(lines, sym.StrokeWidth, sym.Dash, paint(stroke, 1))
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
	var px orb.MultiLineString
	for _, l := range ml {
		if q := orb.LineString(c.pixels(l)); len(q) >= 2 {
			px = append(px, q)
		}
	}
	px = clip.MultiLineString(c.clip, px)
	lines := make([][]orb.Point, len(px))
	for i, l := range px {
		lines[i] = l
	}
	c.stroke(lines, max(sym.StrokeWidth, 1), sym.Dash, paint(colour, 1))
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
			c.fill([][]orb.Point{circle(q, d/2)}, paint(sym.Fill, sym.Opacity))
		}
		if sym.Stroke != "" && sym.StrokeWidth > 0 {
			ring := circle(q, d/2)
			c.stroke([][]orb.Point{append(ring, ring[0])}, sym.StrokeWidth, nil, paint(sym.Stroke, 1))
		}
	}
}

// fillTile is the side, in pixels, of the tiles a large shape is filled
// in.
const fillTile = 64

// seg is one edge of a shape, in pixels.
type seg struct{ a, b orb.Point }

// fill rasterises the closed paths (in pixels, already wound as they should
// be) and composites colour over the image where they cover it.
//
// The rasteriser's cost is the pixels of the box it is given, whatever the
// shape covers: a unit as large as the map, or the outline of one, would
// cost the whole map. So the box is cut into tiles of fillTile: a tile no
// edge crosses is wholly inside the shape (filled outright) or wholly
// outside (skipped), whichever the winding number at its centre says, and
// only the tiles edges cross are rasterised, each with the edges of its
// band of rows.
func (c *Canvas) fill(paths [][]orb.Point, colour color.RGBA) {
	if colour.A == 0 {
		return
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range paths {
		for _, q := range p {
			x0, y0, x1, y1 = min(x0, q[0]), min(y0, q[1]), max(x1, q[0]), max(y1, q[1])
		}
	}
	if x0 > x1 {
		return
	}
	r := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1).Intersect(c.img.Rect)
	if r.Empty() {
		return
	}
	for y := r.Min.Y; y < r.Max.Y; y += fillTile {
		band := image.Rect(r.Min.X, y, r.Max.X, min(y+fillTile, r.Max.Y))
		y0, y1 := float64(band.Min.Y-1), float64(band.Max.Y+1)
		segs := c.segs[:0]
		for _, p := range paths {
			for i, a := range p {
				if s, ok := clipY(seg{a, p[(i+1)%len(p)]}, y0, y1); ok {
					segs = append(segs, s)
				}
			}
		}
		c.segs = segs
		if len(segs) == 0 {
			continue
		}
		for x := r.Min.X; x < r.Max.X; x += fillTile {
			t := image.Rect(x, band.Min.Y, min(x+fillTile, r.Max.X), band.Max.Y)
			switch crossed, winding := classify(segs, t); {
			case crossed:
				c.rasterise(t, segs, colour)
			case winding != 0:
				c.composite(t, colour, true)
			}
		}
	}
}

// clipY cuts an edge to the rows y0..y1; ok is false when it has no part
// there, or none that changes coverage (a horizontal edge).
func clipY(s seg, y0, y1 float64) (seg, bool) {
	a, b := s.a, s.b
	if a[1] == b[1] || max(a[1], b[1]) <= y0 || min(a[1], b[1]) >= y1 {
		return s, false
	}
	at := func(y float64) orb.Point {
		return orb.Point{a[0] + (b[0]-a[0])*(y-a[1])/(b[1]-a[1]), y}
	}
	na, nb := a, b
	for _, lim := range []float64{y0, y1} {
		if (a[1]-lim)*(b[1]-lim) < 0 {
			if (lim == y0) == (a[1] < lim) {
				na = at(lim)
			} else {
				nb = at(lim)
			}
		}
	}
	return seg{na, nb}, true
}

// classify says whether an edge passes within a pixel of tile t, and when
// none does, the winding number of the shape at t's centre.
func classify(segs []seg, t image.Rectangle) (crossed bool, winding int) {
	x0, x1 := float64(t.Min.X-1), float64(t.Max.X+1)
	y0, y1 := float64(t.Min.Y-1), float64(t.Max.Y+1)
	cx, cy := float64(t.Min.X+t.Max.X)/2, float64(t.Min.Y+t.Max.Y)/2
	for _, s := range segs {
		a, b := s.a, s.b
		if max(a[0], b[0]) >= x0 && min(a[0], b[0]) <= x1 && max(a[1], b[1]) >= y0 && min(a[1], b[1]) <= y1 {
			return true, 0
		}
		if (a[1] <= cy) != (b[1] <= cy) {
			if x := a[0] + (b[0]-a[0])*(cy-a[1])/(b[1]-a[1]); x < cx {
				if b[1] > a[1] {
					winding++
				} else {
					winding--
				}
			}
		}
	}
	return false, winding
}

// rasterise draws the edges of tile t's band and composites colour through
// their coverage. Every edge crossing the tile's rows counts, those off
// the tile too: the rasteriser accumulates coverage along the whole buffer,
// row after row, and counts on each row's edges summing to nothing (those
// left of the tile carry the winding into it, those right of it cancel it
// before the next row).
//
// An edge wholly left of the tile adds, to each row it crosses, only its
// height there to the row's first cell, and one wholly right of it to the
// cell past its last; so those are summed row by row (more than half the
// edges of a band lie off any one of its tiles) and drawn as a few
// vertical edges just off the tile giving the same sums.
func (c *Canvas) rasterise(t image.Rectangle, segs []seg, colour color.RGBA) {
	w, h := t.Dx(), t.Dy()
	c.r.Reset(w, h)
	c.r.DrawOp = draw.Src
	if cap(c.left) < h {
		c.left, c.right = make([]int32, h), make([]int32, h)
	}
	left, right := c.left[:h], c.right[:h]
	clear(left)
	clear(right)
	offLeft, offRight := false, false
	ox, oy := float64(t.Min.X), float64(t.Min.Y)
	for _, s := range segs {
		ax, ay := float32(s.a[0]-ox), float32(s.a[1]-oy)
		bx, by := float32(s.b[0]-ox), float32(s.b[1]-oy)
		switch {
		case max(ax, bx) <= -2:
			offLeft = addHeights(left, ay, by) || offLeft
		case min(ax, bx) >= float32(w+2):
			offRight = addHeights(right, ay, by) || offRight
		default:
			c.r.MoveTo(ax, ay)
			c.r.LineTo(bx, by)
		}
	}
	if offLeft {
		c.verticals(left, -1)
	}
	if offRight {
		c.verticals(right, float32(w+1))
	}
	n := w * h
	if cap(c.mask.Pix) < n {
		c.mask.Pix = make([]uint8, n)
	}
	c.mask.Pix, c.mask.Stride, c.mask.Rect = c.mask.Pix[:n], w, image.Rect(0, 0, w, h)
	c.r.Draw(&c.mask, c.mask.Rect, image.Opaque, image.Point{})
	c.composite(t, colour, false)
}

// fixedOne is one pixel in the rasteriser's fixed point (x/image/vector's
// ϕ = 9 binary digits).
const fixedOne = 1 << 9

// addHeights adds to heights[y] the signed height, in the rasteriser's
// fixed point, that the edge from y ay to by has in each row y of the
// tile, as x/image/vector's fixed-point LineTo computes it (the same
// float32 products and truncations); it reports whether the edge counts.
func addHeights(heights []int32, ay, by float32) bool {
	dir := int32(1)
	if ay > by {
		dir, ay, by = -1, by, ay
	}
	if by-ay <= 0.000001 { // the rasteriser's own cut-off
		return false
	}
	ayf, byf := int32(ay*fixedOne), int32(by*fixedOne)
	y, yMax := max(ayf>>9, 0), min((byf+fixedOne-1)>>9, int32(len(heights)))
	for ; y < yMax; y++ {
		heights[y] += dir * (min((y+1)<<9, byf) - max(y<<9, ayf))
	}
	return true
}

// verticals draws vertical edges at x giving each row y its height
// heights[y]: whole rows of the same height as one edge a pixel of it,
// the remainder of each row as an edge inside the row.
func (c *Canvas) verticals(heights []int32, x float32) {
	edge := func(y0, y1 float32) {
		c.r.MoveTo(x, y0)
		c.r.LineTo(x, y1)
	}
	for y := 0; y < len(heights); {
		whole := heights[y] / fixedOne
		end := y + 1
		for end < len(heights) && heights[end]/fixedOne == whole {
			end++
		}
		for range max(whole, -whole) {
			if whole > 0 {
				edge(float32(y), float32(end))
			} else {
				edge(float32(end), float32(y))
			}
		}
		for ; y < end; y++ {
			if part := heights[y] % fixedOne; part > 0 {
				edge(float32(y), float32(y)+float32(part)/fixedOne)
			} else if part < 0 {
				edge(float32(y)-float32(part)/fixedOne, float32(y))
			}
		}
	}
}

// composite blends colour over the pixels of r through the coverage mask,
// whose origin is r.Min, or as if fully covered when solid. It is the
// rasteriser's own Over, with the pixels the mask leaves uncovered skipped
// (32 or eight at a time: a stroke leaves most of its tiles uncovered) and the
// fully covered ones of an opaque colour written outright, eight at a time
// where eight are (most of a map's pixels are inside a unit, drawn so).
func (c *Canvas) composite(r image.Rectangle, colour color.RGBA, solid bool) {
	opaque := colour.A == 255
	w := r.Dx()
	if solid && opaque {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			i := c.img.PixOffset(r.Min.X, y)
			paintPixels(c.img.Pix[i:i+4*w], colour)
		}
		return
	}
	if solid {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			i := c.img.PixOffset(r.Min.X, y)
			pix := c.img.Pix[i : i+4*w : i+4*w]
			for x := range w {
				over(pix[4*x:4*x+4:4*x+4], colour, 255)
			}
		}
		return
	}
	sr, sg, sb, sa := uint32(colour.R), uint32(colour.G), uint32(colour.B), uint32(colour.A)
	packed := binary.LittleEndian.Uint32([]byte{colour.R, colour.G, colour.B, 255})
	packed2 := uint64(packed) | uint64(packed)<<32
	for y := 0; y < r.Dy(); y++ {
		i := c.img.PixOffset(r.Min.X, r.Min.Y+y)
		pix := c.img.Pix[i : i+4*w : i+4*w]
		mask := c.mask.Pix[y*c.mask.Stride : y*c.mask.Stride+w : y*c.mask.Stride+w]
		for x := 0; x < w; {
			if x+32 <= w {
				m := mask[x : x+32 : x+32]
				if binary.LittleEndian.Uint64(m)|binary.LittleEndian.Uint64(m[8:])|binary.LittleEndian.Uint64(m[16:])|binary.LittleEndian.Uint64(m[24:]) == 0 {
					x += 32
					continue
				}
			}
			if x+8 <= w {
				switch binary.LittleEndian.Uint64(mask[x : x+8]) {
				case 0:
					x += 8
					continue
				case math.MaxUint64: // eight pixels wholly covered
					if opaque {
						p := pix[4*x : 4*x+32 : 4*x+32]
						binary.LittleEndian.PutUint64(p, packed2)
						binary.LittleEndian.PutUint64(p[8:], packed2)
						binary.LittleEndian.PutUint64(p[16:], packed2)
						binary.LittleEndian.PutUint64(p[24:], packed2)
						x += 8
						continue
					}
				}
			}
			switch m := uint32(mask[x]); {
			case m == 0:
			case m == 255 && opaque:
				binary.LittleEndian.PutUint32(pix[4*x:4*x+4], packed)
			default: // over, written out: the compiler does not inline it
				d := pix[4*x : 4*x+4 : 4*x+4]
				a := 255*255 - sa*m
				d[0] = uint8((uint32(d[0])*a + sr*m*255 + 255*255/2) / (255 * 255))
				d[1] = uint8((uint32(d[1])*a + sg*m*255 + 255*255/2) / (255 * 255))
				d[2] = uint8((uint32(d[2])*a + sb*m*255 + 255*255/2) / (255 * 255))
				d[3] = uint8((uint32(d[3])*a + sa*m*255 + 255*255/2) / (255 * 255))
			}
			x++
		}
	}
}

// over composites the premultiplied colour at coverage m over the pixel d.
func over(d []uint8, colour color.RGBA, m uint8) {
	ma := uint32(m)
	a := 255*255 - uint32(colour.A)*ma // the destination's weight, in 255² units
	d[0] = uint8((uint32(d[0])*a + uint32(colour.R)*ma*255 + 255*255/2) / (255 * 255))
	d[1] = uint8((uint32(d[1])*a + uint32(colour.G)*ma*255 + 255*255/2) / (255 * 255))
	d[2] = uint8((uint32(d[2])*a + uint32(colour.B)*ma*255 + 255*255/2) / (255 * 255))
	d[3] = uint8((uint32(d[3])*a + uint32(colour.A)*ma*255 + 255*255/2) / (255 * 255))
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

func reversed(p []orb.Point) []orb.Point {
	out := make([]orb.Point, len(p))
	for i, q := range p {
		out[len(p)-1-i] = q
	}
	return out
}
