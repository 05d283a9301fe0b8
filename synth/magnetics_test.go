package synth

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func TestWriteMagnetics(t *testing.T) {
	var a, b, c bytes.Buffer
	o := MagneticsOptions{Cols: 60, Rows: 40, Cell: 2000, Seed: 3}
	if err := WriteMagnetics(&a, o); err != nil {
		t.Fatal(err)
	}
	WriteMagnetics(&b, o)
	o.Seed = 4
	WriteMagnetics(&c, o)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("the same seed must give the same grid, another seed another")
	}
	lines := strings.Split(strings.TrimSpace(a.String()), "\n")
	if len(lines) != 6+40 || lines[0] != "ncols 60" || lines[5] != "NODATA_value -99999" {
		t.Fatalf("header %q, %d lines", lines[:6], len(lines))
	}
	var nodata, data int
	lo, hi := 1e9, -1e9
	for _, l := range lines[6:] {
		f := strings.Fields(l)
		if len(f) != 60 {
			t.Fatalf("a row of %d values", len(f))
		}
		for _, s := range f {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			if v == MagneticsNoData {
				nodata++
				continue
			}
			data++
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if nodata == 0 || data < 1500 || hi-lo < 100 {
		t.Errorf("%d nodata, %d values from %v to %v nT; want an outline and anomalies of 100s of nT", nodata, data, lo, hi)
	}
}
