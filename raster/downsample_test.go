package raster

import (
	"math"
	"testing"
)

var nan = float32(math.NaN())

// child returns a 4×4 one-band tile whose top-left 2×2 block holds v (NW,
// NE, SW, SE) and whose other cells hold fill.
func child(v [4]float32, fill float32) *Tile {
	t := NewTile(4, 1)
	for i := range t.Data {
		t.Data[i] = fill
	}
	t.Data[0], t.Data[1], t.Data[4], t.Data[5] = v[0], v[1], v[2], v[3]
	return t
}

func same(a, b float32) bool { return a == b || a != a && b != b }

// TestDownsampleBlock checks one parent cell against the four child cells
// it covers, for every method, with and without nodata among them.
func TestDownsampleBlock(t *testing.T) {
	cases := []struct {
		name  string
		block [4]float32
		want  map[Method]float32
	}{
		{"all valid", [4]float32{1, 2, 4, 9}, map[Method]float32{Average: 4, Nearest: 9, Mode: 1, Min: 1, Max: 9, Median: 2, Q1: 1, Q3: 4}},
		{"all nodata", [4]float32{nan, nan, nan, nan}, map[Method]float32{Average: nan, Nearest: nan, Mode: nan, Min: nan, Max: nan, Median: nan, Q1: nan, Q3: nan}},
		{"one valid", [4]float32{nan, -7.5, nan, nan}, map[Method]float32{Average: -7.5, Nearest: -7.5, Mode: -7.5, Min: -7.5, Max: -7.5, Median: -7.5, Q1: -7.5, Q3: -7.5}},
		{"SE nodata", [4]float32{nan, 3, 5, nan}, map[Method]float32{Average: 4, Nearest: 3, Mode: 3, Min: 3, Max: 5, Median: 3, Q1: 3, Q3: 5}},
		{"mode", [4]float32{2, 7, 7, 2}, map[Method]float32{Average: 4.5, Nearest: 2, Mode: 2, Min: 2, Max: 7, Median: 2, Q1: 2, Q3: 7}},
		{"mode of three", [4]float32{6, 8, 8, 8}, map[Method]float32{Average: 7.5, Nearest: 8, Mode: 8, Min: 6, Max: 8, Median: 8, Q1: 6, Q3: 8}},
		{"zero is data", [4]float32{0, nan, nan, nan}, map[Method]float32{Average: 0, Nearest: 0, Mode: 0, Min: 0, Max: 0, Median: 0, Q1: 0, Q3: 0}},
	}
	for _, c := range cases {
		for m, want := range c.want {
			p := Downsample([4]*Tile{child(c.block, 100)}, m)
			if got := p.At(0, 0, 0); !same(got, want) {
				t.Errorf("%s, method %d: %v gives %v, want %v", c.name, m, c.block, got, want)
			}
		}
	}
}

// TestDownsampleQuarters checks that each child lands in its quarter of the
// parent, that a missing child leaves its quarter nodata (never 0), and
// that the average is exact in float64 before rounding to float32.
func TestDownsampleQuarters(t *testing.T) {
	const size = 256
	var kids [4]*Tile
	for q := range 3 { // the south-east child is missing
		kids[q] = NewTile(size, 2)
		for i := range kids[q].Data {
			kids[q].Data[i] = float32(q*1000) + float32(i%(size*size))*0.1
		}
	}
	p := Downsample(kids, Average)
	if p.Size != size || p.Bands != 2 {
		t.Fatalf("shape %d×%d", p.Size, p.Bands)
	}
	for b := range 2 {
		for j := range size {
			for i := range size {
				got := p.At(b, i, j)
				q := (j/(size/2))*2 + i/(size/2)
				if q == 3 {
					if got == got {
						t.Fatalf("band %d (%d, %d): %v under the missing child, want nodata", b, i, j, got)
					}
					continue
				}
				k := kids[q]
				ci, cj := 2*(i%(size/2)), 2*(j%(size/2))
				want := float32((float64(k.At(b, ci, cj)) + float64(k.At(b, ci+1, cj)) + float64(k.At(b, ci, cj+1)) + float64(k.At(b, ci+1, cj+1))) / 4)
				if got != want {
					t.Fatalf("band %d (%d, %d): %v, want %v, the mean of its children", b, i, j, got, want)
				}
			}
		}
	}
	if Downsample([4]*Tile{}, Average) != nil {
		t.Error("four missing children gave a tile")
	}
}

func TestMethodFor(t *testing.T) {
	for r, want := range map[string]Method{"bilinear": Average, "cubic": Average, "lanczos": Average, "average": Average, "cubicspline": Average,
		"nearest": Nearest, "mode": Mode, "min": Min, "max": Max, "med": Median, "q1": Q1, "q3": Q3} {
		if got := MethodFor(r); got != want {
			t.Errorf("MethodFor(%q) = %d, want %d", r, got, want)
		}
	}
}

func BenchmarkDownsample(b *testing.B) {
	var kids [4]*Tile
	for q := range kids {
		kids[q] = NewTile(256, 1)
		for i := range kids[q].Data {
			kids[q].Data[i] = float32(i)
		}
	}
	for _, m := range []Method{Average, Nearest, Mode} {
		b.Run(map[Method]string{Average: "average", Nearest: "nearest", Mode: "mode"}[m], func(b *testing.B) {
			for b.Loop() {
				Downsample(kids, m)
			}
		})
	}
}
