package server

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/download"
	"github.com/outcrop/outcrop/tileset"
)

// downloadRoute serves a collection's features as a file to take away.
const downloadRoute = "/collections/{id}/download"

// downloadNotParams are the items parameters a download refuses: it holds
// every matching feature with every property, in WGS 84.
var downloadNotParams = []string{paramLimit, paramOffset, paramProperties}

// downloadFormatNames is how messages list the formats.
var downloadFormatNames = func() string {
	var names []string
	for _, f := range download.Formats {
		names = append(names, "f="+f.Name+" ("+f.Title+")")
	}
	return strings.Join(names, ", ")
}()

// handleDownload serves /collections/{id}/download?f=gpkg|geojson|csv|shp:
// every feature of the collection, or those in bbox, within datetime and
// matching the property filters of the items route, as a file. Downloads
// are heavy requests. The file streams as it is written (GeoJSON, CSV) or
// once built in a temporary file (GeoPackage, Shapefile), so memory stays
// bounded whatever the collection's size.
func (s *server) handleDownload(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return statusError(http.StatusBadRequest, "the query string is not valid URL encoding ("+err.Error()+"); percent-encode reserved characters")
	}
	fs := vals[paramF]
	if len(fs) != 1 {
		return statusError(http.StatusBadRequest, "parameter f is missing or repeated; give one of "+downloadFormatNames)
	}
	f, ok := download.FormatNamed(strings.ToLower(fs[0]))
	if !ok {
		return statusError(http.StatusBadRequest, "parameter f="+strconv.Quote(fs[0])+" is not a download format; give one of "+downloadFormatNames)
	}
	for _, p := range downloadNotParams {
		if _, ok := vals[p]; ok {
			return statusError(http.StatusBadRequest, "parameter "+p+" does not apply to a download, which holds every matching feature with all its properties; drop it, or page through /collections/"+id+"/items")
		}
	}
	// A form leaves its empty fields in the query: an empty bbox or
	// datetime means none.
	for _, p := range []string{paramBBox, paramDatetime} {
		if v, ok := vals[p]; ok && len(v) == 1 && strings.TrimSpace(v[0]) == "" {
			vals.Del(p)
		}
	}
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	meta := ts.Metadata()
	if meta.Raster != nil {
		return statusError(http.StatusNotFound, "collection "+strconv.Quote(id)+" is a raster and has no features to download; /collections/"+id+" links to its data tiles")
	}
	q, msg := parseItemsQuery(vals.Encode(), id, meta.Fields)
	if msg != "" {
		return statusError(http.StatusBadRequest, msg)
	}
	if err := s.heavy.enter(); err != nil {
		return err
	}
	defer s.heavy.leave()

	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("Content-Disposition", `attachment; filename="`+downloadFileName(id, f)+`"`)
	h.Set("Cache-Control", "no-store")
	h["X-Content-Type-Options"] = hdrNoSniff
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	out := &sentWriter{w: w}
	layer := download.Layer{Name: downloadLayerName(id), Title: collectionTitle(meta, id), Fields: meta.Fields, Description: meta.Description, Attribution: meta.Attribution, License: meta.License}
	dw, err := download.New(f, out, layer, os.TempDir())
	if err != nil {
		return failure(http.StatusInternalServerError, "the download could not be started; the server log has the cause",
			err, "starting a download", "tileset", id, "format", f.Name)
	}
	fq := q.featureQuery()
	fq.Offset, fq.Limit = 0, math.MaxInt
	// A client that leaves stops the work, which for a GeoPackage or a
	// Shapefile would otherwise go on until the whole file is built.
	ctx := r.Context()
	_, err = ts.Features(fq, func(rf tileset.RawFeature) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return dw.Write(rf.JSON)
	})
	if err == nil {
		err = dw.Close()
	} else {
		dw.Abort()
	}
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		s.log.Debug("download left by its client", "tileset", id, "query", r.URL.RawQuery, "err", err)
		return nil
	}
	if !out.sent && errors.Is(err, download.ErrTooBig) {
		delete(h, "Content-Disposition")
		return statusError(http.StatusBadRequest, "parameter f="+f.Name+": "+strings.TrimPrefix(err.Error(), download.ErrTooBig.Error()+": "))
	}
	if !out.sent {
		delete(h, "Content-Disposition")
		return failure(readFailureStatus(err), "the features of collection "+strconv.Quote(id)+" could not be written as "+f.Title+"; the server log has the cause",
			err, "writing a download", "tileset", id, "query", r.URL.RawQuery)
	}
	// Part of the file is out: cut the connection, so that no client takes
	// a cut-off file for a whole one.
	s.log.Debug("writing a download", "tileset", id, "query", r.URL.RawQuery, "err", err)
	panic(http.ErrAbortHandler)
}

// sentWriter tells whether anything was written to w, and gives the
// response a Content-Length when the writer knows the file's size.
type sentWriter struct {
	w    http.ResponseWriter
	sent bool
}

// SetSize sets the Content-Length, before the first byte.
func (s *sentWriter) SetSize(n int64) {
	if !s.sent {
		s.w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	}
}

func (s *sentWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		s.sent = true
	}
	return s.w.Write(p)
}

// unsafeFileChars are the characters left out of download names.
var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// downloadLayerName is the layer or file name inside a download: the
// collection id with characters that trouble file systems replaced.
func downloadLayerName(id string) string {
	name := strings.Trim(unsafeFileChars.ReplaceAllString(id, "_"), "._")
	if name == "" {
		return "features"
	}
	return name
}

// downloadFileName is the Content-Disposition file name of a download.
func downloadFileName(id string, f download.Format) string {
	return downloadLayerName(id) + "." + f.Ext
}

// downloadLinks are the enclosure links of a collection's downloads.
func downloadLinks(base, id string) []link {
	var links []link
	for _, f := range download.Formats {
		links = append(links, link{Href: base + "/collections/" + id + "/download?f=" + f.Name, Rel: "enclosure", Type: f.MediaType, Title: downloadLinkPrefix + f.Title})
	}
	return links
}
