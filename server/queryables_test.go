package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestQueryables(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/collections/occurrences/queryables")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != schemaType {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	var doc struct {
		Schema     string `json:"$schema"`
		ID         string `json:"$id"`
		Type       string `json:"type"`
		Properties map[string]struct {
			Type   string `json:"type"`
			Format string `json:"format"`
		} `json:"properties"`
		Additional *bool `json:"additionalProperties"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != jsonSchemaDialect || doc.ID != "http://example.com/collections/occurrences/queryables" || doc.Type != "object" ||
		doc.Additional == nil || *doc.Additional {
		t.Errorf("queryables = %+v", doc)
	}
	want := map[string][2]string{
		"name": {"string", ""}, "commodity": {"string", ""}, "rank": {"integer", ""},
		"grade": {"number", ""}, "active": {"boolean", ""}, "found": {"string", "date"},
	}
	if len(doc.Properties) != len(want) {
		t.Errorf("properties = %v", doc.Properties)
	}
	for name, tf := range want {
		if p := doc.Properties[name]; p.Type != tf[0] || p.Format != tf[1] {
			t.Errorf("%s: %+v, want %v", name, p, tf)
		}
	}
	wantError(t, f.get(t, "/collections/nosuch/queryables"), http.StatusNotFound, "NotFound")
}

func TestQueryableFieldsLeaveOutReservedNames(t *testing.T) {
	got := queryableFields([]tileset.Field{{Name: "limit", Type: "integer"}, {Name: "code", Type: "string"}, {Name: "bbox", Type: "string"}})
	if len(got) != 1 || got[0].Name != "code" {
		t.Errorf("queryableFields = %v, want only code", got)
	}
}
