package render

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// CRS is a map window's coordinate reference system, in the axis order x,
// y: lon, lat for the geographic ones.
type CRS int

// The CRSs a View can be in.
const (
	// LonLat is WGS 84 longitude, latitude (EPSG:4326 and CRS:84 alike).
	LonLat CRS = iota
	// WebMercator is EPSG:3857, in metres.
	WebMercator
	// Projected is the CRS of the View's Proj.
	Projected
)

// Projection turns WGS 84 lon/lat points into a projected CRS's x, y and
// back (a *crs.CRS).
type Projection interface {
	Forward(orb.Point) orb.Point
	Inverse(orb.Point) orb.Point
}

// View is a map window: BBox in the CRS's x, y units, drawn on an image of
// Width × Height pixels, north up. Proj is the projection of CRS
// Projected, nil for the others.
type View struct {
	CRS           CRS
	Proj          Projection
	BBox          orb.Bound
	Width, Height int
}

// Check reports a window that cannot be drawn: an empty or inverted box, a
// size below one pixel.
func (v View) Check() error {
	b := v.BBox
	if !(b.Max[0] > b.Min[0]) || !(b.Max[1] > b.Min[1]) {
		return fmt.Errorf("bounding box %v has no area: its minimum must be below its maximum on both axes", b)
	}
	for _, f := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("bounding box %v is not finite", b)
		}
	}
	if v.Width < 1 || v.Height < 1 {
		return fmt.Errorf("image size %d×%d has no pixels", v.Width, v.Height)
	}
	if (v.CRS == Projected) != (v.Proj != nil) {
		return fmt.Errorf("a view in CRS %d has projection %v: Proj is for Projected views, and needed by them", v.CRS, v.Proj)
	}
	return nil
}

// project turns a lon/lat point into the view's CRS.
func (v View) project(p orb.Point) orb.Point {
	switch v.CRS {
	case WebMercator:
		p[1] = max(min(p[1], 85.06), -85.06)
		return project.WGS84.ToMercator(p)
	case Projected:
		return v.Proj.Forward(p)
	}
	return p
}

// Pixel returns the pixel position of a lon/lat point: x to the right and
// y down from the image's top-left corner, in pixels (not rounded).
func (v View) Pixel(p orb.Point) orb.Point {
	q := v.project(p)
	b := v.BBox
	return orb.Point{
		(q[0] - b.Min[0]) / (b.Max[0] - b.Min[0]) * float64(v.Width),
		(b.Max[1] - q[1]) / (b.Max[1] - b.Min[1]) * float64(v.Height),
	}
}

// LonLat returns the lon/lat point at pixel position px (the inverse of
// Pixel).
func (v View) LonLat(px orb.Point) orb.Point {
	b := v.BBox
	q := orb.Point{
		b.Min[0] + px[0]/float64(v.Width)*(b.Max[0]-b.Min[0]),
		b.Max[1] - px[1]/float64(v.Height)*(b.Max[1]-b.Min[1]),
	}
	switch v.CRS {
	case WebMercator:
		return project.Mercator.ToWGS84(q)
	case Projected:
		return v.Proj.Inverse(q)
	}
	return q
}

// LonLatBound returns the lon/lat box of the pixels from px.Min to px.Max
// (in pixel units, which may lie outside the image), for querying the
// features a window or a part of it shows. In a Projected view the box's
// edges are curves in lon/lat, so they are followed at 16 points each, and
// the box grows by a 64th of its size to hold the bulge between them.
func (v View) LonLatBound(px orb.Bound) orb.Bound {
	a, c := v.LonLat(px.Min), v.LonLat(px.Max)
	b := orb.Bound{Min: orb.Point{min(a[0], c[0]), min(a[1], c[1])}, Max: orb.Point{max(a[0], c[0]), max(a[1], c[1])}}
	if v.CRS != Projected {
		return b
	}
	const steps = 16
	for i := range steps + 1 {
		t := float64(i) / steps
		x := px.Min[0] + t*(px.Max[0]-px.Min[0])
		y := px.Min[1] + t*(px.Max[1]-px.Min[1])
		for _, q := range []orb.Point{{x, px.Min[1]}, {x, px.Max[1]}, {px.Min[0], y}, {px.Max[0], y}} {
			b = b.Extend(v.LonLat(q))
		}
	}
	dx, dy := (b.Max[0]-b.Min[0])/64, (b.Max[1]-b.Min[1])/64
	if math.IsNaN(dx+dy) || math.IsInf(dx+dy, 0) {
		// A window far larger than the projection's domain: read it all.
		return orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	}
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}

// Zoom is the map's scale as a zoom level of MapLibre's (512-pixel tiles
// of Web Mercator), from the ground size of the pixel at the view's
// centre: what a style's minimum zooms are compared with. It is finite for
// every valid view: a centre beyond Web Mercator's latitudes (a lon/lat
// window past the poles) counts as at its edge, ±85.0511°.
func (v View) Zoom() float64 {
	cx, cy := float64(v.Width)/2, float64(v.Height)/2
	a, b := v.LonLat(orb.Point{cx, cy}), v.LonLat(orb.Point{cx + 1, cy})
	c := v.LonLat(orb.Point{cx, cy + 1})
	const maxLat = 85.0511287798066
	lat := math.Max(-maxLat, math.Min(maxLat, a[1])) * math.Pi / 180
	const r = 6378137.0
	metres := func(p, q orb.Point) float64 {
		return r * math.Hypot((q[0]-p[0])*math.Pi/180*math.Cos(lat), (q[1]-p[1])*math.Pi/180)
	}
	perPixel := (metres(a, b) + metres(a, c)) / 2
	if !(perPixel > 0) || math.IsInf(perPixel, 0) {
		return 0
	}
	// A pixel of zoom 0 at the equator is 2πr/512 metres.
	return math.Log2(2 * math.Pi * r * math.Cos(lat) / 512 / perPixel)
}
