package server

import "net/http"

// conformanceClasses are the conformance classes this server implements and
// its tests check, and no others: clients choose what to ask for by them.
var conformanceClasses = []string{
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

// conformance is the /conformance document.
type conformance struct {
	ConformsTo []string `json:"conformsTo"`
	Links      []link   `json:"links,omitempty"`
}

// handleConformance serves /conformance.
func (s *server) handleConformance(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	doc := conformance{
		ConformsTo: conformanceClasses,
		Links: []link{
			{Href: base + "/conformance", Rel: "self", Type: jsonType, Title: "This document"},
			{Href: base + "/conformance?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
		},
	}
	if fm == formatHTML {
		return s.writeConformanceHTML(w, r, base, &doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}
