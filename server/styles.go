package server

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gorilla/mux"
	"golang.org/x/text/language"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// styleType is the media type of a MapLibre (Mapbox GL) style document, as
// OGC API - Styles names it.
const styleType = "application/vnd.mapbox.style+json"

// addStyleRoutes registers the routes of generated styles and what goes
// with them: legends, harmonisation reports and vocabulary labels.
func (s *server) addStyleRoutes(get func(template string, h http.HandlerFunc)) {
	get("/styles", s.api(s.handleStyles))
	get("/styles/{id}.json", s.api(s.handleStyle))
	get("/styles/{id}.sld", s.api(s.handleStyleDesktop(styles.SLDType)))
	get("/styles/{id}.qml", s.api(s.handleStyleDesktop(styles.QMLType)))
	get("/collections/{id}/legend", s.api(s.handleLegend))
	get("/collections/{id}/harmonisation", s.api(s.handleHarmonisation))
	get("/collections/{id}/report", s.api(s.handleEdgeReport))
	get("/vocab/labels", s.api(s.handleVocabLabels))
}

// styleList is the /styles document, shaped as OGC API - Styles' style
// list: each style with a "stylesheet" link to its MapLibre document.
type styleList struct {
	Links  []link      `json:"links"`
	Styles []styleInfo `json:"styles"`
}

type styleInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Tileset is empty for the combined style, which draws every tileset.
	Tileset string `json:"tileset,omitempty"`
	Kind    string `json:"kind"`
	// Default marks a tileset's preferred style.
	Default bool   `json:"default,omitempty"`
	Links   []link `json:"links"`
}

// handleStyles serves /styles: every style each tileset offers, its
// preferred one first, then the combined style of the whole store.
func (s *server) handleStyles(w http.ResponseWriter, r *http.Request) error {
	lang, err := queryLang(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	doc := styleList{
		Links:  []link{{Href: base + "/styles", Rel: "self", Type: jsonType, Title: "This document"}},
		Styles: []styleInfo{},
	}
	for id, ts := range s.tilesets() {
		all := s.stylesOf(id, ts.Metadata(), base, lang)
		for i, st := range all {
			info := styleInfo{ID: st.ID, Title: st.Title, Tileset: id, Kind: st.Kind, Default: i == 0, Links: styleLinks(base, st.ID, st.Kind, lang)}
			info.Links = append(info.Links,
				link{Href: base + "/collections/" + id + "/legend?style=" + st.Kind + langParam("&", lang), Rel: "describedby", Type: jsonType, Title: "Legend"},
				link{Href: base + "/tiles/" + id + ".json", Rel: "tiles", Type: jsonType, Title: "TileJSON of the tileset"},
			)
			doc.Styles = append(doc.Styles, info)
		}
	}
	doc.Styles = append(doc.Styles, styleInfo{
		ID: styles.CombinedID, Title: combinedTitle, Kind: styles.CombinedID, Links: styleLinks(base, styles.CombinedID, styles.CombinedID, lang),
	})
	return s.writeJSON(w, r, docLinked, doc)
}

const combinedTitle = "All tilesets, each in its preferred style"

// styleLinks links a style's encodings: MapLibre for every style, SLD and
// QML for a vector tileset's (the combined style draws several layers, and
// a raster's is a raster layer, which neither can).
func styleLinks(base, id, kind, lang string) []link {
	l := []link{{Href: base + "/styles/" + id + ".json" + langParam("?", lang), Rel: "stylesheet", Type: styleType, Title: "MapLibre style"}}
	if id == styles.CombinedID || styles.RasterKind(kind) {
		return l
	}
	return append(l,
		link{Href: base + "/styles/" + id + ".sld" + langParam("?", lang), Rel: "stylesheet", Type: styles.SLDType, Title: "SLD 1.1 / SE 1.1 style (QGIS, GeoServer)"},
		link{Href: base + "/styles/" + id + ".qml" + langParam("?", lang), Rel: "stylesheet", Type: styles.QMLType, Title: "QGIS layer style (QML)"},
	)
}

// langParam is the lang query parameter to carry into links, after sep.
func langParam(sep, lang string) string {
	if lang == "" {
		return ""
	}
	return sep + "lang=" + lang
}

// handleStyle serves /styles/{id}.json: the MapLibre style of one tileset
// (id "{tileset}.{kind}") or of the whole store (id "all").
func (s *server) handleStyle(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	lang, err := queryLang(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	if id == styles.CombinedID {
		return s.writeCombinedStyle(w, r, base, lang)
	}
	tsID, kind, ok := styles.SplitID(id)
	if !ok {
		return statusError(http.StatusNotFound, fmt.Sprintf("no style %q: style ids are {tileset}.{kind} or %q; GET /styles lists them", id, styles.CombinedID))
	}
	ts, release, err := s.catalog.Acquire(tsID)
	if err != nil {
		return acquireError(r, tsID, err)
	}
	defer release()
	st, found := findStyle(s.stylesOf(tsID, ts.Metadata(), base, lang), kind)
	if !found {
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q has no %s style; GET /styles lists the styles it offers", tsID, kind))
	}
	return s.writeJSONAs(w, r, docLinked, styleType, st.Document)
}

// handleStyleDesktop serves /styles/{id}.sld and /styles/{id}.qml: a
// tileset's style as SLD 1.1 / SE 1.1 or as a QGIS QML, for the layer its
// collection is in OGC API - Features (named by the collection id), with the
// same rules and colours as its MapLibre style.
func (s *server) handleStyleDesktop(contentType string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := mux.Vars(r)["id"]
		lang, err := queryLang(r)
		if err != nil {
			return err
		}
		tsID, kind, ok := styles.SplitID(id)
		if !ok {
			return statusError(http.StatusNotFound, fmt.Sprintf("no style %q: SLD and QML styles are per tileset, with ids {tileset}.{kind}; GET /styles lists them", id))
		}
		ts, release, err := s.catalog.Acquire(tsID)
		if err != nil {
			return acquireError(r, tsID, err)
		}
		defer release()
		st, found := findStyle(s.stylesOf(tsID, ts.Metadata(), s.baseURL(r), lang), kind)
		if !found {
			return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q has no %s style; GET /styles lists the styles it offers", tsID, kind))
		}
		if styles.RasterKind(st.Kind) {
			return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q is a raster: SLD and QML styles are for vector tilesets; in QGIS add its XYZ tiles %s/tiles/%s/{z}/{x}/{y}.png, or load %s/styles/%s.json", tsID, s.baseURL(r), tsID, s.baseURL(r), id))
		}
		body, ext := []byte(nil), ".qml"
		if contentType == styles.SLDType {
			body, err = st.SLD(tsID)
			ext = ".sld"
		} else {
			body, err = st.QML()
		}
		if err != nil {
			return failure(http.StatusInternalServerError, "the style could not be encoded; the server log has the cause",
				err, "encoding a style", "style", id, "type", contentType)
		}
		w.Header().Set("Content-Disposition", `inline; filename="`+id+ext+`"`)
		s.writeBody(w, r, docLinked, contentType, body)
		return nil
	}
}

// writeCombinedStyle answers with one style drawing every tileset.
func (s *server) writeCombinedStyle(w http.ResponseWriter, r *http.Request, base, lang string) error {
	var inputs []styles.Input
	for id, ts := range s.tilesets() {
		// Metadata outlives the release: a Reader's metadata is parsed once
		// and never changed.
		inputs = append(inputs, styles.Input{Meta: styleable(id, ts.Metadata()), Counts: ts.Metadata().ValueCounts})
	}
	st, err := styles.Combined(inputs, s.styleOptions(base, lang))
	if err != nil {
		return failure(http.StatusInternalServerError, "the combined style could not be generated; the server log has the cause",
			err, "generating the combined style")
	}
	return s.writeJSONAs(w, r, docLinked, styleType, st.Document)
}

func findStyle(all []styles.Style, kind string) (styles.Style, bool) {
	for _, st := range all {
		if st.Kind == kind {
			return st, true
		}
	}
	return styles.Style{}, false
}

// queryLang reads the optional lang parameter, a BCP 47 tag, or returns
// the 400 to answer when it is not one.
func queryLang(r *http.Request) (string, error) {
	v := r.URL.Query().Get("lang")
	if v == "" {
		return "", nil
	}
	tag, err := language.Parse(v)
	if err != nil {
		return "", statusError(http.StatusBadRequest, fmt.Sprintf("lang %q is not a BCP 47 language tag; give one such as th or vi, or leave it out", v))
	}
	return tag.String(), nil
}

// stylesOf returns every style tileset id offers, its preferred one first.
// The tileset's own language applies unless lang asks for another. A kind
// that cannot be generated is left out and logged, so that the tileset
// still has its default style.
//
// Styles are generated per request: that takes tens of microseconds for a
// geological map's, no more than encoding the response (BenchmarkStyles),
// too little to be worth a cache that must follow tileset versions.
func (s *server) stylesOf(id string, meta *tileset.Metadata, base, lang string) []styles.Style {
	if lang == "" {
		lang = meta.Language
	}
	opts := s.styleOptions(base, lang)
	var out []styles.Style
	meta = styleable(id, meta)
	for _, kind := range styles.Kinds(meta) {
		st, err := styles.ForKind(meta, kind, meta.ValueCounts, opts)
		if err != nil {
			s.log.Warn("style left out", "tileset", meta.ID, "kind", kind, "err", err)
			continue
		}
		out = append(out, st)
	}
	return out
}

// thematicFields are the fields the thematic styles classify by.
var thematicFields = []string{styles.FieldAge, styles.FieldLithology, styles.FieldFaultType, styles.FieldCommodity}

// styleable returns meta as the styles of tileset id are generated from:
// under id, the name the catalog serves it as, and without the thematic
// fields it has no value counts for. A file renamed after it was written (a
// backup moved into place) still holds the id it was written as, perhaps
// another tileset's, and its styles, sources and layers must not take that
// one. A tileset written before counts were stored offers the styles it can
// still have instead of failing every one.
func styleable(id string, meta *tileset.Metadata) *tileset.Metadata {
	uncounted := func(name string) bool {
		_, counted := meta.ValueCounts[name]
		return !counted && slices.Contains(thematicFields, name)
	}
	hasUncounted := slices.ContainsFunc(meta.Fields, func(f tileset.Field) bool { return uncounted(f.Name) })
	if meta.ID == id && !hasUncounted {
		return meta
	}
	m := *meta
	m.ID = id
	if hasUncounted {
		m.Fields = slices.DeleteFunc(slices.Clone(meta.Fields), func(f tileset.Field) bool { return uncounted(f.Name) })
	}
	return &m
}

// styleOptions are the options of the styles served under base: with this
// server's glyphs, and so labels, when it serves fonts.
func (s *server) styleOptions(base, lang string) styles.Options {
	opts := styles.Options{Base: base, Lang: lang}
	if s.fonts != nil {
		opts.Glyphs, opts.FontFiles = glyphRoute, fontFileRoute
	}
	return opts
}
