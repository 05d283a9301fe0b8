package ingest

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestGeometryTypeAndBounds(t *testing.T) {
	pt := geojson.NewFeature(orb.Point{100, 10})
	mp := geojson.NewFeature(orb.MultiPoint{{99, 9}, {101, 12}})
	line := geojson.NewFeature(orb.LineString{{98, 5}, {99, 6}})
	poly := geojson.NewFeature(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}})
	for _, tc := range []struct {
		feats []*geojson.Feature
		want  string
	}{
		{[]*geojson.Feature{pt, mp}, geomPoint},
		{[]*geojson.Feature{line}, geomLine},
		{[]*geojson.Feature{poly}, geomPolygon},
		{[]*geojson.Feature{pt, line}, geomMixed},
	} {
		if got := geometryType(tc.feats); got != tc.want {
			t.Errorf("geometryType = %q, want %q", got, tc.want)
		}
	}
	if got := bounds([]*geojson.Feature{pt, mp, line}); got != [4]float64{98, 5, 101, 12} {
		t.Errorf("bounds = %v", got)
	}
}

func TestCenter(t *testing.T) {
	// Thailand, 15° of latitude, is 1.35 tiles high at zoom 5 and 2.7 at
	// zoom 6.
	c := center([4]float64{97.3, 5.6, 105.6, 20.5}, 0, 14)
	if c[0] != 101.45 || c[1] != 13.05 || c[2] != 5 {
		t.Errorf("center of Thailand = %v", c)
	}
	// A single point: as deep as the tileset goes.
	if c := center([4]float64{100.5, 13.7, 100.5, 13.7}, 2, 9); c[2] != 9 {
		t.Errorf("center zoom of a point = %v, want the max zoom 9", c[2])
	}
	// The whole world, poles included: the min zoom.
	if c := center([4]float64{-180, -90, 180, 90}, 1, 9); c[2] != 1 {
		t.Errorf("center zoom of the world = %v, want the min zoom 1", c[2])
	}
}
