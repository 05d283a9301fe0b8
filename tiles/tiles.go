// Package tiles cuts features into Mapbox Vector Tiles for every zoom of a
// tileset: project to Web Mercator, generalise for the zoom, clip with a
// buffer, encode with orb's encoding/mvt and gzip.
//
// Each zoom is cut on its own, so memory follows the data rather than the
// number of tiles: the features are generalised once for the zoom in its
// world-pixel space (the same edge therefore comes out identically in
// neighbouring tiles), then split down the tile quadtree by a pool of workers,
// each tile being clipped from its parent's already clipped pieces.
//
// Generalisation, by kind of geometry:
//
//   - Polygons are cut as a coverage. Their rings are split into arcs where
//     three or more rings meet (the edges of a topology, as TopoJSON's arcs),
//     and each arc is simplified once per zoom, so that neighbouring units
//     keep exactly the same border and no gap or sliver opens between them.
//     Below the max zoom, a polygon smaller than a pixel (1/512 of a tile
//     wide) is merged into the neighbour it shares most border with, which
//     takes in its area; a polygon with no neighbour is dropped, and so is a
//     hole smaller than a pixel with nothing inside it.
//   - Lines are simplified; below the max zoom, lines shorter than a pixel
//     are dropped.
//   - At the max zoom no line or polygon is merged or dropped: every
//     feature of the input is drawn. Boundaries are drawn within
//     BoundaryError grid units (1/4096 of a tile) of the source. A polygon
//     part, or a line, that the grid would round away is drawn as a speck,
//     the smallest shape the grid draws at its place (a square of one grid
//     unit, a segment of one unit; see keepSpecks), on top of its
//     neighbours; a hole smaller than the grid is left out, the unit inside
//     it drawn on top as a speck.
//   - Points below the max zoom are thinned two ways at once, and a point
//     either keeps is drawn: evenly, one point per occupied cell of a grid
//     of ClusterGrid cells per tile side up to SpreadZoom, so that wherever
//     there are points something is drawn at every zoom (deeper, the grid
//     holds only in districts of few points, cells of its ground size at
//     SpreadZoom but never larger than a tile; a denser district draws one
//     point); and at tippecanoe's drop rate (DropRate: one point in 2.5
//     fewer per zoom below the max), so that dense places look dense. A
//     kept point that stands for others carries point_count, the number of
//     input points it stands for (absent means 1), and, when
//     Options.ClusterField is set, counts per value of that field (see
//     ClusterField). The point_count of a zoom's points add up to the
//     number of input points. At the max zoom every point is drawn as
//     itself unless a tile's size limits force thinning. A MultiPoint
//     feature is one feature, neither thinned nor counted.
//
// Tiles are kept within Options.MaxTileBytes and Options.MaxTileFeatures,
// never by truncating the feature list: points are thinned on ever coarser
// grids, so that the densest places lose points first and their counts
// move to the points kept (so every point is still counted, at the max zoom
// too); then, below the max zoom only, the polygons of the tile are merged
// as at a zoom where a pixel is two, four ... up to 64 times wider, which
// keeps the coverage whole; then lines and polygons are dropped smallest
// first. A tile that one line or polygon alone makes too large is an error
// (TileTooLargeError), and so is a max-zoom tile whose lines and polygons,
// all kept there, are over the limits together: the fix it names is a
// deeper max zoom, whose tiles cover a quarter of the ground, or larger
// limits.
//
// Every polygon of every tile is valid as the MVT specification 2.1
// requires, which package tiles/validity checks: the clip splits a polygon
// that leaves a tile's buffered box and comes back into separate parts,
// and a polygon that snapping to the tile grid left self-intersecting or
// self-touching is repaired with GEOS (MakeValid, then snap-rounded to the
// grid), as tippecanoe repairs with wagyu. The repair needs cgo; a build
// without it encodes such polygons unrepaired.
//
// Stats count, per zoom, the features kept, merged and dropped, and the
// share of the polygons' area merged or dropped.
//
// Feature ids are the input's at every zoom.
package tiles

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// Defaults applied by Cut to zero Options fields.
const (
	DefaultExtent       = 4096
	DefaultBuffer       = 64 // extent units per 4096, scaled to Options.Extent
	DefaultMaxTileBytes = 500 << 10
	// DefaultMaxTileFeatures is the default Options.MaxTileFeatures.
	DefaultMaxTileFeatures = 200_000
	// DefaultDropRate is the default Options.DropRate, tippecanoe's.
	DefaultDropRate = 2.5
	// DefaultSpreadZoom is the default Options.SpreadZoom: at zoom 5 a cell
	// of the default grid is some 20 km wide at the equator, about a mining
	// district.
	DefaultSpreadZoom = 5
	// DefaultClusterGrid is the default Options.ClusterGrid: cells of 8
	// pixels on a 512-pixel tile, about the width of a point symbol, so
	// that points kept seldom hide one another.
	DefaultClusterGrid = 64
	// PixelsPerTile defines the pixel of "smaller than a pixel": 1/512 of a
	// tile, a screen pixel of a vector tile drawn at MapLibre's 512 pixels.
	PixelsPerTile = 512
	// DefaultTolerance is the Douglas-Peucker tolerance in extent units per
	// 4096: one unit, an eighth of a screen pixel on a 512-pixel tile, so
	// simplification removes only what quantisation would blur anyway and
	// features sharing a border keep no visible gap between them.
	DefaultTolerance = 1.0
	// MaxZoomLimit is the deepest zoom Cut accepts.
	MaxZoomLimit = 24
)

// Options controls Cut.
type Options struct {
	Layer   string // the MVT layer name
	MinZoom int
	MaxZoom int    // must be >= MinZoom; use AutoMaxZoom for a default
	Extent  uint32 // tile extent, default 4096
	// Buffer is the clip buffer in extent units, default 64 per 4096 (scaled
	// to Extent); a negative value clips at the tile edge.
	Buffer int
	// MaxTileBytes is the largest compressed tile allowed (default 500 KiB).
	MaxTileBytes int
	// MaxTileFeatures is the most features a tile may hold (default
	// 200,000).
	MaxTileFeatures int
	// ClusterGrid is the number of cells per tile side of the grid that
	// thins points below the max zoom: one point is kept per occupied cell.
	// It must be a power of two no larger than Extent; default 64.
	ClusterGrid int
	// SpreadZoom is the deepest zoom where the grid of ClusterGrid is the
	// zoom's own everywhere; deeper, it is only in districts of few points
	// (cells of its ground size at SpreadZoom, never larger than a tile),
	// and a denser district keeps one point besides the drop rate's.
	// Default DefaultSpreadZoom; negative: 0.
	SpreadZoom int
	// DropRate thins points as tippecanoe's -r does, on top of the grid:
	// at MaxZoom-k one point in DropRate^k is kept, at random but the same
	// points at every zoom. Default DefaultDropRate; negative: the grid
	// alone thins.
	DropRate float64
	// ClusterField names an attribute of the points whose values are counted
	// on the points kept: a point standing for others gets, besides
	// point_count, one attribute point_count_VALUE per value of the field
	// among the points it stands for (e.g. point_count_Cu = 3), for the 32
	// most frequent values of the whole layer; the rest are counted together
	// under point_count_other. Empty: no counts per value.
	ClusterField string
	Workers      int // default runtime.NumCPU()
	// Tolerance is the simplification tolerance in extent units at every
	// zoom, default DefaultTolerance per 4096 (scaled to Extent); a negative
	// value turns simplification off.
	Tolerance float64
}

// Stats reports what Cut wrote, one entry per zoom from MinZoom to MaxZoom.
type Stats struct {
	Zooms []tileset.ZoomStats
}

// settings are Options with defaults applied, in the units the cutter uses.
type settings struct {
	layer            string
	minZoom, maxZoom int
	extent           uint32
	buffer           float64 // extent units
	tolerance        float64 // extent units; 0 for none
	maxTileBytes     int
	maxTileFeatures  int
	clusterGrid      int // cells per tile side
	spreadZoom       int
	dropRate         float64 // 0 for none
	pixel            float64 // extent units
	clusterField     string
	workers          int
}

func (o Options) settings() (settings, error) {
	s := settings{
		layer:        o.Layer,
		minZoom:      o.MinZoom,
		maxZoom:      o.MaxZoom,
		extent:       o.Extent,
		maxTileBytes: o.MaxTileBytes,
		workers:      o.Workers,
	}
	if s.layer == "" {
		return s, fmt.Errorf("tiles: no layer name given; set Options.Layer (the tileset's source layer)")
	}
	if s.minZoom < 0 || s.maxZoom > MaxZoomLimit || s.minZoom > s.maxZoom {
		return s, fmt.Errorf("tiles: zoom range %d-%d is invalid; use 0 <= --minzoom <= --maxzoom <= %d", s.minZoom, s.maxZoom, MaxZoomLimit)
	}
	if s.extent == 0 {
		s.extent = DefaultExtent
	}
	scale := float64(s.extent) / DefaultExtent
	switch {
	case o.Buffer == 0:
		s.buffer = DefaultBuffer * scale
	case o.Buffer > 0:
		s.buffer = float64(o.Buffer)
	}
	switch {
	case o.Tolerance == 0:
		s.tolerance = DefaultTolerance * scale
	case o.Tolerance > 0:
		s.tolerance = o.Tolerance
	}
	if s.maxTileBytes <= 0 {
		s.maxTileBytes = DefaultMaxTileBytes
	}
	s.maxTileFeatures = o.MaxTileFeatures
	if s.maxTileFeatures <= 0 {
		s.maxTileFeatures = DefaultMaxTileFeatures
	}
	s.clusterGrid = o.ClusterGrid
	if s.clusterGrid == 0 {
		s.clusterGrid = min(DefaultClusterGrid, int(s.extent))
	}
	if s.clusterGrid < 1 || s.clusterGrid > int(s.extent) || s.clusterGrid&(s.clusterGrid-1) != 0 {
		return s, fmt.Errorf("tiles: cluster grid %d is invalid; use a power of two from 1 to the tile extent %d", s.clusterGrid, s.extent)
	}
	switch {
	case o.SpreadZoom == 0:
		s.spreadZoom = DefaultSpreadZoom
	case o.SpreadZoom > 0:
		s.spreadZoom = o.SpreadZoom
	}
	switch {
	case o.DropRate == 0:
		s.dropRate = DefaultDropRate
	case o.DropRate > 0 && o.DropRate < 1 || math.IsNaN(o.DropRate):
		return s, fmt.Errorf("tiles: --drop-rate %g is invalid; use 1 or more (1 keeps every point)", o.DropRate)
	case o.DropRate > 0:
		s.dropRate = o.DropRate
	}
	s.pixel = float64(s.extent) / PixelsPerTile
	s.clusterField = o.ClusterField
	if s.workers <= 0 {
		s.workers = runtime.NumCPU()
	}
	return s, nil
}

// Cut encodes features (WGS 84, ids already set) into tiles and hands each
// non-empty tile to put, from a single goroutine (the caller's). Zooms are cut
// in ascending order; within a zoom the order of tiles is unspecified.
//
// Features with no geometry are skipped; geometry collections become one MVT
// feature per kind of geometry (points, lines, polygons) sharing the input's
// id. Cut fails, without handing over the offending tile, when a single line
// or polygon makes a tile larger than Options.MaxTileBytes by itself (see
// TileTooLargeError), when put fails, or when ctx is done.
//
// Memory follows the input: Cut holds a projected copy of the features,
// the polygons' topology (about the size of their vertices once more) and
// one zoom's generalised features at a time.
func Cut(ctx context.Context, features []*geojson.Feature, opts Options, put func(tileset.Tile) error) (Stats, error) {
	s, err := opts.settings()
	if err != nil {
		return Stats{}, err
	}
	feats, err := prepare(ctx, features, s.workers)
	if err != nil {
		return Stats{}, err
	}
	l := newLayer(feats, s)
	var stats Stats
	for z := s.minZoom; z <= s.maxZoom; z++ {
		zs, err := cutZoom(ctx, l, z, put)
		if err != nil {
			return stats, err
		}
		stats.Zooms = append(stats.Zooms, zs)
	}
	return stats, nil
}
