package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// colourTileRoutes serve JPEG and WebP colour tilesets' stored tiles (a
// PNG one's are on rasterTileRoute).
var colourTileRoutes = []string{"/tiles/{id}/{z}/{x}/{y}.jpg", "/tiles/{id}/{z}/{x}/{y}.webp"}

// isColour reports whether m is a raster tileset of stored colour tiles
// (a scanned map) rather than of values.
func isColour(m *tileset.Metadata) bool {
	return m.Raster != nil && raster.IsColour(m.Raster.Encoding)
}

// colourType is the media type a colour tileset's tiles are announced as:
// image/jpeg for a JPEG one (whose tiles with transparent pixels are PNG
// still, served as image/png), image/webp, or image/png.
func colourType(m *tileset.Metadata) string {
	switch m.Raster.Encoding {
	case raster.ColourJPEG:
		return "image/jpeg"
	case raster.ColourWebP:
		return "image/webp"
	}
	return pngType
}

// colourExt is the XYZ tile extension of a colour tileset: jpg, webp or
// png.
func colourExt(m *tileset.Metadata) string {
	switch m.Raster.Encoding {
	case raster.ColourJPEG:
		return "jpg"
	case raster.ColourWebP:
		return "webp"
	}
	return "png"
}

// colourParamError names the first rendering parameter in q (raster.go's
// renderParamNames), which a
// colour tileset does not take; "" when there is none.
func colourParamError(q url.Values, id string) string {
	for _, p := range renderParamNames {
		if q.Has(p) {
			return fmt.Sprintf("%s= does not apply to %q, whose tiles are stored colours (a scanned map), served as they are: leave it out", p, id)
		}
	}
	return ""
}

// storedColourTile returns the stored bytes of colour tile z/x/y, nil when
// none is stored.
func storedColourTile(ts *tileset.Reader, z, x, y int) ([]byte, error) {
	var b []byte
	_, err := ts.Tile(z, x, y, func(data []byte) error {
		b = append([]byte(nil), data...)
		return nil
	})
	return b, err
}

// handleColourTile serves /tiles/{id}/{z}/{x}/{y}.jpg and .webp, a JPEG or
// WebP colour tileset's stored tiles.
func (s *server) handleColourTile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	t, err := s.acquireXYZ(r, v["id"], v["z"], v["x"], v["y"])
	if err != nil {
		return err
	}
	defer t.release()
	w.Header()["Cache-Control"] = t.cacheControl
	ext := r.URL.Path[strings.LastIndex(r.URL.Path, ".")+1:]
	if !isColour(t.meta) {
		return statusError(http.StatusNotFound, "tileset "+strconv.Quote(t.id)+" holds no "+ext+" tiles: ask for /tiles/"+t.id+"/{z}/{x}/{y}."+map[bool]string{true: "png", false: "mvt"}[t.meta.Raster != nil])
	}
	return s.serveColourTile(w, r, t, ext)
}

// serveColourTile answers an XYZ request (extension ext) for colour tile
// t: the stored bytes as they are, 204 for a tile of the grid without
// colour, 404 beyond the max zoom (clients draw deeper zooms from it) or
// for the other image extension, 400 for a rendering parameter.
func (s *server) serveColourTile(w http.ResponseWriter, r *http.Request, t heldTile, ext string) error {
	id, m, z, x, y := t.id, t.meta, t.z, t.x, t.y
	if msg := colourParamError(r.URL.Query(), id); msg != "" {
		return statusError(http.StatusBadRequest, msg)
	}
	if ext != colourExt(m) {
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q stores %s tiles: ask for /tiles/%s/{z}/{x}/{y}.%s", id, strings.ToUpper(m.Raster.Encoding), id, colourExt(m)))
	}
	if z > m.MaxZoom {
		return statusError(http.StatusNotFound, fmt.Sprintf("tileset %q holds colour tiles to zoom %d; draw deeper zooms from those", id, m.MaxZoom))
	}
	return s.writeStoredColour(w, r, t, fmt.Sprintf("tile %d/%d/%d of tileset %q could not be read; the server log has the cause", z, x, y, id))
}

// writeStoredColour answers with colour tile t as it is stored, 204 where
// the grid has none; failed, the description of the 500.
func (s *server) writeStoredColour(w http.ResponseWriter, r *http.Request, t heldTile, failed string) error {
	b, err := storedColourTile(t.ts, t.z, t.x, t.y)
	switch {
	case err != nil:
		return failure(http.StatusInternalServerError, failed, err, "reading colour tile", "tileset", t.id, "z", t.z, "x", t.x, "y", t.y)
	case b == nil:
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	w.Header()["Cache-Control"] = t.cacheControl
	s.writeImage(w, r, b)
	return nil
}

// writeImage answers 200 with a stored colour tile, typed by its bytes,
// with the server's tile Cache-Control unless the caller set one.
func (s *server) writeImage(w http.ResponseWriter, r *http.Request, b []byte) {
	s.writeTileImage(w, r, raster.ColourType(b), b)
}

// colourValues reads the red, green, blue and alpha (0 to 255) of
// max-zoom pixel col, row of colour tileset m as its bands' values: all
// nil where it is transparent (nodata or outside the scan), found false
// when no tile is stored there.
func colourValues(ts *tileset.Reader, m *tileset.Metadata, z, col, row int) (values []*float64, found bool, err error) {
	size := m.Raster.TileSize
	b, err := storedColourTile(ts, z, col/size, row/size)
	if err != nil {
		return nil, false, err
	}
	values = make([]*float64, len(m.Raster.Bands))
	if b == nil {
		return values, false, nil
	}
	dec, err := raster.DecodeColour(b)
	if err != nil {
		return nil, false, err
	}
	c := dec.NRGBAAt(col%size, row%size)
	if c.A == 0 {
		return values, true, nil
	}
	for i, v := range [4]uint8{c.R, c.G, c.B, c.A} {
		if i < len(values) {
			f := float64(v)
			values[i] = &f
		}
	}
	return values, true, nil
}

// serveColourMapTile answers OGC API map tile t of a colour tileset (q
// without f=): the stored tile, 204 where the grid has none.
func (s *server) serveColourMapTile(w http.ResponseWriter, r *http.Request, t heldTile, q url.Values) error {
	if msg := colourParamError(q, t.id); msg != "" {
		return statusError(http.StatusBadRequest, msg)
	}
	return s.writeStoredColour(w, r, t, "map tile "+strconv.Itoa(t.z)+"/"+strconv.Itoa(t.y)+"/"+strconv.Itoa(t.x)+" of "+strconv.Quote(t.id)+" could not be read; the server log has the cause")
}

// wmtsColourTileRoutes are the REST GetTile resources of JPEG and WebP
// colour layers.
var wmtsColourTileRoutes = []string{"/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.jpg", "/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.webp"}

// handleWMTSColourTileREST serves the REST GetTile resource of a JPEG or
// WebP colour layer, its format from the extension.
func (s *server) handleWMTSColourTileREST(w http.ResponseWriter, r *http.Request) error {
	t := restTileRequest(r)
	t.format, t.extra = "image/jpeg", r.URL.Query()
	if strings.HasSuffix(r.URL.Path, ".webp") {
		t.format = "image/webp"
	}
	return s.serveWMTSTile(w, r, t)
}

// serveWMTSColourTile answers GetTile on a colour layer: the stored tile,
// or a transparent one where the grid has none.
func (s *server) serveWMTSColourTile(w http.ResponseWriter, r *http.Request, ts *tileset.Reader, m *tileset.Metadata, t wmtsTileRequest) error {
	if t.format != colourType(m) {
		return invalidParameter("format", "FORMAT=%s: the tiles are %s", t.format, colourType(m))
	}
	if msg := colourParamError(t.extra, t.layer); msg != "" {
		name, _, _ := strings.Cut(msg, "=")
		return invalidParameter(name, "%s", msg)
	}
	z, row, col, err := t.tileAddress(func(z int) error {
		if z > m.MaxZoom {
			return tileOutOfRange("tilematrix", "TILEMATRIX=%d: layer %s holds tile matrices to %d", z, t.layer, m.MaxZoom)
		}
		return nil
	})
	if err != nil {
		return err
	}
	b, err := storedColourTile(ts, z, col, row)
	if err != nil {
		return fmt.Errorf("reading tile %d/%d/%d of %q: %w", z, col, row, t.layer, err)
	}
	if b == nil {
		b = blankPNG(m.Raster.TileSize)
	}
	s.writeImage(w, r, b)
	return nil
}

// colourLayer makes l, the WMTS layer of colour tileset id, announce its
// stored tiles: their media type, their REST template, and one style,
// default, without a legend.
func colourLayer(l *wmtsLayer, m *tileset.Metadata, id, base string) {
	l.Formats = []string{colourType(m)}
	l.ResourceURLs = []wmtsResourceURL{{Format: colourType(m), ResourceType: "tile",
		Template: base + "/wmts/1.0.0/" + id + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}." + colourExt(m)}}
	l.Styles = []wmtsStyle{{IsDefault: true, Title: "default", Abstract: "The stored colours of the scan", Identifier: "default"}}
	lo, hi := tileZoomRange(m)
	for z := lo; z <= hi; z++ {
		t := tileLimits(m, z)
		l.TMSLink.Limits = append(l.TMSLink.Limits, wmtsTileLimits{t.TileMatrix, t.MinTileRow, t.MaxTileRow, t.MinTileCol, t.MaxTileCol})
	}
}
