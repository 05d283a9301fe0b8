package tiles

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestDistributionKeptAtZoom5(t *testing.T) {
	// Clustered occurrences over northern Thailand's extent: mining
	// districts dense enough to thin, and scattered points in between.
	box := orb.Bound{Min: orb.Point{97.5, 15}, Max: orb.Point{102.5, 20.5}}
	points := syntheticOccurrences(t, 100_000, box)
	// Cut to zoom 12, as for a real occurrence layer, so that the drop rate
	// keeps few points at zoom 5 and the grid has to spread them.
	const z = 5
	got, stats := cutAll(t, points, Options{MinZoom: z, MaxZoom: 12})

	// Cells of a 64×64 grid per tile at zoom 5, as [tile x, tile y, cell x,
	// cell y] flattened to world cells.
	type cell struct{ x, y int }
	full := map[cell]bool{}
	for _, f := range points {
		p := f.Geometry.(orb.Point)
		x, y := worldPixel(p[0], p[1], z)
		full[cell{int(x / 64), int(y / 64)}] = true
	}
	drawn := map[cell]bool{}
	for tile, data := range got {
		if tile.Z != z {
			continue
		}
		for _, f := range decode(t, data).Features {
			p := f.Geometry.(orb.Point)
			if p[0] < 0 || p[1] < 0 || p[0] >= 4096 || p[1] >= 4096 {
				continue
			}
			drawn[cell{int(tile.X)*64 + int(p[0])/64, int(tile.Y)*64 + int(p[1])/64}] = true
		}
	}
	occupied := 0
	for c := range full {
		if drawn[c] {
			occupied++
		}
	}
	share := float64(occupied) / float64(len(full))
	if share < 0.95 {
		t.Errorf("zoom %d: points drawn in %d of the %d cells with data (%.1f %%), want at least 95 %%", z, occupied, len(full), 100*share)
	}
	// Thinned, or the test proves nothing.
	if zs := stats.Zooms[0]; zs.Kept > int64(len(points))/10 {
		t.Errorf("zoom %d kept %d of %d points: not thinned", z, zs.Kept, len(points))
	}
}

func TestThinKeepsOnePointPerCellWithItsCounts(t *testing.T) {
	// Four points in one zoom-0 cell of a 4-cell grid (90° wide), one alone
	// in another.
	var features []*geojson.Feature
	for i, lon := range []float64{-170, -160, -120, -100} {
		features = append(features, input(uint64(i), orb.Point{lon, 60}, geojson.Properties{"commodity": []string{"Cu", "Cu", "Au", ""}[i]}))
	}
	features = append(features, input(9, orb.Point{100, -60}, geojson.Properties{"commodity": "Sn"}))
	feats, err := prepare(t.Context(), features, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Options{Layer: "x", MaxZoom: 3, ClusterGrid: 4, ClusterField: "commodity", DropRate: -1}.settings()
	if err != nil {
		t.Fatal(err)
	}
	ps := newPointSet(feats, s)
	kept := ps.thin(0)
	if len(kept) != 2 {
		t.Fatalf("kept %d points, want 2", len(kept))
	}
	var crowd, alone clusterPoint
	for _, cp := range kept {
		if ps.feature[cp.k] == 4 {
			alone = cp
		} else {
			crowd = cp
		}
	}
	if alone.c != nil {
		t.Errorf("the lone point stands for %+v, want itself alone", alone.c)
	}
	props := ps.properties(feats[ps.feature[crowd.k]].props, crowd.c)
	if props[PointCount] != uint64(4) || props[PointCountPrefix+"Cu"] != uint64(2) || props[PointCountPrefix+"Au"] != uint64(1) {
		t.Errorf("crowd's attributes %v, want point_count 4, point_count_Cu 2, point_count_Au 1", props)
	}
	if _, ok := props[PointCountPrefix]; ok {
		t.Errorf("a point with no commodity was counted under an empty name: %v", props)
	}
	// Nested: the point kept at zoom 0 is kept at zoom 1, where the crowd
	// splits in two cells.
	at1 := ps.thin(1)
	if !slices.ContainsFunc(at1, func(cp clusterPoint) bool { return cp.k == crowd.k }) {
		t.Errorf("the point kept at zoom 0 is not kept at zoom 1")
	}
	if len(at1) != 3 {
		t.Errorf("zoom 1 kept %d points, want 3", len(at1))
	}
}

func TestClusterFieldCountsTheMostFrequentValues(t *testing.T) {
	// 40 values, value i on 100-i points: the 32 most frequent are counted
	// by name, the rest under "other".
	var features []*geojson.Feature
	id := uint64(0)
	for v := range 40 {
		for range 100 - v {
			features = append(features, input(id, orb.Point{100, 10}, geojson.Properties{"kind": v}))
			id++
		}
	}
	// The grid alone thins: all the points are in one place.
	got, _ := cutAll(t, features, Options{MaxZoom: 3, ClusterField: "kind", DropRate: -1})
	for tile, data := range got {
		if tile.Z == 3 {
			continue // every point is itself at the max zoom
		}
		l := decode(t, data)
		if len(l.Features) != 1 {
			t.Fatalf("%d features, want one point for all", len(l.Features))
		}
		p := l.Features[0].Properties
		if p[PointCount] != float64(len(features)) || p["point_count_0"] != float64(100) || p["point_count_31"] != float64(69) ||
			p["point_count_other"] != float64(68+67+66+65+64+63+62+61) || p["point_count_32"] != nil {
			t.Errorf("attributes %v", p)
		}
	}
}

func TestZOrderNestsCells(t *testing.T) {
	// Sorting cells in Z order puts the four children of every cell next
	// to one another, at every level.
	r := rand.New(rand.NewPCG(1, 1))
	type c struct{ x, y uint64 }
	cells := make([]c, 2000)
	for i := range cells {
		cells[i] = c{r.Uint64N(1 << 20), r.Uint64N(1 << 20)}
	}
	slices.SortFunc(cells, func(a, b c) int { return zorder(a.x, a.y, b.x, b.y) })
	for shift := range 20 {
		seen := map[c]bool{}
		var last c
		for i, x := range cells {
			p := c{x.x >> shift, x.y >> shift}
			if i > 0 && p != last && seen[p] {
				t.Fatalf("level %d: cell %v comes back after others", shift, p)
			}
			seen[p], last = true, p
		}
	}
	if zorder(0, 1, 1, 0) <= 0 || zorder(1, 0, 0, 1) >= 0 || cmp.Compare(zorder(3, 3, 3, 3), 0) != 0 {
		t.Error("y is not the more significant bit of a level")
	}
}

func TestThinNestsAndFollowsTheDropRate(t *testing.T) {
	// 20,000 points in a half-degree square, a few dense districts, and 60
	// prospects of 5 points within 0.1° each, scattered over 30°. At max
	// zoom - k the drop rate keeps about 20,000 / 2.5^k of the dense points
	// plus a point per district; the prospects' points are kept wherever
	// they stand apart on the zoom's own grid.
	r := rand.New(rand.NewPCG(7, 7))
	var features []*geojson.Feature
	for i := range 20_000 {
		features = append(features, input(uint64(i), orb.Point{100 + 0.5*r.Float64(), 10 + 0.5*r.Float64()}, nil))
	}
	for range 60 {
		lon, lat := 60+30*r.Float64(), -30+30*r.Float64()
		for range 5 {
			features = append(features, input(uint64(len(features)), orb.Point{lon + 0.1*r.Float64(), lat + 0.1*r.Float64()}, nil))
		}
	}
	feats, err := prepare(t.Context(), features, 1)
	if err != nil {
		t.Fatal(err)
	}
	const maxZoom = 12
	s, err := Options{Layer: "x", MaxZoom: maxZoom}.settings()
	if err != nil {
		t.Fatal(err)
	}
	ps := newPointSet(feats, s)
	var before map[int32]bool
	for z := range maxZoom {
		kept := ps.thin(z)
		now := map[int32]bool{}
		var counted uint64
		for _, cp := range kept {
			now[cp.k] = true
			counted++
			if cp.c != nil {
				counted += cp.c.count - 1
			}
		}
		if counted != uint64(len(features)) {
			t.Errorf("zoom %d: the kept points stand for %d points, want %d", z, counted, len(features))
		}
		for k := range before {
			if !now[k] {
				t.Errorf("zoom %d: point %d kept at zoom %d is not kept", z, ps.feature[k], z-1)
				break
			}
		}
		before = now

		type cell [2]uint64
		district, own := ps.spreadShift(z), uint(maxZoom-z)
		points := map[cell]int{}
		for k := range ps.feature {
			points[cell{ps.cx[k] >> district, ps.cy[k] >> district}]++
		}
		drawn, drawnOwn := map[cell]bool{}, map[cell]bool{}
		dense := 0
		for _, cp := range kept {
			drawn[cell{ps.cx[cp.k] >> district, ps.cy[cp.k] >> district}] = true
			drawnOwn[cell{ps.cx[cp.k] >> own, ps.cy[cp.k] >> own}] = true
			if points[cell{ps.cx[cp.k] >> district, ps.cy[cp.k] >> district}] > sparseDistrict {
				dense++
			}
		}
		denseDistricts := 0
		for c, n := range points {
			if !drawn[c] {
				t.Errorf("zoom %d: district %v has %d points and none drawn", z, c, n)
			}
			if n > sparseDistrict {
				denseDistricts++
			}
		}
		for k := range ps.feature {
			if ps.feature[k] >= 20_000 && !drawnOwn[cell{ps.cx[k] >> own, ps.cy[k] >> own}] {
				t.Errorf("zoom %d: prospect point %d stands apart but nothing is drawn in its cell", z, ps.feature[k])
				break
			}
		}
		// The dense points: the rate's share, give or take five standard
		// deviations, plus at most a point per dense district.
		if z > s.spreadZoom {
			want := 20_000 * math.Pow(DefaultDropRate, -float64(maxZoom-z))
			slack := 5 * math.Sqrt(want)
			if got := float64(dense); got < want-slack || got > want+slack+float64(denseDistricts) {
				t.Errorf("zoom %d: kept %d dense points, want the rate's %.0f ± %.0f plus at most %d districts", z, dense, want, slack, denseDistricts)
			}
		}
	}
}
