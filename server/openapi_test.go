package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// openAPIPath is the path under which the API document lists a route
// template of the router.
func openAPIPath(template string) string {
	return strings.NewReplacer(
		"{id}.json", "{collectionId}.json", // /tiles/{id}.json; styles' {id}.json is below
		"{id}", "{collectionId}",
		"{fid}", "{featureId}",
		"{tms}", "{tileMatrixSetId}",
		".{format:mvt|pbf}", ".mvt",
	).Replace(template)
}

// TestOpenAPIDescribesEveryRoute walks the router: a route added without
// its description in /api fails here.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/api")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != openAPIType {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                     `json:"openapi"`
		Servers []struct{ URL string }     `json:"servers"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || len(doc.Servers) != 1 || doc.Servers[0].URL != "http://example.com" {
		t.Errorf("openapi %q, servers %+v", doc.OpenAPI, doc.Servers)
	}
	s := newServer(Config{Catalog: f.store})
	n := 0
	err := s.routes().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		if tpl == "/map" { // a redirect to /map/
			return nil
		}
		p := openAPIPath(tpl)
		if strings.HasPrefix(tpl, "/styles/") {
			p = strings.Replace(tpl, "{id}", "{styleId}", 1)
		}
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("route %s is not described in /api (as %s)", tpl, p)
		}
		if strings.Contains(p, "{collectionId}") {
			_, described := doc.Paths[versionedPath(p)]
			if takes := takesVersion(t, f, tpl); takes != described {
				t.Errorf("route %s takes {id}@{version}: %t, but /api describes %s: %t", tpl, takes, versionedPath(p), described)
			}
		}
		n++
		return nil
	})
	if err != nil || n < 15 {
		t.Fatalf("walked %d routes: %v", n, err)
	}
}

// takesVersion reports whether the route of template answers a versioned
// collection segment, {id}@{version}: asked for a version not served, it
// answers with the 404 naming the current one.
func takesVersion(t *testing.T, f *fixture, template string) bool {
	t.Helper()
	target := strings.NewReplacer(
		"{id}", ogcOccurrencesID+versionSep+"19700101T000000Z-0",
		"{z}", "0", "{x}", "0", "{y}", "0", ".{format:mvt|pbf}", ".mvt",
		"{tms}", webMercatorQuadID, "{tileMatrix}", "0", "{tileRow}", "0", "{tileCol}", "0",
		"{fid}", "1",
	).Replace(template)
	w := f.get(t, target)
	var e apiError
	json.Unmarshal(w.Body.Bytes(), &e)
	return w.Code == http.StatusNotFound && e.CurrentVersion != ""
}

func TestOpenAPIParameters(t *testing.T) {
	f := newOGCFixture(t)
	var doc openAPI
	if err := json.Unmarshal(f.get(t, "/api?f=json").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	limit := doc.Components.Parameters["limit"].Schema
	if limit.Maximum == nil || *limit.Maximum != maxLimit || limit.Default != float64(defaultLimit) || *limit.Minimum != 1 {
		t.Errorf("limit schema = %+v", limit)
	}
	ids := doc.Components.Parameters["collectionId"].Schema.Enum
	if len(ids) != 4 {
		t.Errorf("collectionId enum = %v, want the 4 tilesets", ids)
	}
	// The occurrences' items path lists a filter per queryable, typed.
	op := doc.Paths["/collections/occurrences/items"].Get
	if op == nil {
		t.Fatal("no path for the occurrences' items")
	}
	got := map[string]string{}
	for _, p := range op.Parameters {
		if p.Ref == "" {
			got[p.Name] = p.Schema.Type + "/" + p.Schema.Format
		}
	}
	want := map[string]string{"name": "string/", "commodity": "string/", "rank": "integer/", "grade": "number/", "active": "boolean/", "found": "string/date"}
	if len(got) != len(want) {
		t.Errorf("filters = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("filter %s: %q, want %q", k, got[k], v)
		}
	}
}

// TestOpenAPIReferencesResolve checks that every $ref names a component.
func TestOpenAPIReferencesResolve(t *testing.T) {
	f := newOGCFixture(t)
	var doc map[string]any
	if err := json.Unmarshal(f.get(t, "/api").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	comps := doc["components"].(map[string]any)
	refs := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				refs++
				parts := strings.Split(strings.TrimPrefix(r, "#/components/"), "/")
				kind, _ := comps[parts[0]].(map[string]any)
				if len(parts) != 2 || kind == nil || kind[parts[1]] == nil {
					t.Errorf("$ref %q names nothing", r)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if refs < 50 {
		t.Errorf("only %d references: is the document complete?", refs)
	}
}

func TestAPIPage(t *testing.T) {
	f := newOGCFixture(t)
	page := f.getHTML(t, "/api?f=html")
	for _, want := range []string{"<code>/collections/{collectionId}/items</code>", "<code>bbox</code>", "<code>commodity</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("API page lacks %s", want)
		}
	}
}

// TestOpenAPIPathParameters checks that every {name} in a path is declared
// as a required path parameter of its operation, which the OpenAPI schema
// cannot check and clients need to fill in the template.
func TestOpenAPIPathParameters(t *testing.T) {
	f := newOGCFixture(t)
	var doc openAPI
	if err := json.Unmarshal(f.get(t, "/api").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		op := item.Get
		if ids[op.OperationID] {
			t.Errorf("operationId %s is used twice", op.OperationID)
		}
		ids[op.OperationID] = true
		declared := map[string]bool{}
		for _, p := range op.Parameters {
			if p.Ref != "" {
				p = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			}
			if p.In == "path" {
				if !p.Required {
					t.Errorf("%s: path parameter %s is not required", path, p.Name)
				}
				declared[p.Name] = true
			}
		}
		rest := path
		for {
			open := strings.IndexByte(rest, '{')
			if open < 0 {
				break
			}
			end := strings.IndexByte(rest[open:], '}')
			name := rest[open+1 : open+end]
			if !declared[name] {
				t.Errorf("%s: {%s} is not declared as a path parameter", path, name)
			}
			delete(declared, name)
			rest = rest[open+end:]
		}
		for name := range declared {
			t.Errorf("%s: path parameter %s is not in the path", path, name)
		}
	}
}
