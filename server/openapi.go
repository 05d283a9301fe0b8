package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/outcrop/outcrop/download"
	"github.com/outcrop/outcrop/tileset"
)

// The /api document: OpenAPI 3.0 describing every route this server answers
// and every parameter it accepts, with one items path per collection that
// lists the property filters of that collection, so that a client can learn
// them from the API definition alone.

// openAPI and the types below are the parts of the OpenAPI 3.0 document
// model that /api uses, with its member names.
type openAPI struct {
	OpenAPI    string              `json:"openapi"`
	Info       openAPIInfo         `json:"info"`
	Servers    []openAPIServer     `json:"servers"`
	Tags       []openAPITag        `json:"tags"`
	Paths      map[string]pathItem `json:"paths"`
	Components openAPIComponents   `json:"components"`
}

type openAPIInfo struct {
	Title       string         `json:"title"`
	Version     string         `json:"version"`
	Description string         `json:"description"`
	License     openAPILicense `json:"license"`
}

type openAPILicense struct {
	Name string `json:"name"`
}

type openAPIServer struct {
	URL string `json:"url"`
}

type openAPITag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type pathItem struct {
	Get *operation `json:"get"`
}

type operation struct {
	Tags        []string            `json:"tags"`
	Summary     string              `json:"summary"`
	Description string              `json:"description,omitempty"`
	OperationID string              `json:"operationId"`
	Parameters  []parameter         `json:"parameters,omitempty"`
	Responses   map[string]response `json:"responses"`
}

// parameter is a parameter or, with only Ref set, a reference to one.
type parameter struct {
	Ref         string  `json:"$ref,omitempty"`
	Name        string  `json:"name,omitempty"`
	In          string  `json:"in,omitempty"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Style       string  `json:"style,omitempty"`
	Explode     *bool   `json:"explode,omitempty"`
	Schema      *schema `json:"schema,omitempty"`
}

// response is a response or, with only Ref set, a reference to one.
type response struct {
	Ref         string               `json:"$ref,omitempty"`
	Description string               `json:"description,omitempty"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

type mediaType struct {
	Schema *schema `json:"schema,omitempty"`
}

// schema is the subset of an OpenAPI 3.0 schema object this document uses.
type schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 string             `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Default              any                `json:"default,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	MaxItems             *int               `json:"maxItems,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	AdditionalProperties *schema            `json:"additionalProperties,omitempty"`
	Nullable             bool               `json:"nullable,omitempty"`
	OneOf                []*schema          `json:"oneOf,omitempty"`
	Description          string             `json:"description,omitempty"`
}

type openAPIComponents struct {
	Parameters map[string]parameter `json:"parameters"`
	Responses  map[string]response  `json:"responses"`
	Schemas    map[string]*schema   `json:"schemas"`
}

// ptr returns a pointer to v, for optional schema members.
func ptr[T any](v T) *T { return &v }

// ref is the JSON pointer of a component.
func ref(kind, name string) string { return "#/components/" + kind + "/" + name }

func paramRef(name string) parameter { return parameter{Ref: ref("parameters", name)} }

func schemaRef(name string) *schema { return &schema{Ref: ref("schemas", name)} }

// jsonAndHTML is the content of a 200 answered as JSON of schemaName (with
// jsonMedia) or as HTML.
func jsonAndHTML(desc, jsonMedia, schemaName string) map[string]response {
	return withErrors(response{Description: desc, Content: map[string]mediaType{
		jsonMedia: {Schema: schemaRef(schemaName)},
		htmlType:  {Schema: &schema{Type: "string"}},
	}}, "400")
}

// withErrors completes the responses of an operation with its 200 and the
// error responses it can give.
func withErrors(ok response, codes ...string) map[string]response {
	out := map[string]response{"200": ok, "default": {Ref: ref("responses", "Error")}}
	for _, c := range codes {
		out[c] = response{Ref: ref("responses", "Error"+c)}
	}
	return out
}

// apiVersion is the version of the API this document describes, which
// changes when a route or parameter does.
const apiVersion = "1.0.0"

// newOpenAPI describes the API served under base, with per-collection paths
// for the collections given, by id.
func newOpenAPI(base string, ids []string, metas map[string]*tileset.Metadata) *openAPI {
	doc := &openAPI{
		OpenAPI: "3.0.3",
		Info: openAPIInfo{
			Title:       "Outcrop",
			Version:     apiVersion,
			Description: "Pre-competitive geoscience data: OGC API - Features and OGC API - Tiles over every tileset of the store, XYZ vector tiles and TileJSON.",
			License:     openAPILicense{Name: "Each collection states its own licence"},
		},
		Servers: []openAPIServer{{URL: base}},
		Tags: []openAPITag{
			{"Capabilities", "What the server offers"},
			{"Features", "OGC API - Features"},
			{"Tiles", "OGC API - Tiles, XYZ tiles and TileJSON"},
			{"Styles", "MapLibre styles, legends and vocabularies"},
			{"Operations", "Viewer and monitoring"},
		},
		Paths:      map[string]pathItem{},
		Components: openAPIComponents{Parameters: apiParameters(ids), Responses: apiResponses(), Schemas: apiSchemas()},
	}
	p := doc.Paths
	get := func(path string, op *operation) { p[path] = pathItem{Get: op} }
	f := paramRef("f")
	coll := paramRef("collectionId")
	get("/", &operation{Tags: []string{"Capabilities"}, Summary: "Landing page", OperationID: "getLandingPage",
		Description: "Links to the API definition, the conformance classes and the collections.",
		Parameters:  []parameter{f}, Responses: jsonAndHTML("The landing page", jsonType, "landingPage")})
	get("/api", &operation{Tags: []string{"Capabilities"}, Summary: "This API definition", OperationID: "getAPI",
		Description: "OpenAPI 3.0 as JSON, or the same as an HTML page with f=html.",
		Parameters:  []parameter{f}, Responses: withErrors(response{Description: "The API definition", Content: map[string]mediaType{
			openAPIType: {Schema: &schema{Type: "object"}}, htmlType: {Schema: &schema{Type: "string"}},
		}}, "400")})
	get("/conformance", &operation{Tags: []string{"Capabilities"}, Summary: "Conformance classes", OperationID: "getConformance",
		Parameters: []parameter{f}, Responses: jsonAndHTML("The conformance classes implemented", jsonType, "confClasses")})
	get("/collections", &operation{Tags: []string{"Capabilities"}, Summary: "The collections, one per tileset", OperationID: "getCollections",
		Parameters: []parameter{f}, Responses: jsonAndHTML("The collections", jsonType, "collections")})
	get("/collections/{collectionId}", &operation{Tags: []string{"Capabilities"}, Summary: "One collection", OperationID: "getCollection",
		Parameters: []parameter{coll, f}, Responses: jsonAndHTML("The collection", jsonType, "collection")})
	p["/collections/{collectionId}"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/collections/{collectionId}/items", itemsOperation("getFeatures", "", nil))
	for _, id := range ids {
		get("/collections/"+id+"/items", itemsOperation("getFeatures_"+id, collectionTitle(metas[id], id), queryableFields(metas[id].Fields)))
	}
	get("/collections/{collectionId}/items/{featureId}", &operation{Tags: []string{"Features"}, Summary: "One feature", OperationID: "getFeature",
		Parameters: []parameter{coll, paramRef("featureId"), f},
		Responses: withErrors(response{Description: "The feature", Content: map[string]mediaType{
			geoJSONType: {Schema: schemaRef("featureGeoJSON")}, htmlType: {Schema: &schema{Type: "string"}},
		}}, "400", "404")})
	get("/collections/{collectionId}/download", downloadOperation())
	get("/collections/{collectionId}/queryables", &operation{Tags: []string{"Features"}, Summary: "The properties the features can be filtered on", OperationID: "getQueryables",
		Description: "A JSON Schema of the properties that the items request filters by equality.",
		Parameters:  []parameter{coll, f},
		Responses: withErrors(response{Description: "The queryables", Content: map[string]mediaType{
			schemaType: {Schema: &schema{Type: "object"}}, htmlType: {Schema: &schema{Type: "string"}},
		}}, "400", "404")})
	get("/collections/{collectionId}/thumbnail.svg", &operation{Tags: []string{"Collections"}, Summary: "A small map of the collection", OperationID: "getThumbnail",
		Description: "Up to 100 of its features over its extent, outlined: the catalogue's thumbnail. With v naming the version served (as the catalogue links it), Cache-Control immutable for a year.",
		Parameters:  []parameter{coll, {Name: "v", In: "query", Description: "The version the thumbnail is of.", Schema: &schema{Type: "string"}}},
		Responses: withErrors(response{Description: "The map", Content: map[string]mediaType{
			"image/svg+xml": {Schema: &schema{Type: "string"}},
		}}, "404")})
	get("/collections/{collectionId}/tiles", &operation{Tags: []string{"Tiles"}, Summary: "The vector tilesets of a collection", OperationID: "getTilesets",
		Parameters: []parameter{coll, f}, Responses: jsonAndHTML("The tilesets", jsonType, "tilesetList")})
	p["/collections/{collectionId}/tiles"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/collections/{collectionId}/tiles/{tileMatrixSetId}", &operation{Tags: []string{"Tiles"}, Summary: "Tileset metadata, with the tile limits of every zoom", OperationID: "getTileset",
		Parameters: []parameter{coll, paramRef("tileMatrixSetId"), f}, Responses: jsonAndHTML("The tileset metadata", jsonType, "tileset")})
	p["/collections/{collectionId}/tiles/{tileMatrixSetId}"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", &operation{Tags: []string{"Tiles"},
		Summary: "One vector tile", OperationID: "getTile",
		Description: "The same Mapbox Vector Tile as /tiles/{collectionId}/{tileMatrix}/{tileCol}/{tileRow}.mvt. 204 for a tile without data inside the limits; 404 outside them.",
		Parameters:  []parameter{coll, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol")},
		Responses:   tileResponses()})
	get("/tileMatrixSets", &operation{Tags: []string{"Tiles"}, Summary: "The tile matrix sets", OperationID: "getTileMatrixSets",
		Parameters: []parameter{f}, Responses: jsonAndHTML("The tile matrix sets", jsonType, "tileMatrixSets")})
	get("/tileMatrixSets/{tileMatrixSetId}", &operation{Tags: []string{"Tiles"}, Summary: "A tile matrix set definition (OGC 2D TMS JSON)", OperationID: "getTileMatrixSet",
		Parameters: []parameter{paramRef("tileMatrixSetId"), f}, Responses: jsonAndHTML("The tile matrix set", jsonType, "tileMatrixSet")})
	p["/tileMatrixSets/{tileMatrixSetId}"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/tiles/{collectionId}/{z}/{x}/{y}.mvt", &operation{Tags: []string{"Tiles"}, Summary: "One XYZ vector tile", OperationID: "getXYZTile",
		Description: "y counts from the top. The extension .pbf is an alias. gzip-coded when the client accepts it; 204 outside the data. collectionId may name a version, {id}@{version} as TileJSON lists it (also on the raster, colour, OGC API tile and map tile routes): that version's tile, Cache-Control immutable for a year; once the tileset is replaced, a 404 whose currentVersion names the version served.",
		Parameters:  []parameter{coll, paramRef("z"), paramRef("x"), paramRef("y")}, Responses: tileResponses()})
	q := func(name, desc string) parameter {
		return parameter{Name: name, In: "query", Description: desc, Schema: &schema{Type: "string"}}
	}
	// The rendering parameters (raster.go's renderParamNames), as docs/API.md
	// describes them.
	renderQuery := []parameter{
		q("band", "the band to draw, from 1 (default 1)."),
		q("colormap", "viridis (default), cividis, rdbu (diverging), terrain, or a custom ramp value:rrggbb,value:rrggbb,… (stops in band values)."),
		q("rescale", "min,max: the values at the ramp's ends (default the band's 2nd and 98th percentiles)."),
		q("stretch", "p2-98 (default), minmax or histeq, from the band's statistics; not with rescale."),
		q("hillshade", "grey (the shade alone) or blend (the ramp's colour times the shade)."),
		q("azimuth", "the light's direction, degrees clockwise from north, 0 to 360 (default 315; needs hillshade)."),
		q("altitude", "the sun's height, degrees, 0 to 90 (default 45; needs hillshade)."),
		q("zfactor", "multiplies the values to make them metres of height, not 0 (default 1; 1000 for km; needs hillshade or encoding)."),
		q("multidirectional", "true or false (default): light from four directions (needs hillshade)."),
		q("encoding", "terrarium or terrain-rgb: the values as elevations for MapLibre's raster-dem, not colours (alone, or with band)."),
	}
	get("/tiles/{collectionId}/{z}/{x}/{y}.png", &operation{Tags: []string{"Tiles"}, Summary: "One XYZ raster tile, rendered", OperationID: "getXYZRasterTile",
		Description: "A raster tileset's data tile drawn to PNG, nodata transparent; a scanned map's stored PNG tile as it is (no rendering parameters). y counts from the top. 204 where there is no data; deeper than maxzoom drawn from the max-zoom tile (not for scans).",
		Parameters:  append([]parameter{coll, paramRef("z"), paramRef("x"), paramRef("y")}, renderQuery...),
		Responses:   withErrors(response{Description: "The PNG", Content: map[string]mediaType{"image/png": {Schema: &schema{Type: "string"}}}}, "400", "404")})
	get("/tiles/{collectionId}/{z}/{x}/{y}.jpg", &operation{Tags: []string{"Tiles"}, Summary: "One XYZ colour tile of a scan stored as JPEG", OperationID: "getXYZColourTile",
		Description: "The stored tile as it is: a JPEG, or a PNG where any pixel is transparent. A scan stored as PNG is on the .png route, also as stored; neither takes rendering parameters. 204 where there is none; 404 beyond maxzoom.",
		Parameters:  []parameter{coll, paramRef("z"), paramRef("x"), paramRef("y")},
		Responses:   withErrors(response{Description: "The JPEG or PNG", Content: map[string]mediaType{"image/jpeg": {Schema: &schema{Type: "string"}}, pngType: {Schema: &schema{Type: "string"}}}}, "400", "404")})
	get("/tiles/{collectionId}/{z}/{x}/{y}.webp", &operation{Tags: []string{"Tiles"}, Summary: "One XYZ colour tile of a scan stored as WebP", OperationID: "getXYZWebPTile",
		Description: "The stored WebP as it is (with alpha). No rendering parameters. 204 where there is none; 404 beyond maxzoom.",
		Parameters:  []parameter{coll, paramRef("z"), paramRef("x"), paramRef("y")},
		Responses:   withErrors(response{Description: "The WebP", Content: map[string]mediaType{"image/webp": {Schema: &schema{Type: "string"}}}}, "400", "404")})
	get("/collections/{collectionId}/value", &operation{Tags: []string{"Tiles"}, Summary: "A raster's band values at a point", OperationID: "getValue",
		Description: "Every band's value at the point, at the tileset's finest resolution, with units; null for nodata, 404 outside the data. For a scanned map: red, green, blue and alpha, 0 to 255, null where transparent.",
		Parameters:  []parameter{coll, q("lon", "longitude, WGS 84 degrees."), q("lat", "latitude, WGS 84 degrees.")},
		Responses:   withErrors(response{Description: "The values", Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "object"}}}}, "400", "404")})
	// Map tiles of rasters and WMTS (maptiles.go, wmts.go).
	pngOnly := response{Description: "The PNG", Content: map[string]mediaType{pngType: {Schema: &schema{Type: "string"}}}}
	get("/collections/{collectionId}/map/tiles", &operation{Tags: []string{"Tiles"}, Summary: "The map tilesets of a raster collection", OperationID: "getMapTilesets",
		Parameters: []parameter{coll, f}, Responses: jsonAndHTML("The map tilesets", jsonType, "tilesetList")})
	p["/collections/{collectionId}/map/tiles"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/collections/{collectionId}/map/tiles/{tileMatrixSetId}", &operation{Tags: []string{"Tiles"}, Summary: "Map tileset metadata, with the bands, their units and statistics", OperationID: "getMapTileset",
		Parameters: []parameter{coll, paramRef("tileMatrixSetId"), f}, Responses: jsonAndHTML("The map tileset metadata", jsonType, "tileset")})
	p["/collections/{collectionId}/map/tiles/{tileMatrixSetId}"].Get.Responses["404"] = response{Ref: ref("responses", "Error404")}
	get("/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", &operation{Tags: []string{"Tiles"},
		Summary: "One map tile of a raster", OperationID: "getMapTile",
		Description: "The same PNG as /tiles/{collectionId}/{tileMatrix}/{tileCol}/{tileRow}.png, with its rendering parameters. 204 for a tile without data inside the limits; 404 outside them.",
		Parameters:  append([]parameter{coll, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol")}, renderQuery...),
		Responses:   withErrors(pngOnly, "400", "404")})
	xmlDoc := func(d string) response {
		return response{Description: d, Content: map[string]mediaType{wmtsXMLType: {Schema: &schema{Type: "string"}}}}
	}
	pathParam := func(name, desc string) parameter {
		return parameter{Name: name, In: "path", Required: true, Description: desc, Schema: &schema{Type: "string"}}
	}
	layer, style := pathParam("layer", "A raster tileset's id."), pathParam("style", "A ramp's name, or default.")
	get("/wmts", &operation{Tags: []string{"WMTS"}, Summary: "WMTS 1.0.0, KVP: GetCapabilities, GetTile and GetFeatureInfo", OperationID: "getWMTS",
		Description: "SERVICE=WMTS&REQUEST=GetCapabilities, or REQUEST=GetTile with VERSION=1.0.0, LAYER, STYLE, FORMAT=image/png (or image/jpeg for a vector collection or a JPEG scan), TILEMATRIXSET=WebMercatorQuad, TILEMATRIX, TILEROW, TILECOL; REQUEST=GetFeatureInfo with the GetTile parameters plus J, I and INFO_FORMAT (text/html, text/plain or application/json). Errors are OWS ExceptionReports naming the parameter.",
		Parameters:  []parameter{q("SERVICE", "WMTS."), q("REQUEST", "GetCapabilities, GetTile or GetFeatureInfo.")},
		Responses:   map[string]response{"200": {Description: "The capabilities (XML), the tile (PNG or JPEG) or the feature info", Content: map[string]mediaType{wmtsXMLType: {Schema: &schema{Type: "string"}}, pngType: {Schema: &schema{Type: "string"}}, "image/jpeg": {Schema: &schema{Type: "string"}}, htmlType: {Schema: &schema{Type: "string"}}, textType: {Schema: &schema{Type: "string"}}, jsonType: {Schema: &schema{Type: "string"}}}}, "400": xmlDoc("An ExceptionReport"), "501": xmlDoc("An ExceptionReport: GetFeatureInfo of a scanned map")}})
	get("/wmts/1.0.0/WMTSCapabilities.xml", &operation{Tags: []string{"WMTS"}, Summary: "WMTS 1.0.0 capabilities, REST", OperationID: "getWMTSCapabilities",
		Responses: map[string]response{"200": xmlDoc("The capabilities: one layer per raster tileset, the ramps as its styles, and one per vector collection, the WMS's styles as its styles")}})
	get("/wmts/1.0.0/{layer}/{style}/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}.png", &operation{Tags: []string{"WMTS"}, Summary: "WMTS 1.0.0 GetTile, REST", OperationID: "getWMTSTile",
		Description: "The tile of a raster drawn in the style's ramp, as /tiles/{layer}/{tileMatrix}/{tileCol}/{tileRow}.png?colormap={style}, or of a vector collection drawn in the WMS style {style}; transparent where there is no data.",
		Parameters:  []parameter{layer, style, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol")},
		Responses:   map[string]response{"200": pngOnly, "400": xmlDoc("An ExceptionReport")}})
	jpegOnly := response{Description: "The stored JPEG (a tile with transparent pixels is a PNG)", Content: map[string]mediaType{"image/jpeg": {Schema: &schema{Type: "string"}}, pngType: {Schema: &schema{Type: "string"}}}}
	get("/wmts/1.0.0/{layer}/{style}/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}.jpg", &operation{Tags: []string{"WMTS"}, Summary: "WMTS 1.0.0 GetTile as JPEG, REST", OperationID: "getWMTSColourTile",
		Description: "The stored tile of a scanned map stored as JPEG (style default), transparent where there is none; or the tile of a vector collection drawn in the WMS style {style} on white.",
		Parameters:  []parameter{layer, style, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol")},
		Responses:   map[string]response{"200": jpegOnly, "400": xmlDoc("An ExceptionReport")}})
	get("/wmts/1.0.0/{layer}/{style}/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}.webp", &operation{Tags: []string{"WMTS"}, Summary: "WMTS 1.0.0 GetTile of a WebP colour layer, REST", OperationID: "getWMTSWebPTile",
		Description: "The stored tile of a scanned map stored as WebP (style default); a transparent PNG where there is none.",
		Parameters:  []parameter{layer, style, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol")},
		Responses:   map[string]response{"200": {Description: "The stored WebP", Content: map[string]mediaType{"image/webp": {Schema: &schema{Type: "string"}}}}, "400": xmlDoc("An ExceptionReport")}})
	get("/wmts/1.0.0/{layer}/{style}/legend.png", &operation{Tags: []string{"WMTS"}, Summary: "A style's legend: a ramp's colour bar, low values left, or a vector collection's WMS legend", OperationID: "getWMTSLegend",
		Parameters: []parameter{layer, style},
		Responses:  map[string]response{"200": pngOnly, "400": xmlDoc("An ExceptionReport")}})
	for _, f := range wmtsInfoFormats {
		get("/wmts/1.0.0/{layer}/{style}/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}."+f.ext, &operation{Tags: []string{"WMTS"},
			Summary: "WMTS 1.0.0 GetFeatureInfo as " + f.format + ", REST", OperationID: "getWMTSFeatureInfo" + strings.ToUpper(f.ext[:1]) + f.ext[1:],
			Description: "What the tile shows at pixel {i}, {j} (0 to 255): a vector collection's features there in style {style}, picked as WMS GetFeatureInfo picks them (feature_count=, default 1); a raster's band values there. A scanned map has none (501).",
			Parameters: []parameter{layer, style, paramRef("tileMatrixSetId"), paramRef("tileMatrix"), paramRef("tileRow"), paramRef("tileCol"),
				pathParam("j", "The pixel's row in the tile, from 0."), pathParam("i", "The pixel's column in the tile, from 0."), q("feature_count", "The most features listed (default 1).")},
			Responses: map[string]response{"200": {Description: "The features or values", Content: map[string]mediaType{f.format: {Schema: &schema{Type: "string"}}}}, "400": xmlDoc("An ExceptionReport"), "501": xmlDoc("An ExceptionReport: a scanned map")}})
	}
	// WMS (wms.go).
	get("/wms", &operation{Tags: []string{"WMS"}, Summary: "WMS 1.3.0 and 1.1.1, KVP: GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic", OperationID: "getWMS",
		Description: "One layer per vector collection, its generated styles as WMS styles; maps drawn by the server from the stored features. CRS (1.1.1: SRS) EPSG:4326 (latitude first in 1.3.0), CRS:84 or EPSG:3857; WIDTH and HEIGHT up to 4096. Errors are ServiceExceptionReports with the WMS codes.",
		Parameters:  []parameter{q("SERVICE", "WMS."), q("REQUEST", "GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic."), q("VERSION", "1.3.0 (default) or 1.1.1.")},
		Responses: map[string]response{
			"200": {Description: "The capabilities (XML), the map (PNG or JPEG), the features at a pixel (HTML, text or GeoJSON) or the legend (PNG)", Content: map[string]mediaType{
				"text/xml": {Schema: &schema{Type: "string"}}, pngType: {Schema: &schema{Type: "string"}}, jpegType: {Schema: &schema{Type: "string"}},
				htmlType: {Schema: &schema{Type: "string"}}, "text/plain": {Schema: &schema{Type: "string"}}, jsonType: {Schema: &schema{Type: "object"}}}},
			"400": {Description: "A ServiceExceptionReport", Content: map[string]mediaType{"text/xml": {Schema: &schema{Type: "string"}}}},
			"503": {Description: "A ServiceExceptionReport: too many heavy requests at once; retry after Retry-After", Content: map[string]mediaType{"text/xml": {Schema: &schema{Type: "string"}}}}}})
	get("/wfs", &operation{Tags: []string{"WFS"}, Summary: "WFS 2.0.0 simple features, KVP (wfs.go)", OperationID: "getWFS",
		Description: "SERVICE=WFS&REQUEST=GetCapabilities, DescribeFeatureType, GetFeature (TYPENAMES, BBOX, COUNT, STARTINDEX, RESOURCEID, SRSNAME, OUTPUTFORMAT, RESULTTYPE), ListStoredQueries or DescribeStoredQueries, with VERSION=2.0.0. Feature types outcrop:{id} and the GeoSciML-Lite / EarthResourceML-Lite views. Errors are OWS ExceptionReports naming the parameter.",
		Parameters:  []parameter{q("SERVICE", "WFS."), q("REQUEST", "GetCapabilities, DescribeFeatureType, GetFeature, ListStoredQueries or DescribeStoredQueries.")},
		Responses: map[string]response{"200": {Description: "The capabilities or schema (XML), or the features (GML 3.2 or GeoJSON)", Content: map[string]mediaType{
			wfsXMLType: {Schema: &schema{Type: "string"}}, wfsGMLType: {Schema: &schema{Type: "string"}}, wfsJSONType: {Schema: &schema{Type: "object"}}}},
			"400": xmlDoc("An ExceptionReport"), "404": xmlDoc("An ExceptionReport: GetFeatureById of no feature"), "501": xmlDoc("An ExceptionReport: an operation or option not supported")}})
	get("/tiles/{collectionId}.json", &operation{Tags: []string{"Tiles"}, Summary: "TileJSON 3.0.0", OperationID: "getTileJSON",
		Parameters: []parameter{coll, q("encoding", "a raster's elevation variant for MapLibre's raster-dem: terrarium or terrain-rgb (its tiles with the same encoding=, and encoding terrarium or mapbox).")},
		Responses:  withErrors(response{Description: "The TileJSON document", Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "object"}}}}, "404")})
	get("/colormaps", &operation{Tags: []string{"Tiles"}, Summary: "The colour ramps raster tiles are drawn with", OperationID: "getColormaps",
		Description: "Each ramp's name (the colormap= value of a raster tile), description and 256 colours, low end first; and the default ramp.",
		Responses:   map[string]response{"200": {Description: "The ramps", Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "object"}}}}}})
	get("/fonts.json", &operation{Tags: []string{"Styles"}, Summary: "The fonts label glyphs are drawn from", OperationID: "getFonts",
		Description: "The font names (family and style, such as Noto Sans Regular) a fontstack of /fonts/{fontstack}/{range}.pbf may list.",
		Responses:   map[string]response{"200": {Description: "The font names, sorted", Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "array", Items: &schema{Type: "string"}}}}}}})
	get("/fonts/{fontstack}/{range}.pbf", &operation{Tags: []string{"Styles"}, Summary: "A glyph range of a fontstack, for MapLibre labels", OperationID: "getGlyphs",
		Description: "Signed distance fields (24 px, 3 px buffer) of the 256 code points of range, each drawn by the first font of the fontstack that has it. Fonts not served are passed over; a fontstack with none served is a 404.",
		Parameters: []parameter{
			{Name: "fontstack", In: "path", Required: true, Description: "Font names from /fonts.json, comma-separated.", Schema: &schema{Type: "string"}},
			{Name: "range", In: "path", Required: true, Description: "start-end: 256 code points from a multiple of 256, up to 65535, such as 0-255.", Schema: &schema{Type: "string"}},
		},
		Responses: withErrors(response{Description: "The glyphs (MapLibre's glyphs.proto)", Content: map[string]mediaType{"application/x-protobuf": {Schema: &schema{Type: "string", Format: "binary"}}}}, "400", "404")})
	get("/fonts/{font}.ttf", &operation{Tags: []string{"Styles"}, Summary: "A font's TrueType file, for MapLibre's font-faces", OperationID: "getFontFile",
		Description: "The file of a font /fonts.json lists, when it is a TrueType font alone in its file; styles name those of the complex scripts (Thai, Lao, Khmer, Myanmar) in font-faces.",
		Parameters:  []parameter{{Name: "font", In: "path", Required: true, Description: "A font name from /fonts.json.", Schema: &schema{Type: "string"}}},
		Responses:   withErrors(response{Description: "The font file", Content: map[string]mediaType{"font/ttf": {Schema: &schema{Type: "string", Format: "binary"}}}}, "404")})
	// The styles routes (styles.go, legend.go, harmonisation.go, vocab.go).
	lang := paramRef("lang")
	jsonOK := func(desc string) map[string]response {
		return withErrors(response{Description: desc, Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "object"}}}}, "400", "404")
	}
	get("/styles", &operation{Tags: []string{"Styles"}, Summary: "The MapLibre styles of every tileset, and one of them all", OperationID: "getStyles",
		Parameters: []parameter{lang}, Responses: jsonOK("The styles")})
	get("/styles/{styleId}.json", &operation{Tags: []string{"Styles"}, Summary: "A MapLibre style", OperationID: "getStyle",
		Description: "styleId is {collectionId}.{kind}, or all for every tileset in its preferred style.",
		Parameters:  []parameter{{Name: "styleId", In: "path", Required: true, Description: "{collectionId}.{kind}, or all.", Schema: &schema{Type: "string"}}, lang},
		Responses: withErrors(response{Description: "The style", Content: map[string]mediaType{
			"application/vnd.mapbox.style+json": {Schema: &schema{Type: "object"}},
		}}, "400", "404")})
	for _, enc := range []struct{ ext, id, summary, typ string }{
		{"sld", "getStyleSLD", "A tileset's style as SLD 1.1 / SE 1.1, for QGIS, GeoServer and OneGeology", "application/vnd.ogc.sld+xml;version=1.1"},
		{"qml", "getStyleQML", "A tileset's style as a QGIS layer style file (QML)", "application/vnd.qgis.qml"},
	} {
		get("/styles/{styleId}."+enc.ext, &operation{Tags: []string{"Styles"}, Summary: enc.summary, OperationID: enc.id,
			Description: "styleId is {collectionId}.{kind}; the rules and colours are the MapLibre style's, for the collection's OGC API - Features layer.",
			Parameters:  []parameter{{Name: "styleId", In: "path", Required: true, Description: "{collectionId}.{kind}.", Schema: &schema{Type: "string"}}, lang},
			Responses: withErrors(response{Description: "The style", Content: map[string]mediaType{
				enc.typ: {Schema: &schema{Type: "string"}},
			}}, "400", "404")})
	}
	get("/collections/{collectionId}/legend", &operation{Tags: []string{"Styles"}, Summary: "The legend of a style of the collection", OperationID: "getLegend",
		Parameters: []parameter{coll, {Name: "style", In: "query", Description: "A kind of style, or a style id; the preferred style without it.", Schema: &schema{Type: "string"}}, lang, f},
		Responses: withErrors(response{Description: "The legend", Content: map[string]mediaType{
			jsonType: {Schema: &schema{Type: "object"}}, htmlType: {Schema: &schema{Type: "string"}},
		}}, "400", "404")})
	get("/collections/{collectionId}/harmonisation", &operation{Tags: []string{"Styles"}, Summary: "The harmonisation report stored at ingest", OperationID: "getHarmonisation",
		Parameters: []parameter{coll}, Responses: jsonOK("The report; 404 when the tileset was not harmonised")})
	get("/collections/{collectionId}/report", &operation{Tags: []string{"Styles"}, Summary: "The edge-matching report of a compilation (an {id}-qa tileset)", OperationID: "getEdgeMatchingReport",
		Parameters: []parameter{coll, {Name: "f", In: "query", Description: "json (the default), html or csv.", Schema: &schema{Type: "string", Enum: []any{"json", "html", "csv"}}}},
		Responses: withErrors(response{Description: "The report; 404 when the tileset holds none", Content: map[string]mediaType{
			jsonType: {Schema: &schema{Type: "object"}}, htmlType: {Schema: &schema{Type: "string"}}, "text/csv": {Schema: &schema{Type: "string"}},
		}}, "400", "404")})
	get("/vocab/labels", &operation{Tags: []string{"Styles"}, Summary: "Labels of vocabulary concepts", OperationID: "getVocabLabels",
		Parameters: []parameter{{Name: "uri", In: "query", Required: true, Style: "form", Explode: ptr(true), Description: "Concept URIs; repeat the parameter for several.",
			Schema: &schema{Type: "array", Items: &schema{Type: "string", Format: "uri"}}}, lang},
		Responses: jsonOK("The labels")})
	get("/map/", &operation{Tags: []string{"Operations"}, Summary: "The map viewer", OperationID: "getViewer",
		Responses: map[string]response{"200": {Description: "The viewer", Content: map[string]mediaType{htmlType: {Schema: &schema{Type: "string"}}}}}})
	get("/map/basemap.json", &operation{Tags: []string{"Operations"}, Summary: "The basemap the viewer draws below every layer", OperationID: "getViewerBasemap",
		Responses: jsonOK("The basemap's style URL and tileset (outcrop serve --basemap, --basemap-style); an empty object for none")})
	get("/map/i18n.json", &operation{Tags: []string{"Operations"}, Summary: "The viewer's and the catalogue's interface strings in the reader's language", OperationID: "getViewerStrings",
		Description: "The language is the first of ?lang=, the outcrop-lang cookie, outcrop serve --lang, Accept-Language, else en.",
		Parameters:  []parameter{{Name: "lang", In: "query", Description: "The interface language (en or id).", Schema: &schema{Type: "string"}}},
		Responses:   jsonOK("{lang, languages: [{lang, name}], strings: {key: text}}")})
	get("/healthz", &operation{Tags: []string{"Operations"}, Summary: "Liveness", OperationID: "getHealth",
		Responses: map[string]response{"200": {Description: "The server is up", Content: map[string]mediaType{jsonType: {Schema: &schema{Type: "object"}}}}}})
	get("/metrics", &operation{Tags: []string{"Operations"}, Summary: "Prometheus metrics", OperationID: "getMetrics",
		Responses: map[string]response{"200": {Description: "Metrics in the Prometheus text format", Content: map[string]mediaType{"text/plain": {Schema: &schema{Type: "string"}}}}}})
	for _, path := range versionedPaths {
		p[versionedPath(path)] = pathItem{Get: versionedOperation(p[path].Get)}
	}
	return doc
}

// versionedPaths are the paths whose collectionId may name one version of
// the tileset, {collectionId}@{version} (versioned.go).
var versionedPaths = []string{
	"/tiles/{collectionId}/{z}/{x}/{y}.mvt",
	"/tiles/{collectionId}/{z}/{x}/{y}.png",
	"/tiles/{collectionId}/{z}/{x}/{y}.jpg",
	"/tiles/{collectionId}/{z}/{x}/{y}.webp",
	"/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
	"/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
	"/collections/{collectionId}/items",
	"/collections/{collectionId}/items/{featureId}",
}

// versionedPath is path with its collection naming a version.
func versionedPath(path string) string {
	return strings.Replace(path, "{collectionId}", "{collectionId}"+versionSep+"{version}", 1)
}

// versionedOperation describes op on one version of a tileset: the same
// request and answers, cached as immutable, and a 404 naming the current
// version once another is served.
func versionedOperation(op *operation) *operation {
	v := *op
	v.OperationID += "OfVersion"
	v.Summary += ", of one version"
	v.Description = strings.TrimSpace(op.Description + " This path serves the version of the collection that {version} names (TileJSON's tiles and the collection's latest-version link give it), " +
		"with Cache-Control immutable for a year; once the tileset is replaced, it is a 404 whose currentVersion names the version served.")
	v.Parameters = nil
	for _, prm := range op.Parameters {
		v.Parameters = append(v.Parameters, prm)
		if prm.Ref == ref("parameters", "collectionId") {
			v.Parameters = append(v.Parameters, paramRef("version"))
		}
	}
	return &v
}

// itemsOperation describes the items request: for every collection when
// title is empty, else for one, with a filter parameter per queryable.
func itemsOperation(opID, title string, filters []tileset.Field) *operation {
	params := []parameter{paramRef("bbox"), paramRef("bbox-crs"), paramRef("crs"), paramRef("datetime"), paramRef("limit"), paramRef("offset"), paramRef("properties"), paramRef("q"), paramRef("f")}
	op := &operation{Tags: []string{"Features"}, OperationID: opID,
		Summary: "The features of a collection",
		Description: "Features in ascending id order, paged by limit and offset; next and prev links repeat the query. " +
			"Property filters test equality (name=value); /collections/{collectionId}/queryables lists them. q finds text in any string property.",
		Responses: withErrors(response{Description: "A page of features", Content: map[string]mediaType{
			geoJSONType: {Schema: schemaRef("featureCollectionGeoJSON")}, htmlType: {Schema: &schema{Type: "string"}},
		}}, "400", "404"),
	}
	if title == "" {
		op.Parameters = append([]parameter{paramRef("collectionId")}, params...)
		return op
	}
	op.Summary = "The features of " + title
	op.Parameters = params
	for _, fd := range filters {
		typ, format := jsonSchemaType(fd.Type)
		op.Parameters = append(op.Parameters, parameter{Name: fd.Name, In: "query", Style: "form", Explode: ptr(false),
			Description: "Only features whose " + fd.Name + " equals this value.",
			Schema:      &schema{Type: typ, Format: format}})
	}
	return op
}

// downloadOperation describes the download route: the items filters,
// without paging, and a file in one of the download formats.
func downloadOperation() *operation {
	var names []any
	content := map[string]mediaType{}
	var list []string
	for _, fm := range download.Formats {
		names = append(names, fm.Name)
		content[fm.MediaType] = mediaType{Schema: &schema{Type: "string", Format: "binary"}}
		list = append(list, fm.Name+" ("+fm.Title+", "+downloadFileName("{collectionId}", fm)+")")
	}
	out := withErrors(response{Description: "The file, as an attachment named for the collection", Content: content}, "400", "404")
	out["503"] = response{Description: "As many heavy requests as the server serves at once are running; retry after Retry-After seconds"}
	return &operation{Tags: []string{"Features"}, OperationID: "getDownload",
		Summary: "The features of a collection as a file: GeoPackage, GeoJSON, CSV or zipped Shapefile",
		Description: "Every feature matching bbox, datetime and the property filters of the items request (all of them without any), with all properties, in WGS 84: " +
			strings.Join(list, "; ") + ". CSV holds the geometry as WKT in a column named WKT. A Shapefile zip holds one shapefile per geometry type, " +
			"with .prj (WGS 84) and .cpg (UTF-8), and a README.txt listing DBF field names cut to 10 bytes. limit, offset and properties are refused.",
		Parameters: []parameter{paramRef("collectionId"),
			{Name: "f", In: "query", Required: true, Description: "The file format.", Schema: &schema{Type: "string", Enum: names}},
			paramRef("bbox"), paramRef("bbox-crs"), paramRef("datetime")},
		Responses: out,
	}
}

// tileResponses are the answers of both tile routes.
func tileResponses() map[string]response {
	out := withErrors(response{Description: "The tile", Content: map[string]mediaType{mvtContentType: {Schema: &schema{Type: "string", Format: "binary"}}}}, "400", "404")
	out["204"] = response{Description: "No data in this tile"}
	return out
}

// apiParameters are the shared parameters; collectionId enumerates ids.
func apiParameters(ids []string) map[string]parameter {
	var idEnum []any
	for _, id := range ids {
		idEnum = append(idEnum, id)
	}
	coord := func(name, desc string) parameter {
		return parameter{Name: name, In: "path", Required: true, Description: desc, Schema: &schema{Type: "integer", Minimum: ptr(0.0)}}
	}
	return map[string]parameter{
		"f": {Name: "f", In: "query", Description: "The format of the response: json (GeoJSON for features) or html. Without it, the Accept header decides, JSON by default.",
			Schema: &schema{Type: "string", Enum: []any{"json", "html"}}},
		"collectionId": {Name: "collectionId", In: "path", Required: true, Description: "The id of a collection (a tileset).",
			Schema: &schema{Type: "string", Enum: idEnum}},
		"version": {Name: "version", In: "path", Required: true, Description: "A version of the collection's tileset, as TileJSON's tiles or the collection's latest-version link name it.",
			Schema: &schema{Type: "string"}},
		"featureId": {Name: "featureId", In: "path", Required: true, Description: "The id of a feature: a whole number from 1.",
			Schema: &schema{Type: "string"}},
		"bbox": {Name: "bbox", In: "query", Style: "form", Explode: ptr(false),
			Description: "Only features whose geometry intersects this box: minLon,minLat,maxLon,maxLat in WGS 84 degrees (six numbers with heights are accepted; heights are ignored). A box across the antimeridian is refused.",
			Schema:      &schema{Type: "array", MinItems: ptr(4), MaxItems: ptr(6), Items: &schema{Type: "number"}}},
		"bbox-crs": {Name: "bbox-crs", In: "query", Description: "The CRS of bbox; only CRS84 is offered.",
			Schema: &schema{Type: "string", Format: "uri", Enum: []any{crs84}}},
		"crs": {Name: "crs", In: "query", Description: "The CRS of the response; only CRS84 is offered.",
			Schema: &schema{Type: "string", Format: "uri", Enum: []any{crs84}}},
		"datetime": {Name: "datetime", In: "query", Style: "form", Explode: ptr(false),
			Description: "Only features whose time (the collection's time field; its extent.temporal gives the span) meets this instant or interval, ends included, " +
				"and features without a time. An RFC 3339 date-time (2018-02-12T23:20:50Z), a date (2018-02-12: the whole day, UTC), " +
				"or an interval start/end of them, open with .. or nothing at either end (2018-02-12T00:00:00Z/.., ../2018-03-18T12:31:12Z), " +
				"or start/duration (2018-02-12/P1M6D). In a collection without a time field every feature matches.",
			Schema: &schema{Type: "string"}},
		"limit": {Name: "limit", In: "query", Description: "The most features in one page. Larger values are taken as the maximum.",
			Schema: &schema{Type: "integer", Minimum: ptr(1.0), Maximum: ptr(float64(maxLimit)), Default: defaultLimit}},
		"offset": {Name: "offset", In: "query", Description: "How many matching features to skip, in id order.",
			Schema: &schema{Type: "integer", Minimum: ptr(0.0), Default: 0}},
		"q": {Name: "q", In: "query", Description: "Only features with a string property that holds this text, whatever its case (name, unit code, commodity, …): a substring, not a word list. " +
			"At most 200 bytes.",
			Schema: &schema{Type: "string"}},
		"properties": {Name: "properties", In: "query", Style: "form", Explode: ptr(false),
			Description: "The properties to keep, comma-separated; empty keeps none. Without it, every property.",
			Schema:      &schema{Type: "array", Items: &schema{Type: "string"}}},
		"tileMatrixSetId": {Name: "tileMatrixSetId", In: "path", Required: true, Description: "The tile matrix set.",
			Schema: &schema{Type: "string", Enum: []any{webMercatorQuadID}}},
		"tileMatrix": {Name: "tileMatrix", In: "path", Required: true, Description: "The zoom level, an id of the tile matrix set's tile matrices.",
			Schema: &schema{Type: "string"}},
		"lang": {Name: "lang", In: "query", Description: "A BCP 47 language tag for labels (such as th or vi); the tileset's own language without it.",
			Schema: &schema{Type: "string"}},
		"tileRow": coord("tileRow", "The row of the tile, from the top."),
		"tileCol": coord("tileCol", "The column of the tile, from the west."),
		"z":       coord("z", "The zoom level."),
		"x":       coord("x", "The column, from the west."),
		"y":       coord("y", "The row, from the top."),
	}
}

// apiResponses are the shared error responses, all an exception document.
func apiResponses() map[string]response {
	e := func(desc string) response {
		return response{Description: desc, Content: map[string]mediaType{jsonType: {Schema: schemaRef("exception")}}}
	}
	return map[string]response{
		"Error400": e("A parameter is malformed or unknown; the description says which and how to fix it."),
		"Error404": e("No such collection, feature, tile matrix set or tile."),
		"Error":    e("An error, described in one line."),
	}
}

// apiSchemas are the schemas of the JSON documents, as far as clients rely
// on them: required members and their types.
func apiSchemas() map[string]*schema {
	str := &schema{Type: "string"}
	integer := &schema{Type: "integer"}
	links := &schema{Type: "array", Items: schemaRef("link")}
	obj := func(required []string, props map[string]*schema) *schema {
		return &schema{Type: "object", Required: required, Properties: props}
	}
	return map[string]*schema{
		"exception": obj([]string{"code"}, map[string]*schema{"code": str, "description": str}),
		"link": obj([]string{"href", "rel"}, map[string]*schema{
			"href": str, "rel": str, "type": str, "title": str, "templated": {Type: "boolean"},
		}),
		"landingPage": obj([]string{"links"}, map[string]*schema{"title": str, "description": str, "links": links}),
		"confClasses": obj([]string{"conformsTo"}, map[string]*schema{"conformsTo": {Type: "array", Items: str}, "links": links}),
		"extent": obj(nil, map[string]*schema{"spatial": obj(nil, map[string]*schema{
			"bbox": {Type: "array", MinItems: ptr(1), Items: &schema{Type: "array", MinItems: ptr(4), MaxItems: ptr(6), Items: &schema{Type: "number"}}},
			"crs":  {Type: "string", Enum: []any{crs84}, Default: crs84},
		}), "temporal": obj(nil, map[string]*schema{
			"interval": {Type: "array", MinItems: ptr(1), Items: &schema{Type: "array", MinItems: ptr(2), MaxItems: ptr(2),
				Items: &schema{Type: "string", Format: "date-time", Nullable: true}}},
			"trs": {Type: "string", Enum: []any{gregorian}, Default: gregorian},
		})}),
		"collection": obj([]string{"id", "links"}, map[string]*schema{
			"id": str, "title": str, "description": str, "keywords": {Type: "array", Items: str}, "attribution": str, "license": str,
			"extent": schemaRef("extent"), "itemType": {Type: "string", Enum: []any{"feature"}},
			"crs": {Type: "array", Items: str}, "links": links,
		}),
		"collections": obj([]string{"links", "collections"}, map[string]*schema{
			"links": links, "collections": {Type: "array", Items: schemaRef("collection")},
		}),
		"geometryGeoJSON": {Type: "object", Required: []string{"type"}, Nullable: true, Description: "A GeoJSON geometry in CRS84.",
			Properties: map[string]*schema{"type": {Type: "string", Enum: []any{"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}}}},
		"featureGeoJSON": obj([]string{"type", "geometry", "properties"}, map[string]*schema{
			"type":       {Type: "string", Enum: []any{"Feature"}},
			"id":         {OneOf: []*schema{str, integer}},
			"geometry":   schemaRef("geometryGeoJSON"),
			"properties": {Type: "object", Nullable: true},
			"links":      links,
		}),
		"featureCollectionGeoJSON": obj([]string{"type", "features"}, map[string]*schema{
			"type":           {Type: "string", Enum: []any{"FeatureCollection"}},
			"features":       {Type: "array", Items: schemaRef("featureGeoJSON")},
			"links":          links,
			"timeStamp":      {Type: "string", Format: "date-time"},
			"numberMatched":  {Type: "integer", Minimum: ptr(0.0)},
			"numberReturned": {Type: "integer", Minimum: ptr(0.0)},
		}),
		"tilesetList": obj([]string{"tilesets"}, map[string]*schema{"tilesets": {Type: "array", Items: &schema{Type: "object"}}, "links": links}),
		"tileset": obj([]string{"dataType", "tileMatrixSetURI", "links"}, map[string]*schema{
			"title": str, "dataType": {Type: "string", Enum: []any{"vector"}}, "crs": str, "tileMatrixSetURI": str,
			"tileMatrixSetLimits": {Type: "array", Items: obj([]string{"tileMatrix", "minTileRow", "maxTileRow", "minTileCol", "maxTileCol"}, map[string]*schema{
				"tileMatrix": str, "minTileRow": integer, "maxTileRow": integer, "minTileCol": integer, "maxTileCol": integer,
			})},
			"links": links,
		}),
		"tileMatrixSets": obj([]string{"tileMatrixSets"}, map[string]*schema{"tileMatrixSets": {Type: "array", Items: &schema{Type: "object"}}, "links": links}),
		"tileMatrixSet":  obj([]string{"crs", "tileMatrices"}, map[string]*schema{"id": str, "uri": str, "crs": str, "tileMatrices": {Type: "array", Items: &schema{Type: "object"}}}),
	}
}

// handleAPI serves /api: the OpenAPI document, or with f=html the page that
// the landing page's service-doc link names.
func (s *server) handleAPI(w http.ResponseWriter, r *http.Request) error {
	fm, err := requestFormat(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	var ids []string
	metas := map[string]*tileset.Metadata{}
	for id, ts := range s.tilesets() {
		ids = append(ids, id)
		metas[id] = ts.Metadata()
	}
	doc := newOpenAPI(base, ids, metas)
	if fm == formatHTML {
		return s.writeHTML(w, r, "api", &htmlPage{Title: "API", Base: base, Crumbs: []crumb{{"API", ""}}, JSON: base + "/api?f=json", Data: apiPage(doc)})
	}
	setVaryAccept(w, r)
	return s.writeJSONAs(w, r, docLinked, openAPIType, doc)
}

// apiOperation is one route as the API page lists it.
type apiOperation struct {
	Path, Summary, Description string
	Params                     []apiParam
}

type apiParam struct {
	Name, In, Type, Description string
	// Items is the type of an array's items.
	Items string
}

// apiPage lays out the OpenAPI document for a person: routes in path order,
// with parameter references resolved.
func apiPage(doc *openAPI) []apiOperation {
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var out []apiOperation
	for _, p := range paths {
		op := doc.Paths[p].Get
		a := apiOperation{Path: p, Summary: op.Summary, Description: op.Description}
		for _, prm := range op.Parameters {
			if prm.Ref != "" {
				prm = doc.Components.Parameters[strings.TrimPrefix(prm.Ref, ref("parameters", ""))]
			}
			ap := apiParam{Name: prm.Name, In: prm.In, Description: prm.Description}
			if prm.Schema != nil {
				ap.Type = prm.Schema.Type
				if prm.Schema.Items != nil {
					ap.Items = prm.Schema.Items.Type
				}
			}
			a.Params = append(a.Params, ap)
		}
		out = append(out, a)
	}
	return out
}
