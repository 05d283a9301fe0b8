package tiles

import (
	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tiles/validity"
)

// repairer makes a quantised polygon or multipolygon valid on the tile's
// integer grid, or returns an error; nil when the build has none (without
// cgo, see repair_geos.go).
var repairer func(orb.Geometry) (orb.Geometry, error)

// validTileGeometry is tileGeometry with its polygons made valid, as the
// MVT specification requires: those that quantisation or the clip left
// invalid (validity.Check) are repaired, the valid ones, nearly all, are
// kept as they are. A geometry the repair leaves without area is nil.
func validTileGeometry(g orb.Geometry, ox, oy, extent float64) orb.Geometry {
	g = tileGeometry(g, ox, oy, extent)
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		return g
	}
	if repairer == nil || validity.Check(g) == nil {
		return g
	}
	r, err := repairer(g)
	if err != nil {
		return g // GEOS failed: the polygon is drawn as it was
	}
	return r
}

// orientRings winds the rings of p as the MVT specification says: the
// exterior with a positive surveyor's area (y down), holes negative.
func orientRings(p orb.Polygon) {
	for i, r := range p {
		if a := ringArea(r); i == 0 && a < 0 || i > 0 && a > 0 {
			r.Reverse()
		}
	}
}
