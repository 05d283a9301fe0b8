package render

import (
	"image/color"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// The benchmarks below draw, on a 1024×768 canvas, one kind of shape each,
// so that the cost of each can be followed: a map's cost is mostly unit
// fills and their thin outlines. Shapes are drawn when the image is read.

var benchView = View{CRS: LonLat, BBox: orb.Bound{Max: orb.Point{1024, 768}}, Width: 1024, Height: 768}

// wiggly is a closed ring of n vertices around (cx, cy) of mean radius r,
// its radius varying smoothly by up to a fifth and by a pixel at random,
// wound as fill wants an outer ring.
func wiggly(cx, cy, r float64, n int, rng *rand.Rand) []orb.Point {
	out := make([]orb.Point, n)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r*(1+0.1*math.Sin(7*a)+0.05*math.Sin(31*a)) + rng.Float64() - 0.5
		out[i] = orb.Point{cx + 1.3*rr*math.Cos(a), cy + rr*math.Sin(a)}
	}
	if signedArea(out) < 0 {
		out = reversed(out)
	}
	return out
}

// units is a tessellation of the canvas into jittered quadrilaterals of
// about side px, each edge cut into steps of about 2 px: closed rings,
// like the units of a geological map.
func units(side float64) [][]orb.Point {
	rng := rand.New(rand.NewPCG(1, 2))
	nx, ny := int(1024/side)+1, int(768/side)+1
	grid := make([][]orb.Point, ny+1)
	for j := range grid {
		grid[j] = make([]orb.Point, nx+1)
		for i := range grid[j] {
			grid[j][i] = orb.Point{float64(i)*side + (rng.Float64()-0.5)*side/3, float64(j)*side + (rng.Float64()-0.5)*side/3}
		}
	}
	edge := func(a, b orb.Point, out []orb.Point) []orb.Point {
		n := max(1, int(math.Hypot(b[0]-a[0], b[1]-a[1])/2))
		for k := range n {
			t := float64(k) / float64(n)
			// a wiggle that is the same seen from either side
			w := math.Sin(t*math.Pi*3) * 2
			out = append(out, orb.Point{a[0] + (b[0]-a[0])*t + w, a[1] + (b[1]-a[1])*t + w})
		}
		return out
	}
	var rings [][]orb.Point
	for j := range ny {
		for i := range nx {
			var r []orb.Point
			r = edge(grid[j][i], grid[j][i+1], r)
			r = edge(grid[j][i+1], grid[j+1][i+1], r)
			r = edge(grid[j+1][i+1], grid[j+1][i], r)
			r = edge(grid[j+1][i], grid[j][i], r)
			if signedArea(r) < 0 {
				r = reversed(r)
			}
			rings = append(rings, r)
		}
	}
	return rings
}

// reportCPU reports the CPU time per op, measured from start (the machine
// is shared, so wall time counts others' turns too); call it with defer
// at the start of a benchmark.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	t0 := cpu()
	return func() { b.ReportMetric(float64((cpu()-t0).Microseconds())/1000/float64(b.N), "cpu-ms/op") }
}

func closed(r []orb.Point) []orb.Point { return append(r[:len(r):len(r)], r[0]) }

// BenchmarkFillLarge fills one shape as large as the map, with a hole.
func BenchmarkFillLarge(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	outer := wiggly(512, 384, 360, 3000, rng)
	hole := reversed(wiggly(512, 384, 80, 500, rng))
	c := NewCanvas(benchView, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	defer reportCPU(b)()
	for b.Loop() {
		c.fill([][]orb.Point{outer, hole}, color.RGBA{200, 40, 30, 255}, false)
		c.Image()
	}
}

// BenchmarkOutline strokes the 1-px outline of a shape as large as the
// map.
func BenchmarkOutline(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	outer := closed(wiggly(512, 384, 360, 3000, rng))
	c := NewCanvas(benchView, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	defer reportCPU(b)()
	for b.Loop() {
		c.stroke([][]orb.Point{outer}, 1, nil, color.RGBA{0, 0, 0, 255})
		c.Image()
	}
}

// BenchmarkUnits fills and outlines (1 px) about 800 units tiling the map.
func BenchmarkUnits(b *testing.B) {
	rings := units(32)
	for i, r := range rings {
		rings[i] = closed(r)
	}
	c := NewCanvas(benchView, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	defer reportCPU(b)()
	for b.Loop() {
		for i, r := range rings {
			c.fill([][]orb.Point{r}, color.RGBA{uint8(i), 120, 200, 255}, true)
			c.stroke([][]orb.Point{r}, 1, nil, color.RGBA{60, 60, 60, 255})
		}
		c.Image()
	}
}

// BenchmarkDashed strokes 2-px dashed lines across the map.
func BenchmarkDashed(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var lines [][]orb.Point
	for range 40 {
		var l []orb.Point
		x, y := rng.Float64()*1024, rng.Float64()*768
		for range 200 {
			l = append(l, orb.Point{x, y})
			x, y = x+rng.Float64()*8-3, y+rng.Float64()*8-4
		}
		lines = append(lines, l)
	}
	c := NewCanvas(benchView, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	defer reportCPU(b)()
	for b.Loop() {
		c.stroke(lines, 2, []float64{6, 3}, color.RGBA{30, 30, 30, 255})
		c.Image()
	}
}

// BenchmarkPoints draws 2,000 ringed circles of 8 px.
func BenchmarkPoints(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := NewCanvas(benchView, color.RGBA{255, 255, 255, 255})
	defer c.Release()
	defer reportCPU(b)()
	var ps []orb.Point
	for range 2000 {
		ps = append(ps, orb.Point{rng.Float64() * 1024, rng.Float64() * 768})
	}
	for b.Loop() {
		for _, p := range ps {
			c.fill([][]orb.Point{circle(p, 4)}, color.RGBA{200, 0, 0, 255}, false)
			ring := circle(p, 4)
			c.stroke([][]orb.Point{append(ring, ring[0])}, 1, nil, color.RGBA{0, 0, 0, 255})
		}
		c.Image()
	}
}
