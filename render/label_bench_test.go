package render

import (
	"image"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/outcrop/outcrop/crs"
)

// hamersleyUnits reads the demo's Hamersley geology (61 units) and the view
// of BenchmarkWMSGetMap in e2e: 1024×768 over the units' whole extent.
func hamersleyUnits(tb testing.TB) (View, []*geojson.Feature) {
	tb.Helper()
	b, err := os.ReadFile("../data/geology/gswa-hamersley/geology.geojson")
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		tb.Fatal(err)
	}
	// The file is in GDA94 / MGA zone 50, within a metre of WGS 84's UTM
	// zone 50S at this scale (25 m a pixel).
	utm, ok := crs.Lookup("EPSG:32750")
	if !ok {
		tb.Fatal("no EPSG:32750")
	}
	for _, f := range fc.Features {
		f.Geometry = orb.Clone(f.Geometry)
		project.Geometry(f.Geometry, utm.Inverse)
	}
	v := View{CRS: LonLat, BBox: orb.Bound{Min: orb.Point{117.15, -22.85}, Max: orb.Point{117.62, -22.41}}, Width: 1024, Height: 768}
	return v, fc.Features
}

// BenchmarkLabels places and draws the unit codes of the Hamersley
// geology at 1024×768, as a WMS GetMap of it does.
//
//	go test ./render -run '^$' -bench BenchmarkLabels
func BenchmarkLabels(b *testing.B) {
	b.Run("uncached", func(b *testing.B) { benchmarkLabels(b, nil, 0) })
	b.Run("cached", func(b *testing.B) { benchmarkLabels(b, NewLabelCache(1024, 1024), 0) })
	b.Run("cached-panned", func(b *testing.B) { benchmarkLabels(b, NewLabelCache(1024, 1024), 1) })
}

// benchmarkLabels is BenchmarkLabels with cache (nil for none), the same
// map drawn again and again, as a WMS serves a client's repeated view, or
// with pan set, panned each time by up to 40 pixels and a fraction at the
// same scale, as a client dragging the map asks for it.
func benchmarkLabels(b *testing.B, cache *LabelCache, pan float64) {
	fonts := notoSans(b)
	v0, units := hamersleyUnits(b)
	v := v0
	sx, sy := v.scale()
	sym := unitLabel()
	img := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	drawn := 0
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		i++
		dx, dy := pan*(math.Mod(float64(i)*7.37, 80)-40), pan*(math.Mod(float64(i)*3.13, 80)-40)
		v.BBox = orb.Bound{Min: orb.Point{v0.BBox.Min[0] + dx*sx, v0.BBox.Min[1] + dy*sy}, Max: orb.Point{v0.BBox.Max[0] + dx*sx, v0.BBox.Max[1] + dy*sy}}
		l := NewLabeller(v, fonts)
		l.Cache = cache
		for i, f := range units {
			l.AddKeyed(f.Geometry, f.Properties.MustString("code", ""), sym, 0, i)
		}
		drawn = len(l.Draw(img))
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(drawn), "labels")
}

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine, where wall time counts the other processes' turns too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
