package ingest

import "github.com/paulmach/orb"

// orient winds the rings of g's polygons in place as RFC 7946 §3.1.6
// requires of GeoJSON producers (the right-hand rule): exterior rings
// counter-clockwise, holes clockwise, in longitude/latitude. The source's
// own winding, which varies by format and producer, does not pass through.
func orient(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Polygon:
		orientPolygon(g)
	case orb.MultiPolygon:
		for _, p := range g {
			orientPolygon(p)
		}
	}
}

func orientPolygon(p orb.Polygon) {
	for i, r := range p {
		if (i == 0) != (r.Orientation() == orb.CCW) {
			r.Reverse()
		}
	}
}
