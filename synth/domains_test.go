package synth

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestDomainsRunWestToEast(t *testing.T) {
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	lay := newLayout(l, rand.New(rand.NewPCG(1, 1)))
	last := len(l.Domains) - 1
	for y := region.Min[1]; y <= region.Max[1]; y += 10000 {
		if d := lay.domainAt(orb.Point{region.Min[0], y}); d != 0 {
			t.Fatalf("west edge at northing %.0f is in domain %d, want the westernmost", y, d)
		}
		if d := lay.domainAt(orb.Point{region.Max[0], y}); d != last {
			t.Fatalf("east edge at northing %.0f is in domain %d, want the easternmost", y, d)
		}
		prev := 0
		for x := region.Min[0]; x <= region.Max[0]; x += 1000 {
			d := lay.domainAt(orb.Point{x, y})
			if d < prev {
				t.Fatalf("going east at northing %.0f, domain %d follows %d", y, d, prev)
			}
			prev = d
		}
	}
	// Every domain shows on the map.
	seen := make(map[int]bool)
	for x := region.Min[0]; x <= region.Max[0]; x += 1000 {
		seen[lay.domainAt(orb.Point{x, region.Center()[1]})] = true
	}
	if len(seen) != len(l.Domains) {
		t.Errorf("%d of %d domains cross the map's middle", len(seen), len(l.Domains))
	}
}

func TestBasinsAreNarrowValleys(t *testing.T) {
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	lay := newLayout(l, rand.New(rand.NewPCG(2, 2)))
	in, total := 0, 0
	for x := region.Min[0]; x <= region.Max[0]; x += 2000 {
		for y := region.Min[1]; y <= region.Max[1]; y += 2000 {
			total++
			if lay.inBasin(orb.Point{x, y}) {
				in++
			}
		}
	}
	if share := float64(in) / float64(total); share < 0.05 || share > 0.25 {
		t.Errorf("basins cover %.0f%% of the map, want a minority of valleys", 100*share)
	}
}
