package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/tileset"
)

// tileJSON is a TileJSON 3.0.0 document
// (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0). Its version
// member is left out: the spec wants a semver of the tileset, and a tileset's
// Version is an opaque token that the ETags carry instead.
//
// maxzoom is the tileset's own, native max zoom, from which clients that
// read TileJSON (MapLibre, OpenLayers) overzoom by themselves, which costs
// the server nothing. The tiles URL names the current version (see
// versioned.go), so its tiles are immutable. overzoom_maxzoom, an Outcrop extension, is the
// deepest zoom the tiles URL still answers, cutting the tiles deeper than
// maxzoom from the maxzoom ones, for clients given the URL alone.
type tileJSON struct {
	TileJSON    string   `json:"tilejson"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	Scheme      string   `json:"scheme"`
	Tiles       []string `json:"tiles"`
	MinZoom     int      `json:"minzoom"`
	MaxZoom     int      `json:"maxzoom"`
	// OverzoomMaxZoom is absent when the server does not overzoom.
	OverzoomMaxZoom int           `json:"overzoom_maxzoom,omitempty"`
	Bounds          [4]float64    `json:"bounds"`
	Center          [3]float64    `json:"center"`
	VectorLayers    []vectorLayer `json:"vector_layers,omitempty"`
	// Bands, an Outcrop extension, describes a raster tileset's bands.
	Bands []tileset.Band `json:"bands,omitempty"`
	// TileSize, an Outcrop extension, is the width and height in pixels of
	// a raster tileset's PNG tiles (MapLibre's raster source tileSize).
	TileSize int `json:"tile_size,omitempty"`
	// Encoding is set in a raster's elevation variant (?encoding=): the
	// encoding of its tiles as MapLibre's raster-dem source names it,
	// "terrarium" or "mapbox" (Terrain-RGB).
	Encoding string `json:"encoding,omitempty"`
}

// demEncodings maps the encoding= values of raster tiles to the names
// MapLibre's raster-dem source gives them.
var demEncodings = map[string]string{raster.Terrarium: "terrarium", raster.TerrainRGB: "mapbox"}

// vectorLayer describes the MVT layer of a tileset.
type vectorLayer struct {
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Fields      tileJSONFields `json:"fields"`
	MinZoom     int            `json:"minzoom"`
	MaxZoom     int            `json:"maxzoom"`
}

// tileJSONFields is the fields object of a vector layer. It keeps the
// tileset's field order, which is the source file's, where a Go map would
// sort the names.
type tileJSONFields []tileset.Field

// MarshalJSON writes {"name": "Number" | "String" | "Boolean", ...}, the
// type names that tippecanoe made the convention for TileJSON fields.
func (f tileJSONFields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, fd := range f {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(fd.Name)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteString(`:"`)
		b.WriteString(tileJSONFieldType(fd.Type))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// tileJSONFieldType maps a tileset field type onto the TileJSON type names.
// Dates travel in tiles as ISO 8601 strings.
func tileJSONFieldType(t string) string {
	switch t {
	case "integer", "real":
		return "Number"
	case "boolean":
		return "Boolean"
	default:
		return "String"
	}
}

// handleTileJSON serves /tiles/{id}.json; for a raster,
// ?encoding=terrarium or terrain-rgb gives the variant whose tiles are the
// band's values encoded as elevations, for MapLibre's raster-dem source.
func (s *server) handleTileJSON(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	enc := r.URL.Query().Get("encoding")
	if _, ok := demEncodings[enc]; !ok && enc != "" {
		return statusError(http.StatusBadRequest, fmt.Sprintf("encoding=%q: give one of %s (a raster's tiles as elevations for MapLibre's raster-dem), or leave it out", enc, strings.Join(raster.Encodings, ", ")))
	}
	ts, release, err := s.catalog.Acquire(id)
	if err != nil {
		return acquireError(r, id, err)
	}
	defer release()
	m := ts.Metadata()
	if enc != "" && m.Raster == nil {
		return statusError(http.StatusBadRequest, fmt.Sprintf("encoding=%s: tileset %q holds vector tiles; elevation encodings are for raster tilesets", enc, id))
	}
	zf := r.URL.Query().Get("zfactor")
	if f, err := strconv.ParseFloat(zf, 64); zf != "" && (enc == "" || err != nil || f == 0 || math.IsNaN(f) || math.Abs(f) > 1e6) {
		return statusError(http.StatusBadRequest, fmt.Sprintf("zfactor=%q: give it with encoding=, a non-zero factor that makes the values metres of height (1000 for km; small enough that the heights fit the encoding's range)", zf))
	}
	tj := newTileJSON(m, id, s.baseURL(r), s.maxOverzoom)
	if enc != "" {
		tj.Tiles[0] += "?encoding=" + enc
		if zf != "" {
			tj.Tiles[0] += "&zfactor=" + url.QueryEscape(zf)
		}
		tj.Encoding = demEncodings[enc]
	}
	return s.writeJSON(w, r, docLinked, tj)
}

// newTileJSON describes tileset id, whose tiles are served under base up to
// zoom maxOverzoom.
func newTileJSON(m *tileset.Metadata, id, base string, maxOverzoom int) *tileJSON {
	name := m.Title
	if name == "" {
		name = id
	}
	fields := m.Fields
	if fields == nil {
		fields = []tileset.Field{}
	}
	tj := &tileJSON{
		TileJSON:    "3.0.0",
		Name:        name,
		Description: m.Description,
		Attribution: m.Attribution,
		Scheme:      "xyz",
		Tiles:       []string{tileURLTemplate(base, versionedID(m, id))},
		MinZoom:     m.MinZoom,
		MaxZoom:     m.MaxZoom,
		Bounds:      m.Bounds,
		Center:      tileJSONCenter(m),
		VectorLayers: []vectorLayer{{
			ID:      m.Layer,
			Fields:  tileJSONFields(fields),
			MinZoom: m.MinZoom,
			MaxZoom: m.MaxZoom,
		}},
	}
	if m.Kind == tileset.KindRaster {
		// PNG rendered on request; clients overzoom beyond maxzoom themselves.
		seg := versionedID(m, id)
		tj.Tiles = []string{base + "/tiles/" + seg + "/{z}/{x}/{y}.png"}
		if isColour(m) {
			tj.Tiles = []string{base + "/tiles/" + seg + "/{z}/{x}/{y}." + colourExt(m)}
		}
		tj.VectorLayers, tj.Bands, tj.TileSize = nil, m.Raster.Bands, m.Raster.TileSize
		return tj
	}
	if maxOverzoom > m.MaxZoom {
		tj.OverzoomMaxZoom = maxOverzoom
	}
	return tj
}

// tileURLTemplate is the XYZ tile URL template of tileset id.
func tileURLTemplate(base, id string) string {
	return base + "/tiles/" + id + "/{z}/{x}/{y}.mvt"
}

// tileJSONCenter returns the metadata's center with its zoom made an integer
// within the tileset's zoom range, as TileJSON requires.
func tileJSONCenter(m *tileset.Metadata) [3]float64 {
	c := m.Center
	c[2] = math.Max(float64(m.MinZoom), math.Min(float64(m.MaxZoom), math.Round(c[2])))
	return c
}
