package rtree

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Version is the byte layout version Build writes and the newest Search reads.
const Version = 1

// DefaultNodeSize is FlatGeobuf's default and the node size Build uses when
// given 0: 16 children of 40 bytes fill 640 bytes, well within a 4 KiB page,
// and a million items need only six levels.
const DefaultNodeSize = 16

// MaxNodeSize is the largest node size the 16-bit header field holds.
const MaxNodeSize = math.MaxUint16

const (
	magic      = "OPRT"
	headerSize = 48
	nodeLen    = 40
	// maxLevels bounds the depth of any index whose length fits in memory:
	// with the smallest node size, 2, each level at least halves the count,
	// and a count is below 2^64.
	maxLevels = 65
)

// ErrCorrupt is wrapped by every error that reports an index whose bytes are
// not a valid layout: truncated, overwritten or written by something else.
var ErrCorrupt = errors.New("rtree: corrupt index")

// ErrVersion is wrapped by the error for an index written in a newer layout
// than this package reads.
var ErrVersion = errors.New("rtree: unsupported index version")

// Header is the self-description at the start of an index.
type Header struct {
	Version  int
	NodeSize int
	// Count is the number of items indexed.
	Count int
	// MinX, MinY, MaxX and MaxY are the union of all item boxes, all zero for
	// an empty index.
	MinX, MinY, MaxX, MaxY float64
}

// level is the half-open range [start, end) of node indexes of one level.
type level struct{ start, end uint64 }

// shape is what numItems and nodeSize determine: the levels, root first, and
// the total number of nodes. It is a value with a fixed array so that Search
// computes it on the stack for every call rather than caching a decoded form.
type shape struct {
	levels   [maxLevels]level
	n        int // number of levels; 0 for an empty index
	numNodes uint64
	nodeSize uint64
}

// leaf reports the index of the leaf level.
func (s *shape) leaf() int { return s.n - 1 }

// newShape lays out the levels for numItems items. The caller guarantees
// nodeSize >= 2 and numItems small enough that 40 × 2 × numItems does not
// overflow, which keeps every count below and the node total in range.
func newShape(numItems, nodeSize uint64) shape {
	s := shape{nodeSize: nodeSize}
	if numItems == 0 {
		return s
	}
	// Counts bottom-up, then starts top-down.
	var counts [maxLevels]uint64
	n := 0
	for c := numItems; ; c = (c + nodeSize - 1) / nodeSize {
		counts[n] = c
		n++
		s.numNodes += c
		if c == 1 {
			break
		}
	}
	s.n = n
	var start uint64
	for i := range n {
		c := counts[n-1-i]
		s.levels[i] = level{start, start + c}
		start += c
	}
	return s
}

// ReadHeader validates an index's header and length and returns the header.
// It checks that the length is exactly what the header's count and node size
// require, which is what later lets Search trust every node position it
// computes.
func ReadHeader(index []byte) (Header, error) {
	h, _, err := open(index)
	return h, err
}

// Count returns the number of items in an index.
func Count(index []byte) (int, error) {
	h, _, err := open(index)
	return h.Count, err
}

func open(index []byte) (Header, shape, error) {
	if len(index) < headerSize {
		return Header{}, shape{}, fmt.Errorf("%w: %d bytes, shorter than the %d-byte header", ErrCorrupt, len(index), headerSize)
	}
	if string(index[0:4]) != magic {
		return Header{}, shape{}, fmt.Errorf("%w: magic bytes %x, want %x (%q)", ErrCorrupt, index[0:4], magic, magic)
	}
	le := binary.LittleEndian
	version := le.Uint16(index[4:])
	if version != Version {
		return Header{}, shape{}, fmt.Errorf("%w %d: this reader knows version %d; upgrade Outcrop or rebuild the index", ErrVersion, version, Version)
	}
	nodeSize := uint64(le.Uint16(index[6:]))
	if nodeSize < 2 {
		return Header{}, shape{}, fmt.Errorf("%w: node size %d, want at least 2", ErrCorrupt, nodeSize)
	}
	numItems := le.Uint64(index[8:])
	// Bound the count by the bytes present before computing anything from
	// it, so that a corrupt count cannot overflow the arithmetic below.
	if numItems > uint64(len(index)-headerSize)/nodeLen {
		return Header{}, shape{}, fmt.Errorf("%w: header counts %d items but only %d bytes follow it", ErrCorrupt, numItems, len(index)-headerSize)
	}
	s := newShape(numItems, nodeSize)
	if want := headerSize + s.numNodes*nodeLen; uint64(len(index)) != want {
		return Header{}, shape{}, fmt.Errorf("%w: %d bytes, want %d for %d items with node size %d", ErrCorrupt, len(index), want, numItems, nodeSize)
	}
	h := Header{
		Version:  int(version),
		NodeSize: int(nodeSize),
		Count:    int(numItems),
		MinX:     math.Float64frombits(le.Uint64(index[16:])),
		MinY:     math.Float64frombits(le.Uint64(index[24:])),
		MaxX:     math.Float64frombits(le.Uint64(index[32:])),
		MaxY:     math.Float64frombits(le.Uint64(index[40:])),
	}
	return h, s, nil
}

// box is an axis-aligned rectangle, edges included.
type box struct{ minX, minY, maxX, maxY float64 }

func (b box) intersects(o box) bool {
	return b.minX <= o.maxX && b.maxX >= o.minX && b.minY <= o.maxY && b.maxY >= o.minY
}

func (b *box) expand(o box) {
	b.minX = min(b.minX, o.minX)
	b.minY = min(b.minY, o.minY)
	b.maxX = max(b.maxX, o.maxX)
	b.maxY = max(b.maxY, o.maxY)
}

// readNode decodes node i. The caller has checked i < numNodes against a
// length validated by open, so the slice expression cannot fail.
func readNode(index []byte, i uint64) (box, uint64) {
	b := index[headerSize+i*nodeLen:][:nodeLen]
	le := binary.LittleEndian
	return box{
		minX: math.Float64frombits(le.Uint64(b[0:])),
		minY: math.Float64frombits(le.Uint64(b[8:])),
		maxX: math.Float64frombits(le.Uint64(b[16:])),
		maxY: math.Float64frombits(le.Uint64(b[24:])),
	}, le.Uint64(b[32:])
}

func writeNode(index []byte, i uint64, bb box, offset uint64) {
	b := index[headerSize+i*nodeLen:][:nodeLen]
	le := binary.LittleEndian
	le.PutUint64(b[0:], math.Float64bits(bb.minX))
	le.PutUint64(b[8:], math.Float64bits(bb.minY))
	le.PutUint64(b[16:], math.Float64bits(bb.maxX))
	le.PutUint64(b[24:], math.Float64bits(bb.maxY))
	le.PutUint64(b[32:], offset)
}

func writeHeader(index []byte, nodeSize, numItems uint64, ext box) {
	copy(index[0:4], magic)
	le := binary.LittleEndian
	le.PutUint16(index[4:], Version)
	le.PutUint16(index[6:], uint16(nodeSize))
	le.PutUint64(index[8:], numItems)
	le.PutUint64(index[16:], math.Float64bits(ext.minX))
	le.PutUint64(index[24:], math.Float64bits(ext.minY))
	le.PutUint64(index[32:], math.Float64bits(ext.maxX))
	le.PutUint64(index[40:], math.Float64bits(ext.maxY))
}
