package raster

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestCompute(t *testing.T) {
	nan := float32(math.NaN())
	v := []float32{nan}
	for i := 1; i <= 100; i++ {
		v = append(v, float32(i), nan)
	}
	s := Compute(v)
	if s.Count != 100 || s.Min != 1 || s.Max != 100 || s.Mean != 50.5 {
		t.Errorf("count %d min %v max %v mean %v; want 100, 1, 100, 50.5", s.Count, s.Min, s.Max, s.Mean)
	}
	if math.Abs(s.StdDev-28.866) > 0.001 {
		t.Errorf("stddev %v, want 28.866", s.StdDev)
	}
	if s.Percentiles["p2"] != 2 || s.Percentiles["p50"] != 50 || s.Percentiles["p98"] != 98 {
		t.Errorf("percentiles %v", s.Percentiles)
	}
	var n int64
	for _, c := range s.Histogram {
		n += c
	}
	if len(s.Histogram) != HistogramBins || n != 100 || s.Histogram[HistogramBins-1] == 0 {
		t.Errorf("histogram %v", s.Histogram)
	}
	if Compute([]float32{nan, nan}) != nil {
		t.Error("stats of nodata only should be nil")
	}
}

// The streaming percentiles match nearest-rank on the sorted values: exactly
// for integers (each fine bin one distinct value), and within a fine bin's
// width for 100000 random floats; chunks do not change the result.
func TestAccumulatorPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name string
		gen  func() float32
		tol  float64
	}{
		{"integers", func() float32 { return float32(rng.IntN(3000) - 500) }, 0},
		{"floats", func() float32 { return float32(rng.NormFloat64()*50 + 7) }, 0},
	} {
		v := make([]float32, 100000)
		for i := range v {
			v[i] = c.gen()
		}
		var a Accumulator
		for i := 0; i < len(v); i += 777 {
			a.Scan(v[i:min(i+777, len(v))])
		}
		a.StartHistogram()
		for i := len(v); i > 0; i -= 1000 {
			a.Scan(v[max(i-1000, 0):i])
		}
		got := a.Stats()
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		tol := max(c.tol, (got.Max-got.Min)/fineBins)
		for _, p := range percentiles {
			want := float64(sorted[int(math.Ceil(float64(p)/100*float64(len(v))))-1])
			if g := got.Percentiles["p"+strconv.Itoa(p)]; math.Abs(g-want) > tol || (c.name == "integers" && g != want) {
				t.Errorf("%s p%d: %v, want %v (±%v)", c.name, p, g, want, tol)
			}
		}
		var sum, ss float64
		for _, x := range v {
			sum += float64(x)
		}
		mean := sum / float64(len(v))
		for _, x := range v {
			ss += (float64(x) - mean) * (float64(x) - mean)
		}
		if math.Abs(got.Mean-mean) > 1e-9*math.Abs(mean)+1e-9 || math.Abs(got.StdDev-math.Sqrt(ss/float64(len(v)))) > 1e-9 {
			t.Errorf("%s: mean %v stddev %v, want %v %v", c.name, got.Mean, got.StdDev, mean, math.Sqrt(ss/float64(len(v))))
		}
		if got.Min != float64(sorted[0]) || got.Max != float64(sorted[len(v)-1]) || got.Count != int64(len(v)) {
			t.Errorf("%s: min %v max %v count %d", c.name, got.Min, got.Max, got.Count)
		}
	}
}
