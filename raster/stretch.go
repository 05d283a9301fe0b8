package raster

// Stretch spreads band values over a ramp: it maps a value to 0…1.
type Stretch struct {
	lo, scale float64
	// cdf, for a histogram equalisation, is the fraction of values below
	// each bin edge of the histogram, from lo by 1/scale wide bins.
	cdf []float64
}

// Linear spreads lo…hi evenly over the ramp; values outside are clamped.
// lo == hi maps every value to 0.
func Linear(lo, hi float64) Stretch {
	s := Stretch{lo: lo}
	if hi != lo {
		s.scale = 1 / (hi - lo)
	}
	return s
}

// Equalise spreads values by their rank, from the band's stored histogram
// (histogram equalisation): a value's place on the ramp is the fraction of
// the band's values below it, interpolated linearly within its bin. Each
// colour of the ramp then covers as many pixels as any other, to the
// histogram's resolution (HistogramBins bins from min to max). Nil stats,
// or stats without a histogram, give Linear(0, 0).
func Equalise(st *Stats) Stretch {
	if st == nil || len(st.Histogram) == 0 || st.Count == 0 || st.Max <= st.Min {
		return Linear(0, 0)
	}
	n := len(st.Histogram)
	s := Stretch{lo: st.Min, scale: float64(n) / (st.Max - st.Min), cdf: make([]float64, n+1)}
	var sum int64
	for i, c := range st.Histogram {
		sum += c
		s.cdf[i+1] = float64(sum)
	}
	for i := range s.cdf {
		s.cdf[i] /= float64(sum)
	}
	return s
}

// At returns v's place on the ramp, from 0 to 1.
func (s Stretch) At(v float64) float64 {
	t := (v - s.lo) * s.scale
	if s.cdf == nil {
		return min(max(t, 0), 1)
	}
	if !(t > 0) {
		return 0
	}
	n := len(s.cdf) - 1
	if t >= float64(n) {
		return 1
	}
	i := int(t)
	return s.cdf[i] + (t-float64(i))*(s.cdf[i+1]-s.cdf[i])
}
