package server

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/download"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/tileset"
)

// The HTML pages are plain documents: html/template escapes every value that
// comes from a tileset, the pages load nothing but themselves (styles inline,
// maps as inline SVG, no script) and, on the catalogue, the thumbnails the
// server draws, and the Content-Security-Policy says so to the browser.

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates holds each page parsed together with the layout. A template
// that does not parse is a defect of the build, caught by the tests.
var pageTemplates = parsePages("landing", "conformance", "collections", "collection", "items", "item", "queryables", "doc", "api", "legend")

// parsePages parses each named page with the layout and its shared
// blocks (map, table, links), which every page template may use.
func parsePages(names ...string) map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"add": func(a, b int) int { return a + b },
		// tr fills a string's {name}s from name, value pairs.
		"tr": func(s string, kv ...any) string {
			for i := 0; i+1 < len(kv); i += 2 {
				s = strings.ReplaceAll(s, "{"+fmt.Sprint(kv[i])+"}", fmt.Sprint(kv[i+1]))
			}
			return s
		},
		"markup": markup,
		// linkList hands the links template its links and the page's
		// strings.
		"linkList": func(links []link, t map[string]string) linkList { return linkList{links, t} },
	}).ParseFS(templateFS, "templates/layout.html"))
	out := make(map[string]*template.Template, len(names))
	for _, name := range names {
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
}

// markup turns an interface string into HTML: *text* is emphasised,
// `text` is code, the nth [text] links to the value of "href{n}", and each
// {name} is the value of name. The string's text and every value are
// escaped; a {name} without a value is left as it is (a URL template's
// {z}). Translations so keep their word order around the markup.
func markup(s string, kv ...any) template.HTML {
	vals := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		vals[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
	}
	var b strings.Builder
	em, code, links := false, false, 0
	for s != "" {
		i := strings.IndexAny(s, "*`[]{")
		if i < 0 {
			b.WriteString(template.HTMLEscapeString(s))
			break
		}
		b.WriteString(template.HTMLEscapeString(s[:i]))
		c := s[i]
		s = s[i+1:]
		switch c {
		case '*':
			b.WriteString(tag("em", em))
			em = !em
		case '`':
			b.WriteString(tag("code", code))
			code = !code
		case '[':
			links++
			b.WriteString(`<a href="` + template.HTMLEscapeString(vals["href"+strconv.Itoa(links)]) + `">`)
		case ']':
			b.WriteString("</a>")
		case '{':
			name, rest, ok := strings.Cut(s, "}")
			v, known := vals[name]
			if !ok || !known {
				b.WriteString("{")
				continue
			}
			b.WriteString(template.HTMLEscapeString(v))
			s = rest
		}
	}
	return template.HTML(b.String())
}

// linkList is what the links template lists: links, and the strings of
// the page's language.
type linkList struct {
	Links []link
	T     map[string]string
}

// tag is the opening tag of element name, or its closing one when open.
func tag(name string, open bool) string {
	if open {
		return "</" + name + ">"
	}
	return "<" + name + ">"
}

// htmlCSP lets a page use its inline style and nothing else.
var htmlCSP = []string{"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"}

// htmlPage is what the layout needs from every page.
type htmlPage struct {
	Title  string
	Base   string
	Crumbs []crumb
	// Links are the page's links, the JSON alternate among them.
	Links []link
	// JSON is the href of the same resource as JSON.
	JSON string
	Data any
	// Lang is the page's language, a BCP 47 tag, and T its interface
	// strings by key (server/viewer/static/i18n); writeHTML sets both from
	// the request (uiLang) when T is nil.
	Lang string
	T    map[string]string
}

// pageLang is the language of a page for r (uiLang) and its strings.
func (s *server) pageLang(r *http.Request) (string, map[string]string) {
	lang := s.uiLang(r)
	return lang, viewer.Strings(lang)
}

// crumb is one step of the breadcrumb trail; the last has no Href.
type crumb struct {
	Title string
	Href  string
}

// collectionCrumbs is the trail down to a page of collection id, ending
// with last, in t's language.
func collectionCrumbs(t map[string]string, base, id string, m *tileset.Metadata, last string) []crumb {
	return []crumb{
		{t["cat.collections"], base + "/collections?f=html"},
		{collectionTitle(m, id), base + "/collections/" + id + "?f=html"},
		{last, ""},
	}
}

// writeHTML renders page name and answers with it, or returns the error to
// answer when it cannot.
func (s *server) writeHTML(w http.ResponseWriter, r *http.Request, name string, p *htmlPage) error {
	if p.JSON == "" {
		for _, l := range p.Links {
			if l.Rel == "self" || (l.Rel == "alternate" && l.Type != htmlType) {
				if l.Type != htmlType {
					p.JSON = l.Href
					break
				}
			}
		}
	}
	if p.T == nil {
		p.Lang, p.T = s.pageLang(r)
	}
	p.Links = pageLinks(p.Links, p.T)
	var buf bytes.Buffer
	if err := pageTemplates[name].Execute(&buf, p); err != nil {
		return failure(http.StatusInternalServerError, "the page could not be rendered; the server log has the cause",
			err, "rendering HTML page", "page", name, "path", r.URL.Path)
	}
	h := w.Header()
	h["Content-Security-Policy"] = htmlCSP
	h["X-Content-Type-Options"] = hdrNoSniff
	setVaryAccept(w, r)
	// The page is in the reader's language: ?lang=, the switch's cookie,
	// then Accept-Language.
	h.Add("Vary", "Cookie, Accept-Language")
	s.writeBody(w, r, docLinked, "text/html; charset=utf-8", gzipPage(w, r, buf.Bytes()))
	return nil
}

// gzipMinBytes is the least page worth compressing: below it, gzip's
// header and the work outweigh what it saves.
const gzipMinBytes = 1400

// gzipPage returns page gzip-coded, and says so in w's headers, when the
// client takes gzip and the page is worth it; else page as it is. A page
// of features or of a catalogue, or an SVG map, compresses to a fifth or
// less. Its ETag
// (writeBody's, of the bytes sent) then differs from the plain page's.
func gzipPage(w http.ResponseWriter, r *http.Request, page []byte) []byte {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(page) < gzipMinBytes || !acceptsGzip(r.Header["Accept-Encoding"]) {
		return page
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(page)
	zw.Close()
	h.Set("Content-Encoding", "gzip")
	return buf.Bytes()
}

// altLinks returns links without the self link of the JSON document, for a
// page that lists them: the page is not that document.
func altLinks(links []link) []link {
	var out []link
	for _, l := range links {
		if l.Rel != "self" && l.Rel != "alternate" {
			out = append(out, l)
		}
	}
	return out
}

// The write…HTML functions render one page each from the document the JSON
// answer would carry.

func (s *server) writeConformanceHTML(w http.ResponseWriter, r *http.Request, base string, doc *conformance) error {
	lang, t := s.pageLang(r)
	return s.writeHTML(w, r, "conformance", &htmlPage{Title: t["page.conformance"], Base: base, Crumbs: []crumb{{t["page.conformance"], ""}},
		JSON: base + "/conformance?f=json", Data: doc, Lang: lang, T: t})
}

func (s *server) writeCollectionsHTML(w http.ResponseWriter, r *http.Request, base string, doc *collections) error {
	lang, t := s.pageLang(r)
	return s.writeHTML(w, r, "collections", &htmlPage{Title: t["cat.collections"], Base: base, Crumbs: []crumb{{t["cat.collections"], ""}},
		JSON: base + "/collections?f=json", Data: doc, Lang: lang, T: t})
}

func (s *server) writeQueryablesHTML(w http.ResponseWriter, r *http.Request, id, base string, doc *queryables) error {
	type row struct{ Name, Type, Format string }
	var rows []row
	for _, f := range doc.Properties {
		typ, format := jsonSchemaType(f.Type)
		rows = append(rows, row{f.Name, typ, format})
	}
	lang, t := s.pageLang(r)
	return s.writeHTML(w, r, "queryables", &htmlPage{
		Title: strings.ReplaceAll(t["page.queryables_of"], "{title}", doc.Title), Base: base, Lang: lang, T: t,
		Crumbs: []crumb{{t["cat.collections"], base + "/collections?f=html"}, {doc.Title, base + "/collections/" + id + "?f=html"}, {t["page.queryables"], ""}},
		JSON:   base + "/collections/" + id + "/queryables?f=json",
		Data: struct {
			ID   string
			Rows []row
		}{id, rows},
	})
}

// writeDocHTML shows a JSON document as a page: its links, then the
// document itself, for the resources a person rarely reads. title and
// crumbs are in the language of t (pageLang).
func (s *server) writeDocHTML(w http.ResponseWriter, r *http.Request, lang string, t map[string]string, base, title string, crumbs []crumb, links []link, doc any) error {
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return failure(http.StatusInternalServerError, "the page could not be rendered; the server log has the cause",
			err, "encoding JSON for a page", "path", r.URL.Path)
	}
	return s.writeHTML(w, r, "doc", &htmlPage{Title: title, Base: base, Crumbs: crumbs, Links: links, Lang: lang, T: t, Data: struct {
		Links []link
		JSON  string
	}{pageLinks(altLinks(links), t), string(body)}})
}

// featureTable is a page of features as the HTML pages show them.
type featureTable struct {
	Columns []string
	Rows    []featureRow
	Map     *svgMap
	// Empty is what the table says when it has no rows, in the page's
	// language.
	Empty string
}

// featureRow is one feature of a table: its id, the link to its page, and
// its values in the order of the table's columns.
type featureRow struct {
	ID     string
	Href   string
	Values []string
}

// collectionPreview is how many features the map of a collection page draws.
const collectionPreview = 200

// collectionPageRows is how many rows the table of a collection page shows.
const collectionPageRows = 10

// writeCollectionHTML shows a collection: its metadata, a map of its first
// features within its extent, and the first page of its feature table.
func (s *server) writeCollectionHTML(w http.ResponseWriter, r *http.Request, ts *tileset.Reader, base string, c *collection) error {
	meta := ts.Metadata()
	features, matched, err := s.readFeatures(ts, tileset.FeatureQuery{Limit: collectionPreview})
	if err != nil {
		return failure(readFailureStatus(err), "the features of collection "+strconv.Quote(c.ID)+" could not be read; the server log has the cause",
			err, "reading features", "tileset", c.ID)
	}
	bounds := orb.Bound{Min: orb.Point{meta.Bounds[0], meta.Bounds[1]}, Max: orb.Point{meta.Bounds[2], meta.Bounds[3]}}
	lang, t := s.pageLang(r)
	table := newFeatureTable(base, c.ID, meta.Fields, nil, features[:min(len(features), collectionPageRows)])
	table.Map = newSVGMap(features, &bounds, &bounds, featureHref(base, c.ID), featureTitle(t)).labelled(t)
	table.Empty = t["page.no_features"]
	q := itemsQuery{limit: collectionPageRows, format: formatHTML}
	return s.writeHTML(w, r, "collection", &htmlPage{
		Title: c.Title, Base: base, Lang: lang, T: t,
		Crumbs: []crumb{{t["cat.collections"], base + "/collections?f=html"}, {c.Title, ""}},
		Links:  c.Links,
		JSON:   base + "/collections/" + c.ID + "?f=json",
		Data: struct {
			C        *collection
			Meta     *tileset.Metadata
			Matched  int64
			Shown    int
			Table    featureTable
			Next     string
			MapShown int
			Formats  []download.Format
		}{c, meta, matched, len(table.Rows), table, base + "/collections/" + c.ID + "/items?" + q.encode(collectionPageRows, formatHTML), len(features), download.Formats},
	})
}

// writeItemsHTML shows a page of features: a map and a table, with links to
// the pages before and after.
func (s *server) writeItemsHTML(w http.ResponseWriter, r *http.Request, ts *tileset.Reader, id, base string, q *itemsQuery) error {
	meta := ts.Metadata()
	features, matched, err := s.readFeatures(ts, q.featureQuery())
	if err != nil {
		return failure(readFailureStatus(err), "the features of collection "+strconv.Quote(id)+" could not be read; the server log has the cause",
			err, "reading features", "tileset", id, "query", r.URL.RawQuery)
	}
	lang, t := s.pageLang(r)
	table := newFeatureTable(base, id, meta.Fields, q.properties, features)
	table.Map = newSVGMap(features, q.bbox, q.bbox, featureHref(base, id), featureTitle(t)).labelled(t)
	table.Empty = t["page.no_features"]
	links := itemsLinks(base, id, q, matched, formatHTML)
	var next, prev string
	for _, l := range links {
		switch l.Rel {
		case "next":
			next = l.Href
		case "prev":
			prev = l.Href
		}
	}
	title := collectionTitle(meta, id)
	crumbs := collectionCrumbs(t, base, id, meta, t["cat.features"])
	return s.writeHTML(w, r, "items", &htmlPage{
		Title: strings.ReplaceAll(t["page.features_of"], "{title}", title), Base: base, Lang: lang, T: t,
		Crumbs: crumbs,
		Links:  links,
		JSON:   base + "/collections/" + id + "/items?" + q.encode(q.offset, formatJSON),
		Data: struct {
			Table            featureTable
			Matched          int64
			First, Last      int
			Next, Prev       string
			BBox             string
			Filters          map[string]string
			Queryables, Full string
		}{table, matched, q.offset + 1, q.offset + len(features), next, prev, q.bboxText, q.filters,
			base + "/collections/" + id + "/queryables?f=html", base + "/collections/" + id + "/items?f=html"},
	})
}

// writeItemHTML shows one feature: a map of it and its attributes.
func (s *server) writeItemHTML(w http.ResponseWriter, r *http.Request, meta *tileset.Metadata, id string, fid uint64, base string, raw []byte) error {
	f, err := geojson.UnmarshalFeature(raw)
	if err != nil {
		return failure(http.StatusServiceUnavailable, "feature "+strconv.FormatUint(fid, 10)+" of collection "+strconv.Quote(id)+" is damaged; the server log has the cause",
			err, "decoding feature", "tileset", id, "feature", fid)
	}
	fidText := strconv.FormatUint(fid, 10)
	type attr struct{ Name, Value string }
	var attrs []attr
	for _, fd := range meta.Fields {
		attrs = append(attrs, attr{fd.Name, propertyText(f.Properties[fd.Name])})
	}
	geomType := ""
	if f.Geometry != nil {
		geomType = f.Geometry.GeoJSONType()
	}
	links := itemLinks(base, id, fidText)
	lang, t := s.pageLang(r)
	return s.writeHTML(w, r, "item", &htmlPage{
		Title: strings.NewReplacer("{id}", fidText, "{title}", collectionTitle(meta, id)).Replace(t["page.feature_of"]),
		Base:  base, Lang: lang, T: t,
		Crumbs: []crumb{
			{t["cat.collections"], base + "/collections?f=html"},
			{collectionTitle(meta, id), base + "/collections/" + id + "?f=html"},
			{t["cat.features"], base + "/collections/" + id + "/items?f=html"},
			{fidText, ""},
		},
		Links: links,
		JSON:  links[0].Href,
		Data: struct {
			ID       string
			Geometry string
			Attrs    []attr
			Map      *svgMap
		}{fidText, geomType, attrs, newSVGMap([]*geojson.Feature{f}, nil, nil, func(*geojson.Feature) string { return "" }, featureTitle(t)).labelled(t)},
	})
}

// readFeatures decodes the features a query selects, for a page.
func (s *server) readFeatures(ts *tileset.Reader, q tileset.FeatureQuery) ([]*geojson.Feature, int64, error) {
	var out []*geojson.Feature
	matched, err := ts.Features(q, func(rf tileset.RawFeature) error {
		f, err := geojson.UnmarshalFeature(rf.JSON)
		if err != nil {
			return err
		}
		f.ID = rf.ID
		out = append(out, f)
		return nil
	})
	return out, matched, err
}

// newFeatureTable lays out features as rows under the fields of the
// collection, or only the selected ones.
func newFeatureTable(base, id string, fields []tileset.Field, selected []string, features []*geojson.Feature) featureTable {
	cols := selected
	if cols == nil {
		for _, f := range fields {
			cols = append(cols, f.Name)
		}
	}
	t := featureTable{Columns: cols}
	href := featureHref(base, id)
	for _, f := range features {
		row := featureRow{ID: featureIDText(f), Href: href(f)}
		for _, c := range cols {
			row.Values = append(row.Values, propertyText(f.Properties[c]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// featureHref returns the link of a feature's page.
func featureHref(base, id string) func(*geojson.Feature) string {
	return func(f *geojson.Feature) string {
		return base + "/collections/" + id + "/items/" + featureIDText(f) + "?f=html"
	}
}

// featureTitle returns the tooltip of a feature on a map, in t's language.
func featureTitle(t map[string]string) func(*geojson.Feature) string {
	return func(f *geojson.Feature) string {
		return strings.ReplaceAll(t["page.feature_n"], "{id}", featureIDText(f))
	}
}

// featureIDText writes a feature id as it appears in URLs.
func featureIDText(f *geojson.Feature) string {
	switch v := f.ID.(type) {
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	return ""
}

// propertyText writes a property value as a table cell shows it: numbers in
// full without exponents, absent values empty.
func propertyText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
