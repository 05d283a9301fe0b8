package server

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var cardRE = regexp.MustCompile(`<li class="card" data-id="([^"]+)">`)

// cardsOf lists the collection ids of a catalogue page's cards, in order.
func cardsOf(page string) []string {
	var ids []string
	for _, m := range cardRE.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestCatalogue checks the home page a browser gets: a card per collection
// with its thumbnail, extent, licence, attribution and links, narrowed by
// the search (title, description, keywords, theme) and by theme, while a
// client still gets the OGC landing JSON.
func TestCatalogue(t *testing.T) {
	f := newOGCFixture(t)
	all := f.getHTML(t, "/?f=html")
	if got := cardsOf(all); !slices.Equal(got, []string{ogcOccurrencesID, "faults", "geology", ogcUnitsID}) {
		t.Errorf("cards %q; want every collection, by title", got)
	}
	for _, want := range []string{
		`<span class="theme">Occurrences</span>`, `<span class="theme">Structure</span>`, `<span class="theme">Geology</span>`,
		`<img class="map" src="http://example.com/collections/geology/thumbnail.svg?v=`, `loading="lazy"`, "<dt>Licence</dt><dd>CC0-1.0</dd>", "<dt>Attribution</dt><dd>Outcrop tests</dd>",
		`href="http://example.com/map/#layers=geology"`, `href="http://example.com/collections/geology/items"`,
		"Add Vector Tile Layer", "4 of 4 collections",
		`href="http://example.com/?theme=structure"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("catalogue lacks %q", want)
		}
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"q=copper", []string{ogcOccurrencesID}},
		{"q=GRANITE", []string{"geology"}},                 // a keyword, in any case
		{"q=bedrock+around", []string{"geology"}},          // every word, from the description
		{"q=structure", []string{"faults"}},                // the theme
		{"theme=geology", []string{"geology", ogcUnitsID}}, // a theme
		{"theme=geology&q=units", []string{ogcUnitsID}},    // both
		{"q=nowhere", nil},
	} {
		page := f.getHTML(t, "/?f=html&"+tc.query)
		if got := cardsOf(page); !slices.Equal(got, tc.want) {
			t.Errorf("%s: cards %q, want %q", tc.query, got, tc.want)
		}
		if tc.want == nil && !strings.Contains(page, "No collection matches") {
			t.Errorf("%s: no cards and no word why", tc.query)
		}
	}
	// A client without text/html in Accept still gets the landing JSON.
	w := f.get(t, "/?q=copper", "Accept", "application/json")
	var doc landing
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &doc) != nil || doc.Title != "Outcrop" || len(doc.Links) == 0 {
		t.Errorf("/ as JSON: %d %.200s", w.Code, w.Body.String())
	}
}

var thumbnailRE = regexp.MustCompile(`<img class="map" src="http://example.com(/collections/([^/]+)/thumbnail.svg\?v=[^"]+)"`)

// TestCatalogueThumbnails: the home page names each card's map as an image
// of its own, loaded lazily, rather than drawing it inline; the image is
// the collection's features over its extent, immutable at the URL of its
// version and briefly cached at the plain one.
func TestCatalogueThumbnails(t *testing.T) {
	f := newOGCFixture(t)
	page := f.getHTML(t, "/?f=html")
	if strings.Contains(page, "<svg") || strings.Contains(page, "<path") {
		t.Error("the catalogue draws its maps inline; want them as images")
	}
	thumbs := map[string]string{}
	for _, m := range thumbnailRE.FindAllStringSubmatch(page, -1) {
		thumbs[m[2]] = m[1]
	}
	if len(thumbs) != 4 {
		t.Fatalf("thumbnails %q; want one per card", thumbs)
	}
	for id, class := range map[string]string{ogcOccurrencesID: `<path class="point"`, ogcUnitsID: `<path class="area"`, "faults": `<path class="frame"`} {
		w := f.get(t, thumbs[id])
		body := w.Body.String()
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, `<svg xmlns="http://www.w3.org/2000/svg"`) {
			t.Fatalf("%s: %d %q %.100s", thumbs[id], w.Code, w.Header().Get("Content-Type"), body)
		}
		if !strings.Contains(body, class) || !strings.Contains(body, `<path class="frame"`) || !strings.Contains(body, "<style>") {
			t.Errorf("%s: no %s, frame or style in %s", thumbs[id], class, body)
		}
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable", thumbs[id], cc)
		}
		if etag := w.Header().Get("ETag"); etag == "" || f.get(t, thumbs[id], "If-None-Match", etag).Code != http.StatusNotModified {
			t.Errorf("%s: ETag %q does not revalidate", thumbs[id], etag)
		}
	}
	if w := f.get(t, thumbs[ogcOccurrencesID], "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("a thumbnail asked for gzipped: Content-Encoding %q", w.Header().Get("Content-Encoding"))
	}
	if cc := f.get(t, "/collections/geology/thumbnail.svg").Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("the unversioned thumbnail: Cache-Control %q, want it kept briefly", cc)
	}
	if cc := f.get(t, "/collections/geology/thumbnail.svg?v=old").Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("a thumbnail of another version: Cache-Control %q, want it kept briefly", cc)
	}
	if w := f.get(t, "/collections/nowhere/thumbnail.svg"); w.Code != http.StatusNotFound {
		t.Errorf("the thumbnail of no collection: status %d, want 404", w.Code)
	}
}

// TestHTMLPagesGzipped: a page goes gzip-coded to a client that takes it,
// with an ETag of its own, and plain to one that does not.
func TestHTMLPagesGzipped(t *testing.T) {
	f := newOGCFixture(t)
	plain := f.get(t, "/?f=html")
	gz := f.get(t, "/?f=html", "Accept-Encoding", "gzip")
	if plain.Header().Get("Content-Encoding") != "" || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q plain, %q gzip", plain.Header().Get("Content-Encoding"), gz.Header().Get("Content-Encoding"))
	}
	if vary := strings.Join(gz.Header().Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") || gz.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Errorf("Vary %q, ETags %q and %q: want Vary Accept-Encoding and an ETag per coding", gz.Header().Values("Vary"), gz.Header().Get("ETag"), plain.Header().Get("ETag"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || string(body) != plain.Body.String() {
		t.Errorf("the gzipped page (%v) is not the plain one", err)
	}
	if w := f.get(t, "/?f=html", "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("revalidating the gzipped page: status %d", w.Code)
	}
}

// BenchmarkCatalogue renders the home page a browser gets, over the four
// collections of the OGC fixture, thumbnails included.
func BenchmarkCatalogue(b *testing.B) {
	f := newOGCFixture(b)
	for b.Loop() {
		if w := f.get(b, "/?f=html"); w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// TestCatalogueInIndonesian: the catalogue speaks the reader's language:
// its switch (?lang=id) answers in Bahasa Indonesia, and is remembered in
// the cookie the viewer's switch sets too.
func TestCatalogueInIndonesian(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/?f=html&lang=id")
	page := w.Body.String()
	for _, want := range []string{`<html lang="id">`, "<dt>Lisensi</dt><dd>CC0-1.0</dd>", `<span class="theme">Keterdapatan mineral</span>`,
		"4 dari 4 koleksi", `<option value="id" selected>Bahasa Indonesia</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("?lang=id: the catalogue lacks %q", want)
		}
	}
	if c := w.Header().Get("Set-Cookie"); !strings.HasPrefix(c, LangCookie+"=id;") {
		t.Errorf("?lang=id: Set-Cookie %q, want the choice remembered", c)
	}
	// Remembered, and the search still finds English words.
	w = f.get(t, "/?f=html&q=copper", "Cookie", LangCookie+"=id")
	if page := w.Body.String(); !strings.Contains(page, "<dt>Lisensi</dt>") || !slices.Equal(cardsOf(page), []string{ogcOccurrencesID}) {
		t.Errorf("with the cookie, q=copper: cards %q, Indonesian %v", cardsOf(page), strings.Contains(page, "Lisensi"))
	}
	if page := f.getHTML(t, "/?f=html"); !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "<dt>Licence</dt>") {
		t.Error("without a choice the catalogue is not in English")
	}
}

// TestPagesInIndonesian: the collections and features pages speak the
// reader's language as the catalogue does (?lang=, the switch's cookie,
// Accept-Language), and say they vary by them.
func TestPagesInIndonesian(t *testing.T) {
	f := newOGCFixture(t)
	for _, tc := range []struct {
		path   string
		header []string
		want   []string
	}{
		{"/collections?f=html&lang=id", nil, []string{`<html lang="id">`, "<h1>Koleksi</h1>", "<th>Deskripsi</th>", "<th>Lisensi</th>", `items?f=html">fitur</a>`, "Halaman ini sebagai"}},
		{"/collections/occurrences/items?f=html&commodity=Au&limit=5&offset=5", []string{"Cookie", LangCookie + "=id"},
			[]string{`<html lang="id">`, "Fitur 6 sampai 10 dari 47, dengan commodity = Au.", "Semua fitur", "Saring menurut", "← Halaman sebelumnya", "Halaman berikutnya →", "<title>Fitur Copper &amp; gold occurrences · Outcrop</title>", ">Koleksi</a>", "Penampil peta"}},
		{"/collections/occurrences/items?f=html&bbox=0,0,0.001,0.001", []string{"Accept-Language", "id-ID,id;q=0.9"}, []string{"Tidak ada fitur di sini; 0 cocok di dalam bbox", `<p class="muted">Tidak ada fitur.</p>`}},
		{"/collections/occurrences?f=html&lang=id", nil, []string{`<html lang="id">`, "<th>Tema</th><td>Keterdapatan mineral</td>", "<th>Lisensi</th><td>CC0-1.0</td>", "<th>Geometri</th><td>mixed</td>", "<th>Cakupan (CRS84)</th>", "<th>Zoom ubin</th><td>0 sampai ", "<h2>Peta</h2>",
			`<a href="http://example.com/map/">Penampil peta</a> menampilkan setiap fitur, dengan warna <a href="http://example.com/collections/occurrences/legend?f=html">legenda</a>.`,
			"Semua 95 fitur</a>", "<h2>Unduh</h2>", "Setiap fitur, dengan semua propertinya, dalam WGS 84:", "<label>Di dalam ", `title="Bujur dan lintang dalam derajat: barat,selatan,timur,utara"`,
			`penyaring <code>datetime</code> dan properti dari rute items (<a href="http://example.com/collections/occurrences/queryables?f=html">properti penyaring</a>), seperti <code>http://example.com/collections/occurrences/download?f=csv&amp;bbox=…&amp;property=value</code>.`,
			"<h2>Tautan</h2>", `<a href="http://example.com/collections?f=html">Koleksi</a>`}},
		{"/collections/occurrences/items/1?f=html", []string{"Cookie", LangCookie + "=id"}, []string{`<html lang="id">`, "<title>Fitur 1 dari Copper &amp; gold occurrences · Outcrop</title>", "<th>Geometri</th><td>Point</td>", `">Fitur</a>`, `">Koleksi</a>`}},
		{"/?f=html&lang=id", nil, []string{"QGIS (menu dalam bahasa Inggris): <em>Layer › Add Layer › Add WFS / OGC API - Features Layer</em>, koneksi baru dengan URL <code>http://example.com</code>, lalu pilih <em>Copper &amp; gold occurrences</em>. Sebagai ubin vektor: <em>Layer › Add Layer › Add Vector Tile Layer</em> dengan URL <code>http://example.com/tiles/occurrences/{z}/{x}/{y}.mvt</code> dan gaya <code>http://example.com/styles</code>.",
			"Tambahkan koleksi di QGIS dengan <em>Layer › Add Layer › Add WFS / OGC API - Features Layer</em> dan URL <code>http://example.com</code>; di GDAL, <code>ogrinfo OAPIF:http://example.com</code>."}},
		{"/collections/occurrences?f=html", nil, []string{`<html lang="en">`, "<th>Tile zooms</th><td>0 to ", "The <a href=\"http://example.com/map/\">map viewer</a> shows every feature", "All 95 features</a>", "<h2>Download</h2>"}},
		{"/?f=html", nil, []string{"QGIS: <em>Layer › Add Layer › Add WFS / OGC API - Features Layer</em>, a new connection with the URL <code>http://example.com</code>, then pick <em>Copper &amp; gold occurrences</em>."}},
		{"/collections/occurrences/items?f=html&limit=5", nil, []string{`<html lang="en">`, "Features 1 to 5 of 95", "Filter by", "Next page →", "This page as"}},
	} {
		w := f.get(t, tc.path, tc.header...)
		page := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", tc.path, w.Code)
		}
		for _, want := range tc.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s %q: the page lacks %q", tc.path, tc.header, want)
			}
		}
		if vary := strings.Join(w.Header().Values("Vary"), ", "); !strings.Contains(vary, "Cookie") || !strings.Contains(vary, "Accept-Language") {
			t.Errorf("%s: Vary %q, want Cookie and Accept-Language", tc.path, vary)
		}
	}
}

// TestCatalogueCardsFollowReplacedTilesets: cards are kept drawn, but a
// tileset replaced in the store shows as it now is.
func TestCatalogueCardsFollowReplacedTilesets(t *testing.T) {
	f := newFixture(t, Config{})
	if page := f.getHTML(t, "/?f=html"); !strings.Contains(page, "Hamersley geology") {
		t.Fatal("the geology card is not titled Hamersley geology")
	}
	meta := writeGeologyEdition(t, f.dir, "Pilbara geology, second edition", 2)
	waitForVersion(t, f, geologyID, meta.Version)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		page := f.getHTML(t, "/?f=html")
		if strings.Contains(page, "Pilbara geology, second edition") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the catalogue still shows the replaced tileset's card")
		}
	}
}
