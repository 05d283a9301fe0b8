package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// keepSpecks is g, a line or polygon feature's geometry at the max zoom in
// world pixels, with every part that the tile grid would round away
// replaced by a speck: the smallest shape the grid draws, at the part's
// place. A polygon's speck is the square of one grid unit holding the
// middle of its exterior's bound, wound as an exterior (positive
// surveyor's-formula area, y down); a line's is a segment one unit long
// from the grid point below and left of its middle. Specks that coincide
// are kept once, so a multipolygon stays without repeated parts. It
// reports whether it made any speck.
//
// Tile origins are whole grid units, so rounding in world pixels is the
// rounding of every tile: a part that survives here survives in each tile
// that holds it whole, and a speck, one unit wide, lies whole within the
// buffer of a tile beside any tile edge it touches.
func keepSpecks(g orb.Geometry) (orb.Geometry, bool) {
	switch g := g.(type) {
	case orb.LineString:
		if tileLine(g, roundPoint) == nil {
			return lineSpeck(g), true
		}
	case orb.MultiLineString:
		out := make(orb.MultiLineString, 0, len(g))
		specks := false
		for _, ls := range g {
			if tileLine(ls, roundPoint) == nil {
				s := lineSpeck(ls)
				if containsLine(out, s) {
					continue
				}
				ls, specks = s, true
			}
			out = append(out, ls)
		}
		return out, specks
	case orb.Polygon:
		if tilePolygon(g, roundPoint) == nil {
			return polygonSpeck(g[0]), true
		}
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, 0, len(g))
		specks := false
		for _, p := range g {
			if tilePolygon(p, roundPoint) == nil {
				s := polygonSpeck(p[0])
				if containsPolygon(out, s) {
					continue
				}
				p, specks = s, true
			}
			out = append(out, p)
		}
		return out, specks
	}
	return g, false
}

func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]), math.Round(p[1])}
}

// speckCorner is the grid point at the top left of the unit square holding
// the middle of pts' bound.
func speckCorner(pts []orb.Point) orb.Point {
	b := orb.MultiPoint(pts).Bound()
	c := b.Center()
	return orb.Point{math.Floor(c[0]), math.Floor(c[1])}
}

func polygonSpeck(exterior orb.Ring) orb.Polygon {
	o := speckCorner(exterior)
	x, y := o[0], o[1]
	return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
}

func lineSpeck(ls orb.LineString) orb.LineString {
	o := speckCorner(ls)
	return orb.LineString{o, {o[0] + 1, o[1]}}
}

func containsPolygon(ps orb.MultiPolygon, s orb.Polygon) bool {
	for _, p := range ps {
		if len(p) == 1 && len(p[0]) == len(s[0]) && orb.Equal(p[0], s[0]) {
			return true
		}
	}
	return false
}

func containsLine(ls orb.MultiLineString, s orb.LineString) bool {
	for _, l := range ls {
		if orb.Equal(l, s) {
			return true
		}
	}
	return false
}

// unsimplified is a face's exterior ring drawn with its arcs as the source
// has them, for a face whose simplified exterior collapsed: at the max zoom
// a face is never lost to simplification (keepSpecks takes it from there).
func (c *coverage) unsimplified(rings [][]arcRef) orb.Polygon {
	var ring orb.Ring
	c.t.eachPoint(rings[0], func(p orb.Point) {
		ring = append(ring, orb.Point{p[0] * c.scale, p[1] * c.scale})
	})
	if len(ring) < 2 {
		return nil
	}
	return orb.Polygon{ring}
}
