package render

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/bits"
	"sync"

	"github.com/paulmach/orb"
)

// The scanner is a sparse scanline rasteriser, the algorithm of FreeType's
// "smooth" rasteriser and of AGG's rasterizer_cells_aa: each edge leaves,
// in every pixel (cell) it crosses, the height it covers there (cover) and
// that height weighted by where in the pixel it passes (area); a sweep
// along each row, cell after cell, sums the covers into the winding
// coverage of the pixels right of them. A cell is a partly covered pixel,
// drawn on its own; the pixels between two cells share one coverage and
// are drawn as one span. So a shape costs the length of its edges and the
// pixels it covers, not the area of its box.
//
// The cells are not sorted, as FreeType and AGG sort them, but added into
// a dense grid of cells, one band of rows at a time, beside a bitmap of
// the cells set; the sweep reads the bitmap in order and clears what it
// read (as Blend2D does). Each band draws the part of the edges crossing
// it, of every shape of the image in turn.
// (Accumulating in float32 instead, as x/image/vector's floating-point
// path and font-rs do, was measured a fifth slower on BenchmarkUnits:
// each row an edge crosses then changes two pixels, so more are drawn
// one by one.)
//
// Coordinates are fixed point with subBits binary digits (1/256 pixel, as
// AGG); coverage is exact area to that precision, the absolute winding
// number clamped to one (nonzero: the union of shapes wound alike, holes
// wound opposite).

const (
	subBits  = 8
	subScale = 1 << subBits
	subMask  = subScale - 1
	// fullArea is twice the area, in subpixel units squared, of a
	// whole pixel: the value of a wholly covered pixel in the sweep.
	fullArea = 2 * subScale * subScale
	// bandRows is the height of a band, the rows of cells held at once.
	bandRows = 32
)

// scanCell is the cover and area the edges leave in one pixel, while it
// is being accumulated.
type scanCell struct {
	x, y        int32
	cover, area int32
}

// cellSum is the cover and area of a cell of the band, side by side: one
// cache line to read and write.
type cellSum struct{ cover, area int32 }

// edge is an edge of a shape, in fixed point, as drawn (y0 != y1).
type edge struct{ x0, y0, x1, y1 int32 }

// fillCmd is a shape to fill: its colour, and where its edges start in
// the scanner's edges (they end where the next shape's start).
type fillCmd struct {
	colour  color.RGBA
	first   int32
	aliased bool // sampled at pixel centres, without antialiasing
}

// scanner rasterises the shapes a canvas fills onto its image of w×h
// pixels. Shapes are recorded as they are filled and drawn together, in
// their order, one band after the other when the image is read: a band's
// image rows, its cells and its bitmap stay in the processor's cache
// while every shape crossing it is drawn (drawn shape by shape, a map's
// thousands of edge pixels each read a row of the image the cache had
// lost since the last shape). Its buffers are kept from canvas to canvas,
// and its cells and bitmap are all zero between bands.
type scanner struct {
	w, h  int32
	edges []edge    // of the shapes recorded
	cmds  []fillCmd // the shapes recorded, in order
	bands [][]int32 // the edges crossing each band, in order

	top   int32     // the band's first row
	cur   scanCell  // the cell being accumulated
	cells []cellSum // the band's cells, bandRows×w
	set   []uint64
	words int32 // of set per row
	// per row of the band: the cover of the cells left of the image, and
	// the first and last word of set holding a cell
	left                [bandRows]int32
	firstWord, lastWord [bandRows]int32
	rows                uint64  // the rows of the band holding anything
	row                 []uint8 // a row of pixels, for the painters' spans
}

// scanners holds the scanners of released canvases: a band's cells are
// a quarter of a megabyte for a map 1024 pixels wide.
var scanners sync.Pool

// reset readies the scanner for an image of w×h pixels, with no shapes.
func (s *scanner) reset(w, h int) {
	w, h = min(w, math.MaxInt32/subScale/2), min(h, math.MaxInt32/subScale/2)
	if int(s.w) != w {
		s.w = int32(w)
		s.words = int32((w + 63) / 64)
		s.cells = make([]cellSum, bandRows*w)
		s.set = make([]uint64, bandRows*int(s.words))
		s.row = make([]uint8, 4*w)
		for r := range bandRows {
			s.firstWord[r], s.lastWord[r] = math.MaxInt32, -1
		}
	}
	s.h = int32(h)
	n := (h + bandRows - 1) / bandRows
	if cap(s.bands) < n {
		s.bands = append(s.bands[:cap(s.bands)], make([][]int32, n-cap(s.bands))...)
	}
	s.bands = s.bands[:n]
	for i := range s.bands {
		s.bands[i] = s.bands[i][:0]
	}
	s.edges, s.cmds = s.edges[:0], s.cmds[:0]
}

// fill records a shape of colour: the paths added next, until the next
// fill. An aliased shape covers wholly the pixels whose centre it covers
// and no other: it costs a cell per row its edges cross rather than one
// per pixel they pass through, for shapes whose edges are drawn over.
func (s *scanner) fill(colour color.RGBA, aliased bool) {
	s.cmds = append(s.cmds, fillCmd{colour: colour, first: int32(len(s.edges)), aliased: aliased})
}

// fixedPoint converts pixels to the scanner's fixed point, rounding.
func fixedPoint(v float64) int32 {
	const off = 1 << 40 // int64 conversion truncates: make it floor
	return int32(int64(v*subScale+(off+0.5)) - off)
}

// path adds the edges of a closed path, in pixels, to the shape last
// recorded: walked backwards when rev, as the reversed path would be.
func (s *scanner) path(p []orb.Point, rev bool) {
	if len(p) < 2 {
		return
	}
	lastBand := int32(len(s.bands) - 1)
	start := p[len(p)-1]
	if rev {
		start = p[0]
	}
	x0, y0 := fixedPoint(start[0]), fixedPoint(start[1])
	for k := range p {
		q := p[k]
		if rev {
			q = p[len(p)-1-k]
		}
		x1, y1 := fixedPoint(q[0]), fixedPoint(q[1])
		// a horizontal edge covers nothing; one above, below or right
		// of the image changes no pixel of it
		if y0 != y1 && max(y0, y1) > 0 && min(y0, y1) < s.h<<subBits && min(x0, x1)>>subBits < s.w {
			i := int32(len(s.edges))
			s.edges = append(s.edges, edge{x0, y0, x1, y1})
			b1 := min((max(y0, y1)-1)>>subBits/bandRows, lastBand)
			for b := max(min(y0, y1), 0) >> subBits / bandRows; b <= b1; b++ {
				s.bands[b] = append(s.bands[b], i)
			}
		}
		x0, y0 = x1, y1
	}
}

// draw composites the shapes recorded over img, each in its colour
// through its coverage, band by band, and forgets them.
func (s *scanner) draw(img *image.RGBA) {
	if len(s.cmds) == 0 {
		return
	}
	var p painter
	for b, list := range s.bands {
		if len(list) == 0 {
			continue
		}
		s.top = int32(b) * bandRows
		topF, botF := s.top<<subBits, min(s.top+bandRows, s.h)<<subBits
		k, end := -1, int32(0) // the shape being drawn, and where its edges end
		aliased := false
		for _, i := range list {
			if i >= end {
				if k >= 0 {
					s.nextCell(math.MinInt32, 0)
					s.sweep(img, &p)
				}
				for k+1 < len(s.cmds) && s.cmds[k+1].first <= i {
					k++
				}
				end = int32(len(s.edges))
				if k+1 < len(s.cmds) {
					end = s.cmds[k+1].first
				}
				p = newPainter(s.cmds[k].colour)
				p.row = s.row
				aliased = s.cmds[k].aliased
				s.cur = scanCell{x: math.MinInt32} // nothing kept
			}
			switch e := s.edges[i]; {
			case aliased:
				s.sampled(e)
			case min(e.y0, e.y1) >= topF && max(e.y0, e.y1) <= botF:
				s.line(e.x0, e.y0, e.x1, e.y1)
			default:
				s.clipped(e, topF, botF)
			}
		}
		s.nextCell(math.MinInt32, 0)
		s.sweep(img, &p)
		s.bands[b] = list[:0]
	}
	s.edges, s.cmds = s.edges[:0], s.cmds[:0]
}

// clipped adds the part of e between the rows topF and botF (fixed
// point).
func (s *scanner) clipped(e edge, topF, botF int32) {
	at := func(y int32) int32 { // x where e crosses y, rounded
		num := int64(y-e.y0) * int64(e.x1-e.x0)
		den := int64(e.y1 - e.y0)
		if den < 0 {
			num, den = -num, -den
		}
		q, _ := floorDivMod(2*num+den, 2*den)
		return e.x0 + int32(q)
	}
	x0, y0, x1, y1 := e.x0, e.y0, e.x1, e.y1
	if y0 < y1 {
		if y0 < topF {
			x0, y0 = at(topF), topF
		}
		if y1 > botF {
			x1, y1 = at(botF), botF
		}
	} else {
		if y1 < topF {
			x1, y1 = at(topF), topF
		}
		if y0 > botF {
			x0, y0 = at(botF), botF
		}
	}
	if y0 != y1 {
		s.line(x0, y0, x1, y1)
	}
}

// sampled adds, for each row of the band whose centre e crosses, a
// crossing of the winding number (one whole cover) at the first pixel
// whose centre is right of e there: the sweep then covers pixels whole,
// with no partial cell. Both shapes sharing an edge compute its crossings
// alike (the edge taken downward), so that each pixel by it is covered by
// exactly one of them.
func (s *scanner) sampled(e edge) {
	cover := int32(subScale)
	if e.y0 > e.y1 {
		e.x0, e.y0, e.x1, e.y1 = e.x1, e.y1, e.x0, e.y0
		cover = -cover
	}
	// the rows whose centre y+½ lies in [y0, y1), within the band
	r0 := max((e.y0+subScale/2-1)>>subBits, s.top)
	r1 := min((e.y1+subScale/2-1)>>subBits, s.top+bandRows, s.h)
	if r0 >= r1 {
		return
	}
	// the first pixel x whose centre is right of the edge at the row's
	// centre yc is ⌈(x0 + (yc-y0)·dx/dy - ½)/1⌉ in pixels: ⌊(n + d - 1)/d⌋
	// with n = (x0-½)·dy + (yc-y0)·dx and d = dy, in subpixels, stepped
	// row by row with a quotient and a carried remainder
	dx, dy := int64(e.x1-e.x0), int64(e.y1-e.y0)
	d := dy * subScale
	yc := int64(r0)<<subBits + subScale/2
	n := (int64(e.x0)-subScale/2)*dy + (yc-int64(e.y0))*dx
	q, rem := floorDivMod(n+d-1, d)
	lift, step := floorDivMod(subScale*dx, d)
	w := s.w
	for r := r0; ; {
		x := int32(q)
		row := r - s.top
		s.rows |= 1 << row
		switch {
		case x <= 0:
			s.left[row] += cover
		case x < w:
			s.cells[row*w+x].cover += cover
			wi := x >> 6
			s.set[row*s.words+wi] |= 1 << (x & 63)
			s.firstWord[row], s.lastWord[row] = min(s.firstWord[row], wi), max(s.lastWord[row], wi)
		}
		if r++; r == r1 {
			return
		}
		q += lift
		if rem += step; rem >= d {
			rem -= d
			q++
		}
	}
}

// setCell makes (x, y) the cell being accumulated, keeping the last one.
func (s *scanner) setCell(x, y int32) {
	if x = max(x, -1); s.cur.x != x || s.cur.y != y {
		s.nextCell(x, y)
	}
}

// nextCell adds the cell being accumulated into the band's cells and
// starts (x, y). It is kept out of setCell so that setCell, called for
// every cell, inlines.
//
//go:noinline
func (s *scanner) nextCell(x, y int32) {
	c := s.cur
	s.cur = scanCell{x: x, y: y}
	r := c.y - s.top
	if (c.cover|c.area) == 0 || r < 0 || r >= bandRows || c.y >= s.h || c.x >= s.w {
		return
	}
	s.rows |= 1 << r
	if c.x < 0 {
		s.left[r] += c.cover // only its cover reaches the image
		return
	}
	i := r*s.w + c.x
	s.cells[i].cover += c.cover
	s.cells[i].area += c.area
	wi := c.x >> 6
	s.set[r*s.words+wi] |= 1 << (c.x & 63)
	s.firstWord[r], s.lastWord[r] = min(s.firstWord[r], wi), max(s.lastWord[r], wi)
}

// sweep composites the band's rows through their cells, and clears them:
// each cell one pixel, the pixels between two cells as one span at the
// winding coverage summed so far.
func (s *scanner) sweep(img *image.RGBA, p *painter) {
	w := s.w
	for rows := s.rows; rows != 0; rows &= rows - 1 {
		r := int32(bits.TrailingZeros64(rows))
		o := img.PixOffset(0, int(s.top+r))
		pix := img.Pix[o : o+4*int(w) : o+4*int(w)]
		cells := s.cells[r*w : r*w+w : r*w+w]
		set := s.set[r*s.words : (r+1)*s.words : (r+1)*s.words]
		cov := s.left[r]
		s.left[r] = 0
		x := int32(0) // the first pixel not yet drawn
		for wi := s.firstWord[r]; wi <= s.lastWord[r]; wi++ {
			word := set[wi]
			set[wi] = 0
			for ; word != 0; word &= word - 1 {
				cx := wi<<6 + int32(bits.TrailingZeros64(word))
				if cov != 0 && x < cx {
					p.span(pix[4*x:4*cx:4*cx], coverage(cov<<(subBits+1)))
				}
				cov += cells[cx].cover
				a := cells[cx].area
				cells[cx] = cellSum{}
				x = cx
				if a != 0 {
					if m := coverage(cov<<(subBits+1) - a); m != 0 {
						p.pixel(pix[4*cx:4*cx+4:4*cx+4], m)
					}
					x++
				}
			}
		}
		if cov != 0 && x < w {
			p.span(pix[4*x:4*w:4*w], coverage(cov<<(subBits+1)))
		}
		s.firstWord[r], s.lastWord[r] = math.MaxInt32, -1
	}
	s.rows = 0
}

// line adds the edge from (x1, y1) to (x2, y2), in fixed point, as AGG's
// rasterizer_cells_aa::line does: row by row, with exact integer steps.
func (s *scanner) line(x1, y1, x2, y2 int32) {
	if y1 == y2 {
		return // a horizontal edge covers nothing
	}
	ey1, ey2 := y1>>subBits, y2>>subBits
	if max(ey1, ey2) < 0 || min(ey1, ey2) >= s.h || min(x1, x2)>>subBits >= s.w {
		return // above, below or right of the image: it changes no pixel
	}
	dx, dy := int64(x2-x1), int64(y2-y1)
	fy1, fy2 := y1&subMask, y2&subMask
	s.setCell(x1>>subBits, ey1)
	if ey1 == ey2 {
		s.hline(ey1, x1, fy1, x2, fy2)
		return
	}
	var first, incr int32 = subScale, 1
	if dx == 0 { // vertical: one cell a row, all alike but the ends
		ex := x1 >> subBits
		twoFx := (x1 - ex<<subBits) * 2
		if dy < 0 {
			first, incr = 0, -1
		}
		delta := first - fy1
		s.cur.cover += delta
		s.cur.area += twoFx * delta
		ey1 += incr
		s.setCell(ex, ey1)
		delta = 2*first - subScale
		area := twoFx * delta
		for ey1 != ey2 {
			s.cur.cover, s.cur.area = delta, area
			ey1 += incr
			s.setCell(ex, ey1)
		}
		delta = fy2 - subScale + first
		s.cur.cover += delta
		s.cur.area += twoFx * delta
		return
	}
	// one hline per row: the x where the edge leaves each row is found
	// by exact integer steps (a quotient and a carried remainder)
	p := int64(subScale-fy1) * dx
	if dy < 0 {
		p, first, incr, dy = int64(fy1)*dx, 0, -1, -dy
	}
	delta, mod := floorDivMod(p, dy)
	xFrom := x1 + int32(delta)
	s.hline(ey1, x1, fy1, xFrom, first)
	ey1 += incr
	s.setCell(xFrom>>subBits, ey1)
	if ey1 != ey2 {
		lift, rem := floorDivMod(subScale*dx, dy)
		mod -= dy
		for ey1 != ey2 {
			delta := lift
			if mod += rem; mod >= 0 {
				mod -= dy
				delta++
			}
			xTo := xFrom + int32(delta)
			s.hline(ey1, xFrom, subScale-first, xTo, first)
			xFrom = xTo
			ey1 += incr
			s.setCell(xFrom>>subBits, ey1)
		}
	}
	s.hline(ey1, xFrom, subScale-first, x2, fy2)
}

// hline adds the part of an edge inside row ey, from x1 to x2 (fixed
// point) and from y1 to y2 (subpixels within the row). The current cell
// is the one x1 is in.
func (s *scanner) hline(ey, x1, y1, x2, y2 int32) {
	ex1, ex2 := x1>>subBits, x2>>subBits
	fx1, fx2 := x1&subMask, x2&subMask
	if y1 == y2 {
		s.setCell(ex2, ey)
		return
	}
	if ex1 == ex2 {
		delta := y2 - y1
		s.cur.cover += delta
		s.cur.area += (fx1 + fx2) * delta
		return
	}
	// a run of adjacent cells in the row, in 32 bits: the heights are
	// within a row and the products at most subScale²
	dx := x2 - x1
	p := (subScale - fx1) * (y2 - y1)
	var first, incr int32 = subScale, 1
	if dx < 0 {
		p, first, incr, dx = fx1*(y2-y1), 0, -1, -dx
	}
	delta, mod := floorDivMod(p, dx)
	s.cur.cover += delta
	s.cur.area += (fx1 + first) * delta
	ex1 += incr
	s.setCell(ex1, ey)
	y1 += delta
	if ex1 != ex2 {
		lift, rem := floorDivMod(subScale*(y2-y1+delta), dx)
		mod -= dx
		for ex1 != ex2 {
			delta := lift
			if mod += rem; mod >= 0 {
				mod -= dx
				delta++
			}
			s.cur.cover += delta
			s.cur.area += subScale * delta
			y1 += delta
			ex1 += incr
			s.setCell(ex1, ey)
		}
	}
	delta = y2 - y1
	s.cur.cover += delta
	s.cur.area += (fx2 + subScale - first) * delta
}

// floorDivMod is a / b rounded down and its non-negative remainder, b > 0.
func floorDivMod[T int32 | int64](a, b T) (T, T) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// coverage is the alpha, 0 to 255, of twice a signed area in subpixel
// units squared: its absolute value, clamped to a whole pixel.
func coverage(area int32) uint32 {
	if area < 0 {
		area = -area
	}
	if area >= fullArea {
		return 255
	}
	return (uint32(area)*255 + fullArea/2) / fullArea
}

// painter composites one premultiplied colour: Porter-Duff over, each
// channel d·(255² - A·m)/255² + C·m/255 rounded, for the colour's
// channel C and alpha A at coverage m.
type painter struct {
	colour color.RGBA
	opaque bool
	packed uint64 // the colour's four bytes twice, in memory order
	lanes  uint64 // the colour's four bytes in 16-bit lanes
	// row, when not nil, is a row of pixels the width of the image, the
	// first filled of which are filled with the colour (opaque), to copy
	row    []uint8
	filled int
	// the colour's channels times 255, and its alpha
	r, g, b, a uint32
}

func newPainter(c color.RGBA) painter {
	v := uint64(c.R) | uint64(c.G)<<8 | uint64(c.B)<<16 | uint64(c.A)<<24
	return painter{colour: c, opaque: c.A == 255, packed: v | v<<32, lanes: spread(uint32(v)),
		r: 255 * uint32(c.R), g: 255 * uint32(c.G), b: 255 * uint32(c.B), a: uint32(c.A)}
}

// lane8 is the low byte of each 16-bit lane.
const lane8 = 0x00FF00FF00FF00FF

// spread puts the four bytes of v in the four 16-bit lanes of a uint64.
func spread(v uint32) uint64 {
	x := uint64(v)
	return x&0xFF | (x&0xFF00)<<8 | (x&0xFF0000)<<16 | (x&0xFF000000)<<24
}

// pixel composites the colour at alpha m over the pixel d.
func (p *painter) pixel(d []uint8, m uint32) {
	px := (*[4]uint8)(d)
	if p.opaque {
		if m == 255 {
			binary.LittleEndian.PutUint32(px[:], uint32(p.packed))
			return
		}
		// d·(255-m) + C·m in each 16-bit lane (at most 255², no
		// carry between lanes), divided by 255 rounded as
		// (t + t>>8)>>8 with t = v+128, which is exact for v ≤ 255²:
		// the channels of the formula below, four at once
		v := spread(binary.LittleEndian.Uint32(px[:]))*uint64(255-m) + p.lanes*uint64(m)
		t := v + 0x0080008000800080
		t = (t + (t>>8)&lane8) >> 8 & lane8
		binary.LittleEndian.PutUint32(px[:], uint32(t&0xFF|(t>>8)&0xFF00|(t>>16)&0xFF0000|(t>>24)&0xFF000000))
		return
	}
	const half = 255 * 255 / 2
	a := 255*255 - p.a*m
	px[0] = uint8((uint32(px[0])*a + p.r*m + half) / (255 * 255))
	px[1] = uint8((uint32(px[1])*a + p.g*m + half) / (255 * 255))
	px[2] = uint8((uint32(px[2])*a + p.b*m + half) / (255 * 255))
	px[3] = uint8((uint32(px[3])*a + 255*p.a*m + half) / (255 * 255))
}

// span composites the colour at alpha m over the pixels of pix: an opaque
// colour wholly covering them is copied from the painter's row, filled as
// far as the longest span so far, or written eight bytes at a time.
func (p *painter) span(pix []uint8, m uint32) {
	if m == 255 && p.opaque {
		if len(pix) <= len(p.row) {
			if len(pix) > p.filled {
				p.filled = len(pix)
				paintPixels(p.row[:p.filled], p.colour)
			}
			copy(pix, p.row)
			return
		}
		v := p.packed
		for len(pix) >= 32 {
			binary.LittleEndian.PutUint64(pix, v)
			binary.LittleEndian.PutUint64(pix[8:], v)
			binary.LittleEndian.PutUint64(pix[16:], v)
			binary.LittleEndian.PutUint64(pix[24:], v)
			pix = pix[32:]
		}
		for len(pix) >= 8 {
			binary.LittleEndian.PutUint64(pix, v)
			pix = pix[8:]
		}
		if len(pix) >= 4 {
			binary.LittleEndian.PutUint32(pix, uint32(v))
		}
		return
	}
	for i := 0; i+4 <= len(pix); i += 4 {
		p.pixel(pix[i:i+4:i+4], m)
	}
}
