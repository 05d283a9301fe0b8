package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/tileset"
)

// Media types of the OGC API documents.
const (
	geoJSONType  = "application/geo+json"
	jsonType     = "application/json"
	htmlType     = "text/html"
	schemaType   = "application/schema+json"
	openAPIType  = "application/vnd.oai.openapi+json;version=3.0"
	itemsMaxAge  = "public, max-age=60"
	itemsTimeFmt = time.RFC3339
)

var (
	hdrGeoJSONType = []string{geoJSONType}
	// hdrContentCRS tells clients of OGC API - Features Part 2 the CRS of the
	// coordinates; Part 1 clients ignore it.
	hdrContentCRS = []string{"<" + crs84 + ">"}
)

// handleItems serves /collections/{id}/items: the features matching the
// query, as a GeoJSON FeatureCollection or an HTML page; and, as GeoJSON
// cached as immutable, /collections/{id}@{version}/items while that version
// is current (see versioned.go).
func (s *server) handleItems(w http.ResponseWriter, r *http.Request) error {
	seg := mux.Vars(r)["id"]
	fm, id, ts, release, _, err := s.openFeatures(r, seg)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	q, msg := parseItemsQuery(r.URL.RawQuery, id, meta.Fields)
	if msg != "" {
		return statusError(http.StatusBadRequest, msg)
	}
	q.format = fm
	if fm == formatHTML {
		q.limit = min(q.limit, maxHTMLLimit)
	}
	if fm == formatHTML || q.limit > heavyLimit {
		if err := s.heavy.enter(); err != nil {
			return err
		}
		defer s.heavy.leave()
	}
	base := s.baseURL(r)
	if fm == formatHTML {
		return s.writeItemsHTML(w, r, ts, id, base, &q)
	}
	return s.writeItemsGeoJSON(w, r, ts, meta, seg, base, &q)
}

// itemsETag returns a weak ETag for a page of features: the page is fixed by
// the tileset version and the canonical query, and the links by the base
// URL. It is weak because timeStamp differs between two equal answers.
func itemsETag(meta *tileset.Metadata, base, query string, extra string) (inner, header string) {
	if meta.Version == "" {
		return "", ""
	}
	h := fnv.New64a()
	for _, s := range []string{meta.Version, base, query, extra} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	inner = `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
	return inner, "W/" + inner
}

// itemWriters pools the buffered writers of feature responses: a page of ten
// thousand features is written in 64 KB chunks rather than one per feature.
var itemWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

// pooledWriter is a writer of itemWriters buffering w, and the func that
// puts it back, its buffer dropped.
func pooledWriter(w io.Writer) (bw *bufio.Writer, done func()) {
	bw = itemWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	return bw, func() {
		bw.Reset(nil)
		itemWriters.Put(bw)
	}
}

// writeItemsGeoJSON streams the page of features. The features come first
// and numberMatched, numberReturned and the links after them: they are known
// only once the tileset has been read, and the order of members does not
// matter in JSON. A tileset that fails before the first feature is answered
// with a 500; one that fails later aborts the connection, so that no client
// takes a cut-off page for a whole one: the error of a failure before the
// first feature is returned, to be answered. seg is the collection segment of
// the request, "id" or "id@version", which the page's links keep and whose
// version makes it immutable.
func (s *server) writeItemsGeoJSON(w http.ResponseWriter, r *http.Request, src *tileset.Reader, meta *tileset.Metadata, seg, base string, q *itemsQuery) error {
	id, _, versioned := strings.Cut(seg, versionSep)
	cacheControl := itemsMaxAge
	if versioned {
		cacheControl = hdrImmutable[0]
	}
	h := w.Header()
	s.setVary(w, r)
	self := q.encode(q.offset, formatJSON)
	inner, etag := itemsETag(meta, base, self, "items"+strings.TrimPrefix(seg, id))
	h.Set("Cache-Control", cacheControl) // on a 304 too, which renews it
	if etag != "" {
		h.Set("ETag", etag)
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, inner) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	h["Content-Type"] = hdrGeoJSONType
	h["Content-Crs"] = hdrContentCRS
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}

	bw, done := pooledWriter(w)
	defer done()
	// The status goes out with the first flush of bw (an implicit 200), so
	// until then a damaged feature can still be answered with an error:
	// buffered counts what bw was given, and nothing has reached w while
	// bw holds all of it.
	started, buffered := false, 0
	start := func() {
		started = true
		n, _ := bw.WriteString(`{"type":"FeatureCollection","features":[`)
		buffered += n
	}
	returned := 0
	var sel []byte
	matched, err := src.Features(q.featureQuery(), func(f tileset.RawFeature) error {
		if !started {
			start()
		}
		if returned > 0 {
			bw.WriteByte(',')
			buffered++
		}
		bw.WriteByte('\n')
		buffered++
		data := f.JSON
		if q.properties != nil {
			var err error
			if sel, err = selectProperties(sel[:0], data, q.properties); err != nil {
				return fmt.Errorf("feature %d: %w", f.ID, err)
			}
			data = sel
		}
		returned++
		n, err := bw.Write(data)
		buffered += n
		return err
	})
	if err != nil {
		if !started || bw.Buffered() == buffered {
			bw.Reset(w) // drop the page begun
			h.Del("ETag")
			delete(h, "Content-Crs")
			return failure(readFailureStatus(err), "the features of collection "+strconv.Quote(id)+" could not be read; the server log has the cause",
				err, "reading features", "tileset", id, "query", r.URL.RawQuery)
		}
		if errors.Is(err, tileset.ErrDamaged) { // the page is cut: the damage is the operator's to know
			s.logReadError("reading features", err, "tileset", id, "query", r.URL.RawQuery)
		} else { // most often a client gone away
			s.log.Debug("writing features", "tileset", id, "query", r.URL.RawQuery, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	if !started {
		start()
	}
	bw.WriteString("\n],")
	bw.WriteString(`"numberMatched":`)
	bw.WriteString(strconv.FormatInt(matched, 10))
	bw.WriteString(`,"numberReturned":`)
	bw.WriteString(strconv.Itoa(returned))
	bw.WriteString(`,"timeStamp":"`)
	bw.WriteString(time.Now().UTC().Format(itemsTimeFmt))
	bw.WriteString(`","links":`)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // & in links as it is
	enc.Encode(itemsLinks(base, seg, q, matched, formatJSON))
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		s.log.Debug("writing features", "tileset", id, "err", err)
	}
	return nil
}

// itemsLinks are the links of a page of features: itself, the page in the
// other format, its collection, and the next and previous pages when there
// are any, each repeating the page's query. seg is "id", or "id@version"
// for the pages of that version.
func itemsLinks(base, seg string, q *itemsQuery, matched int64, fm format) []link {
	id, _, _ := strings.Cut(seg, versionSep)
	items := base + "/collections/" + seg + "/items?"
	here, hereTitle, other, otherTitle := geoJSONType, "This page as GeoJSON", htmlType, "This page as HTML"
	otherFm := formatHTML
	if fm == formatHTML {
		here, hereTitle, other, otherTitle = htmlType, "This page as HTML", geoJSONType, "This page as GeoJSON"
		otherFm = formatJSON
	}
	links := []link{
		{Href: items + q.encode(q.offset, fm), Rel: "self", Type: here, Title: hereTitle},
		{Href: items + q.encode(q.offset, otherFm), Rel: "alternate", Type: other, Title: otherTitle},
		{Href: base + "/collections/" + id, Rel: "collection", Type: jsonType, Title: "The collection"},
	}
	if next := q.offset + q.limit; int64(next) < matched {
		links = append(links, link{Href: items + q.encode(next, fm), Rel: "next", Type: here, Title: "Next page"})
	}
	if q.offset > 0 {
		prev := max(0, q.offset-q.limit)
		links = append(links, link{Href: items + q.encode(prev, fm), Rel: "prev", Type: here, Title: "Previous page"})
	}
	return links
}

// storedFeature is a stored GeoJSON feature split into its members, for the
// rare responses that rewrite it.
type storedFeature struct {
	ID         json.RawMessage            `json:"id"`
	BBox       json.RawMessage            `json:"bbox"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// selectProperties appends to dst the feature raw with only the properties
// named in keep, in that order; a property the feature lacks stays absent.
func selectProperties(dst, raw []byte, keep []string) ([]byte, error) {
	var f storedFeature
	if err := json.Unmarshal(raw, &f); err != nil {
		return dst, errors.New("stored feature is not valid JSON")
	}
	dst = append(dst, `{"type":"Feature","id":`...)
	dst = append(dst, f.ID...)
	if len(f.BBox) > 0 {
		dst = append(dst, `,"bbox":`...)
		dst = append(dst, f.BBox...)
	}
	dst = append(dst, `,"geometry":`...)
	if len(f.Geometry) == 0 {
		dst = append(dst, "null"...)
	}
	dst = append(dst, f.Geometry...)
	dst = append(dst, `,"properties":{`...)
	n := 0
	for _, name := range keep {
		v, ok := f.Properties[name]
		if !ok {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		key, _ := json.Marshal(name)
		dst = append(dst, key...)
		dst = append(dst, ':')
		dst = append(dst, v...)
	}
	return append(dst, "}}"...), nil
}
