package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// DefaultMaxTiles is the number of tiles an ingest cuts at most unless told
// otherwise: a whole country's geology to zoom 14 is well under it, and a
// mistaken --maxzoom 22 on a small map far over it.
const DefaultMaxTiles = 5_000_000

// EstimateTiles estimates how many tiles cutting features from minZoom to
// maxZoom visits: per zoom, the tiles each feature's bounding box meets,
// summed over the features, but no more than the tiles the bounding box of
// them all meets. It is an upper estimate (features that share tiles, and
// bounding boxes larger than their shapes, count more than the cut visits)
// and costs one pass over the features' bounds per zoom; tilecover would
// count the tiles of each shape exactly, at the price of the cut itself at
// deep zooms.
func EstimateTiles(features []*geojson.Feature, minZoom, maxZoom int) float64 {
	bounds := make([]orb.Bound, 0, len(features))
	var all orb.Bound
	for _, f := range features {
		if f == nil || f.Geometry == nil {
			continue
		}
		b := f.Geometry.Bound()
		if len(bounds) == 0 {
			all = b
		} else {
			all = all.Union(b)
		}
		bounds = append(bounds, b)
	}
	if len(bounds) == 0 {
		return 0
	}
	total := 0.0
	for z := minZoom; z <= maxZoom; z++ {
		sum := 0.0
		for _, b := range bounds {
			sum += tilesMet(b, z)
		}
		total += math.Min(sum, tilesMet(all, z))
	}
	return total
}

// tilesMet is the number of tiles of zoom z that bound b meets.
func tilesMet(b orb.Bound, z int) float64 {
	zoom := maptile.Zoom(z)
	lo := maptile.At(clampMercator(orb.Point{b.Min[0], b.Max[1]}), zoom) // north-west
	hi := maptile.At(clampMercator(orb.Point{b.Max[0], b.Min[1]}), zoom) // south-east
	return (float64(hi.X) - float64(lo.X) + 1) * (float64(hi.Y) - float64(lo.Y) + 1)
}

// clampMercator brings p inside the square Web Mercator covers.
func clampMercator(p orb.Point) orb.Point {
	const maxLat = 85.0511287798
	return orb.Point{math.Max(-180, math.Min(p[0], 180-1e-9)), math.Max(-maxLat, math.Min(p[1], maxLat))}
}
