package ingest

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// Geometry types of tileset.Metadata.
const (
	geomPoint   = "point"
	geomLine    = "line"
	geomPolygon = "polygon"
	geomMixed   = "mixed"
)

// geometryType names the kind of geometry the features share, or "mixed".
func geometryType(features []*geojson.Feature) string {
	kind := ""
	for _, f := range features {
		var k string
		switch f.Geometry.Dimensions() {
		case 0:
			k = geomPoint
		case 1:
			k = geomLine
		default:
			k = geomPolygon
		}
		if kind == "" {
			kind = k
		} else if kind != k {
			return geomMixed
		}
	}
	return kind
}

// bounds returns west, south, east, north of all features.
func bounds(features []*geojson.Feature) [4]float64 {
	b := features[0].Geometry.Bound()
	for _, f := range features[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

// The window the center zoom fits the data into, in 512-pixel tiles (the
// tile size MapLibre requests vector tiles at): about a laptop browser's.
const (
	viewTilesWide = 2.0
	viewTilesHigh = 1.5
)

// center returns the middle of b and the deepest zoom, within [minZoom,
// maxZoom], at which the whole extent fits a browser window.
func center(b [4]float64, minZoom, maxZoom int) [3]float64 {
	// Web Mercator ends at ±85.05°; beyond it tile rows are not defined.
	const maxLat = 85.0511
	clampLat := func(lat float64) float64 { return math.Max(-maxLat, math.Min(maxLat, lat)) }
	sw, ne := orb.Point{b[0], clampLat(b[1])}, orb.Point{b[2], clampLat(b[3])}
	z := maxZoom
	for zoom := minZoom; zoom <= maxZoom; zoom++ {
		lo := maptile.Fraction(sw, maptile.Zoom(zoom))
		hi := maptile.Fraction(ne, maptile.Zoom(zoom))
		if hi[0]-lo[0] > viewTilesWide || lo[1]-hi[1] > viewTilesHigh {
			z = max(minZoom, zoom-1)
			break
		}
	}
	c := orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}.Center()
	return [3]float64{round6(c[0]), round6(c[1]), float64(z)}
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}
