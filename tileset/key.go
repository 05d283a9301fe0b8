package tileset

import "encoding/binary"

// Names of the buckets and keys of the format (see FORMAT.md). Readers ignore
// buckets and keys they do not know, so later versions can add them freely.
const (
	bucketMeta       = "meta"
	bucketTiles      = "tiles"
	keyMetadata      = "metadata"
	keyFormatVersion = "format_version"

	// The features and their spatial index, optional: a file written before
	// they existed has neither bucket.
	bucketFeatures = "features"
	bucketIndex    = "index"
	keyRTree       = "rtree"
	keyPositions   = "positions"
)

// MaxZoom is the deepest zoom level a tile key can address: x and y are stored
// as 32-bit unsigned integers, which hold 0 to 2^32-1.
const MaxZoom = 32

// keyLen is the length of a tile key: zoom (1 byte), x and y (4 bytes each).
const keyLen = 9

// tileKey encodes z/x/y as a tile key. Big-endian order makes bbolt's byte-wise
// key order the same as (z, x, y) order, so one zoom's tiles are contiguous and
// a column of tiles shares pages. It reports false for coordinates outside the
// zoom's grid, which no file can hold.
func tileKey(z, x, y int) (k [keyLen]byte, ok bool) {
	if z < 0 || z > MaxZoom || x < 0 || y < 0 || uint64(x) >= 1<<uint(z) || uint64(y) >= 1<<uint(z) {
		return k, false
	}
	k[0] = byte(z)
	binary.BigEndian.PutUint32(k[1:5], uint32(x))
	binary.BigEndian.PutUint32(k[5:9], uint32(y))
	return k, true
}

// parseTileKey decodes a tile key; it reports false for a key of another shape.
func parseTileKey(k []byte) (z, x, y int, ok bool) {
	if len(k) != keyLen {
		return 0, 0, 0, false
	}
	return int(k[0]), int(binary.BigEndian.Uint32(k[1:5])), int(binary.BigEndian.Uint32(k[5:9])), true
}

// featureKeyLen is the length of a key in the features bucket: the feature id.
const featureKeyLen = 8

// featureKey encodes a feature id. Big-endian order makes bbolt's byte-wise
// key order the ascending id order in which features are served, and the ids
// a source yields in order become sequential keys that fill pages left to
// right.
func featureKey(id uint64) (k [featureKeyLen]byte) {
	binary.BigEndian.PutUint64(k[:], id)
	return k
}

// parseFeatureKey decodes a feature key; it reports false for a key of
// another shape.
func parseFeatureKey(k []byte) (uint64, bool) {
	if len(k) != featureKeyLen {
		return 0, false
	}
	return binary.BigEndian.Uint64(k), true
}
