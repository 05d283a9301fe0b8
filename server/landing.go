package server

import "net/http"

// landing is the OGC API landing page: what the server is and where to go.
type landing struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []link `json:"links"`
}

// handleLanding serves /. Its links are the ones OGC API - Common asks for
// (self, service-desc, service-doc, conformance, data) and those of OGC API -
// Tiles (tiling schemes), each relation under both its short and its OGC
// URI name where the standards give two, since clients look for either.
func (s *server) handleLanding(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	doc := landing{
		Title:       "Outcrop",
		Description: "Pre-competitive geoscience data as OGC API - Features and Tiles collections, vector tiles and TileJSON.",
		Links: []link{
			{Href: base + "/", Rel: "self", Type: jsonType, Title: "This document"},
			{Href: base + "/?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
			{Href: base + "/api", Rel: "service-desc", Type: openAPIType, Title: "The API definition (OpenAPI 3.0)"},
			{Href: base + "/api?f=html", Rel: "service-doc", Type: htmlType, Title: "The API documentation"},
			{Href: base + "/conformance", Rel: "conformance", Type: jsonType, Title: "Conformance classes implemented"},
			{Href: base + "/conformance", Rel: relConformance, Type: jsonType, Title: "Conformance classes implemented"},
			{Href: base + "/collections", Rel: "data", Type: jsonType, Title: "The tilesets, as collections"},
			{Href: base + "/collections", Rel: relData, Type: jsonType, Title: "The tilesets, as collections"},
			{Href: base + "/tileMatrixSets", Rel: relTilingSchemes, Type: jsonType, Title: "Tile matrix sets"},
			{Href: base + "/map/", Rel: "preview", Type: htmlType, Title: "Map viewer"},
			{Href: base + "/healthz", Rel: "status", Type: jsonType, Title: "Liveness"},
		},
	}
	if fm == formatHTML {
		return s.writeCatalogueHTML(w, r, base, &doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}
