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
		"self":    "http://gsi.example.org/",
		"data":    "http://gsi.example.org/collections",
		"preview": "http://gsi.example.org/map/",
		"status":  "http://gsi.example.org/healthz",
	} {
		if l := linkByRel(t, doc.Links, rel); l.Href != href {
			t.Errorf("%s link = %s, want %s", rel, l.Href, href)
		}
	}
}
