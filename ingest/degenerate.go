package ingest

import (
	"math"

	"github.com/paulmach/orb"
)

// dropDegenerate removes from g, whose coordinates are rounded to decimals
// places, what has no extent in its own dimension: spikes (a ring running
// out along a segment and back), rings and polygons of zero area, and lines
// of zero length; repeated consecutive points go too, uncounted. Such parts
// appear where a reprojection or the rounding brings close vertices
// together, and GEOS counts them invalid. g is changed in place; the
// geometry left is returned, nil when nothing is, with the number of parts
// dropped: each ring that lost spikes, and each ring, polygon or line
// dropped whole. GEOS's repair would remove them as well, but silently;
// they are found here to be counted.
func dropDegenerate(g orb.Geometry, decimals int) (orb.Geometry, int) {
	scale := math.Pow10(decimals)
	dropped := 0
	switch g := g.(type) {
	case orb.LineString:
		if l, ok := cleanLine(g); ok {
			return l, 0
		}
		return nil, 1
	case orb.MultiLineString:
		out := g[:0]
		for _, l := range g {
			if l, ok := cleanLine(l); ok {
				out = append(out, l)
			} else {
				dropped++
			}
		}
		if len(out) == 0 {
			return nil, dropped
		}
		return out, dropped
	case orb.Polygon:
		p, n := cleanPolygon(g, scale)
		if p == nil {
			return nil, n
		}
		return p, n
	case orb.MultiPolygon:
		out := g[:0]
		for _, p := range g {
			p, n := cleanPolygon(p, scale)
			dropped += n
			if p != nil {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil, dropped
		}
		return out, dropped
	}
	return g, 0
}

// cleanLine removes repeated consecutive points; ok is false when fewer
// than two points are left.
func cleanLine(l orb.LineString) (orb.LineString, bool) {
	out := l[:0]
	for _, p := range l {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out, len(out) >= 2
}

// cleanPolygon cleans each ring; a degenerate exterior drops the whole
// polygon, holes and all (counted once), a degenerate hole only itself.
func cleanPolygon(p orb.Polygon, scale float64) (orb.Polygon, int) {
	if len(p) == 0 {
		return nil, 0
	}
	dropped := 0
	out := p[:0]
	for i, r := range p {
		r, spiked, ok := cleanRing(r, scale)
		switch {
		case !ok && i == 0:
			return nil, 1
		case !ok:
			dropped++
			continue
		case spiked:
			dropped++
		}
		out = append(out, r)
	}
	return out, dropped
}

// cleanRing removes repeated points and spikes from a ring, in place, and
// returns it closed, with whether it had spikes; ok is false when the ring
// has no area left. A spike is a vertex at which the ring turns straight
// back, tested on the rounding grid where the arithmetic is exact.
func cleanRing(r orb.Ring, scale float64) (out orb.Ring, spiked, ok bool) {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	grid := func(p orb.Point) orb.Point { return orb.Point{math.Round(p[0] * scale), math.Round(p[1] * scale)} }
	back := func(a, b, c orb.Point) bool { return turnsBack(grid(a), grid(b), grid(c)) }
	st := r[:0] // writes never overtake reads
	for _, p := range r {
		if n := len(st); n > 0 && st[n-1] == p {
			continue
		}
		st = append(st, p)
		for n := len(st); n >= 3 && back(st[n-3], st[n-2], st[n-1]); n = len(st) {
			st = append(st[:n-2], st[n-1]) // drop the spike's tip
			spiked = true
			if st[n-3] == st[n-2] {
				st = st[:n-2]
			}
		}
	}
	// The seam, where the last point joins the first.
	for {
		n := len(st)
		switch {
		case n >= 2 && st[0] == st[n-1]:
			st = st[:n-1]
		case n >= 3 && back(st[n-2], st[n-1], st[0]):
			st = st[:n-1]
			spiked = true
		case n >= 3 && back(st[n-1], st[0], st[1]):
			st = st[1:]
			spiked = true
		default:
			if n < 3 || latticeDoubleArea(st, scale) == 0 {
				return nil, spiked, false
			}
			return append(st, st[0]), spiked, true
		}
	}
}

// turnsBack reports whether the path a→b→c reverses direction at b.
func turnsBack(a, b, c orb.Point) bool {
	ux, uy := b[0]-a[0], b[1]-a[1]
	vx, vy := c[0]-b[0], c[1]-b[1]
	return ux*vy-uy*vx == 0 && ux*vx+uy*vy < 0
}

// latticeDoubleArea is twice the area of the open ring in grid cells, which
// for vertices on the grid is a whole number: 0 means the ring encloses
// nothing.
func latticeDoubleArea(r orb.Ring, scale float64) float64 {
	x0, y0 := math.Round(r[0][0]*scale), math.Round(r[0][1]*scale)
	var a float64
	for i := 1; i+1 < len(r); i++ {
		x1, y1 := math.Round(r[i][0]*scale)-x0, math.Round(r[i][1]*scale)-y0
		x2, y2 := math.Round(r[i+1][0]*scale)-x0, math.Round(r[i+1][1]*scale)-y0
		a += x1*y2 - x2*y1
	}
	return math.Abs(math.Round(a))
}
