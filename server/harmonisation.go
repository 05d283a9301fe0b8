package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/tileset"
)

// handleHarmonisation serves /collections/{id}/harmonisation: the report
// that `outcrop ingest --mapping` stored with the tileset (tileset/FORMAT.md,
// "Harmonisation"), as stored, or 404 when the tileset was not harmonised.
func (s *server) handleHarmonisation(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	raw, err := ts.Meta(tileset.MetaHarmonisation)
	switch {
	case err != nil:
		return failure(http.StatusServiceUnavailable, fmt.Sprintf("the harmonisation report of tileset %q cannot be read now; the server log has the cause", id),
			err, "reading the harmonisation report", "tileset", id)
	case raw == nil:
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q was not harmonised; ingest it with --mapping FILE to map its legend onto GeoSciML-Lite", id))
	case !json.Valid(raw):
		s.log.Error("stored harmonisation report is not JSON", "tileset", id)
		return statusError(http.StatusInternalServerError, fmt.Sprintf("the harmonisation report of tileset %q is damaged; re-ingest it", id))
	}
	// Indented again like every other document; the bytes stay the report.
	return s.writeJSON(w, r, docUnlinked, json.RawMessage(raw))
}

// docUnlinked caches a tileset's document that holds no links, so need not
// vary with the forwarding headers, as briefly as the linked ones.
var docUnlinked = jsonDoc{cacheControl: docLinked.cacheControl}
