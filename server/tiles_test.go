package server

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

func TestTileGzipWhenAccepted(t *testing.T) {
	f := newFixture(t, Config{})
	for _, z := range []int{geologyMin, geologyMax} {
		mt := graniteTile(z)
		for _, ext := range []string{"mvt", "pbf"} {
			w := f.get(t, tilePath(geologyID, mt, ext), "Accept-Encoding", "br, gzip;q=0.8, deflate")
			if w.Code != http.StatusOK {
				t.Fatalf("%s: status %d, body %q", tilePath(geologyID, mt, ext), w.Code, w.Body.String())
			}
			h := w.Header()
			if h.Get("Content-Type") != mvtContentType || h.Get("Content-Encoding") != "gzip" {
				t.Errorf("Content-Type %q, Content-Encoding %q; want %s and gzip", h.Get("Content-Type"), h.Get("Content-Encoding"), mvtContentType)
			}
			if h.Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("Content-Length %q for a body of %d bytes", h.Get("Content-Length"), w.Body.Len())
			}
			if !isGzip(w.Body.Bytes()) {
				t.Fatal("body is not gzip")
			}
			decodeGranite(t, gunzipBytes(t, w.Body.Bytes()), mt)
		}
	}
}

func TestTileIdentityUnlessGzipAccepted(t *testing.T) {
	f := newFixture(t, Config{})
	mt := graniteTile(geologyMax)
	for _, ae := range []string{"", "identity", "gzip;q=0, identity", "deflate, br", "*;q=0", "gzip; q=0.000, *"} {
		h := http.Header{}
		if ae != "" {
			h.Set("Accept-Encoding", ae)
		}
		w := f.do(t, http.MethodGet, tilePath(geologyID, mt, "mvt"), h)
		if w.Code != http.StatusOK {
			t.Fatalf("Accept-Encoding %q: status %d", ae, w.Code)
		}
		if ce := w.Header().Get("Content-Encoding"); ce != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want none", ae, ce)
		}
		if w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("Accept-Encoding %q: Content-Length %q for a body of %d bytes", ae, w.Header().Get("Content-Length"), w.Body.Len())
		}
		decodeGranite(t, w.Body.Bytes(), mt)
	}
}

func TestTileCachingHeaders(t *testing.T) {
	f := newFixture(t, Config{TileMaxAge: 10 * time.Minute})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	gz := f.get(t, path, "Accept-Encoding", "gzip")
	id := f.get(t, path)
	for name, w := range map[string]interface{ Header() http.Header }{"gzip": gz, "identity": id} {
		h := w.Header()
		if got := h.Get("Cache-Control"); got != "public, max-age=600" {
			t.Errorf("%s: Cache-Control %q, want public, max-age=600", name, got)
		}
		if got := h.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("%s: Vary %q, want Accept-Encoding", name, got)
		}
		etag := h.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || !strings.Contains(etag, f.geology.Version) {
			t.Errorf("%s: ETag %q is not a strong ETag naming version %q", name, etag, f.geology.Version)
		}
	}
	if gz.Header().Get("ETag") == id.Header().Get("ETag") {
		t.Errorf("gzip and identity bodies share ETag %s; they are different representations", gz.Header().Get("ETag"))
	}
	if other := f.get(t, tilePath(geologyID, graniteTile(geologyMin), "mvt"), "Accept-Encoding", "gzip"); other.Header().Get("ETag") == gz.Header().Get("ETag") {
		t.Error("two tiles share an ETag")
	}
}

func TestTileIfNoneMatch(t *testing.T) {
	f := newFixture(t, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	etag := f.get(t, path, "Accept-Encoding", "gzip").Header().Get("ETag")
	identityETag := f.get(t, path).Header().Get("ETag")
	for _, tc := range []struct {
		inm, ae string
		want    int
	}{
		{etag, "gzip", http.StatusNotModified},
		{"W/" + etag, "gzip", http.StatusNotModified},
		{`"nope", ` + etag, "gzip", http.StatusNotModified},
		{"*", "gzip", http.StatusNotModified},
		{`"nope"`, "gzip", http.StatusOK},
		{etag, "", http.StatusOK}, // the gzip tag does not validate the identity body
		{identityETag, "", http.StatusNotModified},
	} {
		w := f.get(t, path, "If-None-Match", tc.inm, "Accept-Encoding", tc.ae)
		if w.Code != tc.want {
			t.Errorf("If-None-Match %s, Accept-Encoding %q: status %d, want %d", tc.inm, tc.ae, w.Code, tc.want)
			continue
		}
		if tc.want == http.StatusNotModified {
			if w.Body.Len() != 0 || w.Header().Get("ETag") == "" || w.Header().Get("Cache-Control") == "" {
				t.Errorf("304 with body %d bytes, ETag %q, Cache-Control %q; want no body and both headers",
					w.Body.Len(), w.Header().Get("ETag"), w.Header().Get("Cache-Control"))
			}
		}
	}
}

func TestTileETagChangesWithVersion(t *testing.T) {
	f := newFixture(t, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	old := f.get(t, path, "Accept-Encoding", "gzip").Header().Get("ETag")
	next := writeGeology(t, f.dir, "Hamersley geology, second edition")
	waitForVersion(t, f, geologyID, next.Version)
	w := f.get(t, path, "Accept-Encoding", "gzip", "If-None-Match", old)
	if w.Code != http.StatusOK {
		t.Fatalf("revalidating with the old version's ETag: status %d, want 200", w.Code)
	}
	if got := w.Header().Get("ETag"); got == old || !strings.Contains(got, next.Version) {
		t.Errorf("ETag after replacement = %s (before %s), want one naming version %s", got, old, next.Version)
	}
}

// waitForVersion polls the store until it serves the given version of id.
func waitForVersion(t *testing.T, f *fixture, id, version string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ts, release, err := f.store.Acquire(id)
		if err == nil {
			v := ts.Metadata().Version
			release()
			if v == version {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store did not pick up version %s of %s", version, id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTileNoContent(t *testing.T) {
	f := newFixture(t, Config{})
	far := maptile.New(0, 0, 6) // inside the zoom range, far from the data
	for _, path := range []string{
		tilePath(geologyID, far, "mvt"),
		tilePath(geologyID, graniteTile(geologyMin+1), "mvt"),       // in range, over the data, no tile stored
		tilePath(geologyID, graniteTile(geologyMin-1), "mvt"),       // below minzoom
		tilePath(geologyID, maptile.New(0, 0, geologyMax+1), "mvt"), // above maxzoom, far from the data
	} {
		w := f.get(t, path, "Accept-Encoding", "gzip")
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Errorf("%s: status %d with %d bytes, want 204 and no body", path, w.Code, w.Body.Len())
		}
		if w.Header().Get("Cache-Control") == "" || w.Header().Get("ETag") == "" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: 204 without Cache-Control, ETag or CORS: %v", path, w.Header())
		}
	}
}

func TestTileBadAddress(t *testing.T) {
	f := newFixture(t, Config{})
	for _, path := range []string{
		"/tiles/geology/a/0/0.mvt",
		"/tiles/geology/3/x/0.mvt",
		"/tiles/geology/3/0/1.5.mvt",
		"/tiles/geology/-1/0/0.mvt",
		"/tiles/geology/3/-1/0.mvt",
		"/tiles/geology/3/+1/0.mvt",
		"/tiles/geology/3/0x1/0.mvt",
		"/tiles/geology/3/8/0.mvt", // x = 2^z
		"/tiles/geology/3/0/8.mvt", // y = 2^z
		"/tiles/geology/0/1/0.pbf",
		"/tiles/geology/31/0/0.mvt",
		"/tiles/geology/99999999999/0/0.mvt",
		"/tiles/geology/3/99999999999/0.mvt",
	} {
		w := f.get(t, path)
		wantError(t, w, http.StatusBadRequest, "InvalidParameterValue")
	}
	// The deepest zoom accepted, at its last tile, is a valid address: a
	// 404 past the zooms served, a 204 when they reach it.
	last := strconv.Itoa(1<<maxTileZoom - 1)
	wantError(t, f.get(t, "/tiles/geology/30/"+last+"/"+last+".mvt"), http.StatusNotFound, "NotFound")
	deep := newFixture(t, Config{MaxOverzoom: maxTileZoom})
	if w := deep.get(t, "/tiles/geology/30/"+last+"/"+last+".mvt"); w.Code != http.StatusNoContent {
		t.Errorf("zoom 30's last tile: status %d, want 204", w.Code)
	}
}

func TestTileUnknownTileset(t *testing.T) {
	f := newFixture(t, Config{})
	e := wantError(t, f.get(t, "/tiles/nosuch/3/0/0.mvt"), http.StatusNotFound, "NotFound")
	if !strings.Contains(e.Description, "nosuch") {
		t.Errorf("description %q does not name the tileset", e.Description)
	}
	// Another extension is not a vector tile route at all.
	wantError(t, f.get(t, "/tiles/geology/3/0/0.png"), http.StatusNotFound, "NotFound")
}

func TestTileHead(t *testing.T) {
	f := newFixture(t, Config{})
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	for _, ae := range []string{"gzip", "identity"} {
		get := f.get(t, path, "Accept-Encoding", ae)
		head := f.do(t, http.MethodHead, path, http.Header{"Accept-Encoding": {ae}})
		if head.Code != http.StatusOK || head.Body.Len() != 0 {
			t.Errorf("HEAD (%s): status %d with %d bytes, want 200 and no body", ae, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Length", "Content-Type", "Content-Encoding", "ETag"} {
			if head.Header().Get(k) != get.Header().Get(k) {
				t.Errorf("HEAD (%s) %s = %q, GET has %q", ae, k, head.Header().Get(k), get.Header().Get(k))
			}
		}
	}
}

func TestTileMethodNotAllowed(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.do(t, http.MethodPost, tilePath(geologyID, graniteTile(geologyMax), "mvt"), nil)
	wantError(t, w, http.StatusMethodNotAllowed, "MethodNotAllowed")
	if got := w.Header().Get("Allow"); got != "GET, HEAD, OPTIONS" {
		t.Errorf("Allow = %q", got)
	}
}

func TestTileCorruptStoredTile(t *testing.T) {
	f := newFixture(t, Config{})
	// A gzip stream whose checksum is wrong, as a bad disk sector might leave.
	data := encodeTile(t, maptile.New(0, 0, 0), "broken", graniteFeatures())
	data[len(data)-8] ^= 0xff
	commit(t, f.dir, "broken", []tileset.Tile{{Z: 0, X: 0, Y: 0, Data: data}},
		&tileset.Metadata{Title: "Broken", Layer: "broken", MinZoom: 0, MaxZoom: 0})
	waitForID(t, f, "broken")
	// Decompressing for a client without gzip finds the damage: a 500 that
	// names the tileset, and the cause in the log.
	e := wantError(t, f.get(t, "/tiles/broken/0/0/0.mvt"), http.StatusInternalServerError, "InternalServerError")
	if !strings.Contains(e.Description, "broken") {
		t.Errorf("description %q does not name the tileset", e.Description)
	}
	if !strings.Contains(f.logs.String(), "not valid gzip") {
		t.Errorf("log does not tell the cause: %q", f.logs.String())
	}
}

// waitForID polls the store until it lists id.
func waitForID(t *testing.T, f *fixture, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Contains(f.store.IDs(), id) {
		if time.Now().After(deadline) {
			t.Fatalf("the store did not pick up tileset %s", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSplitTilePath(t *testing.T) {
	for path, want := range map[string]*tilePathVars{
		"/tiles/geology/3/1/2.mvt":       {id: "geology", z: "3", x: "1", y: "2"},
		"/tiles/geology/3/1/2.pbf":       {id: "geology", z: "3", x: "1", y: "2"},
		"/tiles/geology/3/1/1.5.mvt":     {id: "geology", z: "3", x: "1", y: "1.5"}, // the handler refuses y
		"/tiles/geology/3/1/2.png":       nil,
		"/tiles/geology/3/1/2.mvt/":      nil,
		"/tiles/geology/3/1/2/4.mvt":     nil,
		"/tiles/geology/3/1.mvt":         nil,
		"/tiles/geology//1/2.mvt":        nil,
		"/tiles/../3/1/2.mvt":            nil,
		"/tiles/geology/./1/2.mvt":       nil,
		"/tiles/geology.json":            nil,
		"/collections/geology/3/1/2.mvt": nil,
	} {
		got, ok := splitTilePath(path)
		if ok != (want != nil) || ok && got != *want {
			t.Errorf("splitTilePath(%q) = %+v, %v; want %+v", path, got, ok, want)
		}
	}
}

// TestTileFastPathAgreesWithRouter checks that sending tile requests past
// gorilla/mux changes nothing a client can see: every path and method gets
// the same status and headers with and without the fast path.
func TestTileFastPathAgreesWithRouter(t *testing.T) {
	f := newFixture(t, Config{})
	s := newServer(Config{Catalog: f.store})
	fast := withCORS(s.tileDispatch(s.routes()))
	routed := withCORS(s.routes())
	good := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions} {
		for _, path := range []string{
			good, strings.Replace(good, ".mvt", ".pbf", 1),
			"/tiles/geology/4/0/0.mvt", "/tiles/geology/1/0/0.mvt", "/tiles/nosuch/3/0/0.mvt",
			"/tiles/geology/3/0/1.5.mvt", "/tiles/geology/3/9/0.mvt", "/tiles/geology/x/0/0.mvt",
			"/tiles/geology//0/0.mvt", "/tiles/geology/3/0/0.png",
		} {
			for _, ae := range []string{"gzip", ""} {
				a := serve(fast, httptestRequest(method, path, "Accept-Encoding", ae))
				b := serve(routed, httptestRequest(method, path, "Accept-Encoding", ae))
				if a.Code != b.Code || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) || !maps.EqualFunc(a.Header(), b.Header(), slices.Equal) {
					t.Errorf("%s %s (Accept-Encoding %q): fast path %d %v, router %d %v", method, path, ae, a.Code, a.Header(), b.Code, b.Header())
				}
			}
		}
	}
}

// TestTileServedAcrossReplacement replaces the geology tileset while clients
// fetch a tile: every response must succeed, and its body must be the
// version its ETag names, never a mix of two.
func TestTileServedAcrossReplacement(t *testing.T) {
	f := newFixture(t, Config{})
	mt := graniteTile(geologyMax)
	path := tilePath(geologyID, mt, "mvt")

	// Each client records which edition it saw under which ETag; they are
	// checked against the committed versions once all are known.
	type seen struct {
		etag    string
		edition any
	}
	stop := make(chan struct{})
	results := make(chan []seen, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			var log []seen
			for {
				select {
				case <-stop:
					results <- log
					return
				default:
				}
				w := serve(f.handler, httptestRequest(http.MethodGet, path, "Accept-Encoding", "gzip"))
				if w.Code != http.StatusOK {
					errs <- fmt.Errorf("status %d during replacement: %s", w.Code, w.Body.String())
					results <- log
					return
				}
				layers, err := mvt.UnmarshalGzipped(w.Body.Bytes())
				if err != nil || len(layers) != 1 || len(layers[0].Features) != 1 {
					errs <- fmt.Errorf("undecodable tile during replacement: %v", err)
					results <- log
					return
				}
				log = append(log, seen{w.Header().Get("ETag"), layers[0].Features[0].Properties["edition"]})
			}
		}()
	}
	editionOf := map[string]float64{f.geology.Version: 1}
	for edition := 2; edition <= 4; edition++ {
		meta := writeGeologyEdition(t, f.dir, "Hamersley geology", edition)
		editionOf[meta.Version] = float64(edition)
		waitForVersion(t, f, geologyID, meta.Version)
	}
	close(stop)
	var all []seen
	for range 2 {
		all = append(all, <-results...)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	editionsSeen := map[any]bool{}
	for _, s := range all {
		want, found := any(nil), false
		for v, e := range editionOf {
			if strings.Contains(s.etag, `"`+v+"-") {
				want, found = e, true
			}
		}
		if !found || s.edition != want {
			t.Fatalf("ETag %s (edition %v) served a tile of edition %v", s.etag, want, s.edition)
		}
		editionsSeen[s.edition] = true
	}
	if len(all) == 0 || len(editionsSeen) < 2 {
		t.Fatalf("%d responses covering editions %v: the replacements were not observed", len(all), editionsSeen)
	}
}
