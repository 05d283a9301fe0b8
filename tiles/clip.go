package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// clipGeometry returns the part of g inside b, or nil. gb is g's bound,
// which the caller keeps so as not to walk g four times per quadtree node. g
// is not modified: it is shared by the four children of a node. A geometry
// wholly inside b is returned as it is, without a copy, which is what most
// pieces are once the quadtree has narrowed down to a few tiles.
//
// Polygons are clipped ring by ring with orb's Sutherland-Hodgman clip, so
// they stay closed, then split into their parts inside b (clipPolygon).
func clipGeometry(g orb.Geometry, gb, b orb.Bound) orb.Geometry {
	if !b.Intersects(gb) {
		return nil
	}
	if within(gb, b) {
		return g
	}
	switch g := g.(type) {
	case orb.MultiPoint:
		if mp := clip.MultiPoint(b, g); len(mp) > 0 {
			return mp
		}
	case orb.LineString:
		return lines(clip.LineString(b, g))
	case orb.MultiLineString:
		return lines(clip.MultiLineString(b, g))
	case orb.Polygon:
		switch ps := clipPolygon(g, b); len(ps) {
		case 0:
		case 1:
			return ps[0]
		default:
			return orb.MultiPolygon(ps)
		}
	case orb.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range g {
			out = append(out, clipPolygon(p, b)...)
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

func lines(mls orb.MultiLineString) orb.Geometry {
	if len(mls) == 0 {
		return nil
	}
	return mls
}

// clipPolygon clips p to b: the polygons of p's part inside b, none when
// nothing with an area is left (as when b lies wholly inside one of p's
// holes). A polygon that leaves b and comes back is split into its parts
// there, and a hole that b's edge cuts open becomes a notch in its
// exterior (splitParts).
func clipPolygon(p orb.Polygon, b orb.Bound) []orb.Polygon {
	ext := clipRing(p[0], b)
	if ext == nil || ringArea(ext) == 0 {
		return nil
	}
	rings := orb.Polygon{ext}
	cut := !within(pointsBound(p[0]), b)
	for _, h := range p[1:] {
		c := clipRing(h, b)
		if c == nil || ringArea(c) == 0 {
			continue
		}
		cut = cut || !within(pointsBound(h), b)
		rings = append(rings, c)
	}
	if !cut {
		return []orb.Polygon{rings}
	}
	if parts, ok := splitParts(rings, b); ok {
		return parts
	}
	// Rings that do not join up along b's edge: the polygon was not valid
	// before the clip. Keep the clipped rings; the tile's repair mends them.
	extArea := math.Abs(ringArea(ext))
	for _, h := range rings[1:] {
		// A hole is inside its exterior, so a clipped hole as large as the
		// clipped exterior covers all of it: nothing of p is in b.
		if math.Abs(ringArea(h)) >= extArea*(1-1e-12) {
			return nil
		}
	}
	return []orb.Polygon{rings}
}

func clipRing(r orb.Ring, b orb.Bound) orb.Ring {
	rb := pointsBound(r)
	if !b.Intersects(rb) {
		return nil
	}
	if within(rb, b) {
		return r
	}
	// orb's ring clip uses its input as scratch space.
	r = clip.Ring(b, r.Clone())
	if len(r) < 4 {
		return nil
	}
	return r
}

// geomBound is g.Bound() computed with pointsBound.
func geomBound(g orb.Geometry) orb.Bound {
	var rings [][]orb.Point
	switch g := g.(type) {
	case orb.MultiPoint:
		return pointsBound(g)
	case orb.LineString:
		return pointsBound(g)
	case orb.MultiLineString:
		for _, ls := range g {
			rings = append(rings, ls)
		}
	case orb.Polygon:
		for _, r := range g {
			rings = append(rings, r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				rings = append(rings, r)
			}
		}
	default:
		return g.Bound()
	}
	b := pointsBound(nil)
	for _, r := range rings {
		if rb := pointsBound(r); b.IsEmpty() {
			b = rb
		} else if !rb.IsEmpty() {
			b = b.Union(rb)
		}
	}
	return b
}

// pointsBound is orb's Ring.Bound without its per-point call overhead; it is
// the hot loop of clipping.
func pointsBound(ps []orb.Point) orb.Bound {
	if len(ps) == 0 {
		return orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}} // empty
	}
	minX, minY, maxX, maxY := ps[0][0], ps[0][1], ps[0][0], ps[0][1]
	for _, p := range ps[1:] {
		// Plain comparisons: the min and max builtins also order NaNs and
		// signed zeros, which costs here and cannot occur.
		if p[0] < minX {
			minX = p[0]
		} else if p[0] > maxX {
			maxX = p[0]
		}
		if p[1] < minY {
			minY = p[1]
		} else if p[1] > maxY {
			maxY = p[1]
		}
	}
	return orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}
}

// within reports whether a lies inside b.
func within(a, b orb.Bound) bool {
	return a.Min[0] >= b.Min[0] && a.Min[1] >= b.Min[1] && a.Max[0] <= b.Max[0] && a.Max[1] <= b.Max[1]
}

// ringArea is the surveyor's (shoelace) formula: positive when the ring turns
// clockwise on screen, with y pointing down.
func ringArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	// Work relative to the first point so that large world-pixel coordinates
	// do not swamp the products.
	ox, oy := r[0][0], r[0][1]
	a := 0.0
	for i := 0; i < len(r)-1; i++ {
		a += (r[i][0]-ox)*(r[i+1][1]-oy) - (r[i+1][0]-ox)*(r[i][1]-oy)
	}
	n := len(r) - 1
	if r[n] != r[0] {
		a += (r[n][0]-ox)*(r[0][1]-oy) - (r[0][0]-ox)*(r[n][1]-oy)
	}
	return a / 2
}
