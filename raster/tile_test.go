package raster

import (
	"math"
	"testing"
)

func TestEncodeRoundTrip(t *testing.T) {
	tile := NewTile(256, 2)
	for i := range tile.Data[:256*256] {
		tile.Data[i] = float32(i%300) * -0.731
	}
	tile.Data[7] = float32(math.Inf(1))
	tile.Data[8] = -0.0
	b := Encode(tile)
	if !IsDataTile(b) {
		t.Fatal("Encode's output is not recognised as a data tile")
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != 256 || got.Bands != 2 {
		t.Fatalf("shape %d×%d", got.Size, got.Bands)
	}
	for i, v := range tile.Data {
		w := got.Data[i]
		if math.Float32bits(v) != math.Float32bits(w) && !(v != v && w != w) {
			t.Fatalf("value %d: %v became %v", i, v, w)
		}
	}
	if !math.IsNaN(float64(got.At(1, 0, 0))) {
		t.Error("nodata did not stay NaN")
	}
	if len(b) > 4*256*256 {
		t.Errorf("%d bytes: the second band, all nodata, should compress to almost nothing", len(b))
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x1f\x8b gzip"), []byte("ORD1\x02\x01\x00\x01\x00\x01\x01\x00")} {
		if _, err := Decode(b); err == nil {
			t.Errorf("Decode(%q) succeeded", b)
		}
	}
}

func TestEmpty(t *testing.T) {
	tile := NewTile(4, 1)
	if !tile.Empty() {
		t.Error("a new tile is not empty")
	}
	tile.Data[3] = 0
	if tile.Empty() {
		t.Error("a tile holding 0 is empty")
	}
}

// BenchmarkEncodeParallel encodes a smooth one-band tile from every CPU at
// once, as a raster ingest does; ns/op falls with the CPUs only when the
// encoders really run in parallel.
func BenchmarkEncodeParallel(b *testing.B) {
	tile := NewTile(256, 1)
	for i := range tile.Data {
		tile.Data[i] = float32(math.Sin(float64(i%256)/40) * math.Cos(float64(i/256)/30) * 400)
	}
	b.SetBytes(int64(4 * len(tile.Data)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Encode(tile)
		}
	})
}
