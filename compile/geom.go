package compile

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/project"
	"github.com/twpayne/go-geos"
)

// metresPerDegree is the length of a degree of latitude on the sphere orb/geo
// measures on, and of a degree of longitude at the frame's latitude once
// longitudes are scaled.
const metresPerDegree = orb.EarthRadius * math.Pi / 180

// frame is the plane the polygon booleans run in: longitude scaled by the
// cosine of the region's middle latitude, so that near that latitude a unit
// is as long east-west as north-south and tolerances in metres become one
// distance. Lengths and areas are measured back in longitude and latitude, on
// the sphere.
type frame struct{ k float64 }

func newFrame(midLat float64) frame { return frame{k: math.Cos(midLat * math.Pi / 180)} }

// dist converts metres to frame units.
func (f frame) dist(m float64) float64 { return m / metresPerDegree }

// toGEOS converts a WGS 84 geometry to GEOS in the frame.
func (f frame) toGEOS(g orb.Geometry) (*geos.Geom, error) {
	scaled := project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[0] * f.k, p[1]} })
	b, err := wkb.Marshal(scaled)
	if err != nil {
		return nil, err
	}
	return geos.NewGeomFromWKB(b)
}

// toOrb converts a GEOS geometry in the frame back to WGS 84.
func (f frame) toOrb(g *geos.Geom) (orb.Geometry, error) {
	o, err := wkb.Unmarshal(g.ToWKB())
	if err != nil {
		return nil, fmt.Errorf("reading a GEOS result: %w", err)
	}
	return project.Geometry(o, func(p orb.Point) orb.Point { return orb.Point{p[0] / f.k, p[1]} }), nil
}

// parts returns the parts of g of the given dimension (2 polygons, 1 lines),
// as clones, flattening multi-geometries and collections.
func parts(g *geos.Geom, dim int) []*geos.Geom {
	if g == nil || g.IsEmpty() {
		return nil
	}
	switch g.TypeID() {
	case geos.TypeIDPolygon:
		if dim == 2 {
			return []*geos.Geom{g.Clone()}
		}
	case geos.TypeIDLineString, geos.TypeIDLinearRing:
		if dim == 1 {
			return []*geos.Geom{g.Clone()}
		}
	case geos.TypeIDMultiPolygon, geos.TypeIDMultiLineString, geos.TypeIDGeometryCollection:
		var out []*geos.Geom
		for i := range g.NumGeometries() {
			out = append(out, parts(g.Geometry(i), dim)...)
		}
		return out
	}
	return nil
}

// polygonal keeps the polygons of g as one (multi)polygon.
func polygonal(g *geos.Geom) *geos.Geom {
	ps := parts(g, 2)
	switch len(ps) {
	case 0:
		return geos.NewEmptyPolygon()
	case 1:
		return ps[0]
	}
	return geos.NewCollection(geos.TypeIDMultiPolygon, ps)
}

// lineal keeps the lines of g as one merged (multi)linestring.
func lineal(g *geos.Geom) *geos.Geom {
	ls := parts(g, 1)
	if len(ls) == 0 {
		return geos.NewEmptyLineString()
	}
	return geos.NewCollection(geos.TypeIDMultiLineString, ls).LineMerge()
}

// union unions geometries with GEOS's cascaded union.
func union(gs []*geos.Geom) *geos.Geom {
	if len(gs) == 0 {
		return geos.NewEmptyPolygon()
	}
	cl := make([]*geos.Geom, len(gs))
	for i, g := range gs {
		cl[i] = g.Clone()
	}
	return geos.NewCollection(geos.TypeIDGeometryCollection, cl).UnaryUnion()
}

// opening removes the parts of polygon g narrower than width: what a disc of
// that diameter cannot reach.
func opening(g *geos.Geom, width float64) *geos.Geom {
	if g.IsEmpty() {
		return g
	}
	return polygonal(g.Buffer(-width/2, 8).Buffer(width/2, 8).Intersection(g))
}

// closing fills the bays and channels of polygon g narrower than width.
func closing(g *geos.Geom, width float64) *geos.Geom {
	if g.IsEmpty() {
		return g
	}
	return polygonal(g.Buffer(width/2, 8).Buffer(-width/2, 8).Union(g))
}

// measure returns the length in metres of a line or the area in km² of a
// polygon in the frame, measured on the sphere.
func (f frame) lengthM(g *geos.Geom) float64 {
	o, err := f.toOrb(g)
	if err != nil {
		return 0
	}
	return geo.Length(o)
}

func (f frame) areaKm2(g *geos.Geom) float64 {
	o, err := f.toOrb(g)
	if err != nil {
		return 0
	}
	return geo.Area(o) / 1e6
}
