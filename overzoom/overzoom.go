// Package overzoom cuts a descendant tile from a Mapbox Vector Tile: the tile
// of a deeper zoom that covers a part of it, scaled up and clipped with a
// buffer. A server uses it to answer zooms deeper than the tiles it stores,
// for clients that do not overzoom by themselves.
//
// Scaling an integer tile by a power of two is exact, so every vertex of
// the source keeps its place; only the vertices that clipping adds on the
// buffer's edge are rounded to the integer grid, along that edge. Polygons
// are clipped so that a polygon leaving and re-entering the buffered tile
// comes out as separate parts (no zero-width strips along the edge), and
// valid polygons come out valid in the sense of the MVT 2.1 specification:
// exterior rings with positive area in tile coordinates (clockwise with y
// down), holes negative, no ring with a repeated point, zero-area parts
// dropped. Lines are clipped with orb's clip; points outside the buffered
// tile are dropped. Attributes and feature ids are kept as they are,
// point_count included.
package overzoom

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tiles"
)

// DefaultBuffer is the clip buffer in extent units per 4096, scaled to each
// layer's extent: the buffer the ingest cuts its tiles with
// (tiles.DefaultBuffer), so that overzoomed tiles overlap their neighbours
// as stored tiles do.
const DefaultBuffer = 64

// MaxDepth is the most zooms a tile can be cut below its own: beyond it the
// scaled coordinates of a 4096-extent tile would no longer be exact in a
// float64.
const MaxDepth = 30

// Tile is a decoded tile from which descendant tiles are cut. It is
// read-only once decoded and safe for concurrent use.
type Tile struct {
	layers []layer
	size   int
}

type layer struct {
	name     string
	version  uint32
	extent   uint32
	features []feature
}

// feature is a decoded feature with the bound of its geometry, which lets
// Cut pass over the features far from the descendant without looking at
// their vertices.
type feature struct {
	f     *geojson.Feature
	bound orb.Bound
}

// Decode decodes a Mapbox Vector Tile, gzip-compressed or not.
func Decode(data []byte) (*Tile, error) {
	var (
		layers mvt.Layers
		err    error
	)
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		layers, err = mvt.UnmarshalGzipped(data)
	} else {
		layers, err = mvt.Unmarshal(data)
	}
	if err != nil {
		return nil, fmt.Errorf("overzoom: decoding tile: %w", err)
	}
	t := &Tile{layers: make([]layer, 0, len(layers))}
	for _, l := range layers {
		if l.Extent == 0 {
			return nil, fmt.Errorf("overzoom: layer %q has extent 0", l.Name)
		}
		dl := layer{name: l.Name, version: l.Version, extent: l.Extent, features: make([]feature, 0, len(l.Features))}
		for _, f := range l.Features {
			if f.Geometry == nil {
				continue
			}
			dl.features = append(dl.features, feature{f: f, bound: f.Geometry.Bound()})
			t.size += featureSize(f)
		}
		t.layers = append(t.layers, dl)
	}
	return t, nil
}

// Size is an estimate of the memory the decoded tile holds, in bytes, for
// caches to weigh it by.
func (t *Tile) Size() int { return t.size }

// featureSize estimates the bytes a decoded feature holds: 16 per vertex,
// and a rough allowance for the feature and its attributes.
func featureSize(f *geojson.Feature) int {
	n := 200 + 64*len(f.Properties)
	for k, v := range f.Properties {
		n += len(k)
		if s, ok := v.(string); ok {
			n += len(s)
		}
	}
	return n + 16*tiles.VertexCount(f.Geometry)
}

// ErrAddress is returned by Cut for a descendant that is not one.
var ErrAddress = errors.New("overzoom: not a descendant tile")

// Cut returns the descendant depth zooms below t at column x and row y of
// t's 2^depth × 2^depth children (counted from t's top-left corner), as a
// gzip-compressed Mapbox Vector Tile with the same layers, extents and
// attributes. buffer is the clip buffer in extent units per 4096
// (DefaultBuffer as the ingest cuts). It returns nil, without error, when
// no feature of t reaches the buffered descendant.
func (t *Tile) Cut(depth, x, y, buffer int) ([]byte, error) {
	if depth < 1 || depth > MaxDepth || x < 0 || y < 0 || x >= 1<<depth || y >= 1<<depth || buffer < 0 {
		return nil, fmt.Errorf("%w: depth %d, column %d, row %d, buffer %d", ErrAddress, depth, x, y, buffer)
	}
	var out mvt.Layers
	for i := range t.layers {
		if l := t.layers[i].cut(depth, x, y, buffer); l != nil {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	raw, err := mvt.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("overzoom: encoding tile: %w", err)
	}
	var b bytes.Buffer
	b.Grow(len(raw)/2 + 64)
	zw, err := gzip.NewWriterLevel(&b, gzipLevel)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gzipLevel favours speed: an overzoomed tile is cut on request, where the
// stored tiles were compressed once at ingest.
const gzipLevel = gzip.BestSpeed

// cut returns the layer's part of the descendant, nil when it is empty.
func (l *layer) cut(depth, x, y, buffer int) *mvt.Layer {
	ext := float64(l.extent)
	buf := float64(buffer) * ext / 4096
	scale := float64(uint64(1) << depth)
	ox, oy := float64(x)*ext, float64(y)*ext
	// The buffered descendant, in its own coordinates and in the source's.
	box := orb.Bound{Min: orb.Point{-buf, -buf}, Max: orb.Point{ext + buf, ext + buf}}
	src := orb.Bound{
		Min: orb.Point{(ox - buf) / scale, (oy - buf) / scale},
		Max: orb.Point{(ox + ext + buf) / scale, (oy + ext + buf) / scale},
	}
	tr := transform{scale: scale, ox: ox, oy: oy}
	var features []*geojson.Feature
	for _, f := range l.features {
		if !src.Intersects(f.bound) {
			continue
		}
		g := cutGeometry(f.f.Geometry, tr, box, within(f.bound, src))
		if g == nil {
			continue
		}
		features = append(features, &geojson.Feature{ID: f.f.ID, Type: f.f.Type, Geometry: g, Properties: f.f.Properties})
	}
	if len(features) == 0 {
		return nil
	}
	return &mvt.Layer{Name: l.name, Version: l.version, Extent: l.extent, Features: features}
}

// within reports whether a lies inside b, edges included.
func within(a, b orb.Bound) bool {
	return a.Min[0] >= b.Min[0] && a.Min[1] >= b.Min[1] && a.Max[0] <= b.Max[0] && a.Max[1] <= b.Max[1]
}

// transform maps source coordinates onto the descendant's: p·scale − o.
// Source coordinates are integers and scale a power of two, so the result
// is exact.
type transform struct{ scale, ox, oy float64 }

func (t transform) point(p orb.Point) orb.Point {
	return orb.Point{p[0]*t.scale - t.ox, p[1]*t.scale - t.oy}
}

func (t transform) points(ps []orb.Point) []orb.Point {
	out := make([]orb.Point, len(ps))
	for i, p := range ps {
		out[i] = t.point(p)
	}
	return out
}

// cutGeometry transforms g and clips it to box; inside says g's bound lies
// within box already. It returns nil when nothing is left.
func cutGeometry(g orb.Geometry, tr transform, box orb.Bound, inside bool) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		if p := tr.point(g); box.Contains(p) {
			return p
		}
	case orb.MultiPoint:
		var mp orb.MultiPoint
		for _, p := range g {
			if p = tr.point(p); box.Contains(p) {
				mp = append(mp, p)
			}
		}
		switch len(mp) {
		case 0:
			return nil
		case 1:
			return mp[0]
		}
		return mp
	case orb.LineString:
		return cutLines(orb.MultiLineString{g}, tr, box, inside)
	case orb.MultiLineString:
		return cutLines(g, tr, box, inside)
	case orb.Polygon:
		return cutPolygons(orb.MultiPolygon{g}, tr, box, inside)
	case orb.MultiPolygon:
		return cutPolygons(g, tr, box, inside)
	}
	return nil
}
