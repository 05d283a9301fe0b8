package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/tileset"
)

// ogcTileRoute is the OGC API - Tiles route of one vector tile; row before
// column, as the standard has it.
const ogcTileRoute = "/collections/{id}/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}"

// tilesetRef is an entry of a /collections/{id}/tiles list.
type tilesetRef struct {
	Title            string `json:"title"`
	DataType         string `json:"dataType"`
	CRS              string `json:"crs"`
	TileMatrixSetURI string `json:"tileMatrixSetURI"`
	Links            []link `json:"links"`
}

// tilesetList is the /collections/{id}/tiles document.
type tilesetList struct {
	Tilesets []tilesetRef `json:"tilesets"`
	Links    []link       `json:"links"`
}

// tilesetMetadata is the /collections/{id}/tiles/WebMercatorQuad document,
// the tile set metadata of the 2D Tile Matrix Set standard.
type tilesetMetadata struct {
	tilesetSummary
	Layers []tilesetLayer `json:"layers"`
	Links  []link         `json:"links"`
}

// tilesetSummary are the members that open the tile set metadata of both
// vector and map tiles.
type tilesetSummary struct {
	Title               string             `json:"title"`
	Description         string             `json:"description,omitempty"`
	Attribution         string             `json:"attribution,omitempty"`
	License             string             `json:"license,omitempty"`
	DataType            string             `json:"dataType"`
	CRS                 string             `json:"crs"`
	TileMatrixSetURI    string             `json:"tileMatrixSetURI"`
	TileMatrixSetLimits []tileMatrixLimits `json:"tileMatrixSetLimits"`
	BoundingBox         tilesetBoundingBox `json:"boundingBox"`
	CenterPoint         tilesetCenterPoint `json:"centerPoint"`
}

// tileMatrixLimits are the rows and columns of one zoom that hold data.
type tileMatrixLimits struct {
	TileMatrix string `json:"tileMatrix"`
	MinTileRow int    `json:"minTileRow"`
	MaxTileRow int    `json:"maxTileRow"`
	MinTileCol int    `json:"minTileCol"`
	MaxTileCol int    `json:"maxTileCol"`
}

// tilesetBoundingBox is the extent of the data, in CRS84.
type tilesetBoundingBox struct {
	LowerLeft  [2]float64 `json:"lowerLeft"`
	UpperRight [2]float64 `json:"upperRight"`
	CRS        string     `json:"crs"`
}

// tilesetCenterPoint is where and at which zoom a map of the tileset opens.
type tilesetCenterPoint struct {
	Coordinates [2]float64 `json:"coordinates"`
	TileMatrix  string     `json:"tileMatrix"`
	CRS         string     `json:"crs"`
}

// tilesetLayer describes the one MVT layer of the tiles.
type tilesetLayer struct {
	ID                string           `json:"id"`
	Title             string           `json:"title"`
	DataType          string           `json:"dataType"`
	GeometryDimension *int             `json:"geometryDimension,omitempty"`
	MinTileMatrix     string           `json:"minTileMatrix"`
	MaxTileMatrix     string           `json:"maxTileMatrix"`
	PropertiesSchema  propertiesSchema `json:"propertiesSchema"`
}

// propertiesSchema is the JSON Schema of a layer's attributes.
type propertiesSchema struct {
	Type       string          `json:"type"`
	Properties schemaQueryable `json:"properties"`
}

// tileZoomRange is the zooms of tileset m that the OGC API offers: its own
// range within WebMercatorQuad's.
func tileZoomRange(m *tileset.Metadata) (lo, hi int) {
	return max(0, m.MinZoom), min(webMercatorMaxZoom, m.MaxZoom)
}

// tileLimits returns the rows and columns at zoom z that the bounds of m
// touch. Bounds on the poles or the antimeridian are clamped into the grid.
func tileLimits(m *tileset.Metadata, z int) tileMatrixLimits {
	last := 1<<z - 1
	clamp := func(v uint32) int { return min(int(v), last) }
	nw := maptile.At(orb.Point{m.Bounds[0], clampLat(m.Bounds[3])}, maptile.Zoom(z))
	se := maptile.At(orb.Point{m.Bounds[2], clampLat(m.Bounds[1])}, maptile.Zoom(z))
	return tileMatrixLimits{
		TileMatrix: strconv.Itoa(z),
		MinTileRow: clamp(nw.Y), MaxTileRow: clamp(se.Y),
		MinTileCol: clamp(nw.X), MaxTileCol: clamp(se.X),
	}
}

// clampLat keeps a latitude inside Web Mercator's square world.
func clampLat(lat float64) float64 {
	const maxLat = 85.05112877980659
	return max(-maxLat, min(maxLat, lat))
}

// geometryDimension is the OGC geometry dimension of a tileset's geometry
// type, nil when mixed.
func geometryDimension(t string) *int {
	d := -1
	switch t {
	case "point":
		d = 0
	case "line":
		d = 1
	case "polygon":
		d = 2
	}
	if d < 0 {
		return nil
	}
	return &d
}

// handleTilesets serves /collections/{id}/tiles: the one tileset of a
// collection, cut in WebMercatorQuad.
func (s *server) handleTilesets(w http.ResponseWriter, r *http.Request) error {
	fm, id, ts, release, err := s.openTiles(r, vectorTiles)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	base := s.baseURL(r)
	doc := webMercatorTilesetList(base, id, meta, "tiles", "vector", vectorTiles.template(base, id), mvtContentType, "Vector tiles")
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, strings.ReplaceAll(t["page.tilesets_of"], "{title}", collectionTitle(meta, id)), collectionCrumbs(t, base, id, meta, t["page.tiles"]), doc.Links, doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// webMercatorTilesetList is the list of a collection's one tileset in
// WebMercatorQuad, served at /collections/{id}/{path}: its data type
// ("vector" or "map") and its tiles' URL template, media type and title.
func webMercatorTilesetList(base, id string, meta *tileset.Metadata, path, dataType, template, mediaType, title string) tilesetList {
	tiles := base + "/collections/" + id + "/" + path
	return tilesetList{
		Tilesets: []tilesetRef{{
			Title:            collectionTitle(meta, id) + " (" + webMercatorQuadID + ")",
			DataType:         dataType,
			CRS:              epsg3857,
			TileMatrixSetURI: webMercatorQuadURI,
			Links: []link{
				{Href: tiles + "/" + webMercatorQuadID, Rel: "self", Type: jsonType, Title: "The tileset metadata"},
				{Href: base + "/tileMatrixSets/" + webMercatorQuadID, Rel: relTilingScheme, Type: jsonType, Title: "The tile matrix set"},
				{Href: template, Rel: "item", Type: mediaType, Title: title, Templated: true},
			},
		}},
		Links: []link{
			{Href: tiles, Rel: "self", Type: jsonType, Title: "This document"},
			{Href: tiles + "?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
			{Href: base + "/collections/" + id, Rel: relGeodata, Type: jsonType, Title: "The collection"},
		},
	}
}

// handleTileset serves /collections/{id}/tiles/{tms}: the tileset metadata.
func (s *server) handleTileset(w http.ResponseWriter, r *http.Request) error {
	fm, id, ts, release, err := s.openTiles(r, vectorTiles)
	if err != nil {
		return err
	}
	defer release()
	meta := ts.Metadata()
	base := s.baseURL(r)
	doc := newTilesetMetadata(meta, id, base)
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, doc.Title, collectionCrumbs(t, base, id, meta, webMercatorQuadID), doc.Links, doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// newTilesetMetadata describes the WebMercatorQuad tileset of tileset id.
func newTilesetMetadata(meta *tileset.Metadata, id, base string) tilesetMetadata {
	self := base + "/collections/" + id + "/tiles/" + webMercatorQuadID
	lo, hi := tileZoomRange(meta)
	limits := []tileMatrixLimits{}
	for z := lo; z <= hi; z++ {
		limits = append(limits, tileLimits(meta, z))
	}
	b := meta.Bounds
	center := tileJSONCenter(meta)
	title := collectionTitle(meta, id)
	return tilesetMetadata{
		tilesetSummary: tilesetSummary{
			Title:               title,
			Description:         meta.Description,
			Attribution:         meta.Attribution,
			License:             meta.License,
			DataType:            "vector",
			CRS:                 epsg3857,
			TileMatrixSetURI:    webMercatorQuadURI,
			TileMatrixSetLimits: limits,
			BoundingBox:         tilesetBoundingBox{LowerLeft: [2]float64{b[0], b[1]}, UpperRight: [2]float64{b[2], b[3]}, CRS: crs84},
			CenterPoint:         tilesetCenterPoint{Coordinates: [2]float64{center[0], center[1]}, TileMatrix: strconv.Itoa(int(center[2])), CRS: crs84},
		},
		Layers: []tilesetLayer{{
			ID:                meta.Layer,
			Title:             title,
			DataType:          "vector",
			GeometryDimension: geometryDimension(meta.GeometryType),
			MinTileMatrix:     strconv.Itoa(lo),
			MaxTileMatrix:     strconv.Itoa(hi),
			PropertiesSchema:  propertiesSchema{Type: "object", Properties: schemaQueryable(meta.Fields)},
		}},
		Links: []link{
			{Href: self, Rel: "self", Type: jsonType, Title: "This document"},
			{Href: self + "?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
			{Href: base + "/tileMatrixSets/" + webMercatorQuadID, Rel: relTilingScheme, Type: jsonType, Title: "The tile matrix set"},
			{Href: base + "/collections/" + id, Rel: relGeodata, Type: jsonType, Title: "The collection"},
			{Href: vectorTiles.template(base, versionedID(meta, id)), Rel: "item", Type: mvtContentType, Title: "Vector tiles of this version (immutable)", Templated: true},
			{Href: base + "/tiles/" + id + ".json", Rel: "describedby", Type: jsonType, Title: "TileJSON 3.0.0"},
		},
	}
}

// handleOGCTile serves one tile of the OGC API route: the same bytes, ETag
// and caching as the XYZ route, with tileRow as y and tileCol as x. A tile
// matrix, row or column outside the tileset's limits is a 404, as OGC API -
// Tiles requires; inside them, a tile without data is a 204, as on the XYZ
// route.
func (s *server) handleOGCTile(w http.ResponseWriter, r *http.Request) error {
	t, err := s.acquireOGCTile(r, vectorTiles)
	if err != nil {
		return err
	}
	defer t.release()
	return s.serveAcquiredTile(w, r, t)
}
