package coveragecheck

import (
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

func all(orb.Point) bool { return true }

func TestNeighboursSharingAnEdgeCountOnce(t *testing.T) {
	// The shared edges run through sample centres (x = 8 + 16k) and along
	// a diagonal: each sample still belongs to one square or triangle.
	g := NewGrid(256, 4096)
	g.AddPolygon(square(0, 0, 2056, 4096))
	g.AddPolygon(orb.Polygon{{{2056, 0}, {4096, 0}, {4096, 4096}, {2056, 0}}})
	g.AddPolygon(orb.Polygon{{{2056, 0}, {4096, 4096}, {2056, 4096}, {2056, 0}}})
	gaps, overlaps := g.Tally(all)
	if gaps != 0 || overlaps != 0 {
		t.Errorf("%d gaps and %d overlaps, want none", gaps, overlaps)
	}
}

func TestGapsAndOverlapsAreCounted(t *testing.T) {
	g := NewGrid(256, 4096)
	// Two halves with a 32-unit (two-sample) gap between them, and a
	// square laid over the first.
	g.AddPolygon(square(0, 0, 2048, 4096))
	g.AddPolygon(square(2080, 0, 4096, 4096))
	g.AddPolygon(square(0, 0, 160, 160))
	gaps, overlaps := g.Tally(all)
	if gaps != 2*256 || overlaps != 10*10 {
		t.Errorf("%d gaps and %d overlaps, want %d and %d", gaps, overlaps, 2*256, 100)
	}
	// Outside the region of interest a gap is not one.
	gaps, _ = g.Tally(func(p orb.Point) bool { return p[0] < 2048 })
	if gaps != 0 {
		t.Errorf("%d gaps left of the gap", gaps)
	}
}

func TestHolesAreNotCovered(t *testing.T) {
	g := NewGrid(256, 4096)
	g.AddPolygon(orb.Polygon{
		{{0, 0}, {4096, 0}, {4096, 4096}, {0, 4096}, {0, 0}},
		{{1024, 1024}, {1024, 3072}, {3072, 3072}, {3072, 1024}, {1024, 1024}},
	})
	gaps, overlaps := g.Tally(all)
	if gaps != 128*128 || overlaps != 0 {
		t.Errorf("%d gaps and %d overlaps, want the hole's %d samples uncovered", gaps, overlaps, 128*128)
	}
}
