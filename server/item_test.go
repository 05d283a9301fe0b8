package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestItem(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/collections/occurrences/items/42")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != geoJSONType {
		t.Fatalf("status %d, Content-Type %q, body %q", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	var doc struct {
		Type     string `json:"type"`
		ID       int    `json:"id"`
		Geometry struct {
			Type        string     `json:"type"`
			Coordinates [2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
		Links      []link         `json:"links"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("decoding %q: %v", w.Body.String(), err)
	}
	if doc.Type != "Feature" || doc.ID != 42 || doc.Geometry.Coordinates != [2]float64(ogcOccurrencePoint(42)) ||
		doc.Properties["found"] != "1942-01-01" || doc.Properties["active"] != true {
		t.Errorf("feature 42 = %+v", doc)
	}
	for rel, want := range map[string]string{
		"self":       "http://example.com/collections/occurrences/items/42?f=json",
		"alternate":  "http://example.com/collections/occurrences/items/42?f=html",
		"collection": "http://example.com/collections/occurrences",
	} {
		if got := linkHref(doc.Links, rel, ""); got != want {
			t.Errorf("%s link = %q, want %q", rel, got, want)
		}
	}
	if etag := w.Header().Get("ETag"); etag == "" || f.get(t, "/collections/occurrences/items/42", "If-None-Match", etag).Code != http.StatusNotModified {
		t.Errorf("ETag %q does not revalidate", etag)
	}
}

func TestItemNotFound(t *testing.T) {
	f := newOGCFixture(t)
	for _, fid := range []string{"0", "96", "007", "-1", "abc", "1e3", "18446744073709551616", "99999999999999999999999"} {
		e := wantError(t, f.get(t, "/collections/occurrences/items/"+fid), http.StatusNotFound, "NotFound")
		if !strings.Contains(e.Description, "whole numbers") {
			t.Errorf("feature %s: %q", fid, e.Description)
		}
	}
	wantError(t, f.get(t, "/collections/geology/items/1"), http.StatusNotFound, "NotFound")
	wantError(t, f.get(t, "/collections/nosuch/items/1"), http.StatusNotFound, "NotFound")
	wantError(t, f.get(t, "/collections/occurrences/items/1?f=pdf"), http.StatusBadRequest, "InvalidParameterValue")
}

func TestWithLinks(t *testing.T) {
	got, err := withLinks([]byte(`{"type":"Feature","id":1}`+"\n"), []link{{Href: "h", Rel: "self"}})
	if err != nil || string(got) != `{"type":"Feature","id":1,"links":[{"href":"h","rel":"self"}]}`+"\n" {
		t.Errorf("withLinks = %q, %v", got, err)
	}
	if _, err := withLinks([]byte(`[1]`), nil); err == nil {
		t.Error("an array is taken for a feature")
	}
}
