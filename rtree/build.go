package rtree

import (
	"fmt"
	"math"
	"slices"
)

// Item is one box to index and the id Search reports for it. A point is a box
// with MinX == MaxX and MinY == MaxY.
type Item struct {
	MinX, MinY, MaxX, MaxY float64
	ID                     uint64
}

// maxItems keeps an item's position in 32 bits, packed beside its Hilbert
// value in one sort key; four billion items would be a 160 GB index.
const maxItems = math.MaxUint32

// Build returns the index of items in the byte layout described in the
// package doc. nodeSize is the most children per node, 2 to MaxNodeSize; 0
// means DefaultNodeSize. Items may share ids and boxes; each item is found
// once. Build does not keep or modify items.
func Build(items []Item, nodeSize int) ([]byte, error) {
	if nodeSize == 0 {
		nodeSize = DefaultNodeSize
	}
	if nodeSize < 2 || nodeSize > MaxNodeSize {
		return nil, fmt.Errorf("rtree: node size %d is out of range; use 2 to %d, or 0 for %d", nodeSize, MaxNodeSize, DefaultNodeSize)
	}
	if uint64(len(items)) > maxItems {
		return nil, fmt.Errorf("rtree: %d items are more than one index holds (%d); split the layer", len(items), maxItems)
	}
	ext := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := range items {
		it := &items[i]
		if !valid(it) {
			return nil, fmt.Errorf("rtree: item %d (id %d) has box [%g %g %g %g]; want finite coordinates with min <= max", i, it.ID, it.MinX, it.MinY, it.MaxX, it.MaxY)
		}
		ext.expand(box{it.MinX, it.MinY, it.MaxX, it.MaxY})
	}
	if len(items) == 0 {
		ext = box{}
	}

	ns := uint64(nodeSize)
	s := newShape(uint64(len(items)), ns)
	index := make([]byte, headerSize+s.numNodes*nodeLen)
	writeHeader(index, ns, uint64(len(items)), ext)
	if len(items) == 0 {
		return index, nil
	}

	// One uint64 per item, Hilbert value high and position low, sorts in a
	// single flat pass without a comparison closure and breaks ties by input
	// order, so equal inputs give identical bytes.
	keys := make([]uint64, len(items))
	w, h := ext.maxX-ext.minX, ext.maxY-ext.minY
	for i := range items {
		it := &items[i]
		// Halving before adding keeps the centre finite near ±MaxFloat64.
		x := cell(it.MinX/2+it.MaxX/2, ext.minX, w)
		y := cell(it.MinY/2+it.MaxY/2, ext.minY, h)
		keys[i] = uint64(hilbert(x, y))<<32 | uint64(i)
	}
	slices.Sort(keys)

	leaves := s.levels[s.leaf()]
	for k, key := range keys {
		it := &items[uint32(key)]
		writeNode(index, leaves.start+uint64(k), box{it.MinX, it.MinY, it.MaxX, it.MaxY}, it.ID)
	}
	// Each parent level is the union of consecutive runs of nodeSize nodes
	// of the level below, read back from the bytes just written.
	for l := s.leaf(); l > 0; l-- {
		child, parent := s.levels[l], s.levels[l-1]
		for p := parent.start; p < parent.end; p++ {
			first := child.start + (p-parent.start)*ns
			end := min(first+ns, child.end)
			bb, _ := readNode(index, first)
			for c := first + 1; c < end; c++ {
				cb, _ := readNode(index, c)
				bb.expand(cb)
			}
			writeNode(index, p, bb, first)
		}
	}
	return index, nil
}

// valid rejects NaN and infinite coordinates and inverted boxes, which would
// either never match a query or make the extent infinite.
func valid(it *Item) bool {
	for _, v := range [...]float64{it.MinX, it.MinY, it.MaxX, it.MaxY} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return it.MinX <= it.MaxX && it.MinY <= it.MaxY
}
