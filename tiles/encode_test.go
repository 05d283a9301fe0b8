package tiles

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/gogo/protobuf/proto"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
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

func TestEncodeTileSortsTheValueTable(t *testing.T) {
	// Values first used in no order: the table comes out strings first,
	// shortest first, then numbers, and every feature still decodes to its
	// own attributes.
	props := []geojson.Properties{
		{"name": "Phu Thong", "code": "Pb", "year": int64(1987), "active": true},
		{"name": "Doi Hin", "code": "W", "year": int64(1962), "active": false},
		{"name": "Khao Chang", "code": "Pb, Zn", "grade": 2.5},
	}
	var features []*geojson.Feature
	for i, p := range props {
		features = append(features, input(uint64(i), orb.Point{float64(100 * i), 50}, p))
	}
	data, err := encodeTile(testLayer, 4096, features)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := gunzip(data)
	if err != nil {
		t.Fatal(err)
	}
	var vt vectortile.Tile
	if err := proto.Unmarshal(raw, &vt); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vt.Layers[0].Values {
		got = append(got, strings.TrimSpace(v.String()))
	}
	want := []string{`string_value:"W"`, `string_value:"Pb"`, `string_value:"Pb, Zn"`, `string_value:"Doi Hin"`,
		`string_value:"Phu Thong"`, `string_value:"Khao Chang"`, `double_value:2.5`, `sint_value:1962`, `sint_value:1987`,
		`bool_value:false`, `bool_value:true`}
	if !slices.Equal(got, want) {
		t.Errorf("value table\n%q\nwant\n%q", got, want)
	}
	for i, f := range decode(t, data).Features {
		for k, v := range props[i] {
			if fmt.Sprint(f.Properties[k]) != fmt.Sprint(v) {
				t.Errorf("feature %d: %s = %v, want %v", i, k, f.Properties[k], v)
			}
		}
	}
}
