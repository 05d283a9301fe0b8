package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/server/viewer"
)

// TestReportLinked: the page and JSON of a compilation's {id}-qa
// collection, and its catalogue card, link to its edge-matching report,
// titled in the reader's language, and the link leads to the report; a
// collection without a report has no such link.
func TestReportLinked(t *testing.T) {
	f := newPagesFixture(t)
	const report = "/collections/border-qa/report?f=html"
	for _, lang := range []string{"en", "id"} {
		tr := viewer.Strings(lang)
		page := f.get(t, "/collections/border-qa?f=html", "Cookie", LangCookie+"="+lang).Body.String()
		if !strings.Contains(page, `href="http://example.com`+report+`"`) || !strings.Contains(page, ">"+tr["link.report"]+"<") {
			t.Errorf("%s: the collection page has no link %q titled %q:\n%s", lang, report, tr["link.report"], page)
		}
		home := f.get(t, "/?f=html", "Accept", browserAccept, "Cookie", LangCookie+"="+lang).Body.String()
		if n := strings.Count(home, report); n != 1 || !strings.Contains(home, ">"+tr["cat.report"]+"</a>") {
			t.Errorf("%s: the catalogue links the report %d times (want once, on border-qa's card) titled %q", lang, n, tr["cat.report"])
		}
	}
	var doc struct {
		Links []link `json:"links"`
	}
	if err := json.Unmarshal(f.get(t, "/collections/border-qa?f=json").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	hrefs := map[string]string{}
	for _, l := range doc.Links {
		if strings.Contains(l.Href, "/report") {
			hrefs[l.Type] = l.Href
		}
	}
	if len(hrefs) != 2 {
		t.Errorf("the collection's JSON links to its report as %v, want HTML and JSON", hrefs)
	}
	for typ, href := range hrefs {
		w := f.get(t, strings.TrimPrefix(href, "http://example.com"))
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), typ) {
			t.Errorf("%s: %d %q, want %s", href, w.Code, w.Header().Get("Content-Type"), typ)
		}
	}
	for _, id := range []string{ogcUnitsID, "depth"} {
		if body := f.get(t, "/collections/"+id+"?f=html").Body.String(); strings.Contains(body, "/report") {
			t.Errorf("collection %s, which has no report, links one", id)
		}
		if body := f.get(t, "/collections/"+id+"?f=json").Body.String(); strings.Contains(body, "/report") {
			t.Errorf("collection %s's JSON, without a report, links one", id)
		}
	}
}
