package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// legendDoc is the /collections/{id}/legend document: the legend of one of
// the tileset's styles (entries of label, label_local, colour, uri and
// feature count), the styles it could ask for instead, and links.
type legendDoc struct {
	styles.Legend
	// Styles lists the kinds of style the tileset offers, preferred first:
	// the values ?style= takes.
	Styles []string `json:"styles"`
	Links  []link   `json:"links"`
}

// handleLegend serves /collections/{id}/legend: by default the legend of
// the tileset's preferred style, or with ?style= that of another (a kind,
// "geology-lithology", or a style id, "geology.geology-lithology").
func (s *server) handleLegend(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		s.writeAcquireError(w, r, id, err)
		return
	}
	defer release()
	base := s.baseURL(r)
	all := s.stylesOf(ts.Metadata(), base, lang)
	if len(all) == 0 {
		// Unreachable while every tileset has a default style.
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("tileset %q has no style; the server log has the cause", id))
		return
	}
	st := all[0]
	if want := r.URL.Query().Get("style"); want != "" {
		kind := strings.TrimPrefix(want, id+".")
		if st, ok = findStyle(all, kind); !ok {
			writeError(w, http.StatusNotFound, fmt.Sprintf("tileset %q has no style %q; give one of %s", id, want, strings.Join(kindsOf(all), ", ")))
			return
		}
	}
	doc := legendDoc{Legend: st.Legends[0], Styles: kindsOf(all), Links: legendLinks(base, id, st.ID, lang, ts.Metadata())}
	s.writeJSON(w, r, docLinked, doc)
}

func kindsOf(all []styles.Style) []string {
	kinds := make([]string, len(all))
	for i, st := range all {
		kinds[i] = st.Kind
	}
	return kinds
}

func legendLinks(base, id, styleID, lang string, meta *tileset.Metadata) []link {
	links := []link{
		{Href: base + "/collections/" + id + "/legend" + queryOf(styleID, lang), Rel: "self", Type: jsonType, Title: "This document"},
		{Href: base + "/styles/" + styleID + ".json" + langParam("?", lang), Rel: "stylesheet", Type: styleType, Title: "The style this legend belongs to"},
		{Href: base + "/collections/" + id, Rel: "collection", Type: jsonType, Title: meta.Title},
	}
	return links
}

func queryOf(styleID, lang string) string {
	return "?style=" + styleID + langParam("&", lang)
}
