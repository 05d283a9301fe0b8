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
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/protoscan"
	"google.golang.org/protobuf/encoding/protowire"
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

// Tile is a tile from which descendant tiles are cut. It is read-only once
// decoded and safe for concurrent use.
//
// It holds the tile's protobuf bytes, uncompressed, and the bound of each
// feature's geometry, not the decoded features: a cut decodes, with orb's
// decoder, only the features that reach its descendant. A decoded feature
// (its vertices as float64 points, its attributes as a map) takes an order
// of magnitude more memory than its encoding, which would let a cache hold
// few of a dense map's tiles.
type Tile struct {
	layers []layer
	size   int
}

type layer struct {
	name     string
	extent   uint32
	header   []byte // the layer's fields but its features, encoded
	features []feature
}

// feature is an encoded feature with the bound of its geometry, which lets
// Cut pass over the features far from the descendant without decoding
// them.
type feature struct {
	data  []byte
	bound orb.Bound
}

// Decode reads a Mapbox Vector Tile, gzip-compressed or not. It checks the
// tile's structure and each feature's geometry commands. The Tile keeps no
// reference to data.
func Decode(data []byte) (*Tile, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		data = bytes.Clone(data)
	} else {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("overzoom: decoding tile: %w", err)
		}
		var b bytes.Buffer
		b.Grow(4 * len(data))
		if _, err := b.ReadFrom(zr); err != nil {
			return nil, fmt.Errorf("overzoom: decoding tile: %w", err)
		}
		if data = b.Bytes(); cap(data)-len(data) > len(data)/8 {
			data = bytes.Clone(data) // not to hold the buffer's growth
		}
	}
	t := &Tile{size: cap(data)}
	msg := protoscan.New(data)
	for msg.Next() {
		if msg.FieldNumber() != 3 {
			msg.Skip()
			continue
		}
		ld, err := msg.MessageData()
		if err != nil {
			return nil, fmt.Errorf("overzoom: decoding tile: %w", err)
		}
		l, err := decodeLayer(ld)
		if err != nil {
			return nil, err
		}
		t.layers = append(t.layers, l)
		t.size += len(l.header) + 64*len(l.features)
	}
	if err := msg.Err(); err != nil {
		return nil, fmt.Errorf("overzoom: decoding tile: %w", err)
	}
	return t, nil
}

// The fields of the MVT protobuf messages (vector_tile.proto).
const (
	tileLayers    = 3
	layerName     = 1
	layerFeatures = 2
	layerKeys     = 3
	layerValues   = 4
	layerExtent   = 5
	layerVersion  = 15
	featureGeom   = 4
)

// decodeLayer indexes a layer message's features by bound and keeps its
// other fields, encoded, for the layers Cut builds.
func decodeLayer(data []byte) (layer, error) {
	l := layer{extent: 4096}
	m := protoscan.New(data)
	for m.Next() {
		var err error
		switch m.FieldNumber() {
		case layerFeatures:
			var fd []byte
			if fd, err = m.MessageData(); err == nil {
				var bound orb.Bound
				var ok bool
				if bound, ok, err = geometryBound(fd); ok {
					l.features = append(l.features, feature{data: fd, bound: bound})
				}
			}
		case layerName, layerKeys, layerValues:
			var b []byte
			if b, err = m.MessageData(); err == nil {
				if m.FieldNumber() == layerName {
					l.name = string(b)
				}
				l.header = appendBytesField(l.header, m.FieldNumber(), b)
			}
		case layerExtent, layerVersion:
			var v uint32
			if v, err = m.Uint32(); err == nil {
				if m.FieldNumber() == layerExtent {
					l.extent = v
				}
				l.header = protowire.AppendTag(l.header, protowire.Number(m.FieldNumber()), protowire.VarintType)
				l.header = protowire.AppendVarint(l.header, uint64(v))
			}
		default:
			m.Skip()
		}
		if err != nil {
			return l, fmt.Errorf("overzoom: decoding layer %q: %w", l.name, err)
		}
	}
	if err := m.Err(); err != nil {
		return l, fmt.Errorf("overzoom: decoding layer %q: %w", l.name, err)
	}
	if l.extent == 0 {
		return l, fmt.Errorf("overzoom: layer %q has extent 0", l.name)
	}
	return l, nil
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	b = protowire.AppendTag(b, protowire.Number(field), protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// geometryBound walks a feature message's geometry commands (MoveTo and
// LineTo with zigzag deltas, ClosePath) and returns the bound of their
// points; ok is false for a feature without any.
func geometryBound(feature []byte) (bound orb.Bound, ok bool, err error) {
	m := protoscan.New(feature)
	var it *protoscan.Iterator
	for m.Next() {
		if m.FieldNumber() != featureGeom {
			m.Skip()
			continue
		}
		if it, err = m.Iterator(it); err != nil {
			return bound, false, err
		}
		var x, y, x0, y0, x1, y1 int64
		for it.HasNext() {
			c, err := it.Uint32()
			if err != nil {
				return bound, false, err
			}
			switch cmd, count := c&7, c>>3; cmd {
			case 1, 2: // MoveTo, LineTo
				for range count {
					dx, err := it.Sint32()
					if err != nil {
						return bound, false, err
					}
					dy, err := it.Sint32()
					if err != nil {
						return bound, false, err
					}
					x, y = x+int64(dx), y+int64(dy)
					if !ok {
						x0, y0, x1, y1, ok = x, y, x, y, true
					}
					x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
				}
			case 7: // ClosePath
			default:
				return bound, false, fmt.Errorf("geometry command %d", cmd)
			}
		}
		bound = orb.Bound{Min: orb.Point{float64(x0), float64(y0)}, Max: orb.Point{float64(x1), float64(y1)}}
	}
	return bound, ok, m.Err()
}

// Size is an estimate of the memory the tile holds, in bytes, for caches
// to weigh it by.
func (t *Tile) Size() int { return t.size }

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
		l, err := t.layers[i].cut(depth, x, y, buffer)
		if err != nil {
			return nil, err
		}
		if l != nil {
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
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&b)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gzipWriters favour speed: an overzoomed tile is cut on request, where the
// stored tiles were compressed once at ingest. A writer's compressor is
// large to allocate, so they are reused.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// cut returns the layer's part of the descendant, nil when it is empty.
func (l *layer) cut(depth, x, y, buffer int) (*mvt.Layer, error) {
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
	// Decode the features that reach the descendant, with orb, as a layer
	// of a tile made of them alone.
	var reach []*feature
	size := len(l.header)
	for i := range l.features {
		if f := &l.features[i]; src.Intersects(f.bound) {
			reach = append(reach, f)
			size += 1 + protowire.SizeBytes(len(f.data))
		}
	}
	if len(reach) == 0 {
		return nil, nil
	}
	msg := make([]byte, 0, 1+protowire.SizeBytes(size))
	msg = protowire.AppendTag(msg, tileLayers, protowire.BytesType)
	msg = protowire.AppendVarint(msg, uint64(size))
	msg = append(msg, l.header...)
	for _, f := range reach {
		msg = appendBytesField(msg, layerFeatures, f.data)
	}
	layers, err := mvt.Unmarshal(msg)
	if err != nil {
		return nil, fmt.Errorf("overzoom: decoding layer %q: %w", l.name, err)
	}
	decoded := layers[0]
	var features []*geojson.Feature
	for i, f := range decoded.Features {
		if f.Geometry == nil {
			continue
		}
		if g := cutGeometry(f.Geometry, tr, box, within(reach[i].bound, src)); g != nil {
			f.Geometry = g
			features = append(features, f)
		}
	}
	if len(features) == 0 {
		return nil, nil
	}
	decoded.Features = features
	return decoded, nil
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
