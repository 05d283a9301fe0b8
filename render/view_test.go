package render

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/crs"
)

// TestViewProjected checks a view in a UTM zone: Pixel and LonLat invert
// each other, and LonLatBound holds every pixel of the window, though its
// edges are curves in lon/lat.
func TestViewProjected(t *testing.T) {
	utm, _ := crs.Lookup("EPSG:32750")
	v := View{CRS: Projected, Proj: utm, BBox: orb.Bound{Min: orb.Point{300000, 7400000}, Max: orb.Point{700000, 7700000}}, Width: 400, Height: 300}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	b := v.LonLatBound(orb.Bound{Max: orb.Point{400, 300}})
	for x := 0.0; x <= 400; x += 10 {
		for y := 0.0; y <= 300; y += 10 {
			ll := v.LonLat(orb.Point{x, y})
			if !b.Contains(ll) {
				t.Errorf("pixel (%v,%v) at %v is outside the window's lon/lat box %v", x, y, ll, b)
			}
			if back := v.Pixel(ll); math.Abs(back[0]-x) > 1e-6 || math.Abs(back[1]-y) > 1e-6 {
				t.Errorf("pixel (%v,%v) comes back as %v", x, y, back)
			}
		}
	}
	if err := (View{CRS: Projected, BBox: v.BBox, Width: 1, Height: 1}).Check(); err == nil {
		t.Error("a projected view without a projection passes Check")
	}
	huge := View{CRS: Projected, Proj: utm, BBox: orb.Bound{Min: orb.Point{-1e9, -1e9}, Max: orb.Point{1e9, 1e9}}, Width: 10, Height: 10}
	if b := huge.LonLatBound(orb.Bound{Max: orb.Point{10, 10}}); math.IsNaN(b.Min[0]) || b.Max[0]-b.Min[0] < 1 {
		t.Errorf("a window beyond the projection's domain reads %v", b)
	}
}

// TestViewZoom checks the map's zoom is MapLibre's: the world in 512
// pixels is zoom 0, and halving the window adds one.
func TestViewZoom(t *testing.T) {
	world := View{CRS: WebMercator, BBox: orb.Bound{Min: orb.Point{-20037508.34, -20037508.34}, Max: orb.Point{20037508.34, 20037508.34}}, Width: 512, Height: 512}
	if z := world.Zoom(); math.Abs(z) > 0.01 {
		t.Errorf("the world in 512 px: zoom %v", z)
	}
	lonlat := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{-0.5, -0.5}, Max: orb.Point{0.5, 0.5}}, Width: 512, Height: 512}
	// 360° in 512 px is zoom 0 at the equator: 1° is 360 times smaller.
	if z, want := lonlat.Zoom(), math.Log2(360); math.Abs(z-want) > 0.01 {
		t.Errorf("1° in 512 px at the equator: zoom %v, want %v", z, want)
	}
}

// TestViewZoomPastThePoles checks a lon/lat window centred beyond ±90°
// (a WMS bbox past the poles) has a finite zoom, the one of a window of
// its size at Web Mercator's edge, so MinZoom checks still hold.
func TestViewZoomPastThePoles(t *testing.T) {
	at := func(lat float64) float64 {
		return View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{-10, lat - 10}, Max: orb.Point{10, lat + 10}}, Width: 256, Height: 256}.Zoom()
	}
	edge := at(86)
	if math.IsNaN(edge) || math.IsInf(edge, 0) {
		t.Fatalf("window centred at 86°: zoom %v", edge)
	}
	for _, lat := range []float64{90, 100, 150, -90, -120} {
		if z := at(lat); math.IsNaN(z) || math.IsInf(z, 0) || math.Abs(z-edge) > 1e-9 {
			t.Errorf("window centred at %v°: zoom %v, want %v as at the edge", lat, z, edge)
		}
	}
}
