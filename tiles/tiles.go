// Package tiles cuts features into Mapbox Vector Tiles for every zoom of a
// tileset: project to Web Mercator, simplify in tile-pixel space, clip with a
// buffer, encode with orb's encoding/mvt and gzip.
//
// Each zoom is cut on its own, so memory follows the data rather than the
// number of tiles: the features are simplified once for the zoom in its
// world-pixel space (the same edge therefore simplifies identically in
// neighbouring tiles), then split down the tile quadtree by a pool of workers,
// each tile being clipped from its parent's already clipped pieces.
package tiles

import (
	"context"
	"fmt"
	"runtime"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// Defaults applied by Cut to zero Options fields.
const (
	DefaultExtent       = 4096
	DefaultBuffer       = 64 // extent units per 4096, scaled to Options.Extent
	DefaultMaxTileBytes = 500 << 10
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
// id. Cut fails, without handing over the offending tile, when a tile would be
// larger than Options.MaxTileBytes (see TileTooLargeError), when put fails, or
// when ctx is done.
func Cut(ctx context.Context, features []*geojson.Feature, opts Options, put func(tileset.Tile) error) (Stats, error) {
	s, err := opts.settings()
	if err != nil {
		return Stats{}, err
	}
	feats, err := prepare(ctx, features, s.workers)
	if err != nil {
		return Stats{}, err
	}
	var stats Stats
	for z := s.minZoom; z <= s.maxZoom; z++ {
		zs, err := cutZoom(ctx, feats, z, s, put)
		if err != nil {
			return stats, err
		}
		stats.Zooms = append(stats.Zooms, zs)
	}
	return stats, nil
}
