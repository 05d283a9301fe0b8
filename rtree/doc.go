// Package rtree is a static packed Hilbert R-tree serialised to bytes and
// searched in place: the spatial index a tileset file keeps beside its
// features. Build runs once at ingest; Search reads the bytes where they lie
// (a bbolt value in a memory-mapped file) without decoding or copying the
// index, so opening a store of many tilesets costs no memory per index.
//
// The tree is the one FlatGeobuf uses (its packedrtree): items are sorted by
// the Hilbert value of their bounding box centre and packed NodeSize to a
// node, the levels above are packed the same way, and all nodes are stored as
// one array, root first. Our layout adds a small header so that the bytes
// describe themselves; the node array is the same as FlatGeobuf's, except
// that a leaf's offset holds the caller's item id rather than a byte offset.
//
// Why not a module: the Go module proxy serves no FlatGeobuf port (neither
// github.com/flatgeobuf/flatgeobuf/src/go nor github.com/gogama/flatgeobuf),
// and the Go R-trees it does serve (github.com/tidwall/rtree,
// github.com/dhconnelly/rtreego, the rtree of github.com/peterstace/simplefeatures)
// are trees of pointers in memory, with no byte layout to search in place.
// The packed tree is small enough to own: its layout is part of the published
// tileset format anyway, so it has to be specified here either way.
//
// Coordinates are stored as float64, exactly as given, so that Search
// answers exactly what a brute-force test of the same boxes answers; the cost
// over float32 is 16 bytes per node (43 MB rather than 26 MB for a million
// items), which a memory-mapped file pays only for the pages a query touches.
//
// # Byte layout, version 1
//
// All integers are unsigned and all numbers little-endian; float64 is IEEE 754
// binary64. An index is a 48-byte header followed directly by the nodes, and
// its length is exactly 48 + 40 × numNodes bytes.
//
//	offset  size  field
//	0       4     magic, the ASCII bytes "OPRT" (4f 50 52 54)
//	4       2     version, uint16, 1
//	6       2     nodeSize, uint16, 2 to 65535: the most children of one node
//	8       8     numItems, uint64
//	16      8     minX, float64  \
//	24      8     minY, float64   | extent: the union of all item boxes,
//	32      8     maxX, float64   | all zero when numItems is 0
//	40      8     maxY, float64  /
//	48      40×N  nodes
//
// Each node is 40 bytes:
//
//	offset  size  field
//	0       8     minX, float64
//	8       8     minY, float64
//	16      8     maxX, float64
//	24      8     maxY, float64
//	32      8     offset, uint64
//
// The number of nodes and their levels follow from numItems and nodeSize
// alone. Counting levels from the leaves, level 0 has numItems nodes and
// level k+1 has ceil(count(k) / nodeSize) nodes, up to the first level of one
// node, the root. With numItems 1 the single leaf is the root; with numItems
// 0 there are no nodes. numNodes is the sum of the counts. The nodes are
// stored root level first and leaf level last, each level contiguous, so the
// leaves are the last numItems nodes.
//
// A leaf's box is an item's box and its offset is the item's id. A node above
// the leaves covers the union of its children's boxes; its offset is the
// index, in the whole node array counted from 0, of its first child. Children
// are contiguous: the j-th node of a level (counting from 0 within the level)
// has as children nodes j×nodeSize to min((j+1)×nodeSize, count) - 1 of the
// level below it, so the stored offset is redundant and a reader uses it as
// a check.
//
// The leaves are in ascending order of the Hilbert value of their box centre
// on a 65536 × 65536 grid spread over the extent, which is what keeps nearby
// items in the same nodes. A reader does not depend on that order; a writer
// that ordered the leaves otherwise would produce a valid, slower index.
//
// A box intersects a query box when they share at least one point, edges
// included: a point item on the edge of a query matches it.
package rtree
