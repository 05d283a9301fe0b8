package server

import "net/http"

// health is the /healthz document.
type health struct {
	Status   string `json:"status"`
	Tilesets int    `json:"tilesets"`
}

// handleHealth serves /healthz: 200 whenever the process can answer, with the
// number of tilesets the catalog lists, so that a probe or a person can tell
// an empty store from a full one.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	return s.writeJSON(w, r, docLive, health{Status: "ok", Tilesets: len(s.catalog.IDs())})
}
