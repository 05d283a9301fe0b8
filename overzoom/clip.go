package overzoom

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/peterstace/simplefeatures/geom"
)

// cutLines transforms and clips lines with orb's clip, then rounds the
// vertices clipping adds to the grid.
func cutLines(mls orb.MultiLineString, tr transform, box orb.Bound, inside bool) orb.Geometry {
	scaled := make(orb.MultiLineString, len(mls))
	for i, ls := range mls {
		scaled[i] = tr.points(ls)
	}
	if !inside {
		scaled = clip.MultiLineString(box, scaled)
	}
	var out orb.MultiLineString
	for _, ls := range scaled {
		if ls = orb.LineString(roundPoints(ls)); len(ls) >= 2 {
			out = append(out, ls)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// roundPoints rounds ps to the integer grid in place and drops the points
// that rounding makes equal to the one before.
func roundPoints(ps []orb.Point) []orb.Point {
	out := ps[:0]
	for _, p := range ps {
		p = orb.Point{math.Round(p[0]), math.Round(p[1])}
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	return out
}

// cutPolygons transforms and clips polygons. A polygon that crosses the
// box's edge is split into one part per piece inside the box (see
// clipPolygon); orb's clip.Polygon (Sutherland-Hodgman) would instead join
// the pieces with zero-width strips along the edge, which the MVT
// specification forbids.
func cutPolygons(mp orb.MultiPolygon, tr transform, box orb.Bound, inside bool) orb.Geometry {
	var out orb.MultiPolygon
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		// The exterior's bound, transformed as its corners are; not needed
		// when the whole feature is inside.
		var b orb.Bound
		if !inside {
			b = p[0].Bound()
			if b = (orb.Bound{Min: tr.point(b.Min), Max: tr.point(b.Max)}); !b.Intersects(box) {
				continue
			}
		}
		scaled := make(orb.Polygon, len(p))
		for i, r := range p {
			scaled[i] = tr.points(r)
		}
		if inside || within(b, box) {
			// Every vertex is an integer and was a valid polygon's: as it is.
			out = append(out, scaled)
			continue
		}
		out = append(out, polygonClip(scaled, box)...)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// polygonClip is the clip cutPolygons uses; tests compare clipPolygon with
// overlayClip through it.
var polygonClip = clipPolygon

// clipPolygon returns the parts of p inside box, on the integer grid,
// oriented for MVT: clipped by clipRect, or by the general overlay where
// clipRect declines.
func clipPolygon(p orb.Polygon, box orb.Bound) []orb.Polygon {
	if parts, ok := clipRect(p, box); ok {
		return gridPolygons(parts)
	}
	return overlayClip(p, box)
}

// overlayClip is clipPolygon by simplefeatures' overlay alone.
func overlayClip(p orb.Polygon, box orb.Bound) []orb.Polygon {
	g, err := geom.Intersection(toGeom(p), boxGeom(box))
	if err != nil {
		// The overlay refuses input it cannot node, which valid input is
		// not; drawing the polygon clipped ring by ring is better than a
		// hole in the map.
		return gridPolygons([]orb.Polygon{clip.Polygon(box, p)})
	}
	var parts []orb.Polygon
	for _, d := range g.Dump() {
		if sp, ok := d.AsPolygon(); ok {
			parts = append(parts, fromGeom(sp))
		}
	}
	return gridPolygons(parts)
}

// gridPolygons rounds the polygons' vertices to the integer grid, drops the
// rings that rounding leaves without area (and the holes of a dropped
// exterior), and orients the rings as MVT wants them: exteriors with
// positive area in tile coordinates (orb's CCW, clockwise on a y-down
// screen), holes negative.
func gridPolygons(ps []orb.Polygon) []orb.Polygon {
	out := ps[:0]
	for _, p := range ps {
		var q orb.Polygon
		for i, r := range p {
			r = gridRing(r)
			if r == nil {
				if i == 0 {
					break
				}
				continue
			}
			if want := orientation(i == 0); r.Orientation() != want {
				r.Reverse()
			}
			q = append(q, r)
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// orientation is the orientation MVT wants of an exterior ring or a hole.
func orientation(exterior bool) orb.Orientation {
	if exterior {
		return orb.CCW
	}
	return orb.CW
}

// gridRing rounds r to the integer grid, drops repeated points and the
// spikes they leave (a point between two equal ones), and returns r closed,
// or nil when it has no area left.
func gridRing(r orb.Ring) orb.Ring {
	ps := roundPoints(r)
	if len(ps) > 1 && ps[0] == ps[len(ps)-1] {
		ps = ps[:len(ps)-1]
	}
	// Remove spikes a-b-a, which rounding can leave where a sliver thinner
	// than a unit was cut; each removal can expose another.
	for changed := true; changed && len(ps) >= 3; {
		changed = false
		for i := 0; i < len(ps) && len(ps) >= 3; i++ {
			prev, next := ps[(i+len(ps)-1)%len(ps)], ps[(i+1)%len(ps)]
			if prev == next {
				// Drop ps[i] and next (which equals prev).
				j := (i + 1) % len(ps)
				if j > i {
					ps = append(ps[:i], ps[j+1:]...)
				} else {
					ps = ps[1:i]
				}
				changed = true
				break
			}
		}
	}
	if len(ps) < 3 {
		return nil
	}
	ring := append(orb.Ring(ps), ps[0])
	if ringArea(ring) == 0 {
		return nil
	}
	return ring
}

// ringArea is twice the signed area of a closed ring.
func ringArea(r orb.Ring) float64 {
	a := 0.0
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

func toGeom(p orb.Polygon) geom.Geometry {
	rings := make([]geom.LineString, 0, len(p))
	for _, r := range p {
		xy := make([]float64, 0, 2*len(r)+2)
		for _, pt := range r {
			xy = append(xy, pt[0], pt[1])
		}
		if !r.Closed() {
			xy = append(xy, r[0][0], r[0][1])
		}
		rings = append(rings, geom.NewLineString(geom.NewSequence(xy, geom.DimXY)))
	}
	return geom.NewPolygon(rings).AsGeometry()
}

func boxGeom(b orb.Bound) geom.Geometry {
	return geom.NewEnvelope(geom.XY{X: b.Min[0], Y: b.Min[1]}, geom.XY{X: b.Max[0], Y: b.Max[1]}).AsGeometry()
}

func fromGeom(p geom.Polygon) orb.Polygon {
	seqs := p.Coordinates()
	out := make(orb.Polygon, 0, len(seqs))
	for _, seq := range seqs {
		r := make(orb.Ring, seq.Length())
		for j := range r {
			xy := seq.GetXY(j)
			r[j] = orb.Point{xy.X, xy.Y}
		}
		out = append(out, r)
	}
	return out
}
