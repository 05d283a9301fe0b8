package server

import (
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestTileInfoETag(t *testing.T) {
	ti := newTileInfo(&tileset.Metadata{Version: "20260127T101112Z-0123456789abcdef", MinZoom: 2, MaxZoom: 9})
	if got, want := ti.etag(9, 411, 290, true), `"20260127T101112Z-0123456789abcdef-9-411-290-gz"`; got != want {
		t.Errorf("gzip ETag = %s, want %s", got, want)
	}
	if got, want := ti.etag(9, 411, 290, false), `"20260127T101112Z-0123456789abcdef-9-411-290"`; got != want {
		t.Errorf("identity ETag = %s, want %s", got, want)
	}
	// 9/4/11 and 94/1/1 must not collide.
	if ti.etag(9, 4, 11, true) == ti.etag(94, 1, 1, true) {
		t.Error("ETags of different tiles collide")
	}
	if n := testing.AllocsPerRun(100, func() { ti.etag(9, 411, 290, true) }); n > 1 {
		t.Errorf("etag allocates %v times; want at most the string", n)
	}
}

func TestTileInfoETagOfAwkwardVersions(t *testing.T) {
	for _, v := range []string{`a "quoted" version`, "a,b", strings.Repeat("x", 200)} {
		etag := newTileInfo(&tileset.Metadata{Version: v}).etag(1, 0, 0, true)
		inner := strings.Trim(etag, `"`)
		if strings.ContainsAny(inner, "\", ") || len(etag) > 64 {
			t.Errorf("version %q gives ETag %s, which is not a clean quoted token", v, etag)
		}
	}
	if etag := newTileInfo(&tileset.Metadata{}).etag(1, 0, 0, true); etag != "" {
		t.Errorf("a tileset without a Version got ETag %s; it cannot have one that changes with it", etag)
	}
}

func TestTileInfoCacheFollowsVersions(t *testing.T) {
	var c tileInfoCache
	v1 := &tileset.Metadata{Version: "v1", MaxZoom: 5}
	v2 := &tileset.Metadata{Version: "v2", MaxZoom: 7}
	a := c.get("geo", v1)
	if c.get("geo", v1) != a {
		t.Error("the same version was computed twice")
	}
	b := c.get("geo", v2)
	if b == a || b.maxZoom != 7 {
		t.Errorf("a new version got the old info: %+v", b)
	}
	if c.get("other", v1) == a {
		t.Error("two ids share an entry")
	}
	if c.get("geo", v2) != b {
		t.Error("adding another id lost the first")
	}
}
