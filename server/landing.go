package server

import "net/http"

// landing is the OGC API landing page: what the server is and where to go.
type landing struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []link `json:"links"`
}

// handleLanding serves /.
func (s *server) handleLanding(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	s.writeJSON(w, r, docLinked, landing{
		Title:       "Outcrop",
		Description: "Pre-competitive geoscience data as vector tiles, TileJSON and OGC API collections.",
		Links: []link{
			{Href: base + "/", Rel: "self", Type: "application/json", Title: "This document"},
			{Href: base + "/collections", Rel: "data", Type: "application/json", Title: "The tilesets, as collections"},
			{Href: base + "/map/", Rel: "preview", Type: "text/html", Title: "Map viewer"},
			{Href: base + "/healthz", Rel: "status", Type: "application/json", Title: "Liveness"},
		},
	})
}
