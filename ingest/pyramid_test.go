package ingest

import (
	"math"
	"testing"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// readTiles decodes every tile of a raster tileset, by zoom and column, row.
func readTiles(t *testing.T, r *tileset.Reader) map[[3]int]*raster.Tile {
	t.Helper()
	tiles := map[[3]int]*raster.Tile{}
	err := r.ForEach(func(z, x, y int, b []byte) error {
		tile, err := raster.Decode(b)
		tiles[[3]int{z, x, y}] = tile
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tiles
}

// TestRasterPyramidFromChildren checks every cell of every zoom below the
// max against the four cells of the zoom beneath it that it covers: the
// mean of the valid ones with bilinear, the south-east one (or, when it is
// nodata, another valid one) with nearest, and nodata exactly when all four
// are nodata, never 0 nor the source's nodata value. A parent tile exists
// exactly when one of its children does. The Slab2 grid has NaN off the
// slab; the synthetic magnetic grid has -99999 outside the survey.
func TestRasterPyramidFromChildren(t *testing.T) {
	for _, c := range []struct {
		name, resampling string
		file             func(*testing.T) string
	}{
		{"slab2 bilinear", "", func(*testing.T) string { return slabGrid }},
		{"slab2 nearest", "nearest", func(*testing.T) string { return slabGrid }},
		{"magnetics bilinear", "", synthMagnetics},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, r := ingestRaster(t, c.file(t), Options{Resampling: c.resampling})
			m := r.Metadata()
			tiles := readTiles(t, r)
			var parents, valid, nodata int
			for k, p := range tiles {
				z, x, y := k[0], k[1], k[2]
				if z == m.MaxZoom {
					if _, ok := tiles[[3]int{z - 1, x / 2, y / 2}]; !ok && z > m.MinZoom {
						t.Errorf("tile %d/%d/%d has no parent", z, x, y)
					}
					continue
				}
				parents++
				var kids [4]*raster.Tile
				any := false
				for q := range kids {
					kids[q] = tiles[[3]int{z + 1, 2*x + q%2, 2*y + q/2}]
					any = any || kids[q] != nil
				}
				if !any {
					t.Errorf("tile %d/%d/%d has no child", z, x, y)
					continue
				}
				half := p.Size / 2
				for j := range p.Size {
					for i := range p.Size {
						kid := kids[(j/half)*2+i/half]
						var block [4]float32
						for n := range block {
							block[n] = float32(math.NaN())
							if kid != nil {
								block[n] = kid.At(0, 2*(i%half)+n%2, 2*(j%half)+n/2)
							}
						}
						got := p.At(0, i, j)
						if msg := checkParentCell(got, block, c.resampling == "nearest"); msg != "" {
							t.Fatalf("%d/%d/%d cell (%d, %d): %v from children %v: %s", z, x, y, i, j, got, block, msg)
						}
						if got == got {
							valid++
						} else {
							nodata++
						}
					}
				}
			}
			if parents < 3 || valid < 1000 || nodata < 1000 {
				t.Errorf("%d parent tiles, %d valid and %d nodata cells: the test checks too little", parents, valid, nodata)
			}
		})
	}
}

// checkParentCell says what is wrong with parent value got over the child
// cells block (north-west, north-east, south-west, south-east), or "".
func checkParentCell(got float32, block [4]float32, nearest bool) string {
	var sum float64
	n := 0
	for _, v := range block {
		if v == v {
			sum += float64(v)
			n++
		}
	}
	switch {
	case n == 0 && got == got:
		return "all children are nodata"
	case n == 0:
		return ""
	case got != got:
		return "nodata over valid children"
	case got == -99999:
		return "the source's nodata value"
	case nearest && block[3] == block[3] && got != block[3]:
		return "nearest should take the south-east child"
	case nearest:
		for _, v := range block {
			if v == got {
				return ""
			}
		}
		return "nearest should take a child's value"
	case got != float32(sum/float64(n)):
		return "not the mean of the valid children"
	}
	return ""
}
