package server

import (
	"bytes"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tileset"
)

// featureCacheBytes bounds the features WMS and WMTS maps keep decoded,
// across all collections: each point costs 16 bytes, each ring, line or
// part a slice header, each feature its properties' bytes and an entry's
// bookkeeping. The demo's Hamersley geology and faults (97 features) hold
// 325 kB; a collection that decodes to more than the bound, as a
// 50,000-unit one may, keeps the features drawn last, and memory stays
// within the bound whatever the collections' size.
const featureCacheBytes = 64 << 20

// featureCache holds features decoded for maps, byte-bounded.
type featureCache = lru[featureKey, *mapFeature]

func newFeatureCache() *featureCache {
	return newLRU[featureKey, *mapFeature](featureCacheBytes)
}

// mapFeature is what a map reads of a stored feature: its geometry,
// decoded, and its properties, copied out of the file's memory map (they
// lie after the geometry in the feature's JSON, so reading them there
// scans the geometry's text).
type mapFeature struct {
	g     orb.Geometry
	props []byte
}

// featureKey names a decoded feature: the version of its collection by
// its Metadata pointer (which the cache keeps alive, so a new version is
// never taken for an old one at a reused address) and its id.
type featureKey struct {
	meta *tileset.Metadata
	id   uint64
}

// featureEntryBytes is what an entry of the geometry cache costs beyond
// its coordinates and properties: the key, the entry, its list element
// and map slot.
const featureEntryBytes = 256

// feature returns feature f of the layer decoded, once per collection
// version while the cache keeps it: a repeated or panned map decodes
// nothing again. It is shared by every map that draws it, so it must not
// be modified.
func (l *wmsLayer) feature(f tileset.RawFeature) (*mapFeature, error) {
	if l.cache == nil {
		return decodeMapFeature(f)
	}
	return l.cache.get(featureKey{l.ts.Metadata(), f.ID}, func() (*mapFeature, int, error) {
		mf, err := decodeMapFeature(f)
		if err != nil {
			return nil, 0, err
		}
		return mf, featureEntryBytes + geometryBytes(mf.g) + 24 + len(mf.props), nil
	})
}

func decodeMapFeature(f tileset.RawFeature) (*mapFeature, error) {
	props, err := f.Properties()
	if err != nil {
		return nil, err
	}
	g, err := f.Geometry()
	if err != nil {
		return nil, err
	}
	return &mapFeature{g: g, props: bytes.Clone(props)}, nil
}

// geometryBytes estimates the memory g holds: 16 bytes a point, 24 a
// slice header.
func geometryBytes(g orb.Geometry) int {
	const point, slice = 16, 24
	switch g := g.(type) {
	case orb.Point:
		return point
	case orb.MultiPoint:
		return slice + point*len(g)
	case orb.LineString:
		return slice + point*len(g)
	case orb.Ring:
		return slice + point*len(g)
	case orb.MultiLineString:
		n := slice
		for _, l := range g {
			n += slice + point*len(l)
		}
		return n
	case orb.Polygon:
		n := slice
		for _, r := range g {
			n += slice + point*len(r)
		}
		return n
	case orb.MultiPolygon:
		n := slice
		for _, p := range g {
			n += geometryBytes(p)
		}
		return n
	case orb.Collection:
		n := slice
		for _, p := range g {
			n += 16 + geometryBytes(p) // an interface value each
		}
		return n
	}
	return 0
}
