package rtree

// hilbertMax is the largest cell coordinate of the 65536 × 65536 grid that
// item centres are placed on before ordering, FlatGeobuf's resolution.
const hilbertMax = 1<<16 - 1

// hilbert returns the distance along a Hilbert curve filling the 65536 ×
// 65536 grid of the cell (x, y), both at most hilbertMax. The curve starts
// at (0, 0), so the first 4^k distances fill the 2^k × 2^k cells at the
// origin. This is the classic quadrant-by-quadrant walk: sixteen steps, each
// picking the quadrant and turning the frame so the sub-curve joins its
// neighbours; Build calls it once per item, which is not its bottleneck.
func hilbert(x, y uint32) uint32 {
	var d uint32
	for s := uint32(1 << 15); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				// Flipping every bit flips the lower ones the next steps
				// read; the higher ones are no longer looked at.
				x = hilbertMax - x
				y = hilbertMax - y
			}
			x, y = y, x
		}
	}
	return d
}

// cell maps a coordinate onto the grid over [lo, lo+width]. A zero width
// (all centres on one line) and values that overflow to infinity or NaN
// clamp into the grid rather than wrap, since only the order matters.
func cell(v, lo, width float64) uint32 {
	f := (v - lo) / width
	if !(f > 0) { // also NaN
		return 0
	}
	if f >= 1 {
		return hilbertMax
	}
	return uint32(f * hilbertMax)
}
