package server

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/server/viewer"
)

func TestSVGMap(t *testing.T) {
	poly := geojson.NewFeature(orb.Polygon{ogcUnitHoled[0].Clone(), ogcUnitHoled[1].Clone()})
	poly.ID = uint64(1)
	pt := geojson.NewFeature(orb.Point{5, 5})
	pt.ID = uint64(2)
	m := newSVGMap([]*geojson.Feature{poly, pt}, nil, nil, featureHref("http://x", "u"), featureTitle(viewer.Strings("en")))
	if m == nil || m.Width > svgMaxWidth || m.Height > svgMaxHeight || (m.Width != svgMaxWidth && m.Height != svgMaxHeight) {
		t.Fatalf("map %+v: not fitted to %dx%d", m, svgMaxWidth, svgMaxHeight)
	}
	if len(m.Shapes) != 2 || m.Shapes[0].Class != "area" || m.Shapes[1].Class != "point" {
		t.Fatalf("shapes = %+v", m.Shapes)
	}
	// Two closed rings: the outline and the hole.
	if d := m.Shapes[0].D; strings.Count(d, "M") != 2 || strings.Count(d, "Z") != 2 {
		t.Errorf("polygon path %q", d)
	}
	// The square 0..10 is centred, so its centre, the point, is drawn at
	// the middle of the map.
	want := "M" + ftoa(float64(m.Width)/2-svgPointSize) + " " + ftoa(float64(m.Height)/2)
	if !strings.HasPrefix(m.Shapes[1].D, want) {
		t.Errorf("point path %q, want it to start %q", m.Shapes[1].D, want)
	}
	if m.Shapes[1].Href != "http://x/collections/u/items/2?f=html" || m.Shapes[1].Title != "Feature 2" {
		t.Errorf("point link %q, title %q", m.Shapes[1].Href, m.Shapes[1].Title)
	}
	if newSVGMap(nil, nil, nil, featureHref("", ""), featureTitle(viewer.Strings("en"))) != nil {
		t.Error("a map of nothing is drawn")
	}
}

// TestSVGMapSimplifies checks that a detailed line is drawn with no more
// vertices than its pixels need.
func TestSVGMapSimplifies(t *testing.T) {
	var line orb.LineString
	for i := 0; i <= 10000; i++ {
		line = append(line, orb.Point{float64(i) / 1000, float64(i%2) * 1e-6})
	}
	f := geojson.NewFeature(line)
	f.ID = uint64(1)
	m := newSVGMap([]*geojson.Feature{f}, nil, nil, featureHref("", ""), featureTitle(viewer.Strings("en")))
	if n := strings.Count(m.Shapes[0].D, "L"); n > 10 {
		t.Errorf("a straight line of 10001 vertices is drawn with %d segments", n)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
