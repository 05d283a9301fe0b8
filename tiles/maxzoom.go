package tiles

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/quadtree"
)

// The rules of AutoMaxZoom and ScaleMaxZoom.
const (
	// AutoZoomCeiling is the highest zoom AutoMaxZoom returns.
	AutoZoomCeiling = 14
	// ScaleZoomCeiling is the highest zoom ScaleMaxZoom returns.
	ScaleZoomCeiling = 16
	// AutoPointZoom is the least AutoMaxZoom returns for data with points,
	// and what it returns when the data has no spacing to measure (a single
	// point). At zoom 10 one unit of a 4096 extent is about 10 m at the
	// equator: points are placed to better than the precision of most
	// survey coordinates, even when they are far apart.
	AutoPointZoom = 10
	// FineSpacingQuantile is the share of the data's spacings below its
	// fine spacing: the fine end of the distribution, what the data
	// resolves in its most detailed places, not its typical vertex.
	FineSpacingQuantile = 0.05
	// MapPrecision is the size on the map, in metres, that a grid unit at
	// the max zoom may cover at most at the map's scale: 0.1 mm.
	MapPrecision = 0.0001
	// earthCircumference is Web Mercator's equator in metres.
	earthCircumference = 2 * math.Pi * 6378137
	// spacingBins is the resolution of the spacing histogram: bins of an
	// eighth of an octave, from a whole world down to 2^-40 of it (4 cm).
	spacingBins, binsPerOctave = 40 * 8, 8
)

// BoundaryError is the farthest, in grid units (1/4096 of a tile), that a
// line or polygon boundary cut at the default tolerance is drawn from the
// source at the max zoom: DefaultTolerance of Douglas-Peucker simplification
// plus half a grid unit's diagonal of rounding.
var BoundaryError = DefaultTolerance + math.Sqrt2/2

// ZoomChoice is a max zoom and, for the ingest summary, why.
type ZoomChoice struct {
	Zoom   int
	Reason string
	// Tolerance is how far from the source AutoMaxZoom undertook to draw
	// boundaries, in Web Mercator world units (the world is 1 wide), or 0.
	Tolerance float64
}

// AutoMaxZoom picks a max zoom from the data's own detail, for data whose
// map scale is unknown: the lowest zoom at which lines and polygon
// boundaries are drawn within a tolerance of half the data's fine spacing.
//
// The spacings measured, in Web Mercator (so that they compare with the
// tile grid at every latitude), are the length of every segment of every
// line and polygon ring, and for points the distance from each point to its
// nearest distinct neighbour. The fine spacing is their
// FineSpacingQuantile (5th percentile, to an eighth of an octave): two
// vertices that close are told apart in the source, so a boundary drawn
// within half of it is where the source has it. At the max zoom a boundary
// is drawn within BoundaryError grid units of the source, so the zoom is
// the lowest whose grid unit is at most half the fine spacing divided by
// BoundaryError. The result is clamped to [0, AutoZoomCeiling] and, when
// the data has points, raised to at least AutoPointZoom, so that points far
// apart still get positions precise to about 10 m; data with no spacing at
// all (a single point) gets AutoPointZoom. The result depends only on the
// set of geometries, not on their order or on the machine.
func AutoMaxZoom(features []*geojson.Feature) ZoomChoice {
	var (
		mu       sync.Mutex
		counts   [spacingBins]int64
		points   []orb.Point
		bound    orb.Bound
		hasBound bool
	)
	workers := runtime.NumCPU()
	chunk := max(1, (len(features)+workers*8-1)/(workers*8))
	var wg sync.WaitGroup
	for lo := 0; lo < len(features); lo += chunk {
		wg.Add(1)
		go func(fs []*geojson.Feature) {
			defer wg.Done()
			var local [spacingBins]int64
			var pts []orb.Point
			var b orb.Bound
			seen := false
			for _, f := range fs {
				if f == nil || f.Geometry == nil {
					continue
				}
				for _, g := range splitKinds(f.Geometry) {
					spacings(g, &local, &pts)
				}
				if gb := f.Geometry.Bound(); finite(gb.Min) && finite(gb.Max) {
					if seen {
						b = b.Union(gb)
					} else {
						b, seen = gb, true
					}
				}
			}
			mu.Lock()
			for z, n := range local {
				counts[z] += n
			}
			points = append(points, pts...)
			if seen {
				if hasBound {
					bound = bound.Union(b)
				} else {
					bound, hasBound = b, true
				}
			}
			mu.Unlock()
		}(features[lo:min(lo+chunk, len(features))])
	}
	wg.Wait()

	hasPoints := len(points) > 0
	if hasPoints {
		nearestSpacings(points, &counts)
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return ZoomChoice{Zoom: AutoPointZoom, Reason: fmt.Sprintf("%d, for points with no neighbour to measure: positions within about 10 m", AutoPointZoom)}
	}
	// The fine spacing: the bin holding the quantile, from the finest.
	want := int64(math.Ceil(FineSpacingQuantile * float64(total)))
	bin, seen := spacingBins-1, counts[spacingBins-1]
	for seen < want {
		bin--
		seen += counts[bin]
	}
	fine := binSpacing(bin)
	z := int(math.Ceil(math.Log2(2 * BoundaryError / (DefaultExtent * fine))))
	z = max(0, min(AutoZoomCeiling, z))
	lat := (bound.Min[1] + bound.Max[1]) / 2
	if !hasBound {
		lat = 0
	}
	m := func(world float64) string { return metres(world * earthCircumference * math.Cos(lat*math.Pi/180)) }
	unit := 1 / (DefaultExtent * math.Exp2(float64(z)))
	errAt := BoundaryError * unit
	spacing := fmt.Sprintf("fine spacing %s (5th percentile of segment lengths and point distances)", m(fine))
	var why string
	switch {
	case hasPoints && z < AutoPointZoom:
		why = fmt.Sprintf("%d, the least for points (positions within about 10 m); the data's %s asked for %d", AutoPointZoom, spacing, z)
		z = AutoPointZoom
	case errAt > fine/2:
		why = fmt.Sprintf("%d, the ceiling of the automatic choice: %s; a grid unit of %s draws boundaries within %s, over the tolerance of half that spacing (%s); give --maxzoom or --scale 1:N to go deeper",
			z, spacing, m(unit), m(errAt), m(fine/2))
	default:
		why = fmt.Sprintf("%d, from the data: %s; a grid unit of %s draws boundaries within %s, inside the tolerance of half that spacing (%s); give --scale 1:N to choose by the map's scale",
			z, spacing, m(unit), m(errAt), m(fine/2))
	}
	return ZoomChoice{z, why, fine / 2}
}

// ScaleMaxZoom is the max zoom for a map at scale 1:denominator covering
// bound (WGS 84): the lowest zoom whose grid unit (1/4096 of a tile) is at
// most MapPrecision (0.1 mm) at that scale on the ground, capped at
// ScaleZoomCeiling. A grid unit covers cos φ of its equatorial size at
// latitude φ, so it is measured at the latitude of the bound nearest the
// equator, where it is largest: the goal then holds over the whole map.
func ScaleMaxZoom(denominator int, bound orb.Bound) ZoomChoice {
	lat := 0.0
	switch {
	case bound.Min[1] > 0:
		lat = bound.Min[1]
	case bound.Max[1] < 0:
		lat = bound.Max[1]
	}
	lat = math.Min(math.Abs(lat), maxLat)
	goal := MapPrecision * float64(denominator)
	atZoom0 := earthCircumference * math.Cos(lat*math.Pi/180) / DefaultExtent
	z := max(0, int(math.Ceil(math.Log2(atZoom0/goal))))
	why := ""
	if z > ScaleZoomCeiling {
		z = ScaleZoomCeiling
		why = fmt.Sprintf("%d, the ceiling for --scale: a grid unit is %s, over 0.1 mm at 1:%d (%s)",
			z, metres(atZoom0/math.Exp2(float64(z))), denominator, metres(goal))
	} else {
		why = fmt.Sprintf("%d, from --scale 1:%d: a grid unit is %s at latitude %.1f°, within 0.1 mm at the map's scale (%s); boundaries are drawn within %s",
			z, denominator, metres(atZoom0/math.Exp2(float64(z))), lat, metres(goal), metres(BoundaryError*atZoom0/math.Exp2(float64(z))))
	}
	return ZoomChoice{Zoom: z, Reason: why}
}

// metres writes a distance for people: 0.62 m, 17 m, 3.2 km.
func metres(d float64) string {
	switch {
	case d >= 10000:
		return fmt.Sprintf("%.0f km", d/1000)
	case d >= 1000:
		return fmt.Sprintf("%.1f km", d/1000)
	case d >= 10:
		return fmt.Sprintf("%.0f m", d)
	}
	return fmt.Sprintf("%.2g m", d)
}

// spacingBin is the histogram bin of a distance d in world units: bin b
// holds distances from 2^-(b+1)/8 to 2^-b/8 of the world.
func spacingBin(d float64) int {
	b := int(math.Floor(-math.Log2(d) * binsPerOctave))
	return max(0, min(spacingBins-1, b))
}

// binSpacing is the smallest distance of bin b, so that the zoom chosen
// from it resolves every distance of the bin.
func binSpacing(b int) float64 {
	return math.Exp2(-float64(b+1) / binsPerOctave)
}

// spacings counts the segment lengths of g's lines and rings and collects its
// points, all in world units; non-finite coordinates are skipped.
func spacings(g orb.Geometry, counts *[spacingBins]int64, points *[]orb.Point) {
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
					counts[spacingBin(d)]++
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
func nearestSpacings(points []orb.Point, counts *[spacingBins]int64) {
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
			var local [spacingBins]int64
			for _, p := range ps {
				q := qt.Matching(p, func(q orb.Pointer) bool { return q.Point() != p })
				if q != nil {
					local[spacingBin(planar.Distance(p, q.Point()))]++
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
