package server

import (
	"encoding/json"
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
		`<svg class="map"`, `class="point"`, "<dt>Licence</dt><dd>CC0-1.0</dd>", "<dt>Attribution</dt><dd>Outcrop tests</dd>",
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
