package server

import (
	"net/http"
	"testing"
)

func TestHealth(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/healthz")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var doc struct {
		Status   string `json:"status"`
		Tilesets *int   `json:"tilesets"`
	}
	decodeJSON(t, w, &doc)
	if doc.Status != "ok" || doc.Tilesets == nil || *doc.Tilesets != 2 {
		t.Errorf("health = %q with %v tilesets, want ok with 2", doc.Status, doc.Tilesets)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q; a probe must never see a cached answer", got)
	}

	empty := serve(New(Config{Catalog: emptyCatalog{}}), httptestRequest(http.MethodGet, "/healthz"))
	decodeJSON(t, empty, &doc)
	if *doc.Tilesets != 0 {
		t.Errorf("empty store: tilesets = %d", *doc.Tilesets)
	}
}
