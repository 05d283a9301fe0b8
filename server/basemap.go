package server

import (
	"net/http"

	"github.com/outcrop/outcrop/styles"
)

// DefaultBasemap is the tileset the viewer draws under every other layer
// when Config.Basemap is empty and the store holds it: the one make demo
// ingests from data/basemap.
const DefaultBasemap = "basemap"

// NoBasemap as Config.Basemap draws no basemap.
const NoBasemap = "none"

// basemapDoc is /map/basemap.json: the style the viewer draws below every
// other layer. Style is empty when there is none; Tileset names the
// tileset the style draws, which the viewer then leaves out of its layers.
type basemapDoc struct {
	Style   string `json:"style,omitempty"`
	Tileset string `json:"tileset,omitempty"`
	Title   string `json:"title,omitempty"`
}

// handleBasemap serves /map/basemap.json: an external style
// (Config.BasemapStyle) as given; else the basemap tileset's preferred
// style (the basemap kind for a Natural Earth basemap) when the store holds
// it now; else nothing. It is read at each load of the viewer, so a
// basemap ingested while the server runs is drawn on the next one.
func (s *server) handleBasemap(w http.ResponseWriter, r *http.Request) error {
	doc := basemapDoc{}
	switch {
	case s.basemapStyle != "":
		doc.Style = s.basemapStyle
	case s.basemap != NoBasemap:
		if ts, release, err := s.catalog.Acquire(s.basemap); err == nil {
			meta := styleable(s.basemap, ts.Metadata())
			release()
			kind := styles.Kinds(meta)[0]
			doc.Style = s.baseURL(r) + "/styles/" + styles.ID(s.basemap, kind) + ".json"
			doc.Tileset, doc.Title = s.basemap, meta.Title
		}
	}
	return s.writeJSON(w, r, docLinked, doc)
}
