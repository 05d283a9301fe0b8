package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/styles"
)

// TestLegend: the preferred style's legend by default, another on asking,
// each entry with its label (and the Thai one where the vocabulary has it),
// its colour, its URI and the features it covers.
func TestLegend(t *testing.T) {
	h := styleFixture(t)
	w := serve(h, httptestRequest(http.MethodGet, "/collections/units/legend"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc legendDoc
	decodeJSON(t, w, &doc)
	if doc.Style != "units.geology-age" || doc.Field != "representativeAge_uri" || doc.Vocabulary != "ics" || doc.Symbol != "fill" {
		t.Errorf("legend of %q (field %q, vocabulary %q, symbol %q); want units.geology-age by representativeAge_uri, ics, fill",
			doc.Style, doc.Field, doc.Vocabulary, doc.Symbol)
	}
	if strings.Join(doc.Styles, " ") != "geology-age geology-lithology default" {
		t.Errorf("styles %q", doc.Styles)
	}
	if doc.Attribution == "" {
		t.Error("no attribution: the ICS chart's licence asks for one")
	}
	type entry struct {
		colour string
		count  int64
	}
	got := map[string]entry{}
	var total int64
	for _, e := range doc.Entries {
		key := e.URI
		if e.Fallback {
			key = "fallback"
		}
		got[key] = entry{e.Colour, e.Count}
		total += e.Count
		if e.Label == "" {
			t.Errorf("entry %+v has no label", e)
		}
	}
	want := map[string]entry{icsJurassic: {"#34B2C9", 1}, icsPermian: {"#F04028", 2}}
	for uri, w := range want {
		if got[uri] != w {
			t.Errorf("entry %s = %+v, want %+v", uri, got[uri], w)
		}
	}
	if got["fallback"].count != 1 || total != 4 {
		t.Errorf("fallback %+v, total %d; want the undated unit in the fallback, 4 in all", got["fallback"], total)
	}

	// The lithology legend in the tileset's language, Thai.
	w = serve(h, httptestRequest(http.MethodGet, "/collections/units/legend?style=units.geology-lithology"))
	var lith legendDoc
	decodeJSON(t, w, &lith)
	if lith.Style != "units.geology-lithology" || lith.Lang != "th" {
		t.Fatalf("legend of %q in %q, want units.geology-lithology in th", lith.Style, lith.Lang)
	}
	// Granite falls in a class with no Thai label, gravel in one with.
	byValue := map[string]styles.Entry{}
	for _, e := range lith.Entries {
		for _, v := range e.Values {
			byValue[v] = e
		}
	}
	if e := byValue[lithGranite]; e.Count != 2 || e.LocalLabel != "" || !strings.HasSuffix(e.URI, "/acidic_igneous_material") {
		t.Errorf("granite's entry %+v: want 2 features of acidic igneous material, which has no Thai label", e)
	}
	if e := byValue[lithGravel]; e.Count != 1 || e.LocalLabel != "วัสดุยังไม่แข็งตัว" || !strings.HasSuffix(e.URI, "/unconsolidated_material") {
		t.Errorf("gravel's entry %+v: want 1 feature of unconsolidated material, labelled in Thai", e)
	}

	// ?lang= overrides the tileset's language; English has no local label.
	w = serve(h, httptestRequest(http.MethodGet, "/collections/units/legend?style=geology-lithology&lang=en"))
	var english legendDoc
	decodeJSON(t, w, &english)
	for _, e := range english.Entries {
		if e.LocalLabel != "" {
			t.Errorf("lang=en: entry %q has local label %q", e.Label, e.LocalLabel)
		}
	}

	// A tileset that was not harmonised has its default style's legend.
	w = serve(h, httptestRequest(http.MethodGet, "/collections/faults/legend"))
	var faults legendDoc
	decodeJSON(t, w, &faults)
	if faults.Style != "faults.default" || len(faults.Entries) != 1 || faults.Entries[0].Count != 1 {
		t.Errorf("faults legend: %q with %+v", faults.Style, faults.Entries)
	}
}

func TestLegendErrors(t *testing.T) {
	h := styleFixture(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
		says   string
	}{
		{"/collections/nope/legend", 404, "NotFound", `no tileset "nope"`},
		{"/collections/units/legend?style=faults-type", 404, "NotFound", "geology-age, geology-lithology, default"},
		{"/collections/units/legend?style=faults.default", 404, "NotFound", `no style "faults.default"`},
		{"/collections/units/legend?lang=%3C%3E", 400, "InvalidParameterValue", "BCP 47"},
	} {
		e := wantError(t, serve(h, httptestRequest(http.MethodGet, tc.path)), tc.status, tc.code)
		if !strings.Contains(e.Description, tc.says) {
			t.Errorf("%s: %q does not say %q", tc.path, e.Description, tc.says)
		}
	}
}

// TestLegendHTML: f=html (or a browser's Accept) gets the legend as a page:
// each entry's swatch in its exact colour, its labels, count and concept
// link, and links to the other styles' legends; JSON stays the default.
func TestLegendHTML(t *testing.T) {
	h := styleFixture(t)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	page := func(path string, kv ...string) string {
		t.Helper()
		w := serve(h, httptestRequest(http.MethodGet, path, kv...))
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("%s: status %d, Content-Type %q: %s", path, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		return w.Body.String()
	}
	age := page("/collections/units/legend?f=html")
	if byAccept := page("/collections/units/legend", "Accept", browser); byAccept != age {
		t.Error("f=html and a browser's Accept get different legend pages")
	}
	for _, want := range []string{
		`<rect x="1" y="1" width="26" height="16" fill="#34B2C9"`, `<rect x="1" y="1" width="26" height="16" fill="#F04028"`,
		"<td>Jurassic</td>", "<td>Permian</td>", "<code>#34B2C9</code>",
		`<a href="` + icsJurassic + `">`, "<td>2</td>",
		`href="http://example.com/collections/units/legend?style=geology-lithology&amp;f=html"`,
		"<strong>geology-age</strong>", `href="http://example.com/collections/units/legend?style=units.geology-age"`,
	} {
		if !strings.Contains(age, want) {
			t.Errorf("the age legend page lacks %s", want)
		}
	}
	if m := externalRef.FindString(age); m != "" {
		t.Errorf("the legend page loads something: %q", m)
	}
	// The lithology legend labels its entries in the tileset's Thai too.
	if lith := page("/collections/units/legend?style=geology-lithology&f=html"); !strings.Contains(lith, "<td>วัสดุยังไม่แข็งตัว</td>") ||
		!strings.Contains(lith, `<a href="`+lithGravel+`">`) {
		t.Error("the lithology legend page lacks gravel's class labelled in Thai, or its link")
	}
	// A line legend draws lines.
	if faults := page("/collections/faults/legend?f=html"); !strings.Contains(faults, "<line ") {
		t.Error("the faults legend page draws no line swatch")
	}
	w := serve(h, httptestRequest(http.MethodGet, "/collections/units/legend"))
	if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Errorf("without f or a browser's Accept: Content-Type %q, want JSON", ct)
	}
	wantError(t, serve(h, httptestRequest(http.MethodGet, "/collections/units/legend?f=svg")), http.StatusBadRequest, "InvalidParameterValue")
}
