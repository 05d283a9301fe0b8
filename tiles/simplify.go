package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// zoomGeometry returns a line or point geometry g (world units) scaled to the
// world-pixel space of one zoom, where a tile is extent units wide, and
// lines simplified there with Douglas-Peucker at tolerance extent units
// (none when tolerance is 0). It is done once per feature and zoom, before
// clipping, so that a line crossing tiles is simplified the same way in
// each of them and seams stay continuous. It returns nil when nothing
// drawable is left. g is not changed. (Polygons are simplified as a
// coverage: see coverage.go.)
func zoomGeometry(g orb.Geometry, scale, tolerance float64) orb.Geometry {
	g = project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
		return orb.Point{p[0] * scale, p[1] * scale}
	})
	switch g.(type) {
	case orb.Point, orb.MultiPoint:
		return g
	}
	if tolerance > 0 {
		g = simplify.DouglasPeucker(tolerance).Simplify(g)
	}
	return dropDegenerate(g)
}

// dropDegenerate removes lines of fewer than 2 points, which simplification
// can leave behind.
func dropDegenerate(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.LineString:
		if len(g) < 2 {
			return nil
		}
		return g
	case orb.MultiLineString:
		out := g[:0]
		for _, ls := range g {
			if len(ls) >= 2 {
				out = append(out, ls)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return g
}
