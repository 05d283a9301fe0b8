package server

import (
	"hash/fnv"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/outcrop/outcrop/tileset"
)

// tileInfo is what the tile route needs from a tileset's metadata, computed
// once per version rather than once per request.
type tileInfo struct {
	meta             *tileset.Metadata // the version this was computed from
	minZoom, maxZoom int
	// etagPrefix is the opening quote and a token for the version, ready for
	// the tile address to be appended; empty when the version has no Version
	// string, in which case tiles carry no ETag rather than a wrong one.
	etagPrefix string
}

func newTileInfo(meta *tileset.Metadata) *tileInfo {
	ti := &tileInfo{meta: meta, minZoom: meta.MinZoom, maxZoom: meta.MaxZoom}
	if meta.Version != "" {
		ti.etagPrefix = `"` + etagToken(meta.Version) + "-"
	}
	return ti
}

// etag returns the strong ETag of tile z/x/y in this version, for the gzip or
// identity coding (they are different representations, so their tags
// differ); "" when the version has no ETag.
func (ti *tileInfo) etag(z, x, y int, gz bool) string {
	if ti.etagPrefix == "" {
		return ""
	}
	var a [96]byte
	b := append(a[:0], ti.etagPrefix...)
	b = strconv.AppendInt(b, int64(z), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(x), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(y), 10)
	if gz {
		b = append(b, "-gz"...)
	}
	b = append(b, '"')
	return string(b)
}

// etagToken returns v when it can stand inside a quoted ETag and be split
// from a list of them unambiguously, and otherwise a hash of it.
func etagToken(v string) string {
	ok := len(v) <= 64
	for i := 0; ok && i < len(v); i++ {
		c := v[i]
		ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == ':' || c == '+' || c == '-'
	}
	if ok {
		return v
	}
	h := fnv.New64a()
	h.Write([]byte(v))
	return strconv.FormatUint(h.Sum64(), 16)
}

// tileInfoCache maps tileset ids to the tileInfo of their current version.
// Reads are lock-free through an immutable map that writers copy, because
// every tile request reads it and only a new tileset version writes it.
type tileInfoCache struct {
	m  atomic.Pointer[map[string]*tileInfo]
	mu sync.Mutex // serialises writers
}

// get returns the tileInfo for meta, the metadata of the version of id that
// the caller holds. A version is recognised by its Metadata pointer, which
// the cache keeps alive, so a new version can never be mistaken for an old
// one at a reused address.
func (c *tileInfoCache) get(id string, meta *tileset.Metadata) *tileInfo {
	if m := c.m.Load(); m != nil {
		if ti := (*m)[id]; ti != nil && ti.meta == meta {
			return ti
		}
	}
	ti := newTileInfo(meta)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	next := make(map[string]*tileInfo, 1)
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[id] = ti
	c.m.Store(&next)
	return ti
}
