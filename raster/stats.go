package raster

import (
	"math"
	"slices"
	"strconv"
)

// HistogramBins is the number of equal-width bins of a band's histogram.
const HistogramBins = 64

// Stats summarises the valid (not nodata) values of one band.
type Stats struct {
	Count  int64   `json:"count"` // valid values
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"stddev"` // population standard deviation
	// Percentiles maps "p2", "p25", "p50", "p75", "p98" to the value at that
	// percentile (nearest rank).
	Percentiles map[string]float64 `json:"percentiles"`
	// Histogram counts the values in HistogramBins equal bins from Min to
	// Max, the last bin including Max.
	Histogram []int64 `json:"histogram"`
}

// percentiles are the ranks Stats reports; p2 and p98 are the default stretch.
var percentiles = []int{2, 25, 50, 75, 98}

// Compute returns the statistics of values, ignoring NaN; nil when none is
// valid. It sorts a copy, so it costs O(n log n) and 4n bytes.
func Compute(values []float32) *Stats {
	v := make([]float32, 0, len(values))
	for _, x := range values {
		if x == x {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return nil
	}
	slices.Sort(v)
	s := &Stats{Count: int64(len(v)), Min: float64(v[0]), Max: float64(v[len(v)-1]), Percentiles: map[string]float64{}}
	var sum float64
	for _, x := range v {
		sum += float64(x)
	}
	s.Mean = sum / float64(len(v))
	var ss float64
	for _, x := range v {
		d := float64(x) - s.Mean
		ss += d * d
	}
	s.StdDev = math.Sqrt(ss / float64(len(v)))
	for _, p := range percentiles {
		rank := int(math.Ceil(float64(p)/100*float64(len(v)))) - 1
		s.Percentiles["p"+strconv.Itoa(p)] = float64(v[max(rank, 0)])
	}
	s.Histogram = make([]int64, HistogramBins)
	width := (s.Max - s.Min) / HistogramBins
	for _, x := range v {
		i := HistogramBins - 1
		if width > 0 {
			i = min(int((float64(x)-s.Min)/width), HistogramBins-1)
		}
		s.Histogram[i]++
	}
	return s
}
