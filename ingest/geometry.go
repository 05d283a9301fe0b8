package ingest

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// Why a feature was skipped; the keys of Summary.Skipped.
const (
	skipNull       = "null geometry"
	skipEmpty      = "empty geometry"
	skipDegenerate = "degenerate geometry" // collapsed to a lower dimension when repaired, reprojected or rounded
)

// absurd bounds the magnitude of a source coordinate: no CRS on Earth, in
// metres or feet, comes near it, so a larger value is corrupt data (1e30 is a
// common "no data" filler) and would only make PROJ or GEOS misbehave.
const absurd = 1e10

// skipUnrepairable is the Summary.Skipped reason of the features listed in
// Summary.Unrepairable.
const skipUnrepairable = "unrepairable geometry"

// unrepairableError is a feature geometry that cannot be read or made valid:
// the ingest skips the feature and lists it, or fails under --strict.
type unrepairableError struct{ reason string }

func (e *unrepairableError) Error() string { return e.reason }

func unrepairable(format string, args ...any) error {
	return &unrepairableError{reason: oneLine(fmt.Sprintf(format, args...))}
}

// geomResult is what became of one feature's geometry.
type geomResult struct {
	geom     orb.Geometry // WGS 84, 2D; nil when skipped
	srcBound orb.Bound    // the extent in the source CRS, when geom is set
	skip     string       // why it was skipped, or ""
	repaired bool         // made valid, in the source CRS or after reprojection
	// reprojRepaired is set when the geometry was valid in the source CRS
	// or made so, yet invalid once reprojected and rounded, and repaired
	// again.
	reprojRepaired bool
	mixed          bool // a collection of several dimensions, of which the highest was kept
	degenerate     int  // spikes, zero-area rings or polygons and zero-length lines dropped
}

// convertGeometry normalises one source geometry into a valid, linear, 2D orb
// geometry in WGS 84: curves linearised, Z/M dropped, invalid geometry
// repaired in the source CRS (where it was drawn), then reprojected, rounded
// to decimals places, cleared of degenerate parts, validated again and
// repaired on the grid if the reprojection or rounding broke it, and its
// rings wound as RFC 7946 says. fid is the 1-based feature number used in
// errors. A geometry that cannot be used gives an *unrepairableError.
func convertGeometry(g *gdal.Geometry, proj *projection, decimals int, file string, fid uint64) (geomResult, error) {
	if g == nil {
		return geomResult{skip: skipNull}, nil
	}
	if g.Empty() {
		return geomResult{skip: skipEmpty}, nil
	}
	var owned []*gdal.Geometry
	defer func() {
		for _, o := range owned {
			o.Close()
		}
	}()
	replace := func(ng *gdal.Geometry) { owned = append(owned, ng); g = ng }

	if g.HasCurve() {
		lg, err := g.LinearGeometry()
		if err != nil {
			return geomResult{}, unrepairable("cannot linearise its curves (%v)", err)
		}
		replace(lg)
	}
	switch g.Type().Flatten() {
	case gdal.GTPolyhedralSurface, gdal.GTTIN, gdal.GTTriangle:
		replace(g.ForceToMultiPolygon())
	}
	g.FlattenTo2D()

	// Check the source coordinates before GEOS or PROJ see them.
	src, err := toOrb(g)
	if err != nil {
		return geomResult{}, unrepairable("cannot read its geometry (%v)", err)
	}
	if bad, ok := findPoint(src, func(p orb.Point) bool {
		return !finite(p[0]) || !finite(p[1]) || math.Abs(p[0]) > absurd || math.Abs(p[1]) > absurd
	}); ok {
		return geomResult{}, unrepairable("has an invalid coordinate (%s, %s)", fmtCoord(bad[0]), fmtCoord(bad[1]))
	}
	dim := src.Dimensions()

	res := geomResult{srcBound: src.Bound()}
	if dim > 0 && !g.Valid() {
		vg, err := makeValid(g, dim)
		if err != nil {
			return geomResult{}, unrepairable("its geometry is invalid and cannot be repaired (%v)", err)
		}
		replace(vg)
		res.repaired = true
	}

	if proj.xf != nil {
		if err := g.Transform(proj.xf); err != nil {
			return geomResult{}, fileErr(file, "feature %d cannot be transformed from %s to WGS 84 (%v); check the CRS, or give the right one with --s-srs", fid, proj.label, err)
		}
	}
	out, err := toOrb(g)
	if err != nil {
		return geomResult{}, unrepairable("cannot read its geometry (%v)", err)
	}
	out, res.mixed = keepDimension(out, dim)
	if out == nil {
		res.skip = skipDegenerate
		return res, nil
	}
	if bad, ok := findPoint(out, func(p orb.Point) bool {
		return !finite(p[0]) || !finite(p[1]) || p[0] < -180-lonLatSlack || p[0] > 180+lonLatSlack || p[1] < -90-lonLatSlack || p[1] > 90+lonLatSlack
	}); ok {
		return geomResult{}, fileErr(file, "feature %d lies outside the Earth once in WGS 84 (longitude %s, latitude %s from %s); the CRS is wrong: give the right one with --s-srs", fid, fmtCoord(bad[0]), fmtCoord(bad[1]), proj.label)
	}
	out = roundCoords(clampLonLat(out), decimals)
	out, res.degenerate = dropDegenerate(out, decimals)
	if out != nil && dim == 2 {
		var repaired bool
		out, repaired, err = validOnGrid(out, decimals)
		if err != nil {
			return geomResult{}, unrepairable("its geometry became invalid in WGS 84 and cannot be repaired (%v)", err)
		}
		res.repaired = res.repaired || repaired
		res.reprojRepaired = repaired
	}
	if out == nil {
		res.skip = skipDegenerate
		return res, nil
	}
	orient(out)
	res.geom = out
	return res, nil
}

// makeValid repairs an invalid geometry of dimension dim with GEOS.
func makeValid(g *gdal.Geometry, dim int) (*gdal.Geometry, error) {
	var opts []string
	if dim == 2 {
		// STRUCTURE keeps a polygon a polygon (rings unioned, holes
		// subtracted) where LINEWORK may add stray lines and points.
		opts = []string{"METHOD=STRUCTURE"}
	}
	return g.MakeValid(opts...)
}

// validOnGrid checks polygons whose coordinates were rounded to decimals
// places with GEOS. Features valid in their source CRS can come out of a
// reprojection, or the rounding, slightly self-intersecting or
// self-touching; those are repaired and snap-rounded back onto the grid,
// which keeps them valid (gdal.Geometry.SetPrecision). It returns the
// polygons, nil when nothing is left, and whether they were repaired.
func validOnGrid(polys orb.Geometry, decimals int) (orb.Geometry, bool, error) {
	b, err := wkb.Marshal(polys)
	if err != nil {
		return nil, false, err
	}
	g, err := gdal.NewGeometryFromWKB(b)
	if err != nil {
		return nil, false, err
	}
	defer g.Close()
	if g.Valid() {
		return polys, false, nil
	}
	vg, err := makeValid(g, 2)
	if err != nil {
		return nil, false, err
	}
	defer vg.Close()
	pg, err := vg.SetPrecision(math.Pow10(-decimals))
	if err != nil {
		return nil, false, err
	}
	defer pg.Close()
	out, err := toOrb(pg)
	if err != nil {
		return nil, false, err
	}
	out, _ = keepDimension(out, 2)
	if out != nil {
		// GEOS writes a grid point as k × 1e-7 (13.757112699999999), not
		// as the double nearest k / 1e7: spell it as the rest are.
		out, _ = dropDegenerate(roundCoords(out, decimals), decimals) // empties; snap-rounding leaves no spike
	}
	return out, true, nil
}

// lonLatSlack tolerates the rounding of a reprojection at the edges of the
// world (180.0000000001), which clampLonLat then removes.
const lonLatSlack = 1e-7

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func fmtCoord(v float64) string { return fmt.Sprintf("%.10g", v) }

func toOrb(g *gdal.Geometry) (orb.Geometry, error) {
	b, err := g.WKB()
	if err != nil {
		return nil, err
	}
	return wkb.Unmarshal(b)
}

// findPoint returns the first point of g for which bad is true.
func findPoint(g orb.Geometry, bad func(orb.Point) bool) (orb.Point, bool) {
	var found orb.Point
	var ok bool
	eachPoint(g, func(p *orb.Point) bool {
		if bad(*p) {
			found, ok = *p, true
			return false
		}
		return true
	})
	return found, ok
}

// clampLonLat moves points within lonLatSlack of the world's edge onto it,
// in place except for a Point, which is returned changed.
func clampLonLat(g orb.Geometry) orb.Geometry {
	clamp := func(p *orb.Point) bool {
		p[0] = math.Max(-180, math.Min(180, p[0]))
		p[1] = math.Max(-90, math.Min(90, p[1]))
		return true
	}
	if p, ok := g.(orb.Point); ok {
		clamp(&p)
		return p
	}
	eachPoint(g, clamp)
	return g
}

// eachPoint calls fn with every point of g, in place, until fn returns false.
func eachPoint(g orb.Geometry, fn func(*orb.Point) bool) bool {
	walk := func(ps []orb.Point) bool {
		for i := range ps {
			if !fn(&ps[i]) {
				return false
			}
		}
		return true
	}
	switch g := g.(type) {
	case orb.Point:
		// A Point is a value: it cannot be changed through the interface.
		p := g
		return fn(&p)
	case orb.MultiPoint:
		return walk(g)
	case orb.LineString:
		return walk(g)
	case orb.Ring:
		return walk(g)
	case orb.MultiLineString:
		for _, l := range g {
			if !walk(l) {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if !walk(r) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				if !walk(r) {
					return false
				}
			}
		}
	case orb.Collection:
		for _, c := range g {
			if !eachPoint(c, fn) {
				return false
			}
		}
	}
	return true
}

// keepDimension reduces g to its parts of dimension dim, merged into one
// geometry: MVT has no geometry collections, and a repair may leave
// lower-dimensional debris. It returns nil when nothing of that dimension is
// left, and whether parts of another dimension were dropped.
func keepDimension(g orb.Geometry, dim int) (orb.Geometry, bool) {
	c, ok := g.(orb.Collection)
	if !ok {
		if g.Dimensions() != dim {
			return nil, false
		}
		return g, false
	}
	if c.Dimensions() > dim {
		dim = c.Dimensions() // a source collection: keep its highest dimension
	}
	var (
		mp      orb.MultiPoint
		ml      orb.MultiLineString
		mpoly   orb.MultiPolygon
		dropped bool
	)
	var add func(orb.Geometry)
	add = func(p orb.Geometry) {
		if p.Dimensions() != dim {
			if _, isColl := p.(orb.Collection); !isColl {
				dropped = true
				return
			}
		}
		switch p := p.(type) {
		case orb.Point:
			mp = append(mp, p)
		case orb.MultiPoint:
			mp = append(mp, p...)
		case orb.LineString:
			ml = append(ml, p)
		case orb.MultiLineString:
			ml = append(ml, p...)
		case orb.Polygon:
			mpoly = append(mpoly, p)
		case orb.MultiPolygon:
			mpoly = append(mpoly, p...)
		case orb.Collection:
			for _, q := range p {
				add(q)
			}
		}
	}
	add(c)
	switch {
	case len(mpoly) > 0:
		return mpoly, dropped
	case len(ml) > 0:
		return ml, dropped
	case len(mp) > 0:
		return mp, dropped
	}
	return nil, dropped
}
