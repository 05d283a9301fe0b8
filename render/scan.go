package render

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// The scanner is a sparse scanline rasteriser, the algorithm of FreeType's
// "smooth" rasteriser and of AGG's rasterizer_cells_aa: each edge leaves,
// in every pixel (cell) it crosses, the height it covers there (cover) and
// that height weighted by where in the pixel it passes (area); the cells
// are sorted by row then column, and a sweep along each row sums the
// covers into the winding coverage of the pixels right of them. A cell is
// a partly covered pixel, drawn on its own; the pixels between two cells
// share one coverage and are drawn as one span. So a shape costs the
// length of its edges and the pixels it covers, not the area of its box.
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
)

// scanCell is the cover and area the edges leave in one pixel, while it is
// being accumulated.
type scanCell struct {
	x, y        int32
	cover, area int32
}

// A packed cell is a cell in one uint64, so that a row of them sorts by x
// as plain integers: y (16 bits), x+1 (16 bits), cover (12 bits, signed)
// and area (20 bits, signed). One pass of a path through a pixel leaves a
// cover of at most a pixel's height (the path's heights there telescope)
// and an area of at most fullArea; a larger area (a path that crosses a
// pixel back and forth) is split over several cells of the same pixel,
// which the sweep sums.
const (
	maxSide     = 1<<16 - 2 // the largest width and height scanned
	areaBits    = 20
	maxCellArea = 1<<(areaBits-1) - 1
)

func pack(x, y, cover, area int32) uint64 {
	return uint64(y)<<48 | uint64(x+1)<<32 | uint64(uint32(cover)&0xfff)<<areaBits | uint64(uint32(area)&(1<<areaBits-1))
}

// unpack returns a packed cell's x, cover and area.
func unpack(k uint64) (x, cover, area int32) {
	lo := uint32(k)
	return int32(uint16(k>>32)) - 1, int32(lo) >> areaBits, int32(lo<<(32-areaBits)) >> (32 - areaBits)
}

// scanner gathers the cells of the shapes of one fill, for an image of
// w×h pixels. Cells left of the image are kept at x = -1 (only their
// cover counts), those right of it, above or below it dropped.
type scanner struct {
	w, h  int32
	cells []uint64 // packed
	cur   scanCell     // the cell being accumulated
	// rows[y] is where row y's cells start in sorted, once sorted;
	// both reused
	rows   []int32
	sorted []uint64
}

func (s *scanner) reset(w, h int) {
	s.w, s.h = int32(min(w, maxSide)), int32(min(h, maxSide))
	s.cells = s.cells[:0]
	s.cur = scanCell{x: math.MinInt32}
}

// setCell makes (x, y) the cell being accumulated, keeping the last one.
func (s *scanner) setCell(x, y int32) {
	if x < -1 {
		x = -1
	}
	if s.cur.x != x || s.cur.y != y {
		s.flush()
		s.cur = scanCell{x: x, y: y}
	}
}

func (s *scanner) flush() {
	c := s.cur
	if (c.cover|c.area) == 0 || c.y < 0 || c.y >= s.h || c.x >= s.w {
		return
	}
	if c.x < 0 {
		c.area = 0 // only its cover reaches the image
	}
	for c.area > maxCellArea || c.area < -maxCellArea {
		part := max(min(c.area, maxCellArea), -maxCellArea)
		s.cells = append(s.cells, pack(c.x, c.y, 0, part))
		c.area -= part
	}
	s.cells = append(s.cells, pack(c.x, c.y, c.cover, c.area))
}

// fixedPoint converts pixels to the scanner's fixed point.
func fixedPoint(v float64) int32 { return int32(math.Round(v * subScale)) }

// path adds the edges of a closed path, in pixels.
func (s *scanner) path(p []orb.Point) {
	if len(p) < 2 {
		return
	}
	x0, y0 := fixedPoint(p[len(p)-1][0]), fixedPoint(p[len(p)-1][1])
	for _, q := range p {
		x1, y1 := fixedPoint(q[0]), fixedPoint(q[1])
		s.line(x0, y0, x1, y1)
		x0, y0 = x1, y1
	}
}

// line adds the edge from (x1, y1) to (x2, y2), in fixed point.
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
	// a run of adjacent cells in the row
	dx := int64(x2 - x1)
	p := int64(subScale-fx1) * int64(y2-y1)
	var first, incr int32 = subScale, 1
	if dx < 0 {
		p, first, incr, dx = int64(fx1)*int64(y2-y1), 0, -1, -dx
	}
	d, mod := floorDivMod(p, dx)
	delta := int32(d)
	s.cur.cover += delta
	s.cur.area += (fx1 + first) * delta
	ex1 += incr
	s.setCell(ex1, ey)
	y1 += delta
	if ex1 != ex2 {
		lift, rem := floorDivMod(subScale*int64(y2-y1+delta), dx)
		mod -= dx
		for ex1 != ex2 {
			delta := int32(lift)
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
func floorDivMod(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// sort orders the cells by row, then column: counted into rows, then each
// row sorted by x (most rows of a shape hold a few cells). rows[i] is
// where row y0+i starts in cells; the last entry is where they end.
func (s *scanner) sort() (cells []uint64, rows []int32, y0 int32) {
	s.flush()
	s.cur = scanCell{x: math.MinInt32}
	if len(s.cells) == 0 {
		return nil, nil, 0
	}
	y0, y1 := int32(s.cells[0]>>48), int32(s.cells[0]>>48)
	for _, k := range s.cells {
		y := int32(k >> 48)
		y0, y1 = min(y0, y), max(y1, y)
	}
	n := int(y1-y0) + 2
	if cap(s.rows) < n {
		s.rows = make([]int32, n)
	}
	rows = s.rows[:n]
	clear(rows)
	for _, k := range s.cells {
		rows[int32(k>>48)-y0+1]++
	}
	for i := 1; i < n; i++ {
		rows[i] += rows[i-1]
	}
	if cap(s.sorted) < len(s.cells) {
		s.sorted = make([]uint64, len(s.cells), 2*len(s.cells))
	}
	sorted := s.sorted[:len(s.cells)]
	for _, k := range s.cells {
		i := int32(k>>48) - y0
		sorted[rows[i]] = k
		rows[i]++
	}
	// rows[i] is now where row i+1 starts: shift back
	copy(rows[1:], rows[:n-1])
	rows[0] = 0
	for i := range n - 1 {
		slices.Sort(sorted[rows[i]:rows[i+1]])
	}
	return sorted, rows, y0
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

// paint composites colour over img through the coverage of the cells
// gathered: each row's cells one pixel each, the pixels between two cells
// as one span at the winding coverage summed so far.
func (s *scanner) paint(img *image.RGBA, colour color.RGBA) {
	cells, rows, y0 := s.sort()
	if len(cells) == 0 {
		return
	}
	sp := spanPainter{colour: colour, packed: binary.LittleEndian.Uint32([]byte{colour.R, colour.G, colour.B, colour.A})}
	w := s.w
	for i := range len(rows) - 1 {
		row := cells[rows[i]:rows[i+1]]
		if len(row) == 0 {
			continue
		}
		o := img.PixOffset(0, int(y0)+i)
		pix := img.Pix[o : o+4*int(w) : o+4*int(w)]
		var cover int32
		for j := 0; j < len(row); {
			x, area := int32(0), int32(0)
			for k := j; j < len(row) && row[j]>>32 == row[k]>>32; j++ {
				var c, a int32
				x, c, a = unpack(row[j])
				cover += c
				area += a
			}
			if x >= 0 && area != 0 {
				if a := coverage(cover<<(subBits+1) - area); a != 0 {
					sp.pixel(pix[4*x:4*x+4:4*x+4], a)
				}
				x++
			}
			x = max(x, 0)
			end := w
			if j < len(row) {
				end = int32(uint16(row[j]>>32)) - 1
			}
			if cover != 0 && x < end {
				if a := coverage(cover << (subBits + 1)); a != 0 {
					sp.span(pix[4*x:4*end:4*end], a)
				}
			}
		}
	}
}

// spanPainter composites one premultiplied colour.
type spanPainter struct {
	colour color.RGBA
	packed uint32 // the colour's four bytes, in memory order
}

// pixel composites the colour at alpha a over the pixel d.
func (p *spanPainter) pixel(d []uint8, a uint32) {
	if a == 255 && p.colour.A == 255 {
		binary.LittleEndian.PutUint32(d, p.packed)
		return
	}
	over(d, p.colour, uint8(a))
}

// span composites the colour at alpha a over the pixels of pix: an opaque
// colour wholly covering them is written eight bytes at a time.
func (p *spanPainter) span(pix []uint8, a uint32) {
	if a == 255 && p.colour.A == 255 {
		v := uint64(p.packed) | uint64(p.packed)<<32
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
			binary.LittleEndian.PutUint32(pix, p.packed)
		}
		return
	}
	for i := 0; i+4 <= len(pix); i += 4 {
		over(pix[i:i+4:i+4], p.colour, uint8(a))
	}
}
