package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

// overzoomLayer decodes an overzoomed tile of the geology tileset into
// WGS 84.
func overzoomLayer(t *testing.T, body []byte, mt maptile.Tile) *mvt.Layer {
	t.Helper()
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("tile %v: %v", mt, err)
	}
	if len(layers) != 1 || layers[0].Name != geologyLayer {
		t.Fatalf("tile %v: layers %v, want the one layer %s", mt, layers, geologyLayer)
	}
	layers.ProjectToWGS84(mt)
	return layers[0]
}

// Above the max zoom, the tile over the granite is cut from the max-zoom
// tile: the granite's feature, with its attributes, covering the granite's
// centre and not the tile's far corner.
func TestOverzoomServesDeeperZooms(t *testing.T) {
	f := newFixture(t, Config{})
	for _, z := range []int{geologyMax + 1, geologyMax + 5, DefaultMaxOverzoom} {
		mt := graniteTile(z)
		w := f.get(t, tilePath(geologyID, mt, "mvt"), "Accept-Encoding", "gzip")
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Content-Type") != mvtContentType {
			t.Fatalf("zoom %d: status %d, headers %v", z, w.Code, w.Header())
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		l := overzoomLayer(t, raw, mt)
		if len(l.Features) != 1 || l.Features[0].ID != float64(graniteID) || l.Features[0].Properties["code"] != "Kgr" {
			t.Fatalf("zoom %d: features %v, want the granite %d", z, l.Features, graniteID)
		}
		var poly orb.Polygon
		switch g := l.Features[0].Geometry.(type) {
		case orb.Polygon:
			poly = g
		default:
			t.Fatalf("zoom %d: geometry %T, want a polygon", z, g)
		}
		if !planar.PolygonContains(poly, granitePoint) {
			t.Errorf("zoom %d: the granite does not cover its centre %v", z, granitePoint)
		}
		if z == geologyMax+1 && planar.PolygonContains(poly, mt.Bound().Min) {
			t.Errorf("zoom %d: the granite, 0.1° wide, covers the tile's corner %v", z, mt.Bound().Min)
		}
		if etag := w.Header().Get("ETag"); !strings.Contains(etag, f.geology.Version) || w.Header().Get("Cache-Control") == "" {
			t.Errorf("zoom %d: ETag %q, Cache-Control %q; want the version's ETag and the tiles' caching", z, etag, w.Header().Get("Cache-Control"))
		}
	}
}

// The same representations as stored tiles: identity for clients without
// gzip, HEAD without a body, 304 for a matching ETag.
func TestOverzoomEncodingsAndRevalidation(t *testing.T) {
	f := newFixture(t, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax+2), "mvt")
	gz := f.get(t, path, "Accept-Encoding", "gzip")
	id := f.get(t, path)
	if id.Code != http.StatusOK || id.Header().Get("Content-Encoding") != "" {
		t.Fatalf("identity: status %d, headers %v", id.Code, id.Header())
	}
	overzoomLayer(t, id.Body.Bytes(), graniteTile(geologyMax+2))
	if gz.Header().Get("ETag") == id.Header().Get("ETag") || gz.Header().Get("ETag") == "" {
		t.Errorf("gzip ETag %q and identity ETag %q must differ", gz.Header().Get("ETag"), id.Header().Get("ETag"))
	}
	head := f.do(t, http.MethodHead, path, http.Header{"Accept-Encoding": {"gzip"}})
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(gz.Body.Len()) {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q; want 200, none, %d", head.Code, head.Body.Len(), head.Header().Get("Content-Length"), gz.Body.Len())
	}
	if w := f.get(t, path, "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", w.Code)
	}
	if again := f.get(t, path, "Accept-Encoding", "gzip"); !bytes.Equal(again.Body.Bytes(), gz.Body.Bytes()) {
		t.Error("the same overzoomed tile came out with different bytes")
	}
}

// Where no feature reaches, an overzoomed tile is a 204 as a stored empty
// tile is: under an absent max-zoom tile, and in a corner of the granite's
// max-zoom tile that the granite does not reach.
func TestOverzoomEmptyIsNoContent(t *testing.T) {
	f := newFixture(t, Config{})
	anc := graniteTile(geologyMax)
	corner := maptile.New(anc.X<<3, anc.Y<<3, geologyMax+3) // the granite is in the middle
	if corner.Bound().Pad(0.05).Contains(granitePoint) {
		t.Fatal("test tile is too close to the granite")
	}
	for _, mt := range []maptile.Tile{maptile.New(0, 0, geologyMax+2), corner} {
		w := f.get(t, tilePath(geologyID, mt, "mvt"), "Accept-Encoding", "gzip")
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Errorf("%v: status %d with %d bytes, want 204", mt, w.Code, w.Body.Len())
		}
		if w.Header().Get("ETag") == "" || w.Header().Get("Cache-Control") == "" {
			t.Errorf("%v: 204 without ETag or Cache-Control: %v", mt, w.Header())
		}
	}
}

// Past the deepest zoom served, a tile is a 404 naming the limit.
func TestOverzoomLimit(t *testing.T) {
	for _, c := range []struct {
		maxOverzoom   int
		served, above int
	}{
		{0, DefaultMaxOverzoom, DefaultMaxOverzoom + 1},
		{12, 12, 13},
		{-1, geologyMax, geologyMax + 1},
		{geologyMax - 2, geologyMax, geologyMax + 1}, // below the tileset's own max zoom
	} {
		f := newFixture(t, Config{MaxOverzoom: c.maxOverzoom})
		if w := f.get(t, tilePath(geologyID, graniteTile(c.served), "mvt")); w.Code != http.StatusOK {
			t.Errorf("MaxOverzoom %d: zoom %d is %d, want 200", c.maxOverzoom, c.served, w.Code)
		}
		e := wantError(t, f.get(t, tilePath(geologyID, graniteTile(c.above), "mvt")), http.StatusNotFound, "NotFound")
		if !strings.Contains(e.Description, "served to zoom "+itoa(c.served)) || !strings.Contains(e.Description, "--max-overzoom") {
			t.Errorf("MaxOverzoom %d: %q does not name zoom %d and --max-overzoom", c.maxOverzoom, e.Description, c.served)
		}
	}
}

// TileJSON keeps the native maxzoom, from which MapLibre overzooms by
// itself, and says in overzoom_maxzoom how deep the tiles URL answers.
func TestOverzoomTileJSON(t *testing.T) {
	for _, c := range []struct {
		maxOverzoom int
		want        float64 // 0: absent
	}{
		{0, 24},
		{16, 16},
		{-1, 0},
		{geologyMax, 0},
	} {
		f := newFixture(t, Config{MaxOverzoom: c.maxOverzoom})
		var doc map[string]any
		decodeJSON(t, f.get(t, "/tiles/geology.json"), &doc)
		if doc["maxzoom"] != float64(geologyMax) {
			t.Errorf("MaxOverzoom %d: maxzoom %v, want the native %d", c.maxOverzoom, doc["maxzoom"], geologyMax)
		}
		got, ok := doc["overzoom_maxzoom"]
		if c.want == 0 && ok || c.want != 0 && got != c.want {
			t.Errorf("MaxOverzoom %d: overzoom_maxzoom %v (present %v), want %v", c.maxOverzoom, got, ok, c.want)
		}
	}
}

func TestLRU(t *testing.T) {
	c := newLRU[int, string](10)
	var loads atomic.Int32
	load := func(v string, cost int) func() (string, int, error) {
		return func() (string, int, error) { loads.Add(1); return v, cost, nil }
	}
	// Concurrent gets of one key load it once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _ := c.get(1, load("one", 4)); v != "one" {
				t.Errorf("got %q", v)
			}
		}()
	}
	wg.Wait()
	if loads.Load() != 1 {
		t.Errorf("%d loads of one key, want 1", loads.Load())
	}
	c.get(2, load("two", 4))
	c.get(1, load("x", 4))     // touches 1, so 2 is the oldest
	c.get(3, load("three", 4)) // 12 > 10: evicts 2
	if v, _ := c.get(2, load("two again", 4)); v != "two again" {
		t.Errorf("2 was not evicted: %q", v)
	}
	if c.used > 10 {
		t.Errorf("used %d of a budget of 10", c.used)
	}
	// Failures and values larger than the budget are not kept.
	boom := errors.New("boom")
	if _, err := c.get(9, func() (string, int, error) { return "", 1, boom }); err != boom {
		t.Errorf("err %v", err)
	}
	if v, _ := c.get(9, load("nine", 1)); v != "nine" {
		t.Errorf("a failed load was cached: %q", v)
	}
	c.get(8, load("huge", 11))
	if v, _ := c.get(8, load("small", 1)); v != "small" {
		t.Errorf("a value over the budget was kept: %q", v)
	}
}
