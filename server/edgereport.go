package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/tileset"
)

// The report page is parsed with the layout like every other page.
func init() { pageTemplates["report"] = parsePages("report")["report"] }

// The titles of a collection's links to its edge-matching report
// (linkTitleKeys translates them on pages).
const (
	reportLinkTitle     = "The edge-matching report"
	reportJSONLinkTitle = "The edge-matching report, as JSON"
)

// hasReport tells whether tileset ts holds an edge-matching report (an
// {id}-qa tileset of outcrop compile), which /collections/{id}/report serves.
func hasReport(ts *tileset.Reader) bool {
	raw, err := ts.Meta(qa.MetaKey)
	return err == nil && raw != nil
}

// reportLinks are the links of a collection to its edge-matching report, as
// a page and as JSON.
func reportLinks(base, id string) []link {
	href := base + "/collections/" + id + "/report"
	return []link{
		{Href: href + "?f=html", Rel: "describedby", Type: htmlType, Title: reportLinkTitle},
		{Href: href + "?f=json", Rel: "describedby", Type: jsonType, Title: reportJSONLinkTitle},
	}
}

// handleEdgeReport serves /collections/{id}/report: the edge-matching report
// that `outcrop compile` stored with an {id}-qa tileset (compile/CONFIG.md),
// as JSON (the default and f=json), HTML (browsers, f=html) or CSV (f=csv),
// each with links that open the viewer at every issue; 404 for a tileset
// that holds none.
func (s *server) handleEdgeReport(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	csvWanted := strings.EqualFold(r.URL.Query().Get(paramF), "csv")
	fm := formatJSON
	if !csvWanted {
		var msg string
		if fm, msg = negotiateFormat(r); msg != "" {
			return statusError(http.StatusBadRequest, strings.Replace(msg, "f=json or f=html", "f=json, f=html or f=csv", 1))
		}
	}
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	raw, err := ts.Meta(qa.MetaKey)
	if err != nil {
		return failure(http.StatusServiceUnavailable, fmt.Sprintf("the edge-matching report of tileset %q cannot be read now; the server log has the cause", id),
			err, "reading the edge-matching report", "tileset", id)
	}
	if raw == nil {
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q holds no edge-matching report; reports belong to the {id}-qa tilesets that outcrop compile writes", id))
	}
	var rep qa.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return failure(http.StatusInternalServerError, fmt.Sprintf("the edge-matching report of tileset %q is damaged; compile it again", id),
			err, "stored edge-matching report is not JSON", "tileset", id)
	}
	base := s.baseURL(r)
	for i := range rep.Pairs {
		for j := range rep.Pairs[i].Issues {
			is := &rep.Pairs[i].Issues[j]
			is.Viewer = is.ViewerHref(base)
		}
	}
	self := base + "/collections/" + id + "/report"
	switch {
	case csvWanted:
		var b bytes.Buffer
		if err := rep.WriteCSV(&b, base); err != nil {
			return failure(http.StatusInternalServerError, "the report could not be encoded; the server log has the cause",
				err, "writing the edge-matching report as CSV", "tileset", id)
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", id+"-report.csv"))
		s.writeBody(w, r, docLinked, "text/csv; charset=utf-8", b.Bytes())
		return nil
	case fm == formatHTML:
		m := ts.Metadata()
		lang, t := s.pageLang(r)
		return s.writeHTML(w, r, "report", &htmlPage{
			Title: strings.ReplaceAll(t["report.title"], "{title}", rep.Title), Base: base, Lang: lang, T: t,
			Crumbs: collectionCrumbs(t, base, id, m, t["report.crumb"]),
			Links: []link{
				{Href: self + "?f=json", Rel: "alternate", Type: jsonType, Title: "This report as JSON"},
				{Href: self + "?f=csv", Rel: "alternate", Type: "text/csv", Title: "This report as CSV"},
			},
			JSON: self + "?f=json",
			Data: newReportPage(&rep, self+"?f=csv"),
		})
	default:
		setVaryAccept(w, r)
		return s.writeJSON(w, r, docLinked, &rep)
	}
}

// reportPage is what the report page shows: per pair, its border per
// class, then its issues.
type reportPage struct {
	*qa.Report
	Pairs []reportPair
	CSV   string
}

type reportPair struct {
	*qa.Pair
	Classes []classRow
}

type classRow struct {
	Class string
	Km    float64
	Pct   float64
}

func newReportPage(rep *qa.Report, csv string) reportPage {
	page := reportPage{Report: rep, CSV: csv}
	for i := range rep.Pairs {
		p := &rep.Pairs[i]
		rp := reportPair{Pair: p}
		for _, c := range qa.Classes {
			rp.Classes = append(rp.Classes, classRow{c, p.BorderKmByClass.Get(c), 100 * p.BorderShare.Get(c)})
		}
		page.Pairs = append(page.Pairs, rp)
	}
	return page
}
