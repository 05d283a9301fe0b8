package server

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// crs84 is the OGC name of WGS 84 with longitude first, the CRS of every
// extent and of OGC API - Features output by default.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// collections is the /collections document of OGC API - Common.
type collections struct {
	Links       []link       `json:"links"`
	Collections []collection `json:"collections"`
}

// collection describes one tileset as an OGC API collection. Attribution
// and license are not OGC members; OGC clients ignore them, and the viewer
// credits the data with them.
type collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	License     string   `json:"license,omitempty"`
	Extent      extent   `json:"extent"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Links       []link   `json:"links"`
}

type extent struct {
	Spatial spatialExtent `json:"spatial"`
}

type spatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

// handleCollections serves /collections: every tileset the catalog lists.
// A tileset that vanishes between listing and acquiring (it was removed) is
// left out rather than failing the whole document.
func (s *server) handleCollections(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	doc := collections{
		Links: []link{
			{Href: base + "/collections", Rel: "self", Type: "application/json", Title: "This document"},
		},
		Collections: []collection{},
	}
	for _, id := range s.catalog.IDs() {
		ts, release, err := s.catalog.Acquire(id)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				s.log.Error("opening tileset", "tileset", id, "err", err)
			}
			continue
		}
		doc.Collections = append(doc.Collections, newCollection(ts.Metadata(), id, base))
		release()
	}
	s.writeJSON(w, r, docLinked, doc)
}

// handleCollection serves /collections/{id}.
func (s *server) handleCollection(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		s.writeAcquireError(w, r, id, err)
		return
	}
	defer release()
	s.writeJSON(w, r, docLinked, newCollection(ts.Metadata(), id, s.baseURL(r)))
}

// newCollection describes tileset id with links under base.
func newCollection(m *tileset.Metadata, id, base string) collection {
	title := m.Title
	if title == "" {
		title = id
	}
	self := base + "/collections/" + id
	return collection{
		ID:          id,
		Title:       title,
		Description: m.Description,
		Attribution: m.Attribution,
		License:     m.License,
		Extent:      extent{Spatial: spatialExtent{BBox: [][4]float64{m.Bounds}, CRS: crs84}},
		ItemType:    "feature",
		CRS:         []string{crs84},
		Links: []link{
			{Href: self, Rel: "self", Type: "application/json", Title: "This collection"},
			{Href: base + "/tiles/" + id + ".json", Rel: "describedby", Type: "application/json", Title: "TileJSON 3.0.0 of the vector tiles"},
			{Href: tileURLTemplate(base, id), Rel: "item", Type: mvtContentType, Title: "Vector tiles (XYZ, WebMercatorQuad)", Templated: true},
			{Href: base + "/map/", Rel: "preview", Type: "text/html", Title: "Map viewer"},
		},
	}
}
