package tiles

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/synth"
)

// syntheticOccurrences is synth's occurrence points stretched from its UTM
// rectangle onto box, as syntheticCoverage does with the map.
func syntheticOccurrences(t testing.TB, n int, box orb.Bound) []*geojson.Feature {
	t.Helper()
	seq, err := synth.Occurrences(synth.OccurrenceOptions{Count: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	r := synth.Region()
	var out []*geojson.Feature
	for f := range seq {
		p := f.Geometry.(orb.Point)
		f.Geometry = orb.Point{
			box.Min[0] + (p[0]-r.Min[0])/(r.Max[0]-r.Min[0])*(box.Max[0]-box.Min[0]),
			box.Min[1] + (p[1]-r.Min[1])/(r.Max[1]-r.Min[1])*(box.Max[1]-box.Min[1]),
		}
		out = append(out, f)
	}
	return out
}

func TestEveryFeatureAtMaxZoomAndEveryPointCountedAtEveryZoom(t *testing.T) {
	box := orb.Bound{Min: orb.Point{100, 14}, Max: orb.Point{101.2, 15.2}}
	var features []*geojson.Feature
	want := map[uint64]bool{}
	add := func(f *geojson.Feature, id uint64) {
		f.ID = id
		features = append(features, f)
		want[id] = true
	}
	for i, f := range syntheticCoverage(t, 300, 12, box) {
		add(f, uint64(1+i))
	}
	points := syntheticOccurrences(t, 20000, box)
	for i, f := range points {
		add(f, uint64(100_001+i))
	}
	// Faults: short straight lines, some under a pixel below zoom 8.
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 200 {
		lon, lat := 100+1.2*r.Float64(), 14+1.2*r.Float64()
		d := 0.002 * math.Pow(1.03, float64(i))
		add(input(0, orb.LineString{{lon, lat}, {lon + d, lat + d/2}}, nil), uint64(200_001+i))
	}
	const maxZoom = 11
	got, stats := cutAll(t, features, Options{MaxZoom: maxZoom, ClusterField: "commodity"})

	seen := map[uint64]bool{}
	for tile, data := range got {
		if tile.Z != maxZoom {
			continue
		}
		for _, f := range decode(t, data).Features {
			seen[uint64(f.ID.(float64))] = true
			if _, ok := f.Properties[PointCount]; ok {
				t.Errorf("tile %v: point %v stands for others at the max zoom", tile, f.ID)
			}
		}
	}
	missing := 0
	for id := range want {
		if !seen[id] {
			missing++
		}
	}
	if missing > 0 || len(seen) != len(want) {
		t.Errorf("max zoom has %d ids, %d of the %d input ids missing", len(seen), missing, len(want))
	}

	counts := pointCounts(t, got)
	perValue := valueCounts(t, got)
	var wantCu int
	for _, f := range points {
		if f.Properties["commodity"] == "Cu" {
			wantCu++
		}
	}
	for z := 0; z <= maxZoom; z++ {
		if counts[z] != len(points) {
			t.Errorf("zoom %d: point_count adds up to %d, want %d", z, counts[z], len(points))
		}
		if perValue[z]["Cu"] != wantCu {
			t.Errorf("zoom %d: copper points count %d, want %d", z, perValue[z]["Cu"], wantCu)
		}
	}
	for _, zs := range stats.Zooms {
		if zs.Kept+zs.Merged+zs.Dropped != int64(len(features)) {
			t.Errorf("zoom %d: kept %d + merged %d + dropped %d != %d", zs.Zoom, zs.Kept, zs.Merged, zs.Dropped, len(features))
		}
	}
	if zs := stats.Zooms[5]; zs.Dropped == 0 {
		t.Errorf("zoom 5 dropped no line shorter than a pixel: %+v", zs)
	}
}

// valueCounts adds up, per zoom and value of the cluster field commodity,
// the counts of the points inside their tiles: point_count_VALUE on a point
// standing for others, its own commodity on one standing for itself.
func valueCounts(t testing.TB, got map[maptile.Tile][]byte) map[int]map[string]int {
	t.Helper()
	out := map[int]map[string]int{}
	for tile, data := range got {
		z := int(tile.Z)
		if out[z] == nil {
			out[z] = map[string]int{}
		}
		for _, f := range decode(t, data).Features {
			p, ok := f.Geometry.(orb.Point)
			if !ok || p[0] < 0 || p[1] < 0 || p[0] >= 4096 || p[1] >= 4096 {
				continue
			}
			if _, ok := f.Properties[PointCount]; !ok {
				out[z][fmt.Sprint(f.Properties["commodity"])]++
				continue
			}
			for k, v := range f.Properties {
				if len(k) > len(PointCountPrefix) && k[:len(PointCountPrefix)] == PointCountPrefix {
					out[z][k[len(PointCountPrefix):]] += int(v.(float64))
				}
			}
		}
	}
	return out
}
