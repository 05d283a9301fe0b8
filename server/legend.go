package server

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
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
func (s *server) handleLegend(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	lang, err := queryLang(r)
	if err != nil {
		return err
	}
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	base := s.baseURL(r)
	all := s.stylesOf(id, ts.Metadata(), base, lang)
	if len(all) == 0 {
		// Unreachable while every tileset has a default style.
		return statusError(http.StatusInternalServerError, fmt.Sprintf("tileset %q has no style; the server log has the cause", id))
	}
	st := all[0]
	if want := r.URL.Query().Get("style"); want != "" {
		kind := strings.TrimPrefix(want, id+".")
		var ok bool
		if st, ok = findStyle(all, kind); !ok {
			return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q has no style %q; give one of %s", id, want, strings.Join(kindsOf(all), ", ")))
		}
	}
	doc := legendDoc{Legend: st.Legends[0], Styles: kindsOf(all), Links: legendLinks(base, id, st.ID, lang, ts.Metadata())}
	if fm == formatHTML {
		return s.writeLegendHTML(w, r, base, id, lang, ts.Metadata(), &doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
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
		{Href: base + "/collections/" + id + "/legend" + queryOf(styleID, lang) + "&f=html", Rel: "alternate", Type: htmlType, Title: "This legend as HTML"},
		{Href: base + "/styles/" + styleID + ".json" + langParam("?", lang), Rel: "stylesheet", Type: styleType, Title: "The style this legend belongs to"},
		{Href: base + "/collections/" + id, Rel: "collection", Type: jsonType, Title: meta.Title},
	}
	return links
}

func queryOf(styleID, lang string) string {
	return "?style=" + styleID + langParam("&", lang)
}

// legendRow is one entry of the legend page, with its swatch drawn.
type legendRow struct {
	styles.Entry
	// Symbol is the legend's: "fill", "line" or "circle".
	Symbol string
	// Width and Dash are a line swatch's stroke-width and stroke-dasharray.
	Width float64
	Dash  string
	// Links are the entry's values in the data other than its concept,
	// linked where they are URIs.
	Links []valueLink
}

// valueLink is a value shown on a page, with its link when it is a URL.
type valueLink struct{ Text, Href string }

// writeLegendHTML shows a legend as a page: each entry's swatch in its exact
// colours, its labels, its feature count and its vocabulary concept, with
// links to the legends of the tileset's other styles.
func (s *server) writeLegendHTML(w http.ResponseWriter, r *http.Request, base, id, lang string, meta *tileset.Metadata, doc *legendDoc) error {
	rows := make([]legendRow, len(doc.Entries))
	local := false
	for i, e := range doc.Entries {
		rows[i] = legendRow{Entry: e, Symbol: cmp.Or(e.Symbol, doc.Symbol), Width: max(e.Width, 1.5)}
		var dash []string
		for _, d := range e.Dash {
			dash = append(dash, strconv.FormatFloat(d*rows[i].Width, 'f', -1, 64))
		}
		rows[i].Dash = strings.Join(dash, " ")
		for _, v := range e.Values {
			if v == e.URI {
				continue // the concept, linked already
			}
			l := valueLink{Text: v}
			if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
				l.Href = v
			}
			rows[i].Links = append(rows[i].Links, l)
		}
		local = local || e.LocalLabel != ""
	}
	type other struct {
		Kind, Href string
		Current    bool
	}
	var others []other
	for _, kind := range doc.Styles {
		others = append(others, other{kind, base + "/collections/" + id + "/legend" + queryOf(kind, lang) + "&f=html", styles.ID(id, kind) == doc.Style})
	}
	pageLang, t := s.pageLang(r)
	return s.writeHTML(w, r, "legend", &htmlPage{
		Title: doc.Title, Base: base, Lang: pageLang, T: t,
		Crumbs: collectionCrumbs(t, base, id, meta, t["cat.legend"]),
		Links:  altLinks(doc.Links),
		JSON:   doc.Links[0].Href,
		Data: struct {
			Legend *legendDoc
			Rows   []legendRow
			Local  bool
			Others []other
		}{doc, rows, local, others},
	})
}
