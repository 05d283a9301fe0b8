package ingest

import (
	"math"

	"github.com/paulmach/orb"
)

// DefaultPrecision is the number of decimal places of the WGS 84
// coordinates ingest stores when --precision is not given: 1e-7 degrees is
// about 1 cm on the ground, finer than any survey map, and rounding to it
// drops the noise a reprojection leaves in the last of 15 digits.
const DefaultPrecision = 7

// MaxPrecision is the most decimal places --precision accepts: 1e-12
// degrees is a tenth of a micrometre, and beyond it float64 longitudes
// have no more digits to keep.
const MaxPrecision = 12

// precision returns the decimal places opts asks for.
func (opts *Options) precision() int {
	if opts.Precision == 0 {
		return DefaultPrecision
	}
	return opts.Precision
}

// roundCoords rounds every coordinate of g to decimals decimal places, in
// place except for a Point, which is returned changed. A rounded value is
// the float64 nearest to a decimal of at most that many places, so JSON
// writes it with no more.
func roundCoords(g orb.Geometry, decimals int) orb.Geometry {
	scale := math.Pow10(decimals)
	round := func(p *orb.Point) bool {
		p[0] = math.Round(p[0]*scale) / scale
		p[1] = math.Round(p[1]*scale) / scale
		return true
	}
	if p, ok := g.(orb.Point); ok {
		round(&p)
		return p
	}
	eachPoint(g, round)
	return g
}
