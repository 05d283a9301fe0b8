package raster

import (
	"math"
	"slices"
)

// A Method combines the valid values of a 2×2 block of child cells into
// the value of the parent cell that covers them, one zoom up.
type Method int

// The downsampling methods. Every method skips nodata (NaN): a parent cell
// is nodata only when all four of its children are, and a parent cell over
// one valid child among nodata takes that child's value.
const (
	// Average is the mean of the valid children, for continuous values.
	Average Method = iota
	// Nearest takes one fixed child, the south-east one (odd column, odd
	// row: the parent's centre is its north-west corner), or the first
	// valid one in the order north-west, north-east, south-west when it is
	// nodata.
	Nearest
	// Mode takes the most frequent valid value; a tie goes to the value
	// met first in the order north-west, north-east, south-west, south-east.
	Mode
	// Min and Max take the least and the greatest valid value.
	Min
	Max
	// Median, Q1 and Q3 take the valid value of that rank (nearest rank:
	// the ⌈q·n⌉-th smallest of n).
	Median
	Q1
	Q3
)

// MethodFor returns the Method that fits a GDAL resampling method name
// (gdalwarp -r): the value-picking methods map to their own, and every
// continuous one (bilinear, cubic, cubicspline, lanczos, average, and any
// name not known here) to Average.
func MethodFor(resampling string) Method {
	switch resampling {
	case "near", "nearest":
		return Nearest
	case "mode":
		return Mode
	case "min":
		return Min
	case "max":
		return Max
	case "med":
		return Median
	case "q1":
		return Q1
	case "q3":
		return Q3
	}
	return Average
}

// Downsample returns the parent of four child tiles at half their
// resolution, by method m: children are the north-west, north-east,
// south-west and south-east children, of one size (even) and band count,
// nil where a child holds no data. It returns nil when every child is nil.
// Parent cell (i, j) of the north-west quarter covers cells 2i, 2i+1 by 2j,
// 2j+1 of the north-west child, and so on: the grids of WebMercatorQuad
// zooms nest exactly.
func Downsample(children [4]*Tile, m Method) *Tile {
	var size, bands int
	for _, c := range children {
		if c != nil {
			size, bands = c.Size, c.Bands
			break
		}
	}
	if size == 0 {
		return nil
	}
	parent := NewTile(size, bands)
	half := size / 2
	var block [4]float32
	for q, c := range children {
		if c == nil {
			continue
		}
		ox, oy := (q%2)*half, (q/2)*half
		for b := range bands {
			src := c.Data[b*size*size : (b+1)*size*size]
			dst := parent.Data[b*size*size : (b+1)*size*size]
			for j := range half {
				r0 := src[2*j*size : (2*j+1)*size]
				r1 := src[(2*j+1)*size : (2*j+2)*size]
				out := dst[(oy+j)*size+ox : (oy+j)*size+ox+half]
				if m == Average {
					averageRow(out, r0, r1)
					continue
				}
				for i := range out {
					block = [4]float32{r0[2*i], r0[2*i+1], r1[2*i], r1[2*i+1]}
					out[i] = pick(block, m)
				}
			}
		}
	}
	return parent
}

// averageRow sets each out[i] to the mean of the valid values of the 2×2
// block at columns 2i, 2i+1 of rows r0 and r1, in float64, or NaN when none
// is valid.
func averageRow(out, r0, r1 []float32) {
	for i := range out {
		a, b, c, d := r0[2*i], r0[2*i+1], r1[2*i], r1[2*i+1]
		if a == a && b == b && c == c && d == d {
			out[i] = float32((float64(a) + float64(b) + float64(c) + float64(d)) / 4)
			continue
		}
		var sum float64
		n := 0
		for _, v := range [4]float32{a, b, c, d} {
			if v == v {
				sum += float64(v)
				n++
			}
		}
		if n == 0 {
			out[i] = float32(math.NaN())
		} else {
			out[i] = float32(sum / float64(n))
		}
	}
}

// pick returns the value method m (not Average) picks from a 2×2 block in
// the order north-west, north-east, south-west, south-east; NaN when all
// four are nodata.
func pick(block [4]float32, m Method) float32 {
	if m == Nearest {
		if v := block[3]; v == v {
			return v
		}
	}
	var buf [4]float32
	valid := buf[:0]
	for _, v := range block {
		if v == v {
			valid = append(valid, v)
		}
	}
	if len(valid) == 0 {
		return float32(math.NaN())
	}
	switch m {
	case Nearest:
		return valid[0]
	case Mode:
		best, bestN := valid[0], 0
		for _, v := range valid {
			n := 0
			for _, w := range valid {
				if w == v {
					n++
				}
			}
			if n > bestN {
				best, bestN = v, n
			}
		}
		return best
	}
	slices.Sort(valid)
	switch m {
	case Min:
		return valid[0]
	case Max:
		return valid[len(valid)-1]
	}
	q := 0.5
	switch m {
	case Q1:
		q = 0.25
	case Q3:
		q = 0.75
	}
	rank := max(int(math.Ceil(q*float64(len(valid))))-1, 0)
	return valid[rank]
}
