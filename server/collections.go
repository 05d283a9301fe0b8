package server

import (
	"errors"
	"iter"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// crs84 is the OGC name of WGS 84 with longitude first, the CRS of every
// extent and of OGC API - Features output by default.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// collections is the /collections document of OGC API - Common.
type collections struct {
	Links       []link       `json:"links"`
	Collections []collection `json:"collections"`
}

// collection describes one tileset as an OGC API collection. Attribution
// and license are not OGC members; OGC clients ignore them, and the viewer
// credits the data with them.
type collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	License     string   `json:"license,omitempty"`
	Extent      extent   `json:"extent"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Links       []link   `json:"links"`
	// Bands, for a raster tileset, lists its bands with units and
	// statistics (not an OGC member).
	Bands []tileset.Band `json:"bands,omitempty"`
	// Theme groups the collection in the catalogue and the viewer's layer
	// tree: geology, structure, occurrences, geophysics or basemap (not an
	// OGC member).
	Theme string `json:"theme,omitempty"`
	// Countries are the ISO 3166-1 alpha-3 codes of the countries the data
	// covers, from ingest --country (not an OGC member).
	Countries []string `json:"countries,omitempty"`
}

type extent struct {
	Spatial  spatialExtent   `json:"spatial"`
	Temporal *temporalExtent `json:"temporal,omitempty"`
}

// gregorian is the temporal reference system of every temporal extent.
const gregorian = "http://www.opengis.net/def/uri/ISO-8601/0/Gregorian"

// temporalExtent spans the times of a collection's features, in UTC; it is
// present only where a time field gives the features a time.
type temporalExtent struct {
	Interval [][2]*string `json:"interval"`
	TRS      string       `json:"trs"`
}

// newTemporalExtent describes m's time span, or returns nil without one.
func newTemporalExtent(m *tileset.Metadata) *temporalExtent {
	if m.Time == nil {
		return nil
	}
	var ends [2]*string // null for an open end
	for i, t := range [2]time.Time{m.Time.Extent.Start, m.Time.Extent.End} {
		if !t.IsZero() {
			s := t.UTC().Format(time.RFC3339Nano)
			ends[i] = &s
		}
	}
	return &temporalExtent{Interval: [][2]*string{ends}, TRS: gregorian}
}

type spatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

// handleCollections serves /collections: every tileset the catalog lists.
// A tileset that vanishes between listing and acquiring (it was removed) is
// left out rather than failing the whole document.
func (s *server) handleCollections(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	doc := collections{
		Links: []link{
			{Href: base + "/collections", Rel: "self", Type: jsonType, Title: "This document"},
			{Href: base + "/collections?f=html", Rel: "alternate", Type: htmlType, Title: "This document as HTML"},
		},
		Collections: []collection{},
	}
	for id, ts := range s.tilesets() {
		doc.Collections = append(doc.Collections, newCollection(ts.Metadata(), id, base))
	}
	if fm == formatHTML {
		return s.writeCollectionsHTML(w, r, base, &doc)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, doc)
}

// tilesets yields every tileset the catalog lists, acquired for the body
// of the loop and released after it. One removed since it was listed is
// left out, and so is one that cannot be opened, which is logged: a
// document about every tileset leaves a bad file out rather than fail.
func (s *server) tilesets() iter.Seq2[string, *tileset.Reader] {
	return func(yield func(string, *tileset.Reader) bool) {
		for _, id := range s.catalog.IDs() {
			ts, release, err := s.catalog.Acquire(id)
			if err != nil {
				if !errors.Is(err, store.ErrNotFound) {
					s.logReadError("opening tileset", err, "tileset", id)
				}
				continue
			}
			more := func() bool {
				defer release()
				return yield(id, ts)
			}()
			if !more {
				return
			}
		}
	}
}

// handleCollection serves /collections/{id}.
func (s *server) handleCollection(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	fm, ts, release, err := s.lookupCollection(r, id)
	if err != nil {
		return err
	}
	defer release()
	base := s.baseURL(r)
	c := newCollection(ts.Metadata(), id, base)
	if m := ts.Metadata(); m.Raster != nil {
		c.Bands, c.ItemType = m.Raster.Bands, "coverage"
		c.Links = append(c.Links, rasterLinks(base, id)...)
	}
	if hasReport(ts) {
		c.Links = append(c.Links, reportLinks(base, id)...)
	}
	if fm == formatHTML {
		if err := s.heavy.enter(); err != nil {
			return err
		}
		defer s.heavy.leave()
		return s.writeCollectionHTML(w, r, ts, base, &c)
	}
	setVaryAccept(w, r)
	return s.writeJSON(w, r, docLinked, c)
}

// collectionTitle is the title of tileset id, its id when it has none.
func collectionTitle(m *tileset.Metadata, id string) string {
	if m.Title == "" {
		return id
	}
	return m.Title
}

// OGC link relations that have no IANA name.
const (
	relQueryables     = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
	relTilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
	relTilingScheme   = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	relTilingSchemes  = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
	relStyles         = "http://www.opengis.net/def/rel/ogc/1.0/styles"
	relConformance    = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
	relData           = "http://www.opengis.net/def/rel/ogc/1.0/data"
	relGeodata        = "http://www.opengis.net/def/rel/ogc/1.0/geodata"
)

// newCollection describes tileset id with links under base.
func newCollection(m *tileset.Metadata, id, base string) collection {
	self := base + "/collections/" + id
	c := collection{
		ID:          id,
		Title:       collectionTitle(m, id),
		Description: m.Description,
		Keywords:    m.Keywords,
		Attribution: m.Attribution,
		License:     m.License,
		Theme:       themeOf(m),
		Countries:   m.Countries,
		Extent:      extent{Spatial: spatialExtent{BBox: [][4]float64{m.Bounds}, CRS: crs84}, Temporal: newTemporalExtent(m)},
		ItemType:    "feature",
		CRS:         []string{crs84},
		Links: []link{
			{Href: self, Rel: "self", Type: jsonType, Title: "This collection"},
			{Href: self + "?f=html", Rel: "alternate", Type: htmlType, Title: "This collection as HTML"},
			{Href: self + "/items", Rel: "items", Type: geoJSONType, Title: "The features, as GeoJSON"},
			{Href: self + "/items?f=html", Rel: "items", Type: htmlType, Title: "The features, as HTML"},
			{Href: self + "/queryables", Rel: relQueryables, Type: schemaType, Title: "The properties the features can be filtered on"},
			{Href: self + "/tiles", Rel: relTilesetsVector, Type: jsonType, Title: "Vector tilesets (OGC API - Tiles)"},
			{Href: base + "/tiles/" + id + ".json", Rel: "describedby", Type: jsonType, Title: "TileJSON 3.0.0 of the vector tiles"},
			{Href: tileURLTemplate(base, id), Rel: "item", Type: mvtContentType, Title: "Vector tiles (XYZ, WebMercatorQuad)", Templated: true},
			// The preferred of the styles generated for the tileset (styles.go).
			{Href: base + "/styles/" + styles.ID(id, styles.Kinds(m)[0]) + ".json", Rel: "stylesheet", Type: styleType, Title: "MapLibre style"},
			{Href: base + "/styles/" + styles.ID(id, styles.Kinds(m)[0]) + ".sld", Rel: "describedby", Type: styles.SLDType, Title: "SLD 1.1 / SE 1.1 style for this layer (QGIS, GeoServer)"},
			{Href: base + "/styles/" + styles.ID(id, styles.Kinds(m)[0]) + ".qml", Rel: "describedby", Type: styles.QMLType, Title: "QGIS layer style (QML) for this layer"},
			{Href: base + "/styles", Rel: relStyles, Type: jsonType, Title: "Every style, with its MapLibre, SLD and QML encodings"},
			{Href: base + "/map/", Rel: "preview", Type: htmlType, Title: "Map viewer"},
		},
	}
	if m.Raster == nil {
		if seg := versionedID(m, id); seg != id {
			// The features of the current version, under URLs a cache may
			// keep for good (versioned.go); items keeps the plain URL, which
			// clients that hold it across a re-ingest go on using.
			c.Links = append(c.Links, link{Href: base + "/collections/" + seg + "/items", Rel: "latest-version", Type: geoJSONType, Title: "The features of the current version, as GeoJSON (immutable URLs)"})
		}
		c.Links = append(c.Links, downloadLinks(base, id)...)
	}
	return c
}
