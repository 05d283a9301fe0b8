package server

import (
	"errors"
	"image"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// ogcMapTileRoute is the OGC API - Tiles route of one map tile of a raster
// collection, rendered to PNG; row before column, as the standard has it.
const ogcMapTileRoute = "/collections/{id}/map/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}"

// relTilesetsMap is the link relation of a collection's map tilesets.
const relTilesetsMap = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map"

// pngType is the media type of rendered tiles.
const pngType = "image/png"

// addMapTileRoutes registers OGC API - Tiles map tiles of raster
// collections.
func (s *server) addMapTileRoutes(get func(string, http.HandlerFunc)) {
	get("/collections/{id}/map/tiles", s.api(s.handleMapTilesets))
	get("/collections/{id}/map/tiles/{tms}", s.api(s.handleMapTileset))
	get(ogcMapTileRoute, s.api(s.handleMapTile))
}

// renderedPNG renders tile z/x/y of the raster tileset ts as the XYZ route
// /tiles/{id}/{z}/{x}/{y}.png does, with the same rendering parameters
// (colormap=, rescale=, band= and the rest renderParams reads) taken from q,
// and through the same cache. It returns nil for a tile without data, and
// a one-line message naming the parameter when q holds a bad one.
func (s *server) renderedPNG(ts *tileset.Reader, m *tileset.Metadata, q url.Values, z, x, y int) (png []byte, msg string, err error) {
	key, ramp, _, msg := renderParams(&http.Request{URL: &url.URL{RawQuery: q.Encode()}}, m)
	if msg != "" {
		return nil, msg, nil
	}
	key.version, key.z, key.x, key.y = m.Version, z, x, y
	png, err = s.render(ts, m, key, ramp)
	return png, "", err
}

// blankPNG is a transparent tile of size pixels, what the WMTS answers for
// a tile of the grid without data (readers such as QGIS and GDAL draw a
// 200 image but may take a 204 as a failure).
func blankPNG(size int) []byte {
	if size == 256 {
		return blank256()
	}
	b, _ := raster.PNG(image.NewNRGBA(image.Rect(0, 0, size, size)))
	return b
}

var blank256 = sync.OnceValue(func() []byte {
	b, _ := raster.PNG(image.NewNRGBA(image.Rect(0, 0, 256, 256)))
	return b
})

// writePNG answers 200 with a rendered tile.
func (s *server) writePNG(w http.ResponseWriter, r *http.Request, png []byte) {
	s.writeTileImage(w, r, pngType, png)
}

// writeTileImage answers 200 with an image tile of contentType, with the
// server's tile Cache-Control unless the caller set one.
func (s *server) writeTileImage(w http.ResponseWriter, r *http.Request, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if h["Cache-Control"] == nil {
		h["Cache-Control"] = s.tileCacheControl
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// mapTileMaxZoom is the deepest zoom a raster tileset's map tiles are
// drawn to: as deep as the XYZ route draws (its max zoom plus 8, each
// value a block of pixels), within WebMercatorQuad.
func mapTileMaxZoom(m *tileset.Metadata) int {
	if isColour(m) {
		return m.MaxZoom // stored tiles, served as they are
	}
	return min(webMercatorMaxZoom, m.MaxZoom+8)
}

// handleMapTilesets serves /collections/{id}/map/tiles: the one map tileset
// of a raster collection, in WebMercatorQuad.
func (s *server) handleMapTilesets(w http.ResponseWriter, r *http.Request) error {
	fm, id, ts, release, err := s.openTiles(r, mapTiles)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	base := s.baseURL(r)
	mt := pngType
	if isColour(meta) {
		mt = colourType(meta)
	}
	doc := webMercatorTilesetList(base, id, meta, "map/tiles", "map", mapTiles.template(base, id), mt, "Map tiles")
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, strings.ReplaceAll(t["page.map_tilesets_of"], "{title}", collectionTitle(meta, id)), collectionCrumbs(t, base, id, meta, t["page.map_tiles"]), doc.Links, doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// mapTilesetMetadata is the tileset metadata of a raster collection's map
// tiles: the members of the vector one but its layers, with the bands
// (their units and statistics) and the ramps the tiles can be drawn with.
type mapTilesetMetadata struct {
	tilesetSummary
	// Bands describes the values behind the colours (not an OGC member).
	Bands []tileset.Band `json:"bands"`
	// Colormaps are the names colormap= takes (not an OGC member).
	Colormaps []string `json:"colormaps"`
	Links     []link   `json:"links"`
}

// handleMapTileset serves /collections/{id}/map/tiles/{tms}.
func (s *server) handleMapTileset(w http.ResponseWriter, r *http.Request) error {
	fm, id, ts, release, err := s.openTiles(r, mapTiles)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	base := s.baseURL(r)
	self := base + "/collections/" + id + "/map/tiles/" + webMercatorQuadID
	v := newTilesetMetadata(meta, id, base)
	doc := mapTilesetMetadata{tilesetSummary: v.tilesetSummary, Bands: meta.Raster.Bands, Colormaps: raster.Ramps()}
	doc.DataType = "map"
	itemType, itemTitle := pngType, "Map tiles (colormap=, rescale=, band= as on /tiles/"+id+"/{z}/{x}/{y}.png)"
	if isColour(meta) {
		doc.Colormaps = []string{} // stored colours, drawn through no ramp
		itemType, itemTitle = colourType(meta), "Map tiles (stored colours)"
	}
	doc.Links = []link{
		{Href: self, Rel: "self", Type: jsonType, Title: "This document"},
		{Href: self + "?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
		{Href: base + "/tileMatrixSets/" + webMercatorQuadID, Rel: relTilingScheme, Type: jsonType, Title: "The tile matrix set"},
		{Href: base + "/collections/" + id, Rel: relGeodata, Type: jsonType, Title: "The collection"},
		{Href: mapTiles.template(base, id), Rel: "item", Type: itemType, Title: itemTitle, Templated: true},
		{Href: base + "/collections/" + id + "/value", Rel: "describedby", Type: jsonType, Title: "Band values at a point (lon=, lat=)"},
		{Href: base + "/tiles/" + id + ".json", Rel: "describedby", Type: jsonType, Title: "TileJSON 3.0.0"},
	}
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, doc.Title, collectionCrumbs(t, base, id, meta, t["page.map_tiles"]), doc.Links, doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// handleMapTile serves one map tile: the tile rendered as on the XYZ PNG
// route, with tileRow as y and tileCol as x. A tile matrix beyond what the
// tileset is drawn to, or a row or column outside the data's limits, is a
// 404 as OGC API - Tiles requires; inside them a tile without data is a 204.
func (s *server) handleMapTile(w http.ResponseWriter, r *http.Request) error {
	t, err := s.acquireOGCTile(r, mapTiles)
	if err != nil {
		return err
	}
	defer t.release()
	q := r.URL.Query()
	delete(q, paramF)
	if isColour(t.meta) {
		return s.serveColourMapTile(w, r, t, q)
	}
	png, msg, err := s.renderedPNG(t.ts, t.meta, q, t.z, t.x, t.y)
	switch {
	case msg != "":
		return statusError(http.StatusBadRequest, msg)
	case errors.Is(err, errRenderBusy):
		return renderBusy()
	case err != nil:
		return failure(http.StatusInternalServerError, "map tile "+strconv.Itoa(t.z)+"/"+strconv.Itoa(t.y)+"/"+strconv.Itoa(t.x)+" of "+strconv.Quote(t.id)+" could not be rendered; the server log has the cause",
			err, "rendering raster tile", "tileset", t.id, "z", t.z, "x", t.x, "y", t.y)
	case png == nil:
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	w.Header()["Cache-Control"] = t.cacheControl
	s.writePNG(w, r, png)
	return nil
}

// rasterLinks are the links a raster collection adds to its document: its
// map tiles, values at a point and WMTS.
func rasterLinks(base, id string) []link {
	self := base + "/collections/" + id
	return []link{
		{Href: self + "/map/tiles", Rel: relTilesetsMap, Type: jsonType, Title: "Map tilesets (OGC API - Tiles)"},
		{Href: mapTiles.template(base, id), Rel: "item", Type: pngType, Title: "Map tiles (WebMercatorQuad)", Templated: true},
		{Href: self + "/value", Rel: "describedby", Type: jsonType, Title: "Band values at a point (lon=, lat=)"},
		{Href: base + wmtsCapabilitiesRoute, Rel: "service-desc", Type: wmtsXMLType, Title: "WMTS 1.0.0 capabilities (one layer per raster)"},
	}
}
