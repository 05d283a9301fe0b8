package tiles

import (
	"math"
	"math/rand/v2"
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
	// A segment of step degrees is step/360 of the world; it spans 1/256
	// of a tile from zoom ceil(log2(360 / (256 step))).
	for _, tc := range []struct {
		step float64
		want int
	}{
		{0.01, 8},     // log2(140.6) = 7.1
		{0.001, 11},   // log2(1406) = 10.5
		{0.0001, 14},  // log2(14063) = 13.8
		{0.00001, 14}, // clamped
		{1, 1},        // log2(1.4) = 0.5
		{10, 0},
	} {
		if got := AutoMaxZoom([]*geojson.Feature{equatorLine(1, 100, 50, tc.step)}); got != tc.want {
			t.Errorf("vertex every %g°: zoom %d, want %d", tc.step, got, tc.want)
		}
	}
}

func TestAutoMaxZoomUsesTheMedianSpacing(t *testing.T) {
	// 60 % of the segments are fine (zoom 8), 40 % coarse (zoom 1): the
	// median is fine. The other way round it is coarse.
	fine, coarse := equatorLine(1, 100, 61, 0.01), equatorLine(2, 0, 41, 1)
	if got := AutoMaxZoom([]*geojson.Feature{fine, coarse}); got != 8 {
		t.Errorf("mostly fine: zoom %d, want 8", got)
	}
	fine, coarse = equatorLine(1, 100, 41, 0.01), equatorLine(2, 0, 61, 1)
	if got := AutoMaxZoom([]*geojson.Feature{fine, coarse}); got != 1 {
		t.Errorf("mostly coarse: zoom %d, want 1", got)
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
	c, s := AutoMaxZoom(countries), AutoMaxZoom(survey)
	if s <= c {
		t.Errorf("survey map zoom %d, country outlines %d: want the survey deeper", s, c)
	}
	if c < 5 || c > 9 || s < 11 {
		t.Errorf("country outlines at 1:10M got %d (want 5-9), 1:100k survey %d (want 11+)", c, s)
	}

	// Deterministic, and independent of feature order.
	for range 3 {
		r.Shuffle(len(survey), func(i, j int) { survey[i], survey[j] = survey[j], survey[i] })
		if again := AutoMaxZoom(survey); again != s {
			t.Fatalf("zoom %d after shuffling, %d before", again, s)
		}
	}
}

func TestAutoMaxZoomPoints(t *testing.T) {
	one := []*geojson.Feature{input(1, orb.Point{100.5, 13.7}, nil)}
	if got := AutoMaxZoom(one); got != AutoPointZoom {
		t.Errorf("single point: zoom %d, want %d", got, AutoPointZoom)
	}
	far := append(one, input(2, orb.Point{120, 14}, nil), input(3, orb.Point{120, 14}, nil))
	if got := AutoMaxZoom(far); got != AutoPointZoom {
		t.Errorf("points far apart: zoom %d, want the floor %d", got, AutoPointZoom)
	}
	// A 100 × 100 grid of boreholes 0.0005° apart on the equator: nearest
	// neighbours 1/720000 of the world, resolved from zoom
	// ceil(log2(720000/256)) = 12.
	var grid []*geojson.Feature
	for i := range 100 {
		for j := range 100 {
			grid = append(grid, input(uint64(i*100+j), orb.Point{100 + float64(i)*0.0005, float64(j) * 0.0005}, nil))
		}
	}
	if got := AutoMaxZoom(grid); got != 12 {
		t.Errorf("borehole grid: zoom %d, want 12", got)
	}
	if got := AutoMaxZoom(nil); got != AutoPointZoom {
		t.Errorf("no data: zoom %d, want %d", got, AutoPointZoom)
	}
}
