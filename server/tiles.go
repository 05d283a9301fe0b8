package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// tileRoute is the XYZ vector tile route; y counts from the top (XYZ, not TMS).
const tileRoute = "/tiles/{id}/{z}/{x}/{y}.{format:mvt|pbf}"

// maxTileZoom is the deepest zoom the tile route accepts. Beyond it x and y
// no longer fit the tileset's 32-bit keys and no survey needs the detail.
const maxTileZoom = 30

// mvtContentType is the media type of a Mapbox Vector Tile.
const mvtContentType = "application/vnd.mapbox-vector-tile"

// Header values shared by every tile response. They are assigned straight
// into the header map, which saves building a slice per header per request;
// net/http only reads them, and each has len == cap, so an Add by any handler
// copies instead of writing into the shared array.
var (
	hdrMVT            = []string{mvtContentType}
	hdrGzip           = []string{"gzip"}
	hdrVaryEncoding   = []string{"Accept-Encoding"}
	hdrNoStore        = []string{"no-store"}
	hdrJSONType       = []string{"application/json"}
	hdrNoSniff        = []string{"nosniff"}
	hdrAllowGetHeadOp = []string{"GET, HEAD, OPTIONS"}
)

// handleTile serves the tile route when gorilla/mux has matched it: only
// for requests that the fast path in tileDispatch leaves to the router.
func (s *server) handleTile(w http.ResponseWriter, r *http.Request) error {
	vars := mux.Vars(r)
	return s.serveTile(w, r, tilePathVars{id: vars["id"], z: vars["z"], x: vars["x"], y: vars["y"]})
}

// tilePathVars are the variables of the tile route, as they appear in the path.
type tilePathVars struct{ id, z, x, y string }

// splitTilePath matches path against the tile route,
// /tiles/{id}/{z}/{x}/{y}.mvt or .pbf, without a regular expression. It
// refuses anything mux would treat differently (empty or dot segments), so
// that the router stays the authority on every other path.
func splitTilePath(path string) (v tilePathVars, ok bool) {
	rest, ok := strings.CutPrefix(path, "/tiles/")
	if !ok {
		return v, false
	}
	if rest, ok = strings.CutSuffix(rest, ".mvt"); !ok {
		if rest, ok = strings.CutSuffix(rest, ".pbf"); !ok {
			return v, false
		}
	}
	var segs [4]string
	for i := range segs {
		seg, tail, found := strings.Cut(rest, "/")
		if seg == "" || seg == "." || seg == ".." || found != (i < 3) {
			return v, false
		}
		segs[i], rest = seg, tail
	}
	return tilePathVars{id: segs[0], z: segs[1], x: segs[2], y: segs[3]}, true
}

// tileDispatch sends GET and HEAD requests for tiles straight to the tile
// handler and everything else to the router. Tiles are nearly all of the
// traffic, and mux's regular expressions and two request copies for the
// route variables cost more than the rest of a tile request.
func (s *server) tileDispatch(router http.Handler) http.Handler {
	tiles := s.instrument(routeLabel(tileRoute), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := splitTilePath(r.URL.Path)
		s.answerError(w, r, s.serveTile(w, r, v))
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if _, ok := splitTilePath(r.URL.Path); ok {
				tiles.ServeHTTP(w, r)
				return
			}
		}
		router.ServeHTTP(w, r)
	})
}

// serveTile serves one vector tile. It is the hot path: the tileset's header
// values are precomputed per version, the bytes are written from inside the
// tileset's read callback without a copy, and nothing is logged on success.
func (s *server) serveTile(w http.ResponseWriter, r *http.Request, v tilePathVars) error {
	t, err := s.acquireXYZ(r, v.id, v.z, v.x, v.y)
	if err != nil {
		return err
	}
	defer t.release()
	return s.serveAcquiredTile(w, r, t)
}

// serveAcquiredTile serves tile t, whose tileset the caller holds: the
// part of serveTile shared with the OGC API tile route.
// A zoom deeper than the tileset's max zoom, up to the server's max
// overzoom, is cut from the max-zoom tile above it (see overzoom.go), with
// the same ETag, caching and statuses as a stored tile; deeper still is a
// 404.
func (s *server) serveAcquiredTile(w http.ResponseWriter, r *http.Request, t heldTile) error {
	id, ts, z, x, y := t.id, t.ts, t.z, t.x, t.y
	if t.meta.Raster != nil {
		// Data tiles are not MVT, and never go through the MVT overzoom.
		return statusError(http.StatusNotFound, "tileset "+strconv.Quote(id)+" is a raster: ask for /tiles/"+id+"/{z}/{x}/{y}.png")
	}
	info := s.tiles.get(id, t.meta)
	if z > info.maxZoom && z > s.maxOverzoom {
		return statusError(http.StatusNotFound, "tileset "+strconv.Quote(id)+" is served to zoom "+strconv.Itoa(max(info.maxZoom, s.maxOverzoom))+
			": its own tiles go to zoom "+strconv.Itoa(info.maxZoom)+" and deeper ones are cut from them up to the server's --max-overzoom")
	}

	gz := acceptsGzip(r.Header["Accept-Encoding"])
	h := w.Header()
	h["Vary"] = hdrVaryEncoding
	h["Cache-Control"] = t.cacheControl
	etag := info.etag(z, x, y, gz)
	if etag != "" {
		h["Etag"] = []string{etag}
		// The ETag names the tile without reading it, so a revalidation is
		// answered before the tileset is touched.
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	if z < info.minZoom {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}

	head := r.Method == http.MethodHead
	wrote := false
	var (
		found bool
		err   error
	)
	if z > info.maxZoom {
		var data []byte
		data, err = s.overzoom.tile(ts, info, z, x, y)
		if found = data != nil; found && err == nil {
			err = s.writeTile(w, data, gz, head, &wrote)
		}
	} else {
		found, err = ts.Tile(z, x, y, func(data []byte) error {
			return s.writeTile(w, data, gz, head, &wrote)
		})
	}
	switch {
	case err != nil && !wrote:
		return failure(readFailureStatus(err), fmt.Sprintf("tile %d/%d/%d of tileset %q could not be read; the server log has the cause", z, x, y, id),
			err, "reading tile", "tileset", id, "z", z, "x", x, "y", y)
	case err != nil:
		// The body was cut short: the client went away, or the file was
		// overwritten in place in the middle of the copy. net/http counts
		// the bytes given to Write, not those sent, so it would keep the
		// connection for another request and the client would wait for
		// the rest of the body for ever: abort it instead.
		if errors.Is(err, tileset.ErrDamaged) {
			s.logReadError("reading tile", err, "tileset", id, "z", z, "x", x, "y", y)
		} else {
			s.log.Debug("writing tile", "tileset", id, "z", z, "x", x, "y", y, "err", err)
		}
		panic(http.ErrAbortHandler)
	case !found:
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// writeTile writes data, a gzip-compressed tile, as the client accepts it.
// wrote is set once the status line is committed, after which errors can
// only be logged.
func (s *server) writeTile(w http.ResponseWriter, data []byte, gz, head bool, wrote *bool) error {
	if !gz {
		// Decompress before any header goes out so that a corrupt tile can
		// still be answered with a 500.
		return s.writeIdentityTile(w, data, head, wrote)
	}
	h := w.Header()
	h["Content-Type"] = hdrMVT
	h["Content-Encoding"] = hdrGzip
	h["Content-Length"] = []string{strconv.Itoa(len(data))}
	*wrote = true
	w.WriteHeader(http.StatusOK)
	if head {
		return nil
	}
	_, err := w.Write(data)
	return err
}

// gzipReaders and tileBuffers serve the rare client that does not accept
// gzip; pooling them keeps such a client from costing a gzip reader's 40 KB
// of state per tile.
var (
	gzipReaders sync.Pool // *gzip.Reader
	tileBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// maxPooledBuffer is the largest buffer returned to tileBuffers: one
// exceptional tile must not pin megabytes for the life of the process.
const maxPooledBuffer = 1 << 20

// writeIdentityTile writes the decompressed tile. wrote is set once the
// status line is committed, after which errors can only be logged.
func (s *server) writeIdentityTile(w http.ResponseWriter, data []byte, head bool, wrote *bool) error {
	buf := tileBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			tileBuffers.Put(buf)
		}
	}()
	if err := gunzip(buf, data); err != nil {
		return fmt.Errorf("stored tile is not valid gzip: %w", err)
	}
	h := w.Header()
	h["Content-Type"] = hdrMVT
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	*wrote = true
	w.WriteHeader(http.StatusOK)
	if head {
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// gunzip appends the decompressed data to buf.
func gunzip(buf *bytes.Buffer, data []byte) error {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(data))
	} else {
		err = zr.Reset(bytes.NewReader(data))
	}
	if err != nil {
		return err
	}
	defer gzipReaders.Put(zr)
	if _, err := io.Copy(buf, zr); err != nil {
		return err
	}
	return zr.Close()
}

// acquireError is the error of a request for a tileset the catalog cannot
// hand out: 404 for an unknown id, 503 (logged) when the store itself
// failed.
func acquireError(r *http.Request, id string, err error) *httpError {
	if errors.Is(err, store.ErrNotFound) {
		return statusError(http.StatusNotFound, fmt.Sprintf("no tileset %q; GET /collections lists the tilesets served", id))
	}
	return failure(http.StatusServiceUnavailable, fmt.Sprintf("tileset %q cannot be opened now; the server log has the cause", id),
		err, "opening tileset", "tileset", id, "path", r.URL.Path)
}

// parseTileAddress checks z/x/y as they appear in a tile URL. It returns a
// one-line message for the client when they do not address a tile of the
// WebMercatorQuad grid, and "" when they do.
func parseTileAddress(zs, xs, ys string) (z, x, y int, msg string) {
	z, ok := parseCoord(zs)
	if !ok || z > maxTileZoom {
		return 0, 0, 0, "zoom " + strconv.Quote(zs) + " in the tile path must be an integer from 0 to " + strconv.Itoa(maxTileZoom)
	}
	last := 1<<z - 1
	if x, ok = parseCoord(xs); !ok || x > last {
		return 0, 0, 0, "column x " + strconv.Quote(xs) + " in the tile path must be an integer from 0 to " + strconv.Itoa(last) + " at zoom " + zs
	}
	if y, ok = parseCoord(ys); !ok || y > last {
		return 0, 0, 0, "row y " + strconv.Quote(ys) + " in the tile path must be an integer from 0 to " + strconv.Itoa(last) + " at zoom " + zs + " (counted from the top, XYZ)"
	}
	return z, x, y, ""
}

// parseCoord parses a tile coordinate: ASCII digits only, so that signs,
// spaces and hex forms that strconv.Atoi would accept or explain badly are
// refused. Ten digits are more than any zoom up to 30 needs and cannot
// overflow an int.
func parseCoord(s string) (int, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cacheControl returns the Cache-Control value for a max-age setting: zero
// means def, negative means always revalidate.
func cacheControl(maxAge, def time.Duration) string {
	if maxAge == 0 {
		maxAge = def
	}
	if maxAge < 0 {
		return "public, no-cache"
	}
	return "public, max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10)
}
