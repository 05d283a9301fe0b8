package raster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Encoding is the name of the data tile encoding this package writes, as
// recorded in a tileset's metadata (raster.encoding).
const Encoding = "float32-shuffle-zstd"

// magic starts every encoded data tile.
const magic = "ORD1"

// headerSize is the length of the uncompressed header before the zstd frame.
const headerSize = 12

// Tile is the values of one tile: Bands planes of Size×Size float32 values,
// each plane row by row from the north-west corner. NaN is nodata.
type Tile struct {
	Size  int
	Bands int
	// Data holds Bands*Size*Size values, band after band.
	Data []float32
}

// NewTile returns a tile of the given size and bands, all nodata.
func NewTile(size, bands int) *Tile {
	t := &Tile{Size: size, Bands: bands, Data: make([]float32, size*size*bands)}
	nan := float32(math.NaN())
	for i := range t.Data {
		t.Data[i] = nan
	}
	return t
}

// At returns band b's value at column i, row j.
func (t *Tile) At(b, i, j int) float32 { return t.Data[(b*t.Size+j)*t.Size+i] }

// Empty reports whether every value is nodata.
func (t *Tile) Empty() bool {
	for _, v := range t.Data {
		if v == v {
			return false
		}
	}
	return true
}

var (
	encOnce sync.Once
	enc     *zstd.Encoder
	dec     *zstd.Decoder
)

// coders makes the shared encoder and decoder. Each holds one coder per
// CPU, so that EncodeAll and DecodeAll called from several goroutines run
// in parallel rather than take turns.
func coders() {
	encOnce.Do(func() {
		enc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
		dec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	})
}

// Encode returns the tile in the stored form (FORMAT.md, "Raster tile
// values"): a 12-byte header, then one zstd frame of the values as
// little-endian float32, byte-shuffled (all first bytes, then all second
// bytes, …) so that the similar high bytes of neighbouring values compress
// well. NaN is written as the one quiet NaN 0x7fc00000. Lossless.
func Encode(t *Tile) []byte {
	coders()
	n := len(t.Data)
	raw := make([]byte, 4*n)
	for i, v := range t.Data {
		bits := math.Float32bits(v)
		if v != v {
			bits = 0x7fc00000
		}
		raw[i] = byte(bits)
		raw[n+i] = byte(bits >> 8)
		raw[2*n+i] = byte(bits >> 16)
		raw[3*n+i] = byte(bits >> 24)
	}
	out := make([]byte, headerSize, headerSize+n)
	copy(out, magic)
	out[4] = 1 // data type: float32
	out[5] = 1 // filter: byte shuffle
	binary.LittleEndian.PutUint16(out[6:], uint16(t.Size))
	binary.LittleEndian.PutUint16(out[8:], uint16(t.Size))
	binary.LittleEndian.PutUint16(out[10:], uint16(t.Bands))
	return enc.EncodeAll(raw, out)
}

// ErrNotDataTile is returned by Decode for bytes that are not a data tile.
var ErrNotDataTile = errors.New("not an Outcrop raster data tile")

// Decode reverses Encode.
func Decode(b []byte) (*Tile, error) {
	coders()
	if len(b) < headerSize || string(b[:4]) != magic {
		return nil, ErrNotDataTile
	}
	if b[4] != 1 || b[5] != 1 {
		return nil, fmt.Errorf("raster data tile: unknown data type %d or filter %d", b[4], b[5])
	}
	w := int(binary.LittleEndian.Uint16(b[6:]))
	h := int(binary.LittleEndian.Uint16(b[8:]))
	bands := int(binary.LittleEndian.Uint16(b[10:]))
	if w != h || w == 0 || bands == 0 {
		return nil, fmt.Errorf("raster data tile: bad shape %d×%d×%d", w, h, bands)
	}
	n := w * h * bands
	raw, err := dec.DecodeAll(b[headerSize:], make([]byte, 0, 4*n))
	if err != nil {
		return nil, fmt.Errorf("raster data tile: %v", err)
	}
	if len(raw) != 4*n {
		return nil, fmt.Errorf("raster data tile: %d bytes of values, want %d", len(raw), 4*n)
	}
	t := &Tile{Size: w, Bands: bands, Data: make([]float32, n)}
	for i := range t.Data {
		t.Data[i] = math.Float32frombits(uint32(raw[i]) | uint32(raw[n+i])<<8 | uint32(raw[2*n+i])<<16 | uint32(raw[3*n+i])<<24)
	}
	return t, nil
}

// IsDataTile reports whether b starts as an encoded data tile.
func IsDataTile(b []byte) bool { return len(b) >= headerSize && string(b[:4]) == magic }
