package server

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

// WebMercatorQuad, the one tile matrix set the tiles are cut in, as the OGC
// Two Dimensional Tile Matrix Set standard (17-083r4, annex D) defines it.
const (
	webMercatorQuadID  = "WebMercatorQuad"
	webMercatorQuadURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	epsg3857           = "http://www.opengis.net/def/crs/EPSG/0/3857"
	// webMercatorMaxZoom is the deepest tile matrix of the registered
	// definition.
	webMercatorMaxZoom = 24
	// webMercatorHalf is half the width of the projected world in metres:
	// π times the WGS 84 semi-major axis.
	webMercatorHalf = math.Pi * 6378137
	// pixelSize is the standardized rendering pixel, 0.28 mm, which links
	// cell sizes to scale denominators.
	pixelSize = 0.00028
)

// tileMatrixSet is the JSON encoding of a 2D tile matrix set: the members
// of TMS 2.0 (OGC 17-083r4) and, beside them, those of TMS 1.0 (17-083r2)
// that name the same matrices. GDAL up to 3.6 (Debian 12's) parses only
// the 1.0 form, which it recognises by its type; readers of 2.0 ignore the
// members their schema does not name, and GDAL 3.7 on reads the 2.0 ones.
// One document at one URL serves both, where content negotiation could
// not: both ask for application/json.
type tileMatrixSet struct {
	ID                string       `json:"id"`
	Title             string       `json:"title"`
	URI               string       `json:"uri"`
	CRS               string       `json:"crs"`
	OrderedAxes       []string     `json:"orderedAxes"`
	WellKnownScaleSet string       `json:"wellKnownScaleSet"`
	TileMatrices      []tileMatrix `json:"tileMatrices"`
	tileMatrixSet10
	Links []link `json:"links,omitempty"`
}

// tileMatrixSet10 holds the members of the TMS 1.0 JSON encoding.
type tileMatrixSet10 struct {
	Type         string         `json:"type"`
	Identifier   string         `json:"identifier"`
	SupportedCRS string         `json:"supportedCRS"`
	TileMatrix   []tileMatrix10 `json:"tileMatrix"`
}

// tileMatrix10 is one zoom level in the TMS 1.0 JSON encoding, where the
// origin is always the top-left corner and the cell size follows from the
// scale denominator.
type tileMatrix10 struct {
	Type             string     `json:"type"`
	Identifier       string     `json:"identifier"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	TopLeftCorner    [2]float64 `json:"topLeftCorner"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int        `json:"matrixWidth"`
	MatrixHeight     int        `json:"matrixHeight"`
}

// tileMatrix is one zoom level of a tile matrix set.
type tileMatrix struct {
	ID               string     `json:"id"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int        `json:"matrixWidth"`
	MatrixHeight     int        `json:"matrixHeight"`
}

// webMercatorQuad builds the WebMercatorQuad definition: 256-pixel tiles,
// the whole projected world in one tile at zoom 0, halving cells per zoom.
func webMercatorQuad() tileMatrixSet {
	tms := tileMatrixSet{
		ID:                webMercatorQuadID,
		Title:             "Google Maps Compatible for the World",
		URI:               webMercatorQuadURI,
		CRS:               epsg3857,
		OrderedAxes:       []string{"X", "Y"},
		WellKnownScaleSet: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		tileMatrixSet10:   tileMatrixSet10{Type: "TileMatrixSetType", Identifier: webMercatorQuadID, SupportedCRS: epsg3857},
	}
	for z := 0; z <= webMercatorMaxZoom; z++ {
		n := 1 << z
		cell := 2 * webMercatorHalf / 256 / float64(n)
		tms.TileMatrices = append(tms.TileMatrices, tileMatrix{
			ID:               strconv.Itoa(z),
			ScaleDenominator: cell / pixelSize,
			CellSize:         cell,
			CornerOfOrigin:   "topLeft",
			PointOfOrigin:    [2]float64{-webMercatorHalf, webMercatorHalf},
			TileWidth:        256,
			TileHeight:       256,
			MatrixWidth:      n,
			MatrixHeight:     n,
		})
		tms.TileMatrix = append(tms.TileMatrix, tileMatrix10{
			Type:             "TileMatrixType",
			Identifier:       strconv.Itoa(z),
			ScaleDenominator: cell / pixelSize,
			TopLeftCorner:    [2]float64{-webMercatorHalf, webMercatorHalf},
			TileWidth:        256,
			TileHeight:       256,
			MatrixWidth:      n,
			MatrixHeight:     n,
		})
	}
	return tms
}

// tileMatrixSetRef is an entry of the /tileMatrixSets list.
type tileMatrixSetRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URI   string `json:"uri"`
	CRS   string `json:"crs"`
	Links []link `json:"links"`
}

// tileMatrixSets is the /tileMatrixSets document.
type tileMatrixSets struct {
	TileMatrixSets []tileMatrixSetRef `json:"tileMatrixSets"`
	Links          []link             `json:"links"`
}

// handleTileMatrixSets serves /tileMatrixSets.
func (s *server) handleTileMatrixSets(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	tms := webMercatorQuad()
	doc := tileMatrixSets{
		TileMatrixSets: []tileMatrixSetRef{{
			ID: tms.ID, Title: tms.Title, URI: tms.URI, CRS: tms.CRS,
			Links: []link{{Href: base + "/tileMatrixSets/" + tms.ID, Rel: "self", Type: jsonType, Title: "The definition of " + tms.ID}},
		}},
		Links: []link{
			{Href: base + "/tileMatrixSets", Rel: "self", Type: jsonType, Title: "This document"},
			{Href: base + "/tileMatrixSets?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
		},
	}
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, t["cat.tms"], []crumb{{t["cat.tms"], ""}}, doc.Links, doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// handleTileMatrixSet serves /tileMatrixSets/{tms}.
func (s *server) handleTileMatrixSet(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	if id := mux.Vars(r)["tms"]; id != webMercatorQuadID {
		return statusError(http.StatusNotFound, "no tile matrix set "+strconv.Quote(id)+"; the tiles are served in "+webMercatorQuadID)
	}
	base := s.baseURL(r)
	tms := webMercatorQuad()
	tms.Links = []link{
		{Href: base + "/tileMatrixSets/" + tms.ID, Rel: "self", Type: jsonType, Title: "This document"},
		{Href: base + "/tileMatrixSets/" + tms.ID + "?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
	}
	if fm == formatHTML {
		lang, t := s.pageLang(r)
		return s.writeDocHTML(w, r, lang, t, base, tms.Title, []crumb{{t["cat.tms"], base + "/tileMatrixSets?f=html"}, {tms.ID, ""}}, tms.Links, tms)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, tms)
}
