package server

import (
	"slices"
	"testing"
)

func TestConformance(t *testing.T) {
	f := newFixture(t, Config{})
	var doc struct {
		ConformsTo []string `json:"conformsTo"`
	}
	decodeJSON(t, f.get(t, "/conformance", "Accept", "*/*"), &doc)
	// Exactly the classes implemented and tested: adding one here means
	// adding its tests too.
	want := []string{
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	}
	if !slices.Equal(doc.ConformsTo, want) {
		t.Errorf("conformsTo = %v", doc.ConformsTo)
	}
}
