package ingest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/outcrop/outcrop/ingest/gdal"
)

func TestDropDegenerate(t *testing.T) {
	square := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	for _, tc := range []struct {
		name    string
		in      orb.Geometry
		want    orb.Geometry
		dropped int
	}{
		{"clean square", orb.Polygon{square.Clone()}, orb.Polygon{square}, 0},
		{"repeated points",
			orb.Polygon{{{0, 0}, {4, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 4}, {0, 0}}},
			orb.Polygon{square}, 0},
		{"spike out and back",
			orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {2, 9}, {2, 4}, {0, 4}, {0, 0}}},
			orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {0, 4}, {0, 0}}}, 1},
		{"spike back along part of its way out",
			orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {3, 4}, {3, 9}, {3, 6}, {3, 4}, {0, 4}, {0, 0}}},
			orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {3, 4}, {0, 4}, {0, 0}}}, 1},
		{"two spikes in the exterior, one in a hole",
			orb.Polygon{
				{{0, 0}, {2, 0}, {2, -3}, {2, 0}, {4, 0}, {4, 4}, {2, 4}, {2, 9}, {2, 4}, {0, 4}, {0, 0}},
				{{1, 1}, {1, 2}, {1.5, 2}, {1.5, 3}, {1.5, 2}, {2, 2}, {2, 1}, {1, 1}},
			},
			orb.Polygon{
				{{0, 0}, {2, 0}, {4, 0}, {4, 4}, {2, 4}, {0, 4}, {0, 0}},
				{{1, 1}, {1, 2}, {1.5, 2}, {2, 2}, {2, 1}, {1, 1}},
			}, 2},
		{"spike at the seam",
			orb.Polygon{{{-5, 4}, {0, 4}, {0, 0}, {4, 0}, {4, 4}, {0, 4}, {-5, 4}}},
			orb.Polygon{{{0, 4}, {0, 0}, {4, 0}, {4, 4}, {0, 4}}}, 1},
		{"spike just before the seam",
			orb.Polygon{{{0, 4}, {-5, 4}, {0, 4}, {0, 0}, {4, 0}, {4, 4}, {0, 4}}},
			orb.Polygon{{{0, 4}, {0, 0}, {4, 0}, {4, 4}, {0, 4}}}, 1},
		{"4-point zero-area part",
			orb.MultiPolygon{{square.Clone()}, {{{5, 5}, {6, 6}, {7, 7}, {5, 5}}}},
			orb.MultiPolygon{{square}}, 1},
		{"zero-area hole",
			orb.Polygon{square.Clone(), {{1, 1}, {2, 2}, {1, 1}, {1, 1}}},
			orb.Polygon{square}, 1},
		{"nothing left", orb.Polygon{{{1, 1}, {2, 2}, {3, 3}, {1, 1}}}, nil, 1},
		{"zero-length line",
			orb.MultiLineString{{{0, 0}, {0, 0}}, {{0, 0}, {1, 1}, {1, 1}}},
			orb.MultiLineString{{{0, 0}, {1, 1}}}, 1},
		{"points untouched", orb.MultiPoint{{0, 0}, {0, 0}}, orb.MultiPoint{{0, 0}, {0, 0}}, 0},
	} {
		got, dropped := dropDegenerate(tc.in, 0)
		if dropped != tc.dropped || (got == nil) != (tc.want == nil) || (got != nil && !orb.Equal(got, tc.want)) {
			t.Errorf("%s: got %v, %d dropped; want %v, %d", tc.name, got, dropped, tc.want, tc.dropped)
		}
	}
}

// TestDropDegenerateOnTheGrid: at 7 decimals, a ring is degenerate when
// its vertices are collinear on the 1e-7 grid, however its floats differ.
func TestDropDegenerateOnTheGrid(t *testing.T) {
	sliver := orb.Polygon{{{100.1, 13.1}, {100.1000001, 13.1000001}, {100.1000003, 13.1000003}, {100.1, 13.1}}}
	if got, n := dropDegenerate(sliver, 7); got != nil || n != 1 {
		t.Errorf("collinear on the grid: %v, %d dropped", got, n)
	}
	thin := orb.Polygon{{{100.1, 13.1}, {100.1000003, 13.1}, {100.1000003, 13.1000001}, {100.1, 13.1}}}
	if got, n := dropDegenerate(thin.Clone(), 7); !orb.Equal(got, thin) || n != 0 {
		t.Errorf("one cell wide: %v, %d dropped", got, n)
	}
}

// TestReprojectionBreaksValidity ingests polygons that are valid in Indian
// 1975 / UTM 47N (EPSG:24047), as on the Thai map where this was seen, but
// not once in WGS 84 and rounded to 7 decimals. Every stored feature must be
// valid by GEOS, and the summary must count what was done.
func TestReprojectionBreaksValidity(t *testing.T) {
	csv := wktCSV(t,
		// A notch from the bottom edge reaching 1 cm short of the 100 km
		// top edge: the straight top edge becomes a chord in WGS 84 that
		// runs some 47 m south of the UTM line at its middle, so the notch
		// crosses it.
		"POLYGON ((600000 1400000,649999 1400000,650000 1499999.99,650001 1400000,700000 1400000,700000 1500000,600000 1500000,600000 1400000))",
		// A spike 1 mm wide at its base, which rounding to 1 cm folds onto
		// itself.
		"POLYGON ((660000 1520000,661000 1520000,661000 1521000,660500.001 1521000,660500.0005 1522000,660500 1521000,660000 1521000,660000 1520000))",
		// A part 0.5 mm tall, which rounding flattens to zero area.
		"MULTIPOLYGON (((660000 1520000,661000 1520000,661000 1521000,660000 1520000)),((662000 1520000,662000.004 1520000,662000.002 1520000.0005,662000 1520000)))",
	)
	sum, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:24047"})
	if sum.Written != 3 || sum.Repaired != 1 || sum.ReprojRepaired != 1 {
		t.Errorf("written %d, repaired %d (%d after reprojection); want 3, 1 (1): valid in the source CRS, the notch repaired in WGS 84",
			sum.Written, sum.Repaired, sum.ReprojRepaired)
	}
	if sum.DegenerateParts != 2 || sum.DegenerateFeatures != 2 {
		t.Errorf("%d degenerate parts dropped from %d features; want the spike and the flat part, 2 from 2", sum.DegenerateParts, sum.DegenerateFeatures)
	}
	for _, f := range feats {
		g, err := gdal.NewGeometryFromWKB(wkb.MustMarshal(f.Geometry))
		if err != nil {
			t.Fatal(err)
		}
		if !g.Valid() {
			t.Errorf("feature %v is stored invalid: %v", f.ID, f.Geometry)
		}
		g.Close()
	}
	if mp, ok := feats[2].Geometry.(orb.MultiPolygon); !ok || len(mp) != 1 {
		t.Errorf("feature 3 = %v, want its one part with area", feats[2].Geometry)
	}
	var out bytes.Buffer
	sum.Print(&out)
	for _, want := range []string{"1 after reprojection and rounding", "2 degenerate parts (spikes, zero-area rings, zero-length lines) of 2 features"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary does not say %q:\n%s", want, out.String())
		}
	}
}
