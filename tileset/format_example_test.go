package tileset_test

// This file holds the reading example of FORMAT.md, which the format tests
// check is quoted there verbatim, so the published example always compiles and
// works. It uses bbolt and the standard library only, as another program would.

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/outcrop/outcrop/tileset"
)

// BEGIN FORMAT.md example
// castagnoli is the CRC-32C polynomial of the values' checksums.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// readTile returns the uncompressed vector tile at z/x/y (y from the top) of
// the tileset file at path, or nil when none is stored there.
func readTile(path string, z uint8, x, y uint32) ([]byte, error) {
	db, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	key := make([]byte, 9) // zoom, then x and y as big-endian uint32
	key[0] = z
	binary.BigEndian.PutUint32(key[1:5], x)
	binary.BigEndian.PutUint32(key[5:9], y)
	var gz []byte
	err = db.View(func(tx *bolt.Tx) error {
		// Copy: bbolt's slices are valid only inside the transaction.
		gz = bytes.Clone(tx.Bucket([]byte("tiles")).Get(key))
		return nil
	})
	if err != nil || gz == nil {
		return nil, err
	}
	// Format version 2: the last 4 bytes are the CRC-32C of key then tile,
	// little-endian.
	n := len(gz) - 4
	if n < 0 || binary.LittleEndian.Uint32(gz[n:]) != crc32.Update(crc32.Checksum(key, castagnoli), castagnoli, gz[:n]) {
		return nil, fmt.Errorf("tile %d/%d/%d of %s is damaged", z, x, y, path)
	}
	r, err := gzip.NewReader(bytes.NewReader(gz[:n]))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// END FORMAT.md example

// TestReadTileExample runs FORMAT.md's reading example on a file the Writer
// made, so that the published recipe is known to work.
func TestReadTileExample(t *testing.T) {
	dir := t.TempDir()
	w, err := tileset.Create(dir, "example")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("the tile at 14/13107/7710"))
	zw.Close()
	if err := w.PutTiles([]tileset.Tile{{Z: 14, X: 13107, Y: 7710, Data: buf.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&tileset.Metadata{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "example"+tileset.Ext)
	got, err := readTile(path, 14, 13107, 7710)
	if err != nil || string(got) != "the tile at 14/13107/7710" {
		t.Errorf("readTile = %q, %v", got, err)
	}
	got, err = readTile(path, 14, 7710, 13107)
	if err != nil || got != nil {
		t.Errorf("readTile of an absent tile = %q, %v; want nil, nil", got, err)
	}
}
