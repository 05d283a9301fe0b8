package tiles

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/quadtree"
)

// The rule of AutoMaxZoom.
const (
	// AutoZoomCeiling is the highest zoom AutoMaxZoom returns.
	AutoZoomCeiling = 14
	// AutoPointZoom is the least AutoMaxZoom returns for data with points,
	// and what it returns when the data has no spacing to measure (a single
	// point). At zoom 10 one unit of a 4096 extent is about 10 m at the
	// equator: points are placed to better than the precision of most
	// survey coordinates, even when they are far apart.
	AutoPointZoom = 10
	// autoSpacing is the distance, as a fraction of a tile's width, that
	// the typical spacing of the data must reach at the chosen zoom: 1/256
	// of a tile is 16 units of a 4096 extent, one pixel of a 256-pixel tile.
	autoSpacing = 1.0 / 256
)

// AutoMaxZoom picks a max zoom from the data's detail, as tippecanoe's -zg
// does: the lowest zoom at which the data's typical spacing is resolved.
//
// The spacings measured, in Web Mercator (so that they are what a map shows
// at every latitude), are the length of every segment of every line and
// polygon ring, and for points the distance from each point to its nearest
// distinct neighbour. The result is the smallest zoom at which at least half
// of them (the median) span 1/256 of a tile or more: 16 units of a 4096
// extent, a pixel on a 256-pixel tile. Deeper zooms would only magnify what
// the data does not hold. The result is clamped to [0, AutoZoomCeiling] and,
// when the data has points, raised to at least AutoPointZoom, so that points
// far apart still get positions precise to about 10 m; data with no spacing
// at all (a single point) gets AutoPointZoom. The result depends only on the
// set of geometries, not on their order or on the machine.
func AutoMaxZoom(features []*geojson.Feature) int {
	var (
		mu     sync.Mutex
		counts [AutoZoomCeiling + 1]int64 // spacings first resolved at each zoom
		points []orb.Point
	)
	workers := runtime.NumCPU()
	chunk := max(1, (len(features)+workers*8-1)/(workers*8))
	var wg sync.WaitGroup
	for lo := 0; lo < len(features); lo += chunk {
		wg.Add(1)
		go func(fs []*geojson.Feature) {
			defer wg.Done()
			var local [AutoZoomCeiling + 1]int64
			var pts []orb.Point
			for _, f := range fs {
				if f == nil {
					continue
				}
				for _, g := range splitKinds(f.Geometry) {
					spacings(g, &local, &pts)
				}
			}
			mu.Lock()
			for z, n := range local {
				counts[z] += n
			}
			points = append(points, pts...)
			mu.Unlock()
		}(features[lo:min(lo+chunk, len(features))])
	}
	wg.Wait()

	if len(points) > 0 {
		nearestSpacings(points, &counts)
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return AutoPointZoom
	}
	z, seen := 0, counts[0]
	for 2*seen < total {
		z++
		seen += counts[z]
	}
	if len(points) > 0 {
		z = max(z, AutoPointZoom)
	}
	return z
}

// spacingZoom is the smallest zoom, up to AutoZoomCeiling, at which a
// distance d in world units spans autoSpacing of a tile.
func spacingZoom(d float64) int {
	z := math.Ceil(math.Log2(autoSpacing / d))
	return int(math.Max(0, math.Min(AutoZoomCeiling, z)))
}

// spacings counts the segment lengths of g's lines and rings and collects its
// points, all in world units; non-finite coordinates are skipped.
func spacings(g orb.Geometry, counts *[AutoZoomCeiling + 1]int64, points *[]orb.Point) {
	line := func(ls []orb.Point) {
		var prev orb.Point
		ok := false
		for _, p := range ls {
			if !finite(p) {
				ok = false
				continue
			}
			w := toWorld(p)
			if ok {
				if d := planar.Distance(prev, w); d > 0 {
					counts[spacingZoom(d)]++
				}
			}
			prev, ok = w, true
		}
	}
	switch g := g.(type) {
	case orb.Point:
		if finite(g) {
			*points = append(*points, toWorld(g))
		}
	case orb.MultiPoint:
		for _, p := range g {
			if finite(p) {
				*points = append(*points, toWorld(p))
			}
		}
	case orb.LineString:
		line(g)
	case orb.MultiLineString:
		for _, ls := range g {
			line(ls)
		}
	case orb.Polygon:
		for _, r := range g {
			line(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				line(r)
			}
		}
	}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// nearestSpacings counts, for each distinct point, the distance to its
// nearest distinct neighbour. Repeated points are merged first: they can
// never be told apart, and orb's quadtree degrades on duplicates.
func nearestSpacings(points []orb.Point, counts *[AutoZoomCeiling + 1]int64) {
	slices.SortFunc(points, func(a, b orb.Point) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	points = slices.Compact(points)
	if len(points) < 2 {
		return
	}
	qt := quadtree.New(orb.Bound{Max: orb.Point{1, 1}})
	for _, p := range points {
		_ = qt.Add(p) // toWorld keeps every point inside the unit square
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	chunk := (len(points) + workers - 1) / workers
	for lo := 0; lo < len(points); lo += chunk {
		wg.Add(1)
		go func(ps []orb.Point) {
			defer wg.Done()
			var local [AutoZoomCeiling + 1]int64
			for _, p := range ps {
				q := qt.Matching(p, func(q orb.Pointer) bool { return q.Point() != p })
				if q != nil {
					local[spacingZoom(planar.Distance(p, q.Point()))]++
				}
			}
			mu.Lock()
			for z, n := range local {
				counts[z] += n
			}
			mu.Unlock()
		}(points[lo:min(lo+chunk, len(points))])
	}
	wg.Wait()
}
