//go:build cgo

package tiles

import (
	"fmt"
	"sync"

	"github.com/paulmach/orb"
	geos "github.com/twpayne/go-geos"
)

// GEOS repairs invalid tile polygons as wagyu does for tippecanoe: MakeValid
// rebuilds the polygon from its noded linework (so the zero-width strips of
// a clip fall away and crossing rings are split where they cross), and
// SetPrecision with a grid of 1 snap-rounds the result to tile units with
// OverlayNG, whose output is valid on that grid. It is cgo, so it lives in
// this file alone: builds without cgo (the server's) cut tiles without it.
func init() { repairer = geosRepair }

// geosContexts holds one GEOS context per worker: a context serialises the
// calls made through it.
var geosContexts = sync.Pool{New: func() any { return geos.NewContext() }}

func geosRepair(g orb.Geometry) (out orb.Geometry, err error) {
	ctx := geosContexts.Get().(*geos.Context)
	defer geosContexts.Put(ctx)
	defer func() {
		// go-geos panics on GEOS errors.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("tiles: GEOS repair: %v", r)
		}
	}()
	var in *geos.Geom
	switch g := g.(type) {
	case orb.Polygon:
		in = ctx.NewPolygon(polygonCoords(g))
	case orb.MultiPolygon:
		ps := make([]*geos.Geom, len(g))
		for i, p := range g {
			ps[i] = ctx.NewPolygon(polygonCoords(p))
		}
		in = ctx.NewCollection(geos.TypeIDMultiPolygon, ps)
	default:
		return g, nil
	}
	defer in.Destroy()
	valid := in.MakeValidWithParams(geos.MakeValidStructure, geos.MakeValidDiscardCollapsed)
	defer valid.Destroy()
	snapped := valid.SetPrecision(1, geos.PrecisionRuleValidOutput)
	defer snapped.Destroy()

	var mp orb.MultiPolygon
	collectPolygons(snapped, &mp)
	switch len(mp) {
	case 0:
		return nil, nil
	case 1:
		return mp[0], nil
	}
	return mp, nil
}

// collectPolygons appends the polygons of g, wound for MVT, to mp; lines
// and points (collapsed parts) are left out.
func collectPolygons(g *geos.Geom, mp *orb.MultiPolygon) {
	switch g.TypeID() {
	case geos.TypeIDPolygon:
		if g.IsEmpty() {
			return
		}
		p := orb.Polygon{ringOf(g.ExteriorRing())}
		for i := range g.NumInteriorRings() {
			p = append(p, ringOf(g.InteriorRing(i)))
		}
		orientRings(p)
		*mp = append(*mp, p)
	case geos.TypeIDMultiPolygon, geos.TypeIDGeometryCollection:
		for i := range g.NumGeometries() {
			collectPolygons(g.Geometry(i), mp)
		}
	}
}

func ringOf(g *geos.Geom) orb.Ring {
	coords := g.CoordSeq().ToCoords()
	r := make(orb.Ring, len(coords))
	for i, c := range coords {
		r[i] = orb.Point{c[0], c[1]}
	}
	return r
}

func polygonCoords(p orb.Polygon) [][][]float64 {
	out := make([][][]float64, len(p))
	for i, r := range p {
		out[i] = make([][]float64, len(r))
		for j, q := range r {
			out[i][j] = []float64{q[0], q[1]}
		}
	}
	return out
}
