package server

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// externalRef finds attributes that would make a page load something from
// elsewhere: a script, a stylesheet, an image or a frame.
var externalRef = regexp.MustCompile(`(?i)<(script|link[^>]+stylesheet|img|iframe)|src=|url\(`)

// ownImage finds an image from the server itself, which a page may load
// (the catalogue's thumbnails): never from elsewhere.
var ownImage = regexp.MustCompile(`<img class="map" src="http://example\.com/[^"]*"`)

func TestHTMLPages(t *testing.T) {
	f := newOGCFixture(t)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/", []string{"Collections", `href="http://example.com/collections?f=html"`, `href="http://example.com/api?f=html"`}},
		{"/conformance", []string{"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"}},
		{"/collections", []string{"Copper &amp; gold occurrences", `href="http://example.com/collections/occurrences?f=html"`, "Hamersley geology",
			"Bedrock geology around a granite", "geology, granite"}},
		{"/collections/geology", []string{"Bedrock geology around a granite", "<th>Keywords</th><td>geology, granite</td>",
			`href="http://example.com/collections/geology/legend?f=html"`}},
		{"/collections/occurrences", []string{"Copper &amp; gold occurrences", "<svg", `class="point"`, "Occurrence 1<", "1901-01-01", "All 95 features",
			`href="http://example.com/collections/occurrences/items?f=html&amp;limit=10&amp;offset=10"`}},
		{"/collections/units", []string{`class="area"`, `class="frame"`}},
		{"/collections/occurrences/items?commodity=Au&limit=5&offset=5", []string{"Features 6 to 10 of 47", "where commodity = Au",
			`rel="next"`, `rel="prev"`, `href="http://example.com/collections/occurrences/items?f=html&amp;commodity=Au&amp;limit=5&amp;offset=10"`, "Occurrence 12<"}},
		{"/collections/occurrences/items?properties=rank", []string{"<th>rank</th>"}},
		{"/collections/occurrences/items/42", []string{"Feature 42 of", "1942-01-01", "<svg", "Point"}},
		{"/collections/occurrences/queryables", []string{"<td>grade</td><td>number</td>"}},
		{"/collections/occurrences/tiles", []string{"Tilesets of", "WebMercatorQuad"}},
		{"/collections/occurrences/tiles/WebMercatorQuad", []string{"tileMatrixSetLimits"}},
		{"/tileMatrixSets", []string{"WebMercatorQuad"}},
		{"/tileMatrixSets/WebMercatorQuad", []string{"scaleDenominator"}},
		{"/api", []string{"/collections/{collectionId}/items/{featureId}"}},
	} {
		byF := f.getHTML(t, tc.path+sep(tc.path)+"f=html")
		byAccept := f.getHTML(t, tc.path, "Accept", browser)
		if byF != byAccept {
			t.Errorf("%s: f=html and a browser's Accept get different pages", tc.path)
		}
		for _, want := range tc.want {
			if !strings.Contains(byF, want) {
				t.Errorf("%s: page lacks %q", tc.path, want)
			}
		}
		if m := externalRef.FindString(ownImage.ReplaceAllString(byF, "")); m != "" {
			t.Errorf("%s: page loads something: %q", tc.path, m)
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// TestHTMLEscapes checks that a property value full of markup is shown as
// text on every page that shows it.
func TestHTMLEscapes(t *testing.T) {
	f := newOGCFixture(t)
	for _, path := range []string{"/collections/occurrences?f=html", "/collections/occurrences/items?f=html", "/collections/occurrences/items/7?f=html"} {
		page := f.getHTML(t, path)
		if strings.Contains(page, "<script>") {
			t.Errorf("%s: the value %q went into the page as markup", path, ogcTrickyName)
		}
		if !strings.Contains(page, html.EscapeString(ogcTrickyName)) && !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Ōkuma") {
			t.Errorf("%s: the value %q is not on the page", path, ogcTrickyName)
		}
	}
}

func TestHTMLVary(t *testing.T) {
	f := newOGCFixture(t)
	w := f.get(t, "/collections", "Accept", "text/html")
	if vary := strings.Join(w.Header().Values("Vary"), ", "); !strings.Contains(vary, "Accept") {
		t.Errorf("Vary %q: a cache would serve this HTML to JSON clients", vary)
	}
	if w := f.get(t, "/collections?f=html", "If-None-Match", w.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("revalidating a page: %d", w.Code)
	}
}

// TestHTMLTemplatedLinkIsCopyable: a URL template on a page reads as the
// template, braces and all, so that it can be copied into QGIS or GDAL.
func TestHTMLTemplatedLinkIsCopyable(t *testing.T) {
	f := newOGCFixture(t)
	page := f.getHTML(t, "/collections/geology?f=html")
	if !strings.Contains(page, "http://example.com/tiles/geology/{z}/{x}/{y}.mvt") {
		t.Error("the page does not show the XYZ template as it is")
	}
	if strings.Contains(page, "%7B") || strings.Contains(page, "%7b") {
		t.Errorf("the page percent-encodes a template's braces: %s", regexp.MustCompile(`\S*%7[Bb]\S*`).FindString(page))
	}
}

// TestMarkup: an interface string's markup becomes HTML, its text and
// values are escaped, and values are not read as markup.
func TestMarkup(t *testing.T) {
	for _, c := range []struct {
		s    string
		kv   []any
		want string
	}{
		{"Pick *{title}* at `{url}`.", []any{"title", "Copper *&* <gold>", "url", "http://x/a?b=1&c=2"},
			"Pick <em>Copper *&amp;* &lt;gold&gt;</em> at <code>http://x/a?b=1&amp;c=2</code>."},
		{"The [viewer] and the [legend] <here>.", []any{"href1", "/map/", "href2", `/l?a="b"`},
			`The <a href="/map/">viewer</a> and the <a href="/l?a=&#34;b&#34;">legend</a> &lt;here&gt;.`},
		{"Tiles at `{base}/{z}/{x}/{y}.mvt", []any{"base", "http://h"}, "Tiles at <code>http://h/{z}/{x}/{y}.mvt"},
	} {
		if got := string(markup(c.s, c.kv...)); got != c.want {
			t.Errorf("markup(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
