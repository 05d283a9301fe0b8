package tileset

import (
	"encoding/binary"
	"fmt"
)

// The position table lets a page of features start at any offset with one
// seek: it records the id found at every positionStride-th place of the
// ascending id order, so reaching offset n takes a seek to the id at place
// n - n%positionStride and fewer than positionStride steps of a cursor.
// Feature ids follow the source's order with gaps where ingest skipped a
// feature (they are the ids in the tiles too), so the id at a place cannot
// be computed; with 128 the table costs 1/16 byte per feature and a step
// costs tens of nanoseconds.
//
// Layout (little-endian, FORMAT.md "Feature positions"):
//
//	0   4  magic "OPPT"
//	4   2  version, 1
//	6   2  flags; bit 0: every feature is a single point (positionsPoints)
//	8   8  count: the number of features stored
//	16  8  stride, at least 1
//	24  8  × ceil(count / stride): the id at places 0, stride, 2 × stride, …
const positionStride = 128

const (
	positionsMagic   = "OPPT"
	positionsVersion = 1
	positionsHeader  = 24
)

// positionsPoints flags a tileset whose every feature is a single point.
// The index's box of a point is the point, so its answer to a box query is
// already exact and needs no feature read to be counted.
const positionsPoints = 1

// positions is a position table read in place.
type positions struct {
	flags  uint16
	count  uint64
	stride uint64
	ids    []byte // the id column, 8 bytes an entry
}

// encodePositions builds the table of ids, which must be sorted ascending.
func encodePositions(ids []uint64, stride uint64, flags uint16) []byte {
	n := (uint64(len(ids)) + stride - 1) / stride
	b := make([]byte, positionsHeader+8*n)
	copy(b, positionsMagic)
	le := binary.LittleEndian
	le.PutUint16(b[4:], positionsVersion)
	le.PutUint16(b[6:], flags)
	le.PutUint64(b[8:], uint64(len(ids)))
	le.PutUint64(b[16:], stride)
	for i := uint64(0); i < n; i++ {
		le.PutUint64(b[positionsHeader+8*i:], ids[i*stride])
	}
	return b
}

// readPositions validates a table, including that its length is exactly
// what its count and stride require, and returns it without copying.
func readPositions(b []byte) (positions, error) {
	if len(b) < positionsHeader || string(b[:4]) != positionsMagic {
		return positions{}, fmt.Errorf("the position table is not one (%d bytes)", len(b))
	}
	le := binary.LittleEndian
	if v := le.Uint16(b[4:]); v != positionsVersion {
		return positions{}, fmt.Errorf("the position table has version %d; this program reads %d", v, positionsVersion)
	}
	p := positions{flags: le.Uint16(b[6:]), count: le.Uint64(b[8:]), stride: le.Uint64(b[16:]), ids: b[positionsHeader:]}
	// Compare entry counts rather than byte lengths: 8 × a corrupt count
	// could overflow.
	if p.stride == 0 || len(p.ids)%8 != 0 ||
		uint64(len(p.ids)/8) != p.count/p.stride+min(p.count%p.stride, 1) {
		return positions{}, fmt.Errorf("the position table's length %d does not fit %d features at stride %d", len(b), p.count, p.stride)
	}
	return p, nil
}

// at returns the id at place i·stride, for i < ceil(count/stride).
func (p positions) at(i uint64) uint64 {
	return binary.LittleEndian.Uint64(p.ids[8*i:])
}
