package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestVertexCount(t *testing.T) {
	square := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	hole := orb.Ring{{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.2, 0.2}}
	for _, c := range []struct {
		g    orb.Geometry
		want int
	}{
		{orb.Point{1, 2}, 1},
		{orb.MultiPoint{{1, 2}, {3, 4}}, 2},
		{orb.LineString{{0, 0}, {1, 1}, {2, 0}}, 3},
		{orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 4}}}, 5},
		{orb.Polygon{square, hole}, 9},
		{orb.MultiPolygon{{square, hole}, {square}}, 14},
		{orb.Collection{orb.Point{0, 0}, orb.Polygon{square}}, 6},
	} {
		if got := VertexCount(c.g); got != c.want {
			t.Errorf("VertexCount(%s) = %d, want %d", c.g.GeoJSONType(), got, c.want)
		}
	}
}
