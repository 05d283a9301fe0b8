package server

import "testing"

func TestLanding(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/", "X-Forwarded-Host", "gsi.example.org")
	var doc struct {
		Title string `json:"title"`
		Links []link `json:"links"`
	}
	decodeJSON(t, w, &doc)
	for rel, href := range map[string]string{
		"self":           "http://gsi.example.org/",
		"alternate":      "http://gsi.example.org/?f=html",
		"service-desc":   "http://gsi.example.org/api",
		"service-doc":    "http://gsi.example.org/api?f=html",
		"conformance":    "http://gsi.example.org/conformance",
		relConformance:   "http://gsi.example.org/conformance",
		"data":           "http://gsi.example.org/collections",
		relData:          "http://gsi.example.org/collections",
		relTilingSchemes: "http://gsi.example.org/tileMatrixSets",
		"preview":        "http://gsi.example.org/map/",
		"status":         "http://gsi.example.org/healthz",
	} {
		if l := linkByRel(t, doc.Links, rel); l.Href != href {
			t.Errorf("%s link = %s, want %s", rel, l.Href, href)
		}
	}
	if l := linkByRel(t, doc.Links, "service-desc"); l.Type != openAPIType {
		t.Errorf("service-desc type = %q", l.Type)
	}
}
