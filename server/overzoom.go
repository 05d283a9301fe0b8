package server

import (
	"fmt"

	"github.com/outcrop/outcrop/overzoom"
	"github.com/outcrop/outcrop/tileset"
)

// DefaultMaxOverzoom is the deepest zoom served when Config.MaxOverzoom is
// zero: 24, the deepest tile matrix of WebMercatorQuad and about 2 cm per
// tile unit, deeper than any client zooms a geological map.
const DefaultMaxOverzoom = 24

// The caches of overzooming, bounded by their estimated bytes. A QGIS pan
// at zoom 14 over a tileset cut to zoom 10 asks for a dozen or so tiles
// below each of a few zoom-10 tiles: the decoded ancestors are what saves
// the work; the cut tiles spare repeated requests from many clients.
const (
	overzoomAncestorBytes = 64 << 20
	overzoomTileBytes     = 32 << 20
)

// overzoomKey names a tile of one tileset version; the Metadata pointer is
// unique to a version (see tileInfoCache).
type overzoomKey struct {
	meta    *tileset.Metadata
	z, x, y int
}

// overzoomer cuts the tiles deeper than a tileset's max zoom from its
// max-zoom tiles, and caches both.
type overzoomer struct {
	ancestors *lru[overzoomKey, *overzoom.Tile]
	tiles     *lru[overzoomKey, []byte]
}

func newOverzoomer() *overzoomer {
	return &overzoomer{
		ancestors: newLRU[overzoomKey, *overzoom.Tile](overzoomAncestorBytes),
		tiles:     newLRU[overzoomKey, []byte](overzoomTileBytes),
	}
}

// tile returns the gzip-compressed tile z/x/y of ts, z being deeper than
// info's max zoom, or nil when it holds no feature.
func (o *overzoomer) tile(ts *tileset.Reader, info *tileInfo, z, x, y int) ([]byte, error) {
	return o.tiles.get(overzoomKey{info.meta, z, x, y}, func() ([]byte, int, error) {
		depth := z - info.maxZoom
		ax, ay := x>>depth, y>>depth
		anc, err := o.ancestor(ts, info, ax, ay)
		if anc == nil || err != nil {
			return nil, 64, err
		}
		data, err := anc.Cut(depth, x-ax<<depth, y-ay<<depth, overzoom.DefaultBuffer)
		return data, len(data) + 64, err
	})
}

// ancestor returns the decoded max-zoom tile ax/ay of ts, nil when none is
// stored there.
func (o *overzoomer) ancestor(ts *tileset.Reader, info *tileInfo, ax, ay int) (*overzoom.Tile, error) {
	return o.ancestors.get(overzoomKey{info.meta, info.maxZoom, ax, ay}, func() (*overzoom.Tile, int, error) {
		var t *overzoom.Tile
		_, err := ts.Tile(info.maxZoom, ax, ay, func(data []byte) error {
			var err error
			if t, err = overzoom.Decode(data); err != nil {
				return fmt.Errorf("max-zoom tile %d/%d/%d, to overzoom from: %w", info.maxZoom, ax, ay, err)
			}
			return nil
		})
		if t == nil {
			return nil, 64, err
		}
		return t, t.Size(), err
	})
}
