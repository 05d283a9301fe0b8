// Package coveragecheck measures how well the polygons of vector tiles
// keep a coverage: it rasterises every polygon of a tile on a grid of sample
// points and counts how many polygons cover each, so that a gap (a sample
// inside the coverage that no polygon covers) or an overlap (one that two
// cover) shows up as a count other than one.
//
// Samples are taken at pixel centres, and a sample on an edge shared by two
// polygons belongs to exactly one of them (edges are half-open, and the
// crossing of a row with an edge is computed the same way for both
// neighbours), so a coverage whose neighbours share their edges exactly
// counts one everywhere inside it.
package coveragecheck

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Grid counts, for each sample of a tile, the polygons covering it. Sample
// (i, j) lies at the centre of pixel i of row j, pixels being Extent/Size
// tile units wide.
type Grid struct {
	Size   int
	Extent float64
	Count  []uint8 // Size*Size, row by row
	rows   [][]float64
}

// NewGrid returns an empty grid of size×size samples over a tile of the
// given extent.
func NewGrid(size int, extent float64) *Grid {
	return &Grid{Size: size, Extent: extent, Count: make([]uint8, size*size), rows: make([][]float64, size)}
}

// Reset clears the counts.
func (g *Grid) Reset() { clear(g.Count) }

// Sample is the position, in tile units, of sample (i, j).
func (g *Grid) Sample(i, j int) orb.Point {
	step := g.Extent / float64(g.Size)
	return orb.Point{(float64(i) + 0.5) * step, (float64(j) + 0.5) * step}
}

// AddGeometry adds the polygons of a decoded tile geometry (Polygon or
// MultiPolygon, tile units); other kinds are ignored.
func (g *Grid) AddGeometry(geom orb.Geometry) {
	switch geom := geom.(type) {
	case orb.Polygon:
		g.AddPolygon(geom)
	case orb.MultiPolygon:
		for _, p := range geom {
			g.AddPolygon(p)
		}
	}
}

// AddPolygon adds one to every sample inside p (even-odd over its rings).
func (g *Grid) AddPolygon(p orb.Polygon) {
	step := g.Extent / float64(g.Size)
	for j := range g.rows {
		g.rows[j] = g.rows[j][:0]
	}
	for _, r := range p {
		n := len(r)
		for k := range n {
			a, b := r[k], r[(k+1)%n]
			if a == b {
				continue
			}
			// The same arithmetic whichever way the edge is walked.
			if b[1] < a[1] || b[1] == a[1] && b[0] < a[0] {
				a, b = b, a
			}
			// Rows whose sample y is in [a.y, b.y).
			j0 := max(0, ceilIndex(a[1], step))
			j1 := min(g.Size, ceilIndex(b[1], step))
			for j := j0; j < j1; j++ {
				y := (float64(j) + 0.5) * step
				x := a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
				g.rows[j] = append(g.rows[j], x)
			}
		}
	}
	for j, xs := range g.rows {
		if len(xs) < 2 {
			continue
		}
		slices.Sort(xs)
		row := g.Count[j*g.Size : (j+1)*g.Size]
		for k := 0; k+1 < len(xs); k += 2 {
			// Samples with xs[k] <= x < xs[k+1].
			i0 := max(0, ceilIndex(xs[k], step))
			i1 := min(g.Size, ceilIndex(xs[k+1], step))
			for i := i0; i < i1; i++ {
				if row[i] < 255 {
					row[i]++
				}
			}
		}
	}
}

// ceilIndex is the first sample index whose centre is at or after v.
func ceilIndex(v, step float64) int {
	i := int(math.Ceil(v/step - 0.5))
	// Guard against rounding in the division.
	for (float64(i)+0.5)*step < v {
		i++
	}
	for (float64(i-1)+0.5)*step >= v {
		i--
	}
	return i
}

// Tally counts the samples inside a region (a test in tile units, say the
// coverage's extent less a margin for anti-aliasing at its outer edge) that
// no polygon covers, and the samples anywhere covered more than once.
func (g *Grid) Tally(inside func(orb.Point) bool) (gaps, overlaps int) {
	for j := range g.Size {
		for i := range g.Size {
			c := g.Count[j*g.Size+i]
			if c > 1 {
				overlaps++
			} else if c == 0 && inside != nil && inside(g.Sample(i, j)) {
				gaps++
			}
		}
	}
	return gaps, overlaps
}
