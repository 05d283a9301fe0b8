package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// TestEveryPageTranslated walks every HTML page of a demo-like store, from
// the catalogue by the links a reader can follow, in English and in
// Indonesian, and fails on any text a reader sees (text, title, alt,
// placeholder, aria-label) that is the same in both languages and is not
// data: a value of the English catalogue that Indonesian translates
// differently, or any other text with a word in it, unless it is a value
// of the pages' JSON documents, made of the words of the store's features
// and report, a value the Indonesian catalogue gives, or a name (names).
// It names the page and the string, so a page or a string added
// untranslated later fails here.
func TestEveryPageTranslated(t *testing.T) {
	f := newPagesFixture(t)
	en, id := viewer.Strings("en"), viewer.Strings("id")
	catalogued := map[string]string{} // English value → its key, where Indonesian differs
	chosen := map[string]bool{}       // Indonesian values: a translator's choice, even when the English word
	for k, v := range en {
		if id[k] != v {
			catalogued[strings.TrimSpace(v)] = k
		}
		chosen[strings.TrimSpace(id[k])] = true
	}
	pages := crawlPages(t, f)
	if len(pages) < 20 {
		t.Fatalf("the walk found %d pages, want the catalogue, collections, features, legends, tiles, report, API and more: %q", len(pages), pages)
	}
	kinds := map[string]bool{}
	for _, p := range pages {
		kinds[pageKind(p)] = true
	}
	for _, want := range []string{"/", "/collections", "/collections/{id}", "/collections/{id}/items", "/collections/{id}/items/{n}", "/collections/{id}/legend", "/collections/{id}/report", "/collections/{id}/tiles", "/collections/{id}/map/tiles", "/collections/{id}/queryables", "/api", "/conformance", "/tileMatrixSets"} {
		if !kinds[want] {
			t.Errorf("the walk did not reach a page %s; it found %q", want, slices.Sorted(maps.Keys(kinds)))
		}
	}
	// data holds the strings of the JSON documents of the pages (without
	// their links' titles), words those of the store's features and
	// report, and each tileset's geometry type.
	data, words := map[string]bool{}, map[string]bool{}
	for _, id := range f.store.IDs() {
		ts, release, err := f.store.Acquire(id)
		if err != nil {
			t.Fatal(err)
		}
		data[ts.Metadata().GeometryType] = true
		release()
		store := map[string]bool{}
		collectData(t, f, "/collections/"+id+"/items?f=json&limit=1000", store)
		collectData(t, f, "/collections/"+id+"/report?f=json", store)
		for s := range store {
			for _, w := range strings.FieldsFunc(s, notLetter) {
				words[w] = true
			}
		}
	}
	type rendered struct{ en, id []string }
	got := map[string]rendered{}
	for _, p := range pages {
		enPage, enJSON := fetchPage(t, f, p, "en")
		idPage, _ := fetchPage(t, f, p, "id")
		got[p] = rendered{visibleText(t, p, enPage), visibleText(t, p, idPage)}
		if enJSON != "" {
			collectData(t, f, enJSON, data)
		}
	}
	madeOfData := func(s string) bool {
		for _, w := range strings.FieldsFunc(s, notLetter) {
			if !words[w] {
				return false
			}
		}
		return true
	}
	for _, p := range pages {
		r := got[p]
		for _, s := range sameText(r.en, r.id) {
			s = strings.TrimSuffix(s, " · Outcrop") // the <title>'s
			if data[s] || names[s] {
				continue
			}
			if k, ok := catalogued[s]; ok {
				t.Errorf("%s: %q is the English of %q, untranslated in Indonesian", p, s, k)
				continue
			}
			if chosen[s] || madeOfData(s) || strings.HasPrefix(s, "Layer › Add Layer ›") {
				continue
			}
			t.Errorf("%s: %q is the same in Indonesian, and is neither in the catalogue nor data of the store", p, s)
		}
	}
}

// names are what a page shows the same in every language: formats,
// programs, units and English as the language switch names it. QGIS's
// menus (Layer › Add Layer › …) stay as QGIS shows them.
var names = map[string]bool{
	"API": true, "JSON": true, "CSV": true, "GeoJSON": true, "GeoPackage": true, "OpenAPI 3.0": true, "OpenAPI 3.0 JSON": true,
	"GDAL:": true, "km": true, "km²": true, "Id": true, "id": true, "English": true, "minLon,minLat,maxLon,maxLat": true,
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// sameText lists the texts that are the same in both renderings: pairwise
// when both have as many texts (the same template), else those of id found
// anywhere in en.
func sameText(en, id []string) []string {
	var out []string
	if len(en) == len(id) {
		for i := range en {
			if en[i] == id[i] {
				out = append(out, en[i])
			}
		}
		return out
	}
	for _, s := range id {
		if slices.Contains(en, s) {
			out = append(out, s)
		}
	}
	return out
}

// pageKind is a page's path with its ids and numbers generalised.
func pageKind(p string) string {
	u, _ := url.Parse(p)
	parts := strings.Split(u.Path, "/")
	for i, s := range parts {
		switch {
		case i == 2 && parts[1] == "collections":
			parts[i] = "{id}"
		case i == 4 && parts[3] == "items" && s != "":
			parts[i] = "{n}"
		}
	}
	return strings.Join(parts, "/")
}

// browserAccept is what a browser asks for when it follows a link.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// notPages are the paths the walk does not follow: the viewer (translated
// in the browser), downloads (files), and the OGC web services (XML).
var notPages = []string{"/map/", "/wms", "/wmts", "/wfs", "/tiles/", "/styles/", "/fonts", "/health", "/metrics"}

// notPageEnds end the paths of files the walk does not follow.
var notPageEnds = []string{"/download", "/thumbnail.svg", "/value"}

// crawlPages follows every link of every HTML page from the catalogue, in
// English (and from the pages only the viewer links to), and returns the paths that answer HTML; at most two pages share
// a path (a pager's pages are alike).
func crawlPages(t *testing.T, f *fixture) []string {
	t.Helper()
	queue := []string{"/?f=html"}
	seen := map[string]bool{}
	for _, p := range queue {
		seen[p] = true
	}
	perPath := map[string]int{}
	var pages []string
	for len(queue) > 0 && len(pages) < 300 {
		p := queue[0]
		queue = queue[1:]
		w := f.get(t, p, "Accept", browserAccept, "Cookie", LangCookie+"=en")
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			continue
		}
		pages = append(pages, p)
		doc, err := html.Parse(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode || n.Data != "a" {
				continue
			}
			href := attr(n, "href")
			u, err := url.Parse(href)
			if err != nil || (u.Host != "" && u.Host != "example.com") || u.Path == "" {
				continue
			}
			next := u.Path
			if u.RawQuery != "" {
				next += "?" + u.RawQuery
			}
			if seen[next] || slices.ContainsFunc(notPages, func(s string) bool { return strings.HasPrefix(u.Path, s) }) ||
				slices.ContainsFunc(notPageEnds, func(s string) bool { return strings.HasSuffix(u.Path, s) }) || u.Query().Has("lang") {
				continue
			}
			seen[next] = true
			if perPath[u.Path]++; perPath[u.Path] > 2 {
				continue
			}
			queue = append(queue, next)
		}
	}
	return pages
}

// fetchPage renders page p in lang (the switch's cookie) and returns it
// with the href of its JSON alternate.
func fetchPage(t *testing.T, f *fixture, p, lang string) (string, string) {
	t.Helper()
	w := f.get(t, p, "Accept", browserAccept, "Cookie", LangCookie+"="+lang)
	if w.Code != http.StatusOK {
		t.Fatalf("%s in %s: status %d", p, lang, w.Code)
	}
	body := w.Body.String()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	if got := attr(doc.FirstChild.NextSibling, "lang"); lang == "id" && got != "id" {
		t.Errorf("%s: <html lang=%q> in Indonesian", p, got)
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "alternate" {
			return body, attr(n, "href")
		}
	}
	return body, ""
}

// visibleText lists the texts of a page a reader sees or hears, in order:
// text outside style, script, code and pre (which hold CSS, commands and
// documents) and outside translate="no" (names, such as media types), and the title, alt, placeholder and aria-label attributes.
func visibleText(t *testing.T, p, page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if s := strings.TrimSpace(n.Data); s != "" {
				out = append(out, s)
			}
		case html.ElementNode:
			switch n.Data {
			case "style", "script", "code", "pre":
				return
			}
			if attr(n, "translate") == "no" {
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "title", "alt", "placeholder", "aria-label":
					if s := strings.TrimSpace(a.Val); s != "" {
						out = append(out, s)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// collectData adds every string of the JSON document at href to data,
// except those of its links (interface text, titled for people).
func collectData(t *testing.T, f *fixture, href string, data map[string]bool) {
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("JSON alternate %q: %v", href, err)
	}
	w := f.get(t, u.RequestURI())
	var doc any
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &doc) != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			data[strings.TrimSpace(v)] = true
		case bool, float64:
			data[fmt.Sprint(v)] = true
		case []any:
			var joined []string
			for _, e := range v {
				walk(e)
				if s, ok := e.(string); ok {
					joined = append(joined, s)
				}
			}
			data[strings.Join(joined, ", ")] = true // as a page lists keywords
		case map[string]any:
			for k, e := range v {
				if k != "links" {
					walk(e)
				}
			}
		}
	}
	walk(doc)
}

// newPagesFixture is newOGCFixture's store (geology, faults, occurrences,
// units) plus the edge-matching report of a compilation and a raster.
func newPagesFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, logs: new(bytes.Buffer)}
	f.geology = writeGeology(t, dir, "Hamersley geology")
	writeFaults(t, dir)
	writeFeatureTileset(t, dir, ogcOccurrencesID, "Copper & gold occurrences", ogcOccurrenceFields, ogcOccurrenceFeatures(), "found")
	writeFeatureTileset(t, dir, ogcUnitsID, "Units", []tileset.Field{{Name: "code", Type: "string"}, {Name: "age_ma", Type: "real"}}, ogcUnitFeatures(), "")
	writeReportTileset(t, dir)
	tile := raster.NewTile(4, 1)
	tile.Data[0], tile.Data[1], tile.Data[3] = -600, 0, -300
	commit(t, dir, "depth", []tileset.Tile{{Z: 1, X: 1, Y: 1, Data: raster.Encode(tile)}}, &tileset.Metadata{
		Title: "Slab depth", Kind: tileset.KindRaster, MinZoom: 0, MaxZoom: 1, Bounds: [4]float64{0, -85, 180, 0},
		Raster: &tileset.Raster{Encoding: raster.Encoding, TileSize: 4, Resampling: "nearest",
			Bands: []tileset.Band{{Name: "z", Units: "km", DataType: "Float32", Stats: raster.Compute(tile.Data)}}},
	})
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	f.handler = New(Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(f.logs, nil))})
	return f
}

// writeReportTileset writes "border-qa", a compilation's {id}-qa tileset
// with its edge-matching report: one pair, one issue of each kind.
func writeReportTileset(t *testing.T, dir string) {
	t.Helper()
	w, err := tileset.Create(dir, "border-qa")
	if err != nil {
		t.Fatal(err)
	}
	feature := geojson.NewFeature(orb.LineString{{101, 2}, {101.1, 2.1}})
	feature.ID = uint64(1)
	feature.Properties = geojson.Properties{"kind": qa.KindSegment, "class": qa.ClassAgeMismatch}
	if err := w.PutFeatures([]*geojson.Feature{feature}); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	unit := func(c, name string) *qa.Unit {
		return &qa.Unit{Country: c, Identifier: c + "-1", Name: name, Age: "Jurassic", Lithology: "granite"}
	}
	pair := qa.Pair{Countries: [2]string{"MY", "TH"}, Issues: []qa.Issue{
		{Kind: qa.KindSegment, FeatureID: 1, Class: qa.ClassAgeMismatch, LengthM: 1200, A: unit("MY", "Granit Bukit"), B: unit("TH", "Hin Granit")},
		{Kind: qa.KindGap, FeatureID: 2, Country: "MY", AreaKm2: 0.2},
		{Kind: qa.KindOverlap, FeatureID: 3, Country: "TH", Onto: "MY", AreaKm2: 0.1},
		{Kind: qa.KindDangling, FeatureID: 4, Country: "TH", Layer: "faults"},
	}}
	pair.BorderKm = 10
	pair.BorderKmByClass.Add(qa.ClassAgeMismatch, 1.2)
	pair.SetShares()
	clean := qa.Pair{Countries: [2]string{"MY", "SG"}}
	rep := qa.Report{ID: "border", Title: "Border geology", ToleranceM: 50, Pairs: []qa.Pair{pair, clean}}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutMeta(qa.MetaKey, raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&tileset.Metadata{
		Title: "Border geology — edge-matching", Description: "Border segments of border", License: "CC0-1.0",
		Layer: "border-qa", GeometryType: "line", Fields: []tileset.Field{{Name: "kind", Type: "string"}, {Name: "class", Type: "string"}},
		Bounds: [4]float64{101, 2, 101.1, 2.1}, Center: [3]float64{101.05, 2.05, 8}, MinZoom: 0, MaxZoom: 6,
	}); err != nil {
		t.Fatal(err)
	}
}
