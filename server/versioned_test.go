package server

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"

	"github.com/outcrop/outcrop/store"
)

// versionedTemplate reports whether template is the tile URL template of a
// version of tileset id, "…/tiles/{id}@{version}/{z}/{x}/{y}.{ext}".
func versionedTemplate(template, id, ext string) bool {
	_, rest, ok := strings.Cut(template, "/tiles/"+id+versionSep)
	version, tail, _ := strings.Cut(rest, "/")
	return ok && version != "" && "/"+tail == "/{z}/{x}/{y}."+ext
}

// tileJSONTiles returns the tiles template of tileset id's TileJSON.
func tileJSONTiles(t *testing.T, h http.Handler, id string) string {
	t.Helper()
	var doc struct {
		Tiles []string `json:"tiles"`
	}
	decodeJSON(t, serve(h, httptestRequest(http.MethodGet, "/tiles/"+id+".json")), &doc)
	if len(doc.Tiles) != 1 {
		t.Fatalf("TileJSON of %s has tiles %q, want one template", id, doc.Tiles)
	}
	return doc.Tiles[0]
}

// fillTemplate puts z/x/y of the granite's tile into a template and drops
// the scheme and host, giving the request path.
func fillTemplate(t *testing.T, template string, z int) string {
	t.Helper()
	mt := graniteTile(z)
	p := strings.NewReplacer("{z}", itoa(z), "{x}", itoa(int(mt.X)), "{y}", itoa(int(mt.Y)),
		"{tileMatrix}", itoa(z), "{tileRow}", itoa(int(mt.Y)), "{tileCol}", itoa(int(mt.X))).Replace(template)
	_, path, ok := strings.Cut(strings.TrimPrefix(p, "http://"), "/")
	if !ok {
		t.Fatalf("template %q has no path", template)
	}
	return "/" + path
}

// tileEdition decodes a gzip tile response and returns the edition of its
// one feature.
func tileEdition(t *testing.T, body []byte) any {
	t.Helper()
	layers, err := mvt.UnmarshalGzipped(body)
	if err != nil || len(layers) != 1 || len(layers[0].Features) != 1 {
		t.Fatalf("undecodable tile (%v): %d bytes", err, len(body))
	}
	return layers[0].Features[0].Properties["edition"]
}

// TestVersionedTile: TileJSON names the current version's tiles, which are
// served immutable; the plain URL keeps the server's Cache-Control; both
// carry the same bytes, ETag and Vary.
func TestVersionedTile(t *testing.T) {
	f := newFixture(t, Config{})
	tmpl := tileJSONTiles(t, f.handler, geologyID)
	if want := "http://example.com/tiles/geology@" + f.geology.Version + "/{z}/{x}/{y}.mvt"; tmpl != want {
		t.Fatalf("TileJSON tiles %q, want %q", tmpl, want)
	}
	versioned := fillTemplate(t, tmpl, geologyMax)
	plain := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	v := f.get(t, versioned, "Accept-Encoding", "gzip")
	p := f.get(t, plain, "Accept-Encoding", "gzip")
	if v.Code != http.StatusOK || p.Code != http.StatusOK {
		t.Fatalf("status %d (versioned), %d (plain): %s", v.Code, p.Code, v.Body)
	}
	if got := v.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("versioned Cache-Control %q, want a year, immutable", got)
	}
	if got := p.Header().Get("Cache-Control"); got != "public, max-age=3600" {
		t.Errorf("plain Cache-Control %q, want the server's tile max-age as before", got)
	}
	for _, name := range []string{"ETag", "Vary", "Content-Encoding", "Content-Type"} {
		if v.Header().Get(name) != p.Header().Get(name) || v.Header().Get(name) == "" {
			t.Errorf("%s: %q versioned, %q plain; want the same, set", name, v.Header().Get(name), p.Header().Get(name))
		}
	}
	if v.Body.String() != p.Body.String() || tileEdition(t, v.Body.Bytes()) != float64(1) {
		t.Error("the versioned tile is not the plain one's bytes")
	}
	// A revalidation of a versioned tile is a 304 that keeps it immutable.
	nm := f.get(t, versioned, "Accept-Encoding", "gzip", "If-None-Match", v.Header().Get("ETag"))
	if nm.Code != http.StatusNotModified || nm.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Errorf("revalidation: status %d, Cache-Control %q", nm.Code, nm.Header().Get("Cache-Control"))
	}
	// Identity and HEAD answer under the versioned URL too.
	if w := f.get(t, versioned); w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("identity: status %d, encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	} else {
		decodeGranite(t, w.Body.Bytes(), graniteTile(geologyMax))
	}
	// The OGC API tileset metadata names the version's tiles too.
	var meta struct {
		Links []link `json:"links"`
	}
	decodeJSON(t, f.get(t, "/collections/geology/tiles/WebMercatorQuad"), &meta)
	item := linkByRel(t, meta.Links, "item")
	ogc := f.get(t, fillTemplate(t, item.Href, geologyMax), "Accept-Encoding", "gzip")
	if !strings.Contains(item.Href, "/collections/geology@"+f.geology.Version+"/tiles/") || ogc.Code != http.StatusOK ||
		ogc.Header().Get("Cache-Control") != hdrImmutable[0] || ogc.Body.String() != v.Body.String() {
		t.Errorf("OGC API tile %s: status %d, Cache-Control %q", item.Href, ogc.Code, ogc.Header().Get("Cache-Control"))
	}
}

// TestVersionedTileReingest: a re-ingest under a running server moves
// TileJSON to new URLs and its ETag with them; the old versioned URLs keep
// serving the old tiles, never the new ones.
func TestVersionedTileReingest(t *testing.T) {
	f := newFixture(t, Config{})
	oldJSON := f.get(t, "/tiles/geology.json")
	oldTmpl := tileJSONTiles(t, f.handler, geologyID)
	if cc := oldJSON.Header().Get("Cache-Control"); cc != "public, max-age=60" || oldJSON.Header().Get("ETag") == "" {
		t.Errorf("TileJSON Cache-Control %q, ETag %q; want a short max-age and an ETag", cc, oldJSON.Header().Get("ETag"))
	}
	oldTile := fillTemplate(t, oldTmpl, geologyMax)
	oldOGC := "/collections/geology@" + f.geology.Version + "/tiles/WebMercatorQuad/" + itoa(geologyMax) + "/" + itoa(int(graniteTile(geologyMax).Y)) + "/" + itoa(int(graniteTile(geologyMax).X))

	// Styles reach the tiles through TileJSON, so they follow it.
	var all struct {
		Sources map[string]struct {
			URL string `json:"url"`
		} `json:"sources"`
	}
	style := f.get(t, "/styles/all.json")
	if err := json.Unmarshal(style.Body.Bytes(), &all); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, src := range all.Sources {
		found = found || src.URL == "http://example.com/tiles/geology.json"
	}
	if !found || style.Header().Get("Cache-Control") != "public, max-age=60" || style.Header().Get("ETag") == "" {
		t.Errorf("style sources %v, Cache-Control %q; want the geology TileJSON, kept briefly", all.Sources, style.Header().Get("Cache-Control"))
	}

	meta := writeGeologyEdition(t, f.dir, "Hamersley geology", 2)
	waitForVersion(t, f, geologyID, meta.Version)

	newTmpl := tileJSONTiles(t, f.handler, geologyID)
	if newTmpl == oldTmpl || !strings.Contains(newTmpl, "@"+meta.Version+"/") {
		t.Fatalf("after the re-ingest TileJSON names %q, want version %s", newTmpl, meta.Version)
	}
	if w := f.get(t, "/tiles/geology.json", "If-None-Match", oldJSON.Header().Get("ETag")); w.Code != http.StatusOK {
		t.Errorf("TileJSON revalidated with the old ETag: status %d, want 200 with the new URLs", w.Code)
	}
	// The old version's URLs keep serving its tiles for the clients that
	// hold the old TileJSON (store.Options.KeepReplaced; see
	// TestVersionedReplacedKeptThenRefused for the end of that).
	for _, old := range []string{oldTile, oldOGC} {
		w := f.get(t, old, "Accept-Encoding", "gzip")
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] {
			t.Errorf("%s after the re-ingest: status %d, Cache-Control %q; want the kept old tile, immutable: %.200s", old, w.Code, w.Header().Get("Cache-Control"), w.Body)
		} else if got := tileEdition(t, w.Body.Bytes()); got != float64(1) {
			t.Errorf("%s after the re-ingest: edition %v, want 1", old, got)
		}
	}
	w := f.get(t, fillTemplate(t, newTmpl, geologyMax), "Accept-Encoding", "gzip")
	if w.Code != http.StatusOK || tileEdition(t, w.Body.Bytes()) != float64(2) {
		t.Errorf("new versioned tile: status %d, want edition 2", w.Code)
	}
	if w := f.get(t, tilePath(geologyID, graniteTile(geologyMax), "mvt"), "Accept-Encoding", "gzip"); tileEdition(t, w.Body.Bytes()) != float64(2) {
		t.Error("the plain URL does not serve the new version")
	}
}

// TestVersionedTileRefused: malformed or unknown versions are 404s with a
// message, never a tile.
func TestVersionedTileRefused(t *testing.T) {
	f := newFixture(t, Config{})
	mt := graniteTile(geologyMax)
	for _, tc := range []struct{ seg, want string }{
		{"geology@", f.geology.Version},
		{"geology@20000101T000000Z-0000000000000000", f.geology.Version},
		{"geology@" + f.geology.Version + "@" + f.geology.Version, f.geology.Version},
		{"nosuch@" + f.geology.Version, `no tileset "nosuch"`},
	} {
		path := "/tiles/" + tc.seg + "/" + itoa(geologyMax) + "/" + itoa(int(mt.X)) + "/" + itoa(int(mt.Y)) + ".mvt"
		e := wantError(t, f.get(t, path), http.StatusNotFound, "NotFound")
		if !strings.Contains(e.Description, tc.want) {
			t.Errorf("%s: %q, want it to name %s", path, e.Description, tc.want)
		}
	}
}

// TestVersionedRasterTile: raster PNG and stored colour tiles have
// versioned, immutable URLs in their TileJSON as vector tiles do, and
// their OGC API map tiles take the same versions.
func TestVersionedRasterTile(t *testing.T) {
	colour, _ := colourServer(t)
	for _, tc := range []struct {
		h       http.Handler
		id, ext string
		tile    string
	}{
		{rasterServer(t), "depth", "png", "/1/1/1.png"},
		{colour, "scanjpg", "jpg", "/1/1/1.jpg"},
	} {
		tmpl := tileJSONTiles(t, tc.h, tc.id)
		if !versionedTemplate(tmpl, tc.id, tc.ext) {
			t.Fatalf("%s TileJSON tiles %q, want a versioned template", tc.id, tmpl)
		}
		seg := strings.TrimPrefix(strings.TrimSuffix(tmpl, "/{z}/{x}/{y}."+tc.ext), "http://example.com/tiles/")
		w := serve(tc.h, httptestRequest(http.MethodGet, "/tiles/"+seg+tc.tile))
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] {
			t.Errorf("%s: status %d, Cache-Control %q: %s", seg, w.Code, w.Header().Get("Cache-Control"), w.Body)
		}
		if w := serve(tc.h, httptestRequest(http.MethodGet, "/tiles/"+tc.id+tc.tile)); w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "public, max-age=3600" {
			t.Errorf("%s plain: status %d, Cache-Control %q", tc.id, w.Code, w.Header().Get("Cache-Control"))
		}
		wantError(t, serve(tc.h, httptestRequest(http.MethodGet, "/tiles/"+tc.id+"@old"+tc.tile)), http.StatusNotFound, "NotFound")

		mapTile := func(seg string) string { return "/collections/" + seg + "/map/tiles/WebMercatorQuad/1/1/1" }
		w = serve(tc.h, httptestRequest(http.MethodGet, mapTile(seg)))
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] {
			t.Errorf("%s map tile: status %d, Cache-Control %q: %s", seg, w.Code, w.Header().Get("Cache-Control"), w.Body)
		}
		if w := serve(tc.h, httptestRequest(http.MethodGet, mapTile(tc.id))); w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "public, max-age=3600" {
			t.Errorf("%s plain map tile: status %d, Cache-Control %q", tc.id, w.Code, w.Header().Get("Cache-Control"))
		}
		e := wantError(t, serve(tc.h, httptestRequest(http.MethodGet, mapTile(tc.id+"@old"))), http.StatusNotFound, "NotFound")
		if tc.id+versionSep+e.CurrentVersion != seg {
			t.Errorf("%s@old map tile: currentVersion %q, want that of %s", tc.id, e.CurrentVersion, seg)
		}
	}
}

// TestVersionedTileNewerThanPolled: a request for a version newer than the
// one this server polled (a client given it by another replica, or just
// after a re-ingest) makes the store look at once, and is served; an older
// one costs no rescan.
func TestVersionedTileNewerThanPolled(t *testing.T) {
	dir := t.TempDir()
	writeGeology(t, dir, "Hamersley geology")
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	mt := graniteTile(geologyMax)
	tile := func(version string) *httptest.ResponseRecorder {
		return serve(h, httptestRequest(http.MethodGet, tilePath(geologyID+versionSep+version, mt, "mvt"), "Accept-Encoding", "gzip"))
	}

	second := writeGeologyEdition(t, dir, "Hamersley geology", 2)
	if w := tile(second.Version); w.Code != http.StatusOK || tileEdition(t, w.Body.Bytes()) != float64(2) {
		t.Fatalf("a version newer than the polled one: status %d: %s", w.Code, w.Body)
	}
	if tmpl := tileJSONTiles(t, h, geologyID); !strings.Contains(tmpl, second.Version) {
		t.Errorf("TileJSON names %s after the store looked, want version %s", tmpl, second.Version)
	}

	time.Sleep(150 * time.Millisecond) // past the store's bound on rescans
	third := writeGeologyEdition(t, dir, "Hamersley geology", 3)
	e := wantError(t, tile("20000101T000000Z-0000000000000000"), http.StatusNotFound, "NotFound")
	if e.CurrentVersion != second.Version {
		t.Errorf("an old version named current %q, want %q (edition 3, %s, not looked for)", e.CurrentVersion, second.Version, third.Version)
	}
}

// currentVersion is the version tileset id is served at now.
func currentVersion(t *testing.T, f *fixture, id string) string {
	t.Helper()
	ts, release, err := f.store.Acquire(id)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	return ts.Metadata().Version
}

// TestVersionedFeatures: the collection links the current version's
// features, whose pages and features are served immutable with links that
// keep the version; the plain URLs keep their short max-age; after a
// re-ingest the old version's URLs keep serving the old version.
func TestVersionedFeatures(t *testing.T) {
	f := newOGCFixture(t)
	id := ogcOccurrencesID
	v1 := currentVersion(t, f, id)
	var coll struct {
		Links []link `json:"links"`
	}
	cw := f.get(t, "/collections/"+id)
	decodeJSON(t, cw, &coll)
	if cc := cw.Header().Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("collection Cache-Control %q, want a short max-age", cc)
	}
	latest := linkByRel(t, coll.Links, "latest-version")
	if want := "http://example.com/collections/" + id + "@" + v1 + "/items"; latest.Href != want || latest.Type != geoJSONType {
		t.Fatalf("latest-version link %+v, want %s", latest, want)
	}
	if items := linkHref(coll.Links, "items", geoJSONType); items != "http://example.com/collections/"+id+"/items" {
		t.Errorf("items link %q, want the plain URL as before", items)
	}

	// A page of the version: immutable, its links keep the version.
	versioned := pathOf(t, latest.Href) + "?limit=2"
	w := f.get(t, versioned)
	if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] || w.Header().Get("ETag") == "" {
		t.Fatalf("versioned page: status %d, Cache-Control %q, ETag %q: %s", w.Code, w.Header().Get("Cache-Control"), w.Header().Get("ETag"), w.Body)
	}
	page := f.getItems(t, versioned)
	plain := f.getItems(t, "/collections/"+id+"/items?limit=2")
	if len(page.Features) != 2 || fmt.Sprint(page.ids()) != fmt.Sprint(plain.ids()) || *page.NumberMatched != ogcOccurrenceCount {
		t.Errorf("versioned page ids %v of %d, plain %v; want the same two of %d", page.ids(), *page.NumberMatched, plain.ids(), ogcOccurrenceCount)
	}
	for _, rel := range []string{"self", "next"} {
		if h := linkHref(page.Links, rel, geoJSONType); !strings.Contains(h, "/collections/"+id+"@"+v1+"/items?") {
			t.Errorf("versioned page's %s link %q does not keep the version", rel, h)
		}
	}
	if h := linkHref(page.Links, "collection", ""); h != "http://example.com/collections/"+id {
		t.Errorf("versioned page's collection link %q, want the plain collection", h)
	}
	next := f.get(t, pathOf(t, linkHref(page.Links, "next", geoJSONType)))
	if next.Code != http.StatusOK || next.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Errorf("next versioned page: status %d, Cache-Control %q", next.Code, next.Header().Get("Cache-Control"))
	}
	if pw := f.get(t, "/collections/"+id+"/items?limit=2"); pw.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("plain page Cache-Control %q, want public, max-age=60 as before", pw.Header().Get("Cache-Control"))
	}
	if nm := f.get(t, versioned, "If-None-Match", w.Header().Get("ETag")); nm.Code != http.StatusNotModified || nm.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Errorf("versioned page revalidation: status %d, Cache-Control %q", nm.Code, nm.Header().Get("Cache-Control"))
	}

	// One feature of the version.
	fid := page.Features[0].ID.String()
	item := "/collections/" + id + "@" + v1 + "/items/" + fid
	iw := f.get(t, item)
	if iw.Code != http.StatusOK || iw.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Fatalf("versioned feature: status %d, Cache-Control %q: %s", iw.Code, iw.Header().Get("Cache-Control"), iw.Body)
	}
	var feature struct {
		ID    json.Number `json:"id"`
		Links []link      `json:"links"`
	}
	if err := json.Unmarshal(iw.Body.Bytes(), &feature); err != nil || iw.Header().Get("Content-Type") != geoJSONType {
		t.Fatalf("versioned feature: %v, Content-Type %q", err, iw.Header().Get("Content-Type"))
	}
	if feature.ID.String() != fid || linkHref(feature.Links, "self", geoJSONType) != "http://example.com"+item+"?f=json" {
		t.Errorf("versioned feature %s, links %+v", feature.ID, feature.Links)
	}
	pi := f.get(t, "/collections/"+id+"/items/"+fid)
	if pi.Code != http.StatusOK || pi.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("plain feature: status %d, Cache-Control %q", pi.Code, pi.Header().Get("Cache-Control"))
	}
	if hw := f.get(t, item+"?f=html"); hw.Code != http.StatusOK {
		t.Errorf("versioned feature as HTML: status %d", hw.Code)
	}

	// Unknown versions are 404s naming the current one.
	for _, seg := range []string{id + "@", id + "@20000101T000000Z-0000000000000000", "nosuch@" + v1} {
		e := wantError(t, f.get(t, "/collections/"+seg+"/items"), http.StatusNotFound, "NotFound")
		if !strings.Contains(seg, "nosuch") && e.CurrentVersion != v1 {
			t.Errorf("%s: currentVersion %q, want %s", seg, e.CurrentVersion, v1)
		}
	}

	// A re-ingest: the old version's URLs name the new one, never serve it.
	time.Sleep(1100 * time.Millisecond) // versions begin with their second
	writeFeatureTileset(t, f.dir, id, "Copper & gold occurrences, revised", ogcOccurrenceFields, ogcOccurrenceFeatures()[:3], "found")
	if err := f.store.Refresh(); err != nil {
		t.Fatal(err)
	}
	v2 := currentVersion(t, f, id)
	if v2 == v1 {
		t.Fatal("the re-ingest kept the version")
	}
	// The old version's pages stay served, whole, while it is kept.
	if ow := f.get(t, versioned); ow.Code != http.StatusOK || ow.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Errorf("%s after the re-ingest: status %d, Cache-Control %q; want the kept old page", versioned, ow.Code, ow.Header().Get("Cache-Control"))
	} else if p := f.getItems(t, versioned); *p.NumberMatched != ogcOccurrenceCount {
		t.Errorf("the old version's page after the re-ingest matches %d, want %d (the old version's)", *p.NumberMatched, ogcOccurrenceCount)
	}
	if ow := f.get(t, item); ow.Code != http.StatusOK {
		t.Errorf("%s after the re-ingest: status %d, want the kept old feature", item, ow.Code)
	}
	decodeJSON(t, f.get(t, "/collections/"+id), &coll)
	if h := linkByRel(t, coll.Links, "latest-version").Href; !strings.Contains(h, "@"+v2+"/items") {
		t.Errorf("after the re-ingest the collection links %q, want version %s", h, v2)
	}
	if p := f.getItems(t, "/collections/"+id+"@"+v2+"/items"); *p.NumberMatched != 3 {
		t.Errorf("the new version's page matches %d, want 3", *p.NumberMatched)
	}
}

// TestVersionedReplacedKeptThenRefused: a version replaced by a re-ingest
// keeps its tiles and features served, immutable, under its versioned URLs
// for the store's KeepReplaced, while the plain URLs serve the new one;
// then its URLs are a 404 naming the current version, not cached.
func TestVersionedReplacedKeptThenRefused(t *testing.T) {
	dir := t.TempDir()
	first := writeGeology(t, dir, "Hamersley geology")
	const keep = 400 * time.Millisecond
	st, err := store.Open(dir, store.Options{PollInterval: -1, KeepReplaced: keep, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	mt := graniteTile(geologyMax)
	get := func(path string) *httptest.ResponseRecorder {
		return serve(h, httptestRequest(http.MethodGet, path, "Accept-Encoding", "gzip"))
	}
	oldTile := tilePath(geologyID+versionSep+first.Version, mt, "mvt")
	oldItems := "/collections/" + geologyID + versionSep + first.Version + "/items?limit=1"

	second := writeGeologyEdition(t, dir, "Hamersley geology", 2)
	if err := st.Refresh(); err != nil {
		t.Fatal(err)
	}
	replaced := time.Now()
	if w := get(oldTile); w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] || tileEdition(t, w.Body.Bytes()) != float64(1) {
		t.Errorf("the replaced version's tile while kept: status %d, Cache-Control %q; want edition 1, immutable", w.Code, w.Header().Get("Cache-Control"))
	}
	if w := get(oldItems); w.Code != http.StatusOK || w.Header().Get("Cache-Control") != hdrImmutable[0] {
		t.Errorf("the replaced version's features while kept: status %d, Cache-Control %q: %.200s", w.Code, w.Header().Get("Cache-Control"), w.Body)
	}
	if w := get(tilePath(geologyID, mt, "mvt")); w.Code != http.StatusOK || tileEdition(t, w.Body.Bytes()) != float64(2) {
		t.Errorf("the plain tile URL: status %d; want the current version, edition 2", w.Code)
	}
	if tmpl := tileJSONTiles(t, h, geologyID); !strings.Contains(tmpl, versionSep+second.Version+"/") {
		t.Errorf("TileJSON names %s, want the current version %s", tmpl, second.Version)
	}

	time.Sleep(keep + 200*time.Millisecond - time.Since(replaced))
	for _, path := range []string{oldTile, oldItems} {
		w := get(path)
		e := wantError(t, w, http.StatusNotFound, "NotFound")
		if e.CurrentVersion != second.Version || !strings.Contains(e.Description, second.Version) || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s after KeepReplaced: %+v, Cache-Control %q; want a 404 naming %s, not cached", path, e, w.Header().Get("Cache-Control"), second.Version)
		}
	}
}
