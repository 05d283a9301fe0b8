package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/outcrop/outcrop/tiles/validity"
	"github.com/outcrop/outcrop/tileset"
)

// TestGSWATilesAreValid ingests the demo's GSWA Hamersley geology, a UTM
// map reprojected to WGS 84, and checks every polygon of every tile at
// zooms 0-12 (1-12 hold polygons) for validity as the MVT specification defines it: without
// repair, 6.6 % of them were invalid at zooms 0-9 (issue 16).
func TestGSWATilesAreValid(t *testing.T) {
	store := t.TempDir()
	if _, err := Run(context.Background(), gswaGeology, Options{Store: store, ID: "gswa-geology", MaxZoom: 12}); err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(filepath.Join(store, "gswa-geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	checked := map[int]int{}
	invalid := 0
	err = r.ForEach(func(z, x, y int, gz []byte) error {
		layers, err := mvt.UnmarshalGzipped(gz)
		if err != nil {
			return fmt.Errorf("tile %d/%d/%d: %v", z, x, y, err)
		}
		for _, f := range layers[0].Features {
			switch f.Geometry.(type) {
			case orb.Polygon, orb.MultiPolygon:
			default:
				continue
			}
			checked[z]++
			if err := validity.Check(f.Geometry); err != nil {
				invalid++
				t.Errorf("tile %d/%d/%d feature %v: %v", z, x, y, f.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for z := 1; z <= 12; z++ {
		if checked[z] == 0 {
			t.Errorf("zoom %d: no polygons in the tiles", z)
		}
	}
	t.Logf("%d polygon features checked, %d invalid; by zoom %v", sum(checked), invalid, checked)
}

func sum(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
