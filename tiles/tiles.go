// Package tiles cuts features into Mapbox Vector Tiles for every zoom of a
// tileset: project to Web Mercator, simplify in tile-pixel space, clip with a
// buffer, encode with orb's encoding/mvt and gzip.
package tiles

import (
	"context"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// Options controls Cut.
type Options struct {
	Layer   string // the MVT layer name
	MinZoom int
	MaxZoom int    // must be >= MinZoom; use AutoMaxZoom for a default
	Extent  uint32 // tile extent, default 4096
	Buffer  int    // clip buffer in extent units, default 64 per 4096 (scaled to Extent)
	// MaxTileBytes is the largest compressed tile allowed (default 500 KiB).
	MaxTileBytes int
	Workers      int // default runtime.NumCPU()
}

// Stats reports what Cut wrote, one entry per zoom from MinZoom to MaxZoom.
type Stats struct {
	Zooms []tileset.ZoomStats
}

// AutoMaxZoom picks a max zoom from the data's detail, as tippecanoe's -zg does.
func AutoMaxZoom(features []*geojson.Feature) int { panic("TODO") }

// Cut encodes features (WGS 84, ids already set) into tiles and hands each
// non-empty tile to put, from a single goroutine.
func Cut(ctx context.Context, features []*geojson.Feature, opts Options, put func(tileset.Tile) error) (Stats, error) {
	panic("TODO")
}
