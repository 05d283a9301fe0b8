package tileset

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// intersects reports whether geometry g shares at least one point with the
// closed box b, edges included, in plain planar lon/lat (as OGC API - Features
// defines its bbox parameter in CRS84):
//
//   - a point when it lies in the box;
//   - a line when one of its segments meets the box (see segmentIntersects),
//     which covers a vertex inside and a segment crossing the box without a
//     vertex in it;
//   - a polygon when an edge of any of its rings meets the box, or else when
//     the box's centre lies inside the polygon (outside its holes). Without
//     an edge meeting the box, the box lies wholly in the polygon's interior,
//     wholly in a hole or wholly outside, so one point of it decides.
//
// The answer is exact up to the rounding of one cross product per corner and
// segment, far below the precision of any survey coordinate.
func intersects(g orb.Geometry, b orb.Bound) bool {
	switch g := g.(type) {
	case orb.Point:
		return b.Contains(g)
	case orb.MultiPoint:
		for _, p := range g {
			if b.Contains(p) {
				return true
			}
		}
	case orb.LineString:
		return lineIntersects(g, b, false)
	case orb.MultiLineString:
		for _, l := range g {
			if lineIntersects(l, b, false) {
				return true
			}
		}
	case orb.Ring:
		return polygonIntersects(orb.Polygon{g}, b)
	case orb.Polygon:
		return polygonIntersects(g, b)
	case orb.MultiPolygon:
		for _, p := range g {
			if polygonIntersects(p, b) {
				return true
			}
		}
	case orb.Bound:
		return g.Intersects(b)
	case orb.Collection:
		for _, c := range g {
			if intersects(c, b) {
				return true
			}
		}
	}
	return false
}

// lineIntersects reports whether a segment of l meets b; closed adds the
// segment from the last point back to the first, for rings not closed
// explicitly. A one-point line is that point.
func lineIntersects(l []orb.Point, b orb.Bound, closed bool) bool {
	switch len(l) {
	case 0:
		return false
	case 1:
		return b.Contains(l[0])
	}
	for i := 1; i < len(l); i++ {
		if segmentIntersects(l[i-1], l[i], b) {
			return true
		}
	}
	return closed && segmentIntersects(l[len(l)-1], l[0], b)
}

func polygonIntersects(p orb.Polygon, b orb.Bound) bool {
	if len(p) == 0 || len(p[0]) == 0 {
		return false
	}
	for _, r := range p {
		if lineIntersects(r, b, true) {
			return true
		}
	}
	return planar.PolygonContains(p, b.Center())
}

// segmentIntersects reports whether segment a–c meets the closed box b, by
// the separating axis test: they are disjoint exactly when their bounding
// boxes are, or when all four corners of b lie strictly on one side of the
// line through a and c. A degenerate segment (a == c) reduces to a point.
func segmentIntersects(a, c orb.Point, b orb.Bound) bool {
	if max(a[0], c[0]) < b.Min[0] || min(a[0], c[0]) > b.Max[0] ||
		max(a[1], c[1]) < b.Min[1] || min(a[1], c[1]) > b.Max[1] {
		return false
	}
	dx, dy := c[0]-a[0], c[1]-a[1]
	var above, below bool
	for _, q := range [4]orb.Point{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}} {
		switch s := dx*(q[1]-a[1]) - dy*(q[0]-a[0]); {
		case s > 0:
			above = true
		case s < 0:
			below = true
		default:
			return true // a corner on the line, within the segment's box
		}
	}
	return above && below
}
