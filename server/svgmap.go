package server

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// The HTML pages draw features as an inline SVG map: no script, no tiles
// and nothing fetched, so a page shows its features wherever it is opened.

// svgMap is a small map of features, ready for the page template.
type svgMap struct {
	Width, Height int
	// Frame outlines the collection's extent, when the map shows one.
	Frame  string
	Shapes []svgShape
	// Label names the map for those who do not see it (its aria-label),
	// in the page's language.
	Label string
}

// labelled sets m's Label in t's language and returns m, nil for nil.
func (m *svgMap) labelled(t map[string]string) *svgMap {
	if m != nil {
		m.Label = t["page.map_label"]
	}
	return m
}

// svgShape is one feature drawn as an SVG path.
type svgShape struct {
	Href  string
	Title string
	// Class is "area", "line" or "point", which the page's style colours.
	Class string
	D     string
}

const (
	svgMaxWidth  = 640
	svgMaxHeight = 400
	// svgTolerance is how far, in pixels, a simplified outline may stray:
	// half a pixel cannot be seen, and it keeps a page of detailed polygons
	// small.
	svgTolerance = 0.5
	svgPointSize = 3
	// svgMinSpan is the least span, in metres, a map shows, so that a single
	// point or a tiny feature is drawn in some context rather than at an
	// infinite scale.
	svgMinSpan = 2000.0
)

// newSVGMap draws features within view, a WGS 84 bound (the features' own
// bound when view is nil); frame, when not nil, is outlined. href and title
// give each feature its link and tooltip. It returns nil when there is
// nothing to draw.
func newSVGMap(features []*geojson.Feature, view, frame *orb.Bound, href, title func(*geojson.Feature) string) *svgMap {
	if view == nil {
		for _, f := range features {
			if f.Geometry == nil {
				continue
			}
			b := f.Geometry.Bound()
			if view == nil {
				view = &b
			} else {
				*view = view.Union(b)
			}
		}
		if view == nil {
			return nil
		}
	}
	lo := mercator(orb.Point{view.Min[0], clampLat(view.Min[1])})
	hi := mercator(orb.Point{view.Max[0], clampLat(view.Max[1])})
	cx, cy := (lo[0]+hi[0])/2, (lo[1]+hi[1])/2
	spanX := math.Max(hi[0]-lo[0], svgMinSpan) * 1.08
	spanY := math.Max(hi[1]-lo[1], svgMinSpan) * 1.08
	scale := math.Min(svgMaxWidth/spanX, svgMaxHeight/spanY)
	m := &svgMap{Width: int(math.Ceil(spanX * scale)), Height: int(math.Ceil(spanY * scale))}
	ox, oy := cx-float64(m.Width)/2/scale, cy+float64(m.Height)/2/scale
	toPixel := func(p orb.Point) orb.Point {
		q := mercator(p)
		return orb.Point{(q[0] - ox) * scale, (oy - q[1]) * scale}
	}
	if frame != nil {
		r := orb.Polygon{frame.ToRing()}
		m.Frame = svgPath(project.Polygon(r, toPixel))
	}
	simplifier := simplify.DouglasPeucker(svgTolerance)
	for _, f := range features {
		if f.Geometry == nil {
			continue
		}
		g := simplifier.Simplify(project.Geometry(f.Geometry, toPixel))
		d := svgPath(g)
		if d == "" {
			continue
		}
		class := "area"
		switch g.Dimensions() {
		case 0:
			class = "point"
		case 1:
			class = "line"
		}
		m.Shapes = append(m.Shapes, svgShape{Href: href(f), Title: title(f), Class: class, D: d})
	}
	return m
}

// mercator projects a WGS 84 point, latitude clamped to the square world.
func mercator(p orb.Point) orb.Point {
	return project.WGS84.ToMercator(orb.Point{p[0], clampLat(p[1])})
}

// svgPath writes the path data of a geometry already in pixels: rings
// closed with Z, lines open, points as small circles.
func svgPath(g orb.Geometry) string {
	var b []byte
	switch g := g.(type) {
	case orb.Point:
		b = appendCircle(b, g)
	case orb.MultiPoint:
		for _, p := range g {
			b = appendCircle(b, p)
		}
	case orb.LineString:
		b = appendLine(b, g, false)
	case orb.MultiLineString:
		for _, l := range g {
			b = appendLine(b, l, false)
		}
	case orb.Ring:
		b = appendLine(b, orb.LineString(g), true)
	case orb.Polygon:
		for _, r := range g {
			b = appendLine(b, orb.LineString(r), true)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				b = appendLine(b, orb.LineString(r), true)
			}
		}
	case orb.Collection:
		for _, m := range g {
			if s := svgPath(m); s != "" {
				b = append(append(b, s...), ' ')
			}
		}
	}
	return string(b)
}

// appendLine writes a line or, closed, a ring.
func appendLine(b []byte, l orb.LineString, closed bool) []byte {
	if len(l) == 0 {
		return b
	}
	for i, p := range l {
		if i == 0 {
			b = append(b, 'M')
		} else {
			b = append(b, 'L')
		}
		b = appendXY(b, p)
	}
	if closed {
		b = append(b, 'Z')
	}
	return b
}

// appendCircle writes a point as a circle of radius svgPointSize, two arcs
// starting from its west edge.
func appendCircle(b []byte, p orb.Point) []byte {
	b = append(b, 'M')
	b = appendXY(b, orb.Point{p[0] - svgPointSize, p[1]})
	return append(b, circleArcs...)
}

// circleArcs draws a circle of radius svgPointSize from its west edge.
var circleArcs = func() string {
	r, d := strconv.Itoa(svgPointSize), strconv.Itoa(2*svgPointSize)
	return "a" + r + " " + r + " 0 1 0 " + d + " 0a" + r + " " + r + " 0 1 0 -" + d + " 0"
}()

// appendXY writes a pixel position to a tenth of a pixel, finer than any
// screen shows and short enough to keep pages of many vertices small.
func appendXY(b []byte, p orb.Point) []byte {
	b = strconv.AppendFloat(b, math.Round(p[0]*10)/10, 'f', -1, 64)
	b = append(b, ' ')
	return strconv.AppendFloat(b, math.Round(p[1]*10)/10, 'f', -1, 64)
}
