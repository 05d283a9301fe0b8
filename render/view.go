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
)

// View is a map window: BBox in the CRS's x, y units, drawn on an image of
// Width × Height pixels, north up.
type View struct {
	CRS           CRS
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
	return nil
}

// project turns a lon/lat point into the view's CRS.
func (v View) project(p orb.Point) orb.Point {
	if v.CRS == WebMercator {
		p[1] = max(min(p[1], 85.06), -85.06)
		return project.WGS84.ToMercator(p)
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
	if v.CRS == WebMercator {
		return project.Mercator.ToWGS84(q)
	}
	return q
}

// LonLatBound returns the lon/lat box of the pixels from px.Min to px.Max
// (in pixel units, which may lie outside the image), for querying the
// features a window or a part of it shows.
func (v View) LonLatBound(px orb.Bound) orb.Bound {
	a, c := v.LonLat(px.Min), v.LonLat(px.Max)
	return orb.Bound{Min: orb.Point{min(a[0], c[0]), min(a[1], c[1])}, Max: orb.Point{max(a[0], c[0]), max(a[1], c[1])}}
}
