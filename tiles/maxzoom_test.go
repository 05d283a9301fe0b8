package tiles

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// equatorLine is a line along the equator with a vertex every step degrees.
func equatorLine(id uint64, lon0 float64, n int, step float64) *geojson.Feature {
	ls := make(orb.LineString, n)
	for i := range ls {
		ls[i] = orb.Point{lon0 + float64(i)*step, 0}
	}
	return input(id, ls, nil)
}

func TestAutoMaxZoomFromSpacing(t *testing.T) {
	// A vertex every step degrees on the equator: the tolerance is half a
	// step, and the zoom the lowest whose grid unit u (40,075 km / 4096 /
	// 2^z) draws boundaries within BoundaryError·u (1.71 units) of it.
	for _, tc := range []struct {
		step float64
		want int
	}{
		{0.01, 6},     // 556 m: at zoom 6 u = 153 m, 261 m off; zoom 5 is 522 m off
		{0.001, 9},    // 56 m: at zoom 9 u = 19 m, 33 m off
		{0.0001, 12},  // 5.6 m: at zoom 12 u = 2.4 m, 4.1 m off
		{0.00001, 14}, // clamped
		{1, 0},
	} {
		got := AutoMaxZoom([]*geojson.Feature{equatorLine(1, 100, 50, tc.step)})
		if got.Zoom != tc.want {
			t.Errorf("vertex every %g°: zoom %d, want %d (%s)", tc.step, got.Zoom, tc.want, got.Reason)
		}
	}
	if got := AutoMaxZoom([]*geojson.Feature{equatorLine(1, 100, 50, 0.00001)}); !strings.Contains(got.Reason, "ceiling") {
		t.Errorf("clamped choice says %q, want it to name the ceiling", got.Reason)
	}
}

func TestAutoMaxZoomUsesTheFineEndOfTheSpacing(t *testing.T) {
	// 90 % of the segments are coarse (1°, zoom 0), 10 % fine (0.001°,
	// zoom 9): the fine end decides, not the median.
	fine, coarse := equatorLine(1, 100, 11, 0.001), equatorLine(2, 0, 91, 1)
	if got := AutoMaxZoom([]*geojson.Feature{fine, coarse}); got.Zoom != 9 {
		t.Errorf("10 %% fine: zoom %d, want 9 (%s)", got.Zoom, got.Reason)
	}
	// Under 5 % fine: noise, a few short segments near nodes.
	fine = equatorLine(1, 100, 3, 0.001)
	if got := AutoMaxZoom([]*geojson.Feature{fine, coarse}); got.Zoom != 0 {
		t.Errorf("2 %% fine: zoom %d, want 0 (%s)", got.Zoom, got.Reason)
	}
}

func TestScaleMaxZoom(t *testing.T) {
	for _, tc := range []struct {
		scale int
		lat   [2]float64 // the bound's latitudes
		want  int
	}{
		{250_000, [2]float64{-1, 1}, 9},      // 25 m: u = 19 m at zoom 9, 38 m at 8
		{250_000, [2]float64{14, 20}, 9},     // u = 18.5 m at 14°N
		{250_000, [2]float64{-62, -60}, 8},   // u = 19 m at 60°S
		{100_000, [2]float64{-23, -21}, 10},  // 10 m: u = 8.9 m at 21°S
		{1_000_000, [2]float64{40, 50}, 7},   // 100 m: u = 58 m at 40°N
		{10_000_000, [2]float64{0, 27}, 4},   // 1 km: u = 611 m
		{1_000, [2]float64{0, 1}, 16},        // 0.1 m: capped
		{1_000_000_000, [2]float64{0, 1}, 0}, // 100 km
	} {
		b := orb.Bound{Min: orb.Point{100, tc.lat[0]}, Max: orb.Point{101, tc.lat[1]}}
		got := ScaleMaxZoom(tc.scale, b)
		if got.Zoom != tc.want {
			t.Errorf("1:%d at %v°: zoom %d, want %d (%s)", tc.scale, tc.lat, got.Zoom, tc.want, got.Reason)
		}
		if !strings.Contains(got.Reason, "1:") {
			t.Errorf("reason %q does not name the scale", got.Reason)
		}
	}
}

func TestAutoMaxZoomSurveyBeatsCountries(t *testing.T) {
	countries := loadBorders(t)
	// A survey-scale map: 1:100 000 unit outlines with a vertex every
	// ~30 m, the detail of a digitised geological map.
	r := rand.New(rand.NewPCG(5, 6))
	var survey []*geojson.Feature
	for u := range 40 {
		cx, cy := 101+float64(u%8)*0.05, 14+float64(u/8)*0.05
		var ring orb.Ring
		for i := range 600 {
			a := 2 * math.Pi * float64(i) / 600
			rad := 0.02 * (1 + 0.05*r.Float64())
			ring = append(ring, orb.Point{cx + rad*math.Cos(a), cy + rad*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		survey = append(survey, input(uint64(u), orb.Polygon{ring}, nil))
	}
	c, s := AutoMaxZoom(countries).Zoom, AutoMaxZoom(survey).Zoom
	if s <= c {
		t.Errorf("survey map zoom %d, country outlines %d: want the survey deeper", s, c)
	}
	if c < 5 || c > 9 || s < 11 {
		t.Errorf("country outlines at 1:10M got %d (want 5-9), 1:100k survey %d (want 11+)", c, s)
	}

	// Deterministic, and independent of feature order.
	for range 3 {
		r.Shuffle(len(survey), func(i, j int) { survey[i], survey[j] = survey[j], survey[i] })
		if again := AutoMaxZoom(survey).Zoom; again != s {
			t.Fatalf("zoom %d after shuffling, %d before", again, s)
		}
	}
}

func TestAutoMaxZoomPoints(t *testing.T) {
	one := []*geojson.Feature{input(1, orb.Point{100.5, 13.7}, nil)}
	if got := AutoMaxZoom(one).Zoom; got != AutoPointZoom {
		t.Errorf("single point: zoom %d, want %d", got, AutoPointZoom)
	}
	far := append(one, input(2, orb.Point{120, 14}, nil), input(3, orb.Point{120, 14}, nil))
	if got := AutoMaxZoom(far).Zoom; got != AutoPointZoom {
		t.Errorf("points far apart: zoom %d, want the floor %d", got, AutoPointZoom)
	}
	// A 100 × 100 grid of boreholes 0.0002° apart on the equator: nearest
	// neighbours 22 m apart, placed within 11 m from zoom 11 (u = 76 m,
	// 1.71 u = 13 m off at zoom 10).
	var grid []*geojson.Feature
	for i := range 100 {
		for j := range 100 {
			grid = append(grid, input(uint64(i*100+j), orb.Point{100 + float64(i)*0.0002, float64(j) * 0.0002}, nil))
		}
	}
	if got := AutoMaxZoom(grid); got.Zoom != 11 {
		t.Errorf("borehole grid: zoom %d, want 11 (%s)", got.Zoom, got.Reason)
	}
	if got := AutoMaxZoom(nil).Zoom; got != AutoPointZoom {
		t.Errorf("no data: zoom %d, want %d", got, AutoPointZoom)
	}
}
