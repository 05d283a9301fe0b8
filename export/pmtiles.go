package export

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/outcrop/outcrop/tileset"
)

// go-pmtiles offers the format's parts (header, directories, metadata and
// tile ids) but its only whole-archive writer converts from an MBTiles
// file. writePMTiles assembles an archive from those parts as the
// library's converter does, reading the tileset directly: clustered, with
// identical tiles stored once and runs of them run-length encoded.

// tileRef is one stored tile, by PMTiles tile id and tileset address.
type tileRef struct {
	id      uint64
	z       uint8
	x, y    uint32
	size    uint32
	content uint32 // index of the first tile with the same bytes
}

// writePMTiles writes r as a PMTiles v3 archive to f. It reads the tiles
// twice: once to list, size and fingerprint them, once in tile-id order to
// copy their bytes after the header and directories.
func writePMTiles(r *tileset.Reader, f *os.File) error {
	m := r.Metadata()
	var tiles []tileRef
	sums := map[[sha256.Size]byte]uint32{}
	err := r.ForEach(func(z, x, y int, gz []byte) error {
		sum := sha256.Sum256(gz)
		n := uint32(len(tiles))
		first, ok := sums[sum]
		if !ok {
			sums[sum], first = n, n
		}
		tiles = append(tiles, tileRef{pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y)), uint8(z), uint32(x), uint32(y), uint32(len(gz)), first})
		return nil
	})
	if err != nil {
		return err
	}
	if len(tiles) == 0 {
		return fmt.Errorf("tileset %q holds no tiles", m.ID)
	}
	// Fingerprints index tiles in key order; sorting by tile id keeps
	// content pointing at the key-order index, so map it through order.
	order := make([]uint32, len(tiles))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(tiles[a].id, tiles[b].id) })

	// Lay the contents out in tile-id order of first use, as a clustered
	// archive must, and build the entries.
	offset := map[uint32]uint64{} // content index -> offset in tile data
	var entries []pmtiles.EntryV3
	var data uint64
	var copyOrder []uint32
	for _, i := range order {
		t := tiles[i]
		off, seen := offset[t.content]
		if !seen {
			off = data
			offset[t.content] = off
			data += uint64(t.size)
			copyOrder = append(copyOrder, i)
		}
		if n := len(entries); seen && n > 0 {
			last := &entries[n-1]
			if last.Offset == off && last.TileID+uint64(last.RunLength) == t.id && last.RunLength < math.MaxUint32 {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, pmtiles.EntryV3{TileID: t.id, Offset: off, Length: t.size, RunLength: 1})
	}

	root, leaves, _ := pmtiles.BuildDirectories(entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
	meta, err := pmtiles.SerializeMetadata(map[string]any{
		"name":          name(m),
		"description":   m.Description,
		"attribution":   m.Attribution,
		"license":       m.License,
		"type":          "overlay",
		"format":        "pbf",
		"version":       strconv.FormatInt(m.Created.Unix(), 10),
		"vector_layers": vectorLayers(m),
	}, pmtiles.Gzip)
	if err != nil {
		return fmt.Errorf("cannot encode metadata: %v", err)
	}
	h := pmtiles.HeaderV3{
		SpecVersion:         3,
		RootOffset:          pmtiles.HeaderV3LenBytes,
		RootLength:          uint64(len(root)),
		AddressedTilesCount: uint64(len(tiles)),
		TileEntriesCount:    uint64(len(entries)),
		TileContentsCount:   uint64(len(copyOrder)),
		Clustered:           true,
		InternalCompression: pmtiles.Gzip,
		TileCompression:     pmtiles.Gzip,
		TileType:            pmtiles.Mvt,
		MinZoom:             uint8(m.MinZoom),
		MaxZoom:             uint8(m.MaxZoom),
		MinLonE7:            e7(m.Bounds[0]),
		MinLatE7:            e7(m.Bounds[1]),
		MaxLonE7:            e7(m.Bounds[2]),
		MaxLatE7:            e7(m.Bounds[3]),
		CenterLonE7:         e7(m.Center[0]),
		CenterLatE7:         e7(m.Center[1]),
		CenterZoom:          uint8(m.Center[2]),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = data

	w := bufio.NewWriterSize(f, 1<<20)
	for _, part := range [][]byte{pmtiles.SerializeHeader(h), root, meta, leaves} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	for _, i := range copyOrder {
		t := tiles[i]
		found, err := r.Tile(int(t.z), int(t.x), int(t.y), func(gz []byte) error {
			if uint32(len(gz)) != t.size {
				return fmt.Errorf("tile %d/%d/%d changed size during the export", t.z, t.x, t.y)
			}
			_, err := w.Write(gz)
			return err
		})
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("tile %d/%d/%d disappeared during the export", t.z, t.x, t.y)
		}
	}
	return w.Flush()
}

// e7 is a coordinate in degrees as PMTiles stores it, in units of 1e-7°.
func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }
