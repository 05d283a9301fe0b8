package server

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// WMTS layers of vector collections: the map tiles clients that cannot
// read vector tiles (GDAL's WMTS driver, older desktop GIS, OWSLib) ask
// for. Each style the WMS offers for the collection is a WMTS style of
// the same name, its LegendURL the WMS GetLegendGraphic; a tile is drawn
// by package render from the stored features, as a GetMap of the tile's
// box in EPSG:3857 is, as a transparent PNG or a JPEG on white.

// mapTileCacheBytes bounds the memory of the vector layers' tiles kept.
const mapTileCacheBytes = 32 << 20

// mapTileSize is the size of a vector layer's tiles, in pixels.
const mapTileSize = 256

// mapTileKey names one tile of a vector layer: the tileset version, the
// style kind and the format drawn. The style is generated from the
// version's metadata alone, so the key names the same picture.
type mapTileKey struct {
	version, style, format string
	z, x, y                int
}

// vectorTileDepth is the deepest tile matrix a vector layer's capabilities
// list: its tileset's max zoom, the resolution ingest chose for the data.
// Deeper tiles are drawn too (the features are stored at full precision)
// up to WebMercatorQuad's last matrix, for clients that zoom in further.
func vectorTileDepth(m *tileset.Metadata) int {
	return max(0, min(m.MaxZoom, webMercatorMaxZoom))
}

// wmtsVectorLayerOf describes vector collection id as a WMTS layer.
func (s *server) wmtsVectorLayerOf(m *tileset.Metadata, id, base string) wmtsLayer {
	b := m.Bounds
	tiles := base + "/wmts/1.0.0/" + id + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}"
	l := wmtsLayer{
		Title:      collectionTitle(m, id),
		Abstract:   m.Description,
		BBox:       wmtsBBox{Lower: fmt.Sprintf("%g %g", b[0], clampLat(b[1])), Upper: fmt.Sprintf("%g %g", b[2], clampLat(b[3]))},
		Identifier: id,
		// GDAL's WMTS driver takes the first tile ResourceURL when no
		// format is asked for: PNG, with its transparency, comes first.
		Formats: []string{pngType, jpegType},
		TMSLink: wmtsTMSLink{TileMatrixSet: webMercatorQuadID},
		ResourceURLs: []wmtsResourceURL{
			{Format: pngType, ResourceType: "tile", Template: tiles + ".png"},
			{Format: jpegType, ResourceType: "tile", Template: tiles + ".jpg"},
		},
	}
	addInfoFormats(&l, id, base, true)
	for i, st := range s.stylesOf(id, m, base, "") {
		syms, err := st.Symbols()
		if err != nil {
			continue
		}
		size := render.Legend("", syms).Rect.Size()
		q := url.Values{"SERVICE": {"WMS"}, "REQUEST": {"GetLegendGraphic"}, "VERSION": {wms130}, "SLD_VERSION": {"1.1.0"},
			"FORMAT": {pngType}, "LAYER": {id}, "STYLE": {st.Kind}}
		l.Styles = append(l.Styles, wmtsStyle{
			IsDefault: i == 0, Title: st.Title, Abstract: legendAbstract(st.Legends[0].Attribution), Identifier: st.Kind,
			Legend: &wmtsLegend{Format: pngType, Href: base + "/wms?" + q.Encode(), Width: size.X, Height: size.Y},
		})
	}
	for z := 0; z <= vectorTileDepth(m); z++ {
		t := tileLimits(m, z)
		l.TMSLink.Limits = append(l.TMSLink.Limits, wmtsTileLimits{t.TileMatrix, t.MinTileRow, t.MaxTileRow, t.MinTileCol, t.MaxTileCol})
	}
	return l
}

// vectorStyle resolves a vector layer's STYLE: a style kind the WMS
// offers ("default" among them, drawn by geometry alone), or "" for the
// collection's preferred style, the capabilities' default.
func (s *server) vectorStyle(id string, m *tileset.Metadata, style, base string) (styles.Style, error) {
	all := s.stylesOf(id, m, base, "")
	if len(all) == 0 {
		return styles.Style{}, fmt.Errorf("collection %q has no style", id)
	}
	if style == "" {
		return all[0], nil
	}
	st, ok := findStyle(all, strings.TrimPrefix(style, id+"."))
	if !ok {
		return st, invalidParameter("style", "STYLE=%s: layer %s has the styles %s", style, id, strings.Join(kindsOf(all), ", "))
	}
	return st, nil
}

// serveWMTSVectorTile answers GetTile of vector collection id, whose
// tileset ts the caller holds: the tile drawn from the stored features
// (a heavy request, see render), or taken from the cache of drawn tiles,
// answered 304 when the client holds the same bytes.
func (s *server) serveWMTSVectorTile(w http.ResponseWriter, r *http.Request, id string, ts *tileset.Reader, t wmtsTileRequest) error {
	m := ts.Metadata()
	st, err := s.vectorStyle(id, m, t.style, s.baseURL(r))
	if err != nil {
		return err
	}
	if t.format != pngType && t.format != jpegType {
		return invalidParameter("format", "FORMAT=%s: the tiles are %s or %s", t.format, pngType, jpegType)
	}
	tile, err := vectorMapTile(t)
	if err != nil {
		return err
	}
	z, col, row := int(tile.Z), int(tile.X), int(tile.Y)
	var body []byte
	if !tile.Bound(float64(wmsMargin) / mapTileSize).Intersects(orb.Bound{Min: orb.Point{m.Bounds[0], m.Bounds[1]}, Max: orb.Point{m.Bounds[2], m.Bounds[3]}}) {
		body = blankMapTile(t.format)
	} else {
		key := mapTileKey{version: m.Version, style: st.Kind, format: t.format, z: z, x: col, y: row}
		body, err = s.mapTiles.get(key, func() ([]byte, int, error) {
			if !s.heavy.enterWithin(s.renderWait) {
				return nil, 0, errRenderBusy
			}
			defer s.heavy.leave()
			b, err := s.drawMapTile(r, id, ts, st, tile, t.format)
			return b, len(b) + 64, err
		})
	}
	switch {
	case errors.Is(err, errRenderBusy):
		return &owsException{http.StatusServiceUnavailable, "NoApplicableCode", "", "the server is drawing as many map tiles as it can at once; retry in a second (tiles drawn before are served from its cache meanwhile)"}
	case errors.Is(err, context.Canceled):
		// This client left, or the one the tile was being drawn for did:
		// nothing is wrong with the server.
		return &owsException{http.StatusServiceUnavailable, "NoApplicableCode", "", "the tile was being drawn for a request that was cancelled; retry"}
	case err != nil:
		return fmt.Errorf("drawing WMTS tile %d/%d/%d of %q in style %s: %w", z, col, row, id, st.Kind, err)
	}
	s.writeMapTile(w, r, t.format, body)
	return nil
}

// vectorMapTile reads the tile a GetTile or GetFeatureInfo of a vector
// layer names: any matrix of WebMercatorQuad, which the layer is drawn to.
func vectorMapTile(t wmtsTileRequest) (maptile.Tile, error) {
	z, row, col, err := t.tileAddress(nil)
	if err != nil {
		return maptile.Tile{}, err
	}
	return maptile.New(uint32(col), uint32(row), maptile.Zoom(z)), nil
}

// drawMapTile draws tile of collection id in style st as format.
func (s *server) drawMapTile(r *http.Request, id string, ts *tileset.Reader, st styles.Style, tile maptile.Tile, format string) ([]byte, error) {
	syms, err := st.Symbols()
	if err != nil {
		return nil, err
	}
	v := render.View{CRS: render.WebMercator, BBox: mercatorBound(tile), Width: mapTileSize, Height: mapTileSize}
	c := render.NewCanvas(v, nil)
	l := &wmsLayer{id: id, name: id, ts: ts, release: func() {}, style: st, syms: syms, class: render.NewClassifier(syms), cache: s.mapFeatures}
	// No labels: a tile's labeller would keep each label inside its own
	// tile, so labels would stop at tile edges and differ from tile to tile.
	if err := s.drawLayer(r, c, l, nil); err != nil {
		return nil, err
	}
	if format == jpegType {
		return render.JPEG(c.Image(), color.White)
	}
	return render.PNG(c.Image())
}

// mercatorBound is the box of a tile in EPSG:3857 metres, from the tile
// grid itself rather than by projecting its lon/lat corners, so that
// tiles join exactly.
func mercatorBound(t maptile.Tile) orb.Bound {
	size := 2 * webMercatorHalf / float64(uint64(1)<<t.Z)
	x0, y0 := -webMercatorHalf+float64(t.X)*size, webMercatorHalf-float64(t.Y+1)*size
	return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x0 + size, y0 + size}}
}

// blankMapTile is a tile with nothing drawn: transparent PNG, white JPEG.
func blankMapTile(format string) []byte {
	if format == jpegType {
		return blankJPEG()
	}
	return blank256()
}

var blankJPEG = sync.OnceValue(func() []byte {
	b, _ := render.JPEG(image.NewRGBA(image.Rect(0, 0, mapTileSize, mapTileSize)), color.White)
	return b
})

// writeMapTile answers 200 with a drawn tile, with the Cache-Control of
// tiles and a strong ETag of its bytes; 304 when If-None-Match holds it.
func (s *server) writeMapTile(w http.ResponseWriter, r *http.Request, format string, body []byte) {
	h := w.Header()
	h["Cache-Control"] = s.tileCacheControl
	etag := bodyETag(body)
	h["Etag"] = []string{etag}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", format)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// writeVectorLegend answers the REST legend resource of a vector layer's
// style: the image WMS GetLegendGraphic draws.
func (s *server) writeVectorLegend(w http.ResponseWriter, r *http.Request, id string, m *tileset.Metadata, style string) error {
	st, err := s.vectorStyle(id, m, style, s.baseURL(r))
	if err != nil {
		return err
	}
	syms, err := st.Symbols()
	if err != nil {
		return err
	}
	body, err := render.PNG(render.Legend("", syms))
	if err != nil {
		return err
	}
	s.writeMapTile(w, r, pngType, body)
	return nil
}
