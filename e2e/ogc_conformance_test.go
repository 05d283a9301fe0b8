package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// validatorDir holds the OpenAPI validator, @apidevtools/swagger-parser from
// npm at a pinned version; `npm ci --prefix e2e/testdata/openapi-validator`
// installs it.
var validatorDir = filepath.Join("testdata", "openapi-validator")

// TestOpenAPIValidates checks /api with an OpenAPI 3.0 validator.
func TestOpenAPIValidates(t *testing.T) {
	node := ogcNeeds(t, "node", "Debian: nodejs")
	if _, err := os.Stat(filepath.Join(validatorDir, "node_modules", "@apidevtools", "swagger-parser")); err != nil {
		msg := "the OpenAPI validator is not installed: npm ci --prefix e2e/testdata/openapi-validator"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	srv := startOGCServer(t, -1)
	doc := ogcGet(t, srv.URL+"/api", "application/vnd.oai.openapi+json;version=3.0")
	cmd := exec.Command(node, filepath.Join(validatorDir, "validate.mjs"), "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "valid OpenAPI 3.0") {
		t.Fatalf("/api is not a valid OpenAPI 3.0 document: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
	// The validator must be able to fail: a document with a parameter in a
	// place OpenAPI does not have is refused.
	broken := bytes.Replace(doc, []byte(`"in": "query"`), []byte(`"in": "body"`), 1)
	cmd = exec.Command(node, filepath.Join(validatorDir, "validate.mjs"), "-")
	cmd.Stdin = bytes.NewReader(broken)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("the validator accepts a broken document: %s", out)
	}
}

// TestOGCFeaturesRequirements checks the server's answers against the
// requirements of OGC API - Features - Part 1 (OGC 17-069r4), named by their
// ids, over the real datasets.
func TestOGCFeaturesRequirements(t *testing.T) {
	srv := startOGCServer(t, -1)
	_, copper := ogcDatasets(t)

	// /req/core/root-success: the landing page links the API definition,
	// its documentation, the conformance classes and the collections.
	var landing struct{ Links []ogcLink }
	ogcGetJSON(t, srv.URL+"/", "", &landing)
	for _, rel := range []string{"self", "service-desc", "service-doc", "conformance", "data"} {
		if ogcLinkTo(landing.Links, rel, "") == "" {
			t.Errorf("/req/core/root-success: the landing page has no %s link", rel)
		}
	}
	// /req/core/conformance-success and /req/geojson/definition.
	var conf struct{ ConformsTo []string }
	ogcGetJSON(t, srv.URL+"/conformance", "", &conf)
	for _, c := range []string{"core", "geojson", "oas30", "html"} {
		want := "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/" + c
		if !strings.Contains(strings.Join(conf.ConformsTo, " "), want) {
			t.Errorf("/req/core/conformance-success: %s is not declared", want)
		}
	}
	// /req/core/fc-md-links and /req/core/fc-md-items: each collection
	// links its items as GeoJSON, and has an id and an extent in CRS84.
	var colls struct {
		Links       []ogcLink
		Collections []struct {
			ID       string
			ItemType string
			Extent   struct{ Spatial struct{ BBox [][]float64 } }
			Links    []ogcLink
		}
	}
	ogcGetJSON(t, srv.URL+"/collections", "", &colls)
	if len(colls.Collections) != 2 {
		t.Fatalf("collections: %+v", colls.Collections)
	}
	for _, c := range colls.Collections {
		if ogcLinkTo(c.Links, "items", "application/geo+json") != srv.URL+"/collections/"+c.ID+"/items" || c.ItemType != "feature" ||
			len(c.Extent.Spatial.BBox) != 1 || len(c.Extent.Spatial.BBox[0]) != 4 {
			t.Errorf("/req/core/fc-md-items: collection %+v", c)
		}
	}

	// Paging the copper deposits 250 at a time through next links.
	next := srv.URL + "/collections/" + ogcCopperID + "/items?limit=250"
	seen := map[int]bool{}
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("next links do not end")
		}
		body := ogcGet(t, next, "application/geo+json")
		page := ogcCheckFeatureCollection(t, next, body, 250)
		if page.NumberMatched != ogcCopperRows {
			t.Errorf("/req/core/fc-numberMatched: %s: %d, want %d", next, page.NumberMatched, ogcCopperRows)
		}
		for _, f := range page.Features {
			if seen[f.ID] {
				t.Errorf("feature %d comes twice", f.ID)
			}
			seen[f.ID] = true
		}
		next = ogcLinkTo(page.Links, "next", "application/geo+json")
	}
	if len(seen) != len(copper.features) {
		t.Errorf("next links gave %d features, the source has %d", len(seen), len(copper.features))
	}

	// /req/core/f-success and /req/core/f-links: one feature, linked to
	// itself, its HTML page and its collection.
	var item struct {
		Type       string
		ID         int
		Geometry   map[string]any
		Properties map[string]any
		Links      []ogcLink
	}
	ogcGetJSON(t, srv.URL+"/collections/"+ogcCopperID+"/items/690", "application/geo+json", &item)
	if item.Type != "Feature" || item.ID != 690 || item.Geometry["type"] != "Point" || item.Properties["name"] != copper.features[689].Properties["name"] {
		t.Errorf("/req/core/f-success: feature 690 = %+v", item)
	}
	for _, l := range [][2]string{{"self", "application/geo+json"}, {"alternate", "text/html"}, {"collection", "application/json"}} {
		if ogcLinkTo(item.Links, l[0], l[1]) == "" {
			t.Errorf("/req/core/f-links: feature 690 has no %s link of type %s", l[0], l[1])
		}
	}

	// /req/core/query-param-invalid and /req/core/query-param-unknown.
	for _, q := range []string{"limit=-1", "bbox=1,2,3", "nosuch=1"} {
		resp, err := http.Get(srv.URL + "/collections/" + ogcCopperID + "/items?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/req/core/query-param-invalid: ?%s gives %s", q, resp.Status)
		}
	}
}

// ogcPage is a FeatureCollection as the checks read it.
type ogcPage struct {
	NumberMatched int
	Features      []struct{ ID int }
	Links         []ogcLink
}

// ogcCheckFeatureCollection checks one items response against
// /req/core/fc-response, /req/core/fc-links, /req/core/fc-timeStamp,
// /req/core/fc-numberReturned, /req/core/fc-limit-response-1 and
// /req/geojson/content.
func ogcCheckFeatureCollection(t *testing.T, url string, body []byte, limit int) ogcPage {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	var doc struct {
		Type           string
		Features       []map[string]json.RawMessage
		NumberMatched  *int
		NumberReturned *int
		TimeStamp      string
		Links          []ogcLink
	}
	json.Unmarshal(body, &doc)
	if doc.Type != "FeatureCollection" || raw["features"] == nil {
		t.Errorf("/req/geojson/content: %s: type %q", url, doc.Type)
	}
	if self := ogcLinkTo(doc.Links, "self", "application/geo+json"); self == "" {
		t.Errorf("/req/core/fc-links: %s has no self link of type application/geo+json", url)
	}
	if ogcLinkTo(doc.Links, "alternate", "text/html") == "" {
		t.Errorf("/req/core/fc-links: %s has no alternate HTML link", url)
	}
	if _, err := time.Parse(time.RFC3339, doc.TimeStamp); err != nil {
		t.Errorf("/req/core/fc-timeStamp: %s: %q", url, doc.TimeStamp)
	}
	if doc.NumberReturned == nil || *doc.NumberReturned != len(doc.Features) || doc.NumberMatched == nil || *doc.NumberMatched < *doc.NumberReturned {
		t.Errorf("/req/core/fc-numberReturned: %s: numberReturned %v, numberMatched %v, %d features", url, doc.NumberReturned, doc.NumberMatched, len(doc.Features))
	}
	if len(doc.Features) > limit {
		t.Errorf("/req/core/fc-limit-response-1: %s: %d features over limit %d", url, len(doc.Features), limit)
	}
	for i, f := range doc.Features {
		var typ string
		json.Unmarshal(f["type"], &typ)
		var id any
		json.Unmarshal(f["id"], &id)
		if typ != "Feature" || f["geometry"] == nil || f["properties"] == nil || id == nil {
			t.Errorf("/req/geojson/content: %s: feature %d lacks type, geometry, properties or id", url, i)
			break
		}
	}
	var page ogcPage
	json.Unmarshal(body, &page)
	return page
}

// ogcLink is an OGC API link as the checks read it.
type ogcLink struct{ Href, Rel, Type string }

// ogcLinkTo returns the href of the first link with rel (and type, unless
// empty), or "".
func ogcLinkTo(links []ogcLink, rel, typ string) string {
	for _, l := range links {
		if l.Rel == rel && (typ == "" || l.Type == typ) {
			return l.Href
		}
	}
	return ""
}

// ogcGet fetches url with an Accept header (none when empty) and returns
// the body, failing unless the answer is 200.
func ogcGet(t *testing.T, url, accept string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v: %.300s", url, resp.Status, err, body)
	}
	return body
}

func ogcGetJSON(t *testing.T, url, accept string, v any) {
	t.Helper()
	if err := json.Unmarshal(ogcGet(t, url, accept), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
