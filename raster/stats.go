package raster

import (
	"math"
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
	// percentile (nearest rank), from a histogram of fineBins bins (see
	// Accumulator): exact where the rank's fine bin holds one distinct
	// value, else within (Max−Min)/65536 of it.
	Percentiles map[string]float64 `json:"percentiles"`
	// Histogram counts the values in HistogramBins equal bins from Min to
	// Max, the last bin including Max.
	Histogram []int64 `json:"histogram"`
}

// percentiles are the ranks Stats reports; p2 and p98 are the default stretch.
var percentiles = []int{2, 25, 50, 75, 98}

// fineBins is the resolution of the histogram percentiles are read from; a
// multiple of HistogramBins, so that the stored histogram is its sum.
const fineBins = 1 << 16

// Compute returns the statistics of values, ignoring NaN; nil when none is
// valid. It is an Accumulator's two passes over the slice.
func Compute(values []float32) *Stats {
	var a Accumulator
	a.Scan(values)
	a.StartHistogram()
	a.Scan(values)
	return a.Stats()
}

// Accumulator computes Stats in two passes over a band's values, in
// memory that does not grow with them (about 1 MB): the first pass finds
// the count, min, max, mean and standard deviation (exactly, in float64
// from a shifted origin); the second counts the values into fineBins
// equal bins from min to max, noting each bin's least and greatest value.
// The zero value is ready for the first pass.
type Accumulator struct {
	second     bool
	n          int64
	min, max   float64
	shift      float64 // the first value: sums are of x − shift, for precision
	sum, sumSq float64
	fine       []int64
	lo, hi     []float32 // each fine bin's least and greatest value
}

// Scan adds values (NaN is nodata, skipped) to the pass under way. The
// second pass must see the same values as the first, in any order and
// chunks.
func (a *Accumulator) Scan(values []float32) {
	if a.second {
		a.scanHistogram(values)
		return
	}
	for _, x := range values {
		if x != x {
			continue
		}
		v := float64(x)
		if a.n == 0 {
			a.min, a.max, a.shift = v, v, v
		}
		a.n++
		a.min, a.max = min(a.min, v), max(a.max, v)
		d := v - a.shift
		a.sum += d
		a.sumSq += d * d
	}
}

// StartHistogram ends the first pass and starts the second.
func (a *Accumulator) StartHistogram() {
	a.second = true
	a.fine = make([]int64, fineBins)
	a.lo, a.hi = make([]float32, fineBins), make([]float32, fineBins)
}

func (a *Accumulator) bin(v float64) int {
	if a.max == a.min {
		return 0
	}
	return min(max(int((v-a.min)/(a.max-a.min)*fineBins), 0), fineBins-1)
}

func (a *Accumulator) scanHistogram(values []float32) {
	for _, x := range values {
		if x != x {
			continue
		}
		i := a.bin(float64(x))
		if a.fine[i] == 0 || x < a.lo[i] {
			a.lo[i] = x
		}
		if a.fine[i] == 0 || x > a.hi[i] {
			a.hi[i] = x
		}
		a.fine[i]++
	}
}

// Stats returns the statistics after the second pass; nil when no value
// was valid.
func (a *Accumulator) Stats() *Stats {
	if a.n == 0 {
		return nil
	}
	n := float64(a.n)
	mean := a.sum / n
	s := &Stats{Count: a.n, Min: a.min, Max: a.max, Mean: a.shift + mean,
		StdDev:      math.Sqrt(max(0, a.sumSq/n-mean*mean)),
		Percentiles: map[string]float64{}, Histogram: make([]int64, HistogramBins)}
	for i, c := range a.fine {
		s.Histogram[i/(fineBins/HistogramBins)] += c
	}
	if a.max == a.min {
		s.Histogram = make([]int64, HistogramBins)
		s.Histogram[HistogramBins-1] = a.n
	}
	for _, p := range percentiles {
		rank := max(int64(math.Ceil(float64(p)/100*n))-1, 0) // from 0
		var below int64
		for i, c := range a.fine {
			if below+c > rank {
				v := float64(a.lo[i])
				if c > 1 && a.hi[i] != a.lo[i] {
					// Spread the bin's values evenly from its least to its greatest.
					v += float64(rank-below) / float64(c-1) * float64(a.hi[i]-a.lo[i])
				}
				s.Percentiles["p"+strconv.Itoa(p)] = v
				break
			}
			below += c
		}
	}
	return s
}
