package tileset

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
)

// checksumVersion is the first format version whose tile, feature and index
// values end in a checksum; files of earlier versions are read unchecked.
const checksumVersion = 2

// checksumLen is the length of the checksum trailer of a stored value.
const checksumLen = 4

// castagnoli is the CRC-32C table, which the hardware of most machines
// computes (SSE 4.2, ARMv8 CRC), so checking a value costs little beside
// reading it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is the CRC-32C of key followed by value. Covering the key too
// means a value read under the wrong key, as a page of another file mapped
// where this one was, fails the check like a flipped bit does.
func checksum(key, value []byte) uint32 {
	return crc32.Update(crc32.Checksum(key, castagnoli), castagnoli, value)
}

// appendSealed appends value and its checksum trailer (little-endian) to dst.
func appendSealed(dst, key, value []byte) []byte {
	dst = append(dst, value...)
	return binary.LittleEndian.AppendUint32(dst, checksum(key, value))
}

// appendChecksum appends the checksum of value, which ends dst, to dst.
func appendChecksum(dst, key, value []byte) []byte {
	return binary.LittleEndian.AppendUint32(dst, checksum(key, value))
}

// sealed returns value with its checksum trailer, in a new slice.
func sealed(key, value []byte) []byte {
	return appendSealed(make([]byte, 0, len(value)+checksumLen), key, value)
}

// ErrDamaged is matched (errors.Is) by every error a Reader returns for a
// file whose contents are not what was written: a value whose checksum does
// not match, a page bbolt cannot make sense of, or memory that faults because
// the file was truncated or overwritten in place. A server answers such
// errors with 503: the file needs replacing, and the request may succeed once
// it has been.
var ErrDamaged = errors.New("tileset is damaged")

// DamageError names the damaged value: the file, the bucket and the key.
type DamageError struct {
	Path   string
	Bucket string // "" when the damage is not in one value
	Key    []byte
	Cause  string
}

func (e *DamageError) Error() string {
	if e.Bucket == "" {
		return fmt.Sprintf("tileset %s is damaged (%s); rebuild it with outcrop ingest or copy it again", e.Path, e.Cause)
	}
	return fmt.Sprintf("tileset %s is damaged: %s (bucket %s, key %s): %s; rebuild it with outcrop ingest or copy it again",
		e.Path, describeKey(e.Bucket, e.Key), e.Bucket, hex.EncodeToString(e.Key), e.Cause)
}

// Is makes errors.Is(err, ErrDamaged) hold.
func (e *DamageError) Is(target error) bool { return target == ErrDamaged }

// describeKey names a stored value as a person would: tile z/x/y, feature N.
func describeKey(bucket string, key []byte) string {
	switch bucket {
	case bucketTiles:
		if z, x, y, ok := parseTileKey(key); ok {
			return fmt.Sprintf("tile %d/%d/%d", z, x, y)
		}
	case bucketFeatures:
		if id, ok := parseFeatureKey(key); ok {
			return fmt.Sprintf("feature %d", id)
		}
	}
	return bucket + "/" + string(key)
}

// open checks the checksum of a value read from bucket under key and returns
// the value without its trailer. Files older than checksumVersion have no
// trailers and are returned as stored.
func (r *Reader) open(bucket string, key, stored []byte) ([]byte, error) {
	if !r.checked {
		return stored, nil
	}
	return openSealed(r.path, bucket, key, stored)
}

func openSealed(path, bucket string, key, stored []byte) ([]byte, error) {
	n := len(stored) - checksumLen
	if n < 0 {
		return nil, damagedValue(path, bucket, key, "value too short to hold its checksum")
	}
	if binary.LittleEndian.Uint32(stored[n:]) != checksum(key, stored[:n]) {
		return nil, damagedValue(path, bucket, key, "checksum mismatch")
	}
	return stored[:n], nil
}

// damagedValue copies key, which may lie in the memory map or on the
// caller's stack, so that the lookup's key need not escape to the heap.
func damagedValue(path, bucket string, key []byte, cause string) error {
	return &DamageError{Path: path, Bucket: bucket, Key: bytes.Clone(key), Cause: cause}
}
