package tiles

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func TestEncodeTileIsStandardGzipMVT(t *testing.T) {
	f := input(7, orb.Point{10, 20}, geojson.Properties{"name": "Doi Inthanon"})
	data, err := encodeTile(testLayer, 4096, []*geojson.Feature{f})
	if err != nil {
		t.Fatal(err)
	}
	// Served as Content-Encoding: gzip, so a plain gzip reader must take it.
	if _, err := gunzip(data); err != nil {
		t.Fatalf("not standard gzip: %v", err)
	}
	l := decode(t, data)
	if len(l.Features) != 1 || l.Features[0].Geometry != (orb.Point{10, 20}) || l.Features[0].ID != float64(7) ||
		l.Features[0].Properties["name"] != "Doi Inthanon" {
		t.Errorf("decoded %+v", l.Features[0])
	}
	// A second tile through the pooled writer must not carry the first.
	data2, err := encodeTile(testLayer, 4096, []*geojson.Feature{input(8, orb.Point{1, 2}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if l := decode(t, data2); len(l.Features) != 1 || l.Features[0].ID != float64(8) {
		t.Errorf("second tile decoded %+v", l.Features)
	}
}

func TestGzipBytesIsRightSized(t *testing.T) {
	// Compresses to a small fraction of the buffer gzipBytes starts with.
	raw := bytes.Repeat([]byte("Khorat Group sandstone; "), 20000)
	data, err := gzipBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if slack := cap(data) - len(data); slack > len(data)/8 {
		t.Errorf("tile of %d bytes holds a buffer of %d: the Writer's batch would hold the slack", len(data), cap(data))
	}
	got, err := gunzip(data)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("round trip: %d bytes back of %d (%v)", len(got), len(raw), err)
	}
}
