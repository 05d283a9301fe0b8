package ingest

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestOrientRFC7946 reads polygons wound both ways, as shapefiles (exterior
// clockwise) and RFC 7946 GeoJSON do, and stores them all with the
// exterior counter-clockwise and holes clockwise.
func TestOrientRFC7946(t *testing.T) {
	csv := wktCSV(t,
		"POLYGON ((100 10,100 14,104 14,104 10,100 10),(101 11,102 11,102 12,101 12,101 11))", // shapefile winding
		"POLYGON ((100 10,104 10,104 14,100 14,100 10),(101 11,101 12,102 12,102 11,101 11))", // RFC 7946 winding
		"MULTIPOLYGON (((100 10,100 11,101 11,101 10,100 10)),((102 10,103 10,103 11,102 10)))",
	)
	_, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:4326"})
	for _, f := range feats {
		var polys []orb.Polygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		for _, p := range polys {
			for i, r := range p {
				want := orb.CCW
				if i > 0 {
					want = orb.CW
				}
				if o := r.Orientation(); o != want {
					t.Errorf("feature %v ring %d winds %v, want %v: %v", f.ID, i, o, want, r)
				}
			}
		}
	}
}
