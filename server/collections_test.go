package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// collectionDoc is a collection as a client reads it.
type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Keywords    []string `json:"keywords"`
	Attribution string   `json:"attribution"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Extent      struct {
		Spatial struct {
			BBox [][]float64 `json:"bbox"`
			CRS  string      `json:"crs"`
		} `json:"spatial"`
	} `json:"extent"`
	Links []link `json:"links"`
}

// linkByRel returns the first link with rel, or fails.
func linkByRel(t *testing.T, links []link, rel string) link {
	t.Helper()
	for _, l := range links {
		if l.Rel == rel {
			return l
		}
	}
	t.Fatalf("no %q link in %+v", rel, links)
	return link{}
}

func TestCollections(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/collections", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "gsi.example.org")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", w.Code, w.Body.String())
	}
	var doc struct {
		Links       []link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
	}
	decodeJSON(t, w, &doc)
	if self := linkByRel(t, doc.Links, "self"); self.Href != "https://gsi.example.org/collections" {
		t.Errorf("self = %s", self.Href)
	}
	if len(doc.Collections) != 2 || doc.Collections[0].ID != faultsID || doc.Collections[1].ID != geologyID {
		t.Fatalf("collections = %+v, want faults then geology", doc.Collections)
	}
	checkGeologyCollection(t, doc.Collections[1], "https://gsi.example.org")
}

func checkGeologyCollection(t *testing.T, c collectionDoc, base string) {
	t.Helper()
	if c.Title != "Hamersley geology" || c.Description != "Bedrock geology around a granite" || c.Attribution == "" || c.ItemType != "feature" {
		t.Errorf("collection = %+v", c)
	}
	if strings.Join(c.Keywords, ",") != "geology,granite" {
		t.Errorf("keywords %q, want the tileset's geology, granite", c.Keywords)
	}
	if len(c.Extent.Spatial.BBox) != 1 || !equalFloats(c.Extent.Spatial.BBox[0], []float64{118.45, -22.55, 118.55, -22.45}) ||
		c.Extent.Spatial.CRS != crs84 {
		t.Errorf("extent = %+v", c.Extent)
	}
	if l := linkByRel(t, c.Links, "self"); l.Href != base+"/collections/geology" || l.Type != "application/json" {
		t.Errorf("self link = %+v", l)
	}
	if l := linkByRel(t, c.Links, "describedby"); l.Href != base+"/tiles/geology.json" || l.Type != "application/json" {
		t.Errorf("TileJSON link = %+v", l)
	}
	if l := linkByRel(t, c.Links, "item"); l.Href != base+"/tiles/geology/{z}/{x}/{y}.mvt" || l.Type != mvtContentType || !l.Templated {
		t.Errorf("tiles link = %+v", l)
	}
	for _, want := range []link{
		{Href: base + "/collections/geology?f=html", Rel: "alternate", Type: htmlType},
		{Href: base + "/collections/geology/items", Rel: "items", Type: geoJSONType},
		{Href: base + "/collections/geology/items?f=html", Rel: "items", Type: htmlType},
		{Href: base + "/collections/geology/queryables", Rel: relQueryables, Type: schemaType},
		{Href: base + "/collections/geology/tiles", Rel: relTilesetsVector, Type: jsonType},
		{Href: base + "/styles/geology.default.json", Rel: "stylesheet", Type: styleType},
	} {
		found := false
		for _, l := range c.Links {
			found = found || l.Href == want.Href && l.Rel == want.Rel && l.Type == want.Type
		}
		if !found {
			t.Errorf("no link %+v in %+v", want, c.Links)
		}
	}
	if c.ItemType != "feature" || len(c.CRS) != 1 || c.CRS[0] != crs84 {
		t.Errorf("itemType %q, crs %v", c.ItemType, c.CRS)
	}
}

func TestCollection(t *testing.T) {
	f := newFixture(t, Config{})
	w := f.get(t, "/collections/geology")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", w.Code, w.Body.String())
	}
	var c collectionDoc
	decodeJSON(t, w, &c)
	if c.ID != geologyID {
		t.Errorf("id = %q", c.ID)
	}
	checkGeologyCollection(t, c, "http://example.com")
	// The links that point into this server resolve.
	for _, rel := range []string{"self", "items", relQueryables, relTilesetsVector, "describedby", "stylesheet"} {
		href := linkByRel(t, c.Links, rel).Href
		if w := f.get(t, pathOf(t, href)); w.Code != http.StatusOK {
			t.Errorf("%s link %s: status %d", rel, href, w.Code)
		}
	}
	wantError(t, f.get(t, "/collections/nosuch"), http.StatusNotFound, "NotFound")
}

func TestCollectionsOfEmptyStore(t *testing.T) {
	h := New(Config{Catalog: emptyCatalog{}})
	w := serve(h, httptestRequest(http.MethodGet, "/collections"))
	var doc struct {
		Collections []collectionDoc `json:"collections"`
	}
	decodeJSON(t, w, &doc)
	if doc.Collections == nil || len(doc.Collections) != 0 {
		t.Errorf("collections = %v, want an empty array", doc.Collections)
	}
}

// TestCollectionCountriesAndTheme checks a collection shows the countries
// and theme ingest --country and --theme gave, in JSON and HTML.
func TestCollectionCountriesAndTheme(t *testing.T) {
	fx := newWMSFixture(t, Config{}, func(id string, m *tileset.Metadata) {
		if id == "units" {
			m.Countries, m.Theme = []string{"AUS", "NZL"}, "hydrogeology"
		}
	})
	w := serve(fx.h, httptestRequest(http.MethodGet, "/collections/units"))
	var doc struct {
		Countries []string `json:"countries"`
		Theme     string   `json:"theme"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || strings.Join(doc.Countries, ",") != "AUS,NZL" || doc.Theme != "hydrogeology" {
		t.Errorf("JSON: countries %v, theme %q (%v)", doc.Countries, doc.Theme, err)
	}
	page := serve(fx.h, httptestRequest(http.MethodGet, "/collections/units?f=html")).Body.String()
	if !strings.Contains(page, "<th>Countries</th><td>AUS, NZL</td>") || !strings.Contains(page, "<th>Theme</th><td>hydrogeology</td>") {
		t.Errorf("HTML does not show the countries and theme:\n%s", page)
	}
}
