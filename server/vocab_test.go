package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestVocabLabels(t *testing.T) {
	h := styleFixture(t)
	q := url.Values{"uri": {icsPermian, lithGranite, nilMissing, "http://example.com/not-a-concept", icsPermian}, "lang": {"th"}}
	w := serve(h, httptestRequest(http.MethodGet, "/vocab/labels?"+q.Encode()))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc labelsDoc
	decodeJSON(t, w, &doc)
	want := []conceptLabel{
		// The ICS chart has no Thai labels: no local one.
		{URI: icsPermian, Known: true, Label: "Permian", Vocabulary: "ics", Notation: "P", Colour: "#F04028"},
		{URI: lithGranite, Known: true, Label: "granite", LocalLabel: "หินแกรนิต", Vocabulary: "lithology"},
		{URI: nilMissing, Known: true, Label: "missing", Nil: true},
		{URI: "http://example.com/not-a-concept"},
	}
	if doc.Lang != "th" || len(doc.Concepts) != len(want) {
		t.Fatalf("lang %q, concepts %+v", doc.Lang, doc.Concepts)
	}
	for i := range want {
		if doc.Concepts[i] != want[i] {
			t.Errorf("concept %d = %+v, want %+v", i, doc.Concepts[i], want[i])
		}
	}

	// Indonesian: the chart has it.
	w = serve(h, httptestRequest(http.MethodGet, "/vocab/labels?lang=id&uri="+url.QueryEscape(icsPermian)))
	decodeJSON(t, w, &doc)
	if len(doc.Concepts) != 1 || doc.Concepts[0].LocalLabel != "Perem" {
		t.Errorf("Permian in Indonesian: %+v", doc.Concepts)
	}

	// The language of a tileset, Thai for units.
	w = serve(h, httptestRequest(http.MethodGet, "/vocab/labels?tileset=units&uri="+url.QueryEscape(lithGravel)))
	decodeJSON(t, w, &doc)
	if doc.Lang != "th" || len(doc.Concepts) != 1 || doc.Concepts[0].LocalLabel != "กรวด" {
		t.Errorf("gravel in the language of units: %+v", doc)
	}
	e := wantError(t, serve(h, httptestRequest(http.MethodGet, "/vocab/labels?tileset=nope&uri=x")), http.StatusNotFound, "NotFound")
	if !strings.Contains(e.Description, `no tileset "nope"`) {
		t.Errorf("unknown tileset: %q", e.Description)
	}

	many := "/vocab/labels?" + strings.Repeat("uri=x&", maxLabelURIs+1)
	for path, says := range map[string]string{
		"/vocab/labels":                 "no uri parameter",
		many:                            "at most 200",
		"/vocab/labels?uri=x&lang=%3C>": "BCP 47",
	} {
		e := wantError(t, serve(h, httptestRequest(http.MethodGet, path)), http.StatusBadRequest, "InvalidParameterValue")
		if !strings.Contains(e.Description, says) {
			t.Errorf("%.40s: %q does not say %q", path, e.Description, says)
		}
	}
}
