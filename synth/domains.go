package synth

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// layout places the legend's tectonic domains and intermontane basins on the
// map. Northern Thailand's belts trend roughly north-north-east and their
// boundaries wander; its Cenozoic basins are narrow north-south valleys. The
// phases come from the seed so that each seed draws a different map.
type layout struct {
	legend *legend
	phase  [5]float64
}

func newLayout(l *legend, rng *rand.Rand) *layout {
	lay := &layout{legend: l}
	for i := range lay.phase {
		lay.phase[i] = rng.Float64() * 2 * math.Pi
	}
	return lay
}

// domainAt returns the index of the domain a point falls in.
func (lay *layout) domainAt(p orb.Point) int {
	dy := p[1] - region.Center()[1]
	x := p[0] - 0.12*dy +
		14000*math.Sin(2*math.Pi*dy/190000+lay.phase[0]) +
		6000*math.Sin(2*math.Pi*dy/61000+lay.phase[1])
	ds := lay.legend.Domains
	for i, d := range ds {
		if x < d.EastEdge {
			return i
		}
	}
	return len(ds) - 1
}

// inBasin reports whether a point lies in one of the valleys that Quaternary
// and Neogene sediments fill.
func (lay *layout) inBasin(p orb.Point) bool {
	x, y := p[0], p[1]-region.Min[1]
	across := math.Cos(2*math.Pi*(x+9000*math.Sin(2*math.Pi*y/140000+lay.phase[2]))/58000 + lay.phase[3])
	along := math.Sin(2*math.Pi*y/230000 + lay.phase[4])
	return across > 0.8 && along > -0.2
}
