package tiles

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"
)

// maxLat is the latitude where the square Web Mercator world ends.
const maxLat = 85.0511

// kind is what generalisation a feature gets.
type kind uint8

const (
	kindPoint      kind = iota // a single point: thinned below the max zoom
	kindMultiPoint             // several points of one feature, kept together
	kindLine
	kindPolygon
)

// feature is one input feature ready for cutting: its geometry in Web
// Mercator world units (x and y in [0, 1], y down) and its properties ready
// for the MVT encoder. It is shared read-only by every zoom and worker.
type feature struct {
	id    any
	props geojson.Properties
	// geom is a Point, MultiPoint, LineString, MultiLineString, Polygon or
	// MultiPolygon. Polygon rings are wound as MVT wants them in the end:
	// exteriors with a positive surveyor's-formula area (y down), holes
	// negative. Once the coverage topology holds the polygons, their geom
	// is released.
	geom  orb.Geometry
	kind  kind
	index int32 // in the layer's features
	// size orders features for dropping, smallest first: the area of
	// polygons, the length of lines, in world units.
	size float64
}

// prepare projects the input once, in parallel, keeping its order.
func prepare(ctx context.Context, in []*geojson.Feature, workers int) ([]feature, error) {
	out := make([][]feature, len(in))
	errs := make([]error, len(in))
	err := forEachChunk(ctx, len(in), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i], errs[i] = prepareFeature(in[i])
		}
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for i := range in {
		if errs[i] != nil {
			return nil, errs[i]
		}
		n += len(out[i])
	}
	feats := make([]feature, 0, n)
	for _, fs := range out {
		for _, f := range fs {
			f.index = int32(len(feats))
			feats = append(feats, f)
		}
	}
	return feats, nil
}

// prepareFeature returns one feature per kind of geometry in f: MVT has no
// geometry collections.
func prepareFeature(f *geojson.Feature) ([]feature, error) {
	if f == nil || f.Geometry == nil {
		return nil, nil
	}
	props := mvtProperties(f.Properties)
	var out []feature
	for _, g := range splitKinds(f.Geometry) {
		finite := true
		g = project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				finite = false
				return p
			}
			return toWorld(p)
		})
		if !finite {
			return nil, fmt.Errorf("tiles: feature %v has a NaN or infinite coordinate; repair or drop it before cutting", f.ID)
		}
		ft := feature{id: f.ID, props: props, geom: g}
		switch g := g.(type) {
		case orb.Point:
			ft.kind = kindPoint
		case orb.MultiPoint:
			ft.kind = kindMultiPoint
		case orb.LineString:
			ft.kind, ft.size = kindLine, lineLength(g)
		case orb.MultiLineString:
			ft.kind = kindLine
			for _, ls := range g {
				ft.size += lineLength(ls)
			}
		case orb.Polygon:
			ft.kind, ft.size = kindPolygon, windPolygon(g)
		case orb.MultiPolygon:
			ft.kind = kindPolygon
			for _, p := range g {
				ft.size += windPolygon(p)
			}
		}
		out = append(out, ft)
	}
	return out, nil
}

func lineLength(ls []orb.Point) float64 {
	var l float64
	for i := 1; i < len(ls); i++ {
		l += math.Hypot(ls[i][0]-ls[i-1][0], ls[i][1]-ls[i-1][1])
	}
	return l
}

// windPolygon winds p's rings in place as MVT wants them (exterior positive
// with y down, holes negative) and returns its area. Cutting keeps that
// winding, so a ring whose winding flips later, when rounding to the tile
// grid, is known to have collapsed.
func windPolygon(p orb.Polygon) float64 {
	var area float64
	for i, r := range p {
		a := ringArea(r)
		if (i == 0) != (a > 0) {
			r.Reverse()
		}
		if i == 0 {
			area += math.Abs(a)
		} else {
			area -= math.Abs(a)
		}
	}
	return max(area, 0)
}

// toWorld projects lon/lat to Web Mercator world units, clamping to the
// square world so that data at the poles or past the antimeridian still lands
// in a tile instead of producing infinities.
func toWorld(p orb.Point) orb.Point {
	lon := math.Max(-180, math.Min(180, p[0]))
	lat := math.Max(-maxLat, math.Min(maxLat, p[1]))
	return maptile.Fraction(orb.Point{lon, lat}, 0)
}

// splitKinds returns g as at most three geometries that MVT can encode:
// points, lines and polygons, merging the members of collections.
func splitKinds(g orb.Geometry) []orb.Geometry {
	switch g := g.(type) {
	case orb.Ring:
		return []orb.Geometry{orb.Polygon{g}}
	case orb.Bound:
		return []orb.Geometry{g.ToPolygon()}
	case orb.Collection:
		var (
			mp  orb.MultiPoint
			mls orb.MultiLineString
			mpg orb.MultiPolygon
		)
		var walk func(orb.Collection)
		walk = func(c orb.Collection) {
			for _, m := range c {
				switch m := m.(type) {
				case orb.Point:
					mp = append(mp, m)
				case orb.MultiPoint:
					mp = append(mp, m...)
				case orb.LineString:
					mls = append(mls, m)
				case orb.MultiLineString:
					mls = append(mls, m...)
				case orb.Ring:
					mpg = append(mpg, orb.Polygon{m})
				case orb.Bound:
					mpg = append(mpg, m.ToPolygon())
				case orb.Polygon:
					mpg = append(mpg, m)
				case orb.MultiPolygon:
					mpg = append(mpg, m...)
				case orb.Collection:
					walk(m)
				}
			}
		}
		walk(g)
		var out []orb.Geometry
		if len(mp) > 0 {
			out = append(out, mp)
		}
		if len(mls) > 0 {
			out = append(out, mls)
		}
		if len(mpg) > 0 {
			out = append(out, mpg)
		}
		return out
	case nil:
		return nil
	}
	return []orb.Geometry{g}
}

// mvtProperties returns p with the values MVT cannot hold adapted: nulls are
// left out (MVT has no null, and orb would write the string "null") and times
// become ISO 8601 strings (orb would write Go's time format). p itself is
// returned when nothing needs changing, which is the common case.
func mvtProperties(p geojson.Properties) geojson.Properties {
	clean := true
	for _, v := range p {
		switch v.(type) {
		case nil, time.Time, *time.Time:
			clean = false
		}
	}
	if clean {
		return p
	}
	out := make(geojson.Properties, len(p))
	for k, v := range p {
		switch v := v.(type) {
		case nil:
		case time.Time:
			out[k] = isoTime(v)
		case *time.Time:
			if v != nil {
				out[k] = isoTime(*v)
			}
		default:
			out[k] = v
		}
	}
	return out
}

// isoTime writes a date alone when t has no time of day, as dates read from
// survey files do.
func isoTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 && t.Location() == time.UTC {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}
