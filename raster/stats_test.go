package raster

import (
	"math"
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
