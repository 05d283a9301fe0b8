package rtree

import (
	"fmt"
	"slices"
)

// Search calls fn with the id of every item whose box intersects the query
// box, edges included, until fn returns false. Ids come in the index's leaf
// (Hilbert) order; SearchIDs sorts them. A query with min > max or a NaN
// matches nothing.
//
// Search reads index in place and allocates nothing: it may be a value in a
// memory-mapped file, and only the nodes a query reaches are touched. It
// checks the header and length first and, on the way down, that each node it
// enters points at the children the layout places there, so a corrupt index
// returns an error wrapping ErrCorrupt, possibly after some ids were
// reported, and never panics.
func Search(index []byte, minX, minY, maxX, maxY float64, fn func(id uint64) bool) error {
	_, s, err := open(index)
	// Without the order check an inverted query would still meet items
	// wide enough to span it.
	if err != nil || s.n == 0 || !(minX <= maxX && minY <= maxY) {
		return err
	}
	q := box{minX, minY, maxX, maxY}
	leaf := s.leaf()

	// A depth-first walk keeps, per level, the range of siblings still to
	// visit: at most one range per level, so a fixed array on the stack
	// replaces the queue FlatGeobuf's reader grows on the heap.
	var todo [maxLevels]level
	todo[0] = s.levels[0]
	for depth := 0; depth >= 0; {
		r := &todo[depth]
		if r.start == r.end {
			depth--
			continue
		}
		i := r.start
		r.start++
		bb, offset := readNode(index, i)
		if !bb.intersects(q) {
			continue
		}
		if depth == leaf {
			if !fn(offset) {
				return nil
			}
			continue
		}
		below := s.levels[depth+1]
		first := below.start + (i-s.levels[depth].start)*s.nodeSize
		if offset != first {
			return fmt.Errorf("%w: node %d points at child %d, want %d", ErrCorrupt, i, offset, first)
		}
		depth++
		todo[depth] = level{first, min(first+s.nodeSize, below.end)}
	}
	return nil
}

// SearchIDs returns the ids Search reports, sorted ascending, so that a
// caller paging through the results sees them in a stable order.
func SearchIDs(index []byte, minX, minY, maxX, maxY float64) ([]uint64, error) {
	var ids []uint64
	err := Search(index, minX, minY, maxX, maxY, func(id uint64) bool {
		ids = append(ids, id)
		return true
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
