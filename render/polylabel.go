package render

import (
	"math"

	"github.com/paulmach/orb"
)

// polylabel finds the pole of inaccessibility of polygon p (in pixels):
// the interior point farthest from its edges, and that distance, to
// within precision, as Mapbox's polylabel does: cells of a grid over the
// polygon are split, best bound first, until none can beat the best point
// found by more than precision. orb has no such function; its centroid
// may lie outside a concave unit or in a hole. The search is bounded to
// 4096 cells, a few milliseconds for a unit of thousands of vertices.
//
// A pole nearer the edges than need is of no use to the caller: the search
// stops once no cell can hold a point as far as need, and then returns a
// distance below need (not the pole's). The pole found when it is as far
// as need is the one a search without need finds.
func polylabel(p orb.Polygon, precision, need float64) (orb.Point, float64) {
	b := p.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	size := min(w, h)
	if size <= 0 {
		return b.Center(), 0
	}
	e := newEdgeIndex(p)
	var q cellQueue
	newCell := func(x, y, half float64) cell {
		d := e.signedDistance(orb.Point{x, y})
		return cell{c: orb.Point{x, y}, h: half, d: d, max: d + half*math.Sqrt2}
	}
	for x := b.Min[0]; x < b.Max[0]; x += size {
		for y := b.Min[1]; y < b.Max[1]; y += size {
			q.push(newCell(x+size/2, y+size/2, size/2))
		}
	}
	best := newCell(b.Center()[0], b.Center()[1], 0)
	if c := centroidCell(p, newCell); c.d > best.d {
		best = c
	}
	for n := 0; len(q) > 0 && n < 4096; n++ {
		c := q.pop()
		if c.d > best.d {
			best = c
		}
		if c.max < need && best.d < need {
			// Every cell left is bounded by c.max: no point as far as need.
			break
		}
		if c.max-best.d <= precision {
			continue
		}
		hh := c.h / 2
		for _, d := range [4][2]float64{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
			q.push(newCell(c.c[0]+d[0]*hh, c.c[1]+d[1]*hh, hh))
		}
	}
	return best.c, best.d
}

// centroidCell is the cell at the area-weighted centre of p's outer ring,
// a good first guess.
func centroidCell(p orb.Polygon, newCell func(x, y, half float64) cell) cell {
	r := p[0]
	var a, cx, cy float64
	for i := range r {
		s, t := r[i], r[(i+1)%len(r)]
		f := s[0]*t[1] - t[0]*s[1]
		cx += (s[0] + t[0]) * f
		cy += (s[1] + t[1]) * f
		a += f * 3
	}
	if a == 0 {
		return newCell(r[0][0], r[0][1], 0)
	}
	return newCell(cx/a, cy/a, 0)
}

// edgeIndex holds a polygon's edges in horizontal bands, so that the
// distance from a point looks at the edges of the bands nearest it first
// and stops at the first band farther than the nearest edge found, and
// the point-in-polygon test looks at its own band's edges only. It gives
// the same distances as a scan of every edge, at a fraction of the cost
// for polygons of many edges, since polylabel asks for thousands.
type edgeIndex struct {
	edges    []ringEdge
	y0, band float64
	bands    [][]int32
}

// ringEdge is an edge a→b with its bounding box.
type ringEdge struct {
	a, b                   orb.Point
	minX, maxX, minY, maxY float64
}

// edgesPerBand is how many edges a band holds on average.
const edgesPerBand = 4

func newEdgeIndex(p orb.Polygon) *edgeIndex {
	var e edgeIndex
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			e.edges = append(e.edges, ringEdge{a: a, b: b, minX: min(a[0], b[0]), maxX: max(a[0], b[0]), minY: min(a[1], b[1]), maxY: max(a[1], b[1])})
		}
	}
	bd := p.Bound()
	n := max(1, min(256, len(e.edges)/edgesPerBand))
	e.y0, e.band = bd.Min[1], (bd.Max[1]-bd.Min[1])/float64(n)
	if !(e.band > 0) {
		n, e.band = 1, 1
	}
	e.bands = make([][]int32, n)
	for i, ed := range e.edges {
		for k, last := e.bandOf(ed.minY), e.bandOf(ed.maxY); k <= last; k++ {
			e.bands[k] = append(e.bands[k], int32(i))
		}
	}
	return &e
}

// bandOf is the band of ordinate y, clamped to the bands there are.
func (e *edgeIndex) bandOf(y float64) int {
	k := math.Floor((y - e.y0) / e.band)
	return int(max(0, min(k, float64(len(e.bands)-1))))
}

// signedDistance is the distance from pt to the polygon's nearest edge,
// negative outside the polygon (holes are outside).
func (e *edgeIndex) signedDistance(pt orb.Point) float64 {
	home := e.bandOf(pt[1])
	inside := false
	for _, i := range e.bands[home] {
		ed := &e.edges[i]
		a, b := ed.a, ed.b
		if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
			inside = !inside
		}
	}
	minSq := math.Inf(1)
	near := func(k int) {
		for _, i := range e.bands[k] {
			ed := &e.edges[i]
			// An edge whose box lies farther than the nearest edge yet
			// cannot be nearer: the box's distance costs no division.
			dx := max(ed.minX-pt[0], pt[0]-ed.maxX, 0)
			dy := max(ed.minY-pt[1], pt[1]-ed.maxY, 0)
			if dx*dx+dy*dy <= minSq {
				minSq = min(minSq, segmentDistSq(pt, ed.a, ed.b))
			}
		}
	}
	near(home)
	// Bands above and below, nearest first, while a band can hold an
	// edge nearer than the nearest found.
	for lo, hi := home-1, home+1; lo >= 0 || hi < len(e.bands); lo, hi = lo-1, hi+1 {
		more := false
		if lo >= 0 {
			if dy := pt[1] - (e.y0 + float64(lo+1)*e.band); dy <= 0 || dy*dy <= minSq {
				near(lo)
				more = true
			}
		}
		if hi < len(e.bands) {
			if dy := e.y0 + float64(hi)*e.band - pt[1]; dy <= 0 || dy*dy <= minSq {
				near(hi)
				more = true
			}
		}
		if !more {
			break
		}
	}
	d := math.Sqrt(minSq)
	if !inside {
		return -d
	}
	return d
}

func segmentDistSq(p, a, b orb.Point) float64 {
	x, y := a[0], a[1]
	dx, dy := b[0]-x, b[1]-y
	if dx != 0 || dy != 0 {
		t := ((p[0]-x)*dx + (p[1]-y)*dy) / (dx*dx + dy*dy)
		if t > 1 {
			x, y = b[0], b[1]
		} else if t > 0 {
			x += dx * t
			y += dy * t
		}
	}
	dx, dy = p[0]-x, p[1]-y
	return dx*dx + dy*dy
}

// cell is a square of polylabel's search: centre c, half side h, the
// distance d from c to the polygon, and the best distance max any point
// of the cell can have.
type cell struct {
	c    orb.Point
	h, d float64
	max  float64
}

// cellQueue is a binary heap of cells, greatest max first: container/heap's
// algorithm on values, which spares boxing each cell in an interface.
type cellQueue []cell

func (q *cellQueue) push(c cell) {
	*q = append(*q, c)
	h := *q
	for j := len(h) - 1; j > 0; {
		i := (j - 1) / 2
		if i == j || !(h[j].max > h[i].max) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (q *cellQueue) pop() cell {
	h := *q
	n := len(h) - 1
	h[0], h[n] = h[n], h[0]
	for i := 0; ; {
		j := 2*i + 1
		if j >= n || j < 0 {
			break
		}
		if j2 := j + 1; j2 < n && h[j2].max > h[j].max {
			j = j2
		}
		if !(h[j].max > h[i].max) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
	c := h[n]
	*q = h[:n]
	return c
}
