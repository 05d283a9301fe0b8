package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// tileGeometry turns g, clipped in world-pixel space, into the integer
// coordinates of the tile whose top-left corner is at (ox, oy) (integers, so
// a vertex shared by two tiles rounds to the same world position in both).
// It removes what quantisation made degenerate (repeated points, lines of one
// point, rings of fewer than three distinct points or no area).
//
// Polygon rings arrive wound as the MVT specification requires (prepare
// winds them): exterior rings with a positive surveyor's-formula area in
// tile coordinates (clockwise on screen, y down), holes negative. A ring
// whose winding rounding has turned over has collapsed to a speck smaller
// than the grid and is left out, exterior or hole: turned back, it would
// cover ground its neighbours already cover. It returns nil when nothing is
// left.
//
// A point stays on its side of the tile's edges, so that a point counted in
// one tile (see point_count) is not seen inside its neighbour: rounding
// could otherwise carry it over the edge.
func tileGeometry(g orb.Geometry, ox, oy, extent float64) orb.Geometry {
	q := func(p orb.Point) orb.Point {
		return orb.Point{math.Round(p[0]) - ox, math.Round(p[1]) - oy}
	}
	qp := func(p orb.Point) orb.Point {
		return orb.Point{keepSide(p[0]-ox, extent), keepSide(p[1]-oy, extent)}
	}
	switch g := g.(type) {
	case orb.Point:
		return qp(g)
	case orb.MultiPoint:
		out := make(orb.MultiPoint, len(g))
		for i, p := range g {
			out[i] = qp(p)
		}
		return out
	case orb.LineString:
		if ls := tileLine(g, q); ls != nil {
			return ls
		}
	case orb.MultiLineString:
		var out orb.MultiLineString
		for _, ls := range g {
			if ls = tileLine(ls, q); ls != nil {
				out = append(out, ls)
			}
		}
		switch len(out) {
		case 0:
		case 1:
			return out[0]
		default:
			return out
		}
	case orb.Polygon:
		if p := tilePolygon(g, q); p != nil {
			return p
		}
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range g {
			if p = tilePolygon(p, q); p != nil {
				out = append(out, p)
			}
		}
		switch len(out) {
		case 0:
		case 1:
			return out[0]
		default:
			return out
		}
	}
	return nil
}

// tileLine quantises ls, dropping repeated points; nil if fewer than two
// distinct points remain.
func tileLine(ls orb.LineString, q func(orb.Point) orb.Point) orb.LineString {
	out := make(orb.LineString, 0, len(ls))
	for _, p := range ls {
		p = q(p)
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// tilePolygon quantises p; nil when its exterior ring is degenerate or
// turned over, or a hole covers all of it.
func tilePolygon(p orb.Polygon, q func(orb.Point) orb.Point) orb.Polygon {
	ext, extArea := tileRing(p[0], q)
	if ext == nil || extArea < 0 {
		return nil
	}
	out := orb.Polygon{ext}
	for _, h := range p[1:] {
		hole, a := tileRing(h, q)
		if hole == nil || a > 0 {
			continue
		}
		if -a >= extArea {
			return nil
		}
		out = append(out, hole)
	}
	return out
}

// tileRing quantises r into a closed ring without repeated points and returns
// twice its signed area; nil if it has no area.
func tileRing(r orb.Ring, q func(orb.Point) orb.Point) (orb.Ring, int64) {
	out := make(orb.Ring, 0, len(r)+1)
	for _, p := range r {
		p = q(p)
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil, 0
	}
	// Tile coordinates are small integers, so the area is exact.
	var a int64
	for i := range out {
		j := (i + 1) % len(out)
		a += int64(out[i][0])*int64(out[j][1]) - int64(out[j][0])*int64(out[i][1])
	}
	if a == 0 {
		return nil, 0
	}
	return append(out, out[0]), a
}

// keepSide rounds a tile coordinate v without crossing the tile's edges at
// 0 and extent.
func keepSide(v, extent float64) float64 {
	r := math.Round(v)
	switch {
	case v < 0:
		return math.Min(r, -1)
	case v < extent:
		return math.Max(0, math.Min(r, extent-1))
	}
	return math.Max(r, extent)
}
