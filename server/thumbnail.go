package server

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// A catalogue card's thumbnail is an SVG image of its own, fetched lazily
// by the home page's <img loading=lazy>: the page itself stays small (its
// first view is text), and the image of a version, named by ?v= in its
// URL, is cached by browsers and proxies for good. The server keeps the
// images it drew, so a thumbnail costs one read of features per version.

// thumbnailRoute serves a collection's thumbnail map.
const thumbnailRoute = "/collections/{id}/thumbnail.svg"

// thumbCacheBytes is how many bytes of drawn thumbnails the server keeps.
const thumbCacheBytes = 8 << 20

// thumbnailTemplate is a standalone SVG: its style inside, the background
// the viewer's, no titles (an image is not interactive).
var thumbnailTemplate = template.Must(template.New("thumbnail").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}">` +
	`<style>.area{fill:#c8553d;fill-opacity:.35;stroke:#8a2f1f;stroke-width:.8;fill-rule:evenodd}.line{fill:none;stroke:#1f5f8b;stroke-width:1.5}` +
	`.point{fill:#c8553d;stroke:#fff;stroke-width:.8}.frame{fill:none;stroke:#888;stroke-dasharray:4 3}</style>` +
	`<rect width="100%" height="100%" fill="#f4f1ea"/>{{with .Frame}}<path class="frame" d="{{.}}"/>{{end}}` +
	`{{range .Shapes}}<path class="{{.Class}}" d="{{.D}}"/>{{end}}</svg>`))

// thumbnailHref is the URL of a collection's thumbnail, of its version.
func thumbnailHref(base, id string, m *tileset.Metadata) string {
	href := base + "/collections/" + url.PathEscape(id) + "/thumbnail.svg"
	if v := urlVersion(m); v != "" {
		href += "?v=" + url.QueryEscape(v)
	}
	return href
}

// handleThumbnail serves a collection's thumbnail: up to cataloguePreview
// of its features over its extent, outlined. With ?v= naming the version
// served it is immutable; otherwise it is kept as briefly as metadata.
// It is gzip-coded as the HTML pages are (gzipPage).
func (s *server) handleThumbnail(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	m := ts.Metadata()
	svg, err := s.thumbs.get(cardKey{id: id, version: m.Version}, func() ([]byte, int, error) {
		b, err := s.drawThumbnail(ts, id)
		return b, len(b), err
	})
	if err != nil {
		return failure(http.StatusInternalServerError, "the thumbnail could not be drawn; the server log has the cause",
			err, "drawing a thumbnail", "tileset", id)
	}
	doc := jsonDoc{cacheControl: docLinked.cacheControl}
	if v := r.URL.Query().Get("v"); v != "" && v == urlVersion(m) {
		doc.cacheControl = hdrImmutable[0]
	}
	w.Header()["X-Content-Type-Options"] = hdrNoSniff
	s.writeBody(w, r, doc, "image/svg+xml", gzipPage(w, r, svg))
	return nil
}

// drawThumbnail draws a tileset's thumbnail (none of a raster's values:
// its extent only).
func (s *server) drawThumbnail(ts *tileset.Reader, id string) ([]byte, error) {
	m := ts.Metadata()
	b := m.Bounds
	bound := orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
	var features []*geojson.Feature
	if m.Kind != tileset.KindRaster {
		var err error
		if features, _, err = s.readFeatures(ts, tileset.FeatureQuery{Limit: cataloguePreview}); err != nil {
			s.logReadError("reading features for a thumbnail", err, "tileset", id)
			features = nil
		}
	}
	none := func(*geojson.Feature) string { return "" }
	var buf bytes.Buffer
	err := thumbnailTemplate.Execute(&buf, newSVGMap(features, &bound, &bound, none, none))
	return buf.Bytes(), err
}
