package server

import (
	"fmt"
	"net/http"
	"path"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/vocab"
)

// maxLabelURIs bounds one /vocab/labels request: a popup's worth of
// concepts, not a dump of the vocabularies.
const maxLabelURIs = 200

// labelsDoc is the /vocab/labels document.
type labelsDoc struct {
	// Lang is the language of the label_local members, when asked for.
	Lang     string         `json:"lang,omitempty"`
	Concepts []conceptLabel `json:"concepts"`
}

// conceptLabel names one URI for people.
type conceptLabel struct {
	URI string `json:"uri"`
	// Known is false for a URI that is neither a concept of an embedded
	// vocabulary nor an OGC nil reason.
	Known bool `json:"known"`
	// Label is the English preferred label; for an OGC nil URI, its reason
	// ("missing").
	Label string `json:"label,omitempty"`
	// LocalLabel is the preferred label in Lang, where the vocabulary has
	// one.
	LocalLabel string `json:"label_local,omitempty"`
	Vocabulary string `json:"vocabulary,omitempty"`
	Notation   string `json:"notation,omitempty"`
	// Colour is the ICS chart's colour of a chronostratigraphic unit.
	Colour string `json:"colour,omitempty"`
	// Nil marks an OGC nil-reason URI: no value, and why.
	Nil bool `json:"nil,omitempty"`
}

// docVocab caches label documents for a day: the vocabularies are embedded
// in the binary and change only with it.
var docVocab = jsonDoc{cacheControl: "public, max-age=86400"}

// handleVocabLabels serves /vocab/labels?uri=…&uri=…[&lang=th]: the labels
// of vocabulary concepts, in English and, where the vocabulary has one, in
// lang, so that a client can show harmonised values by name. With
// tileset=ID instead of lang, the language is that tileset's own: what a
// client showing one of its features wants, without knowing it.
func (s *server) handleVocabLabels(w http.ResponseWriter, r *http.Request) error {
	lang, err := queryLang(r)
	if err != nil {
		return err
	}
	if id := r.URL.Query().Get("tileset"); id != "" && lang == "" {
		ts, release, err := s.catalog.Acquire(id)
		if err != nil {
			return acquireError(r, id, err)
		}
		lang = ts.Metadata().Language
		release()
	}
	uris := r.URL.Query()["uri"]
	switch {
	case len(uris) == 0:
		return statusError(http.StatusBadRequest, "no uri parameter; ask /vocab/labels?uri=http://resource.geosciml.org/classifier/ics/ischart/Permian (repeat uri for several)")
	case len(uris) > maxLabelURIs:
		return statusError(http.StatusBadRequest, fmt.Sprintf("%d uri parameters; ask for at most %d at a time", len(uris), maxLabelURIs))
	}
	if lang == "en" {
		lang = ""
	}
	doc := labelsDoc{Lang: lang, Concepts: make([]conceptLabel, 0, len(uris))}
	seen := map[string]bool{}
	for _, u := range uris {
		if seen[u] {
			continue
		}
		seen[u] = true
		doc.Concepts = append(doc.Concepts, labelOf(u, lang))
	}
	return s.writeJSON(w, r, docVocab, doc)
}

// labelOf names uri in English and in lang.
func labelOf(uri, lang string) conceptLabel {
	out := conceptLabel{URI: uri}
	if harmonise.IsNil(uri) {
		out.Known, out.Nil, out.Label = true, true, path.Base(uri)
		return out
	}
	c, ok := vocab.Lookup(uri)
	if !ok {
		return out
	}
	out.Known = true
	out.Label = c.Label("en")
	if lang != "" {
		// Label falls back to English where lang has none: then there is no
		// local label to show.
		if l := c.Label(lang); l != out.Label {
			out.LocalLabel = l
		}
	}
	out.Vocabulary = c.Vocabulary
	out.Notation = c.Notation
	if c.Time != nil {
		out.Colour = c.Time.Colour
	}
	return out
}
