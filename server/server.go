// Package server publishes every tileset of a store over HTTP: XYZ tiles and
// TileJSON, OGC API, WMTS, styles and the built-in viewer. It is pure Go and
// read-only: it never calls GDAL and never parses a survey file.
//
// Routes (every one answers GET and HEAD, and CORS preflights with OPTIONS):
//
//	/                               OGC API landing page (JSON, HTML)
//	/api, /conformance              OpenAPI 3.0 definition; conformance classes
//	/collections, /collections/{id} one collection per tileset (JSON, HTML)
//	/collections/{id}/items[/{fid}] OGC API - Features (GeoJSON, HTML)
//	/collections/{id}@{version}/items[/{fid}] the same of one version, immutable (see versioned.go)
//	/collections/{id}/queryables    JSON Schema of the property filters
//	/collections/{id}/download      the features as GeoPackage, GeoJSON, CSV or zipped Shapefile
//	/collections/{id}/tiles/...     OGC API - Tiles, over the same tiles as XYZ
//	/tileMatrixSets[/{tms}]         the WebMercatorQuad tile matrix set
//	/wfs                            WFS 2.0 simple features, GeoSciML-Lite views (GML 3.2, GeoJSON)
//	/tiles/{id}/{z}/{x}/{y}.mvt     a vector tile (alias .pbf)
//	/tiles/{id}@{version}/…         the same tile of one version, immutable (see versioned.go)
//	/tiles/{id}.json                TileJSON 3.0.0
//	/styles, /styles/{id}.json      generated MapLibre styles (id {tileset}.{kind}, or "all")
//	/collections/{id}/legend        legend of a style: label, colour, URI, feature count (JSON or HTML)
//	/collections/{id}/harmonisation the harmonisation report stored at ingest
//	/vocab/labels?uri=…             vocabulary labels of concept URIs
//	/map/                           the viewer (/map redirects there)
//	/map/basemap.json               the style the viewer draws under everything
//	/map/i18n.json                  the interface strings in the reader's language
//	/healthz                        liveness
//	/metrics                        Prometheus metrics
package server

import (
	"cmp"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/store"
)

// DefaultTileMaxAge is how long a tile may be reused from a cache without
// revalidation when Config.TileMaxAge is zero. An hour keeps a replaced
// tileset from showing stale tiles for long while sparing most refetches; a
// revalidation after that costs a 304 and no tile read.
const DefaultTileMaxAge = time.Hour

// Config configures a server.
type Config struct {
	// Catalog lists the tilesets to publish and hands out their current
	// versions. It is required.
	Catalog store.Catalog
	// BaseURL, when set, is the public root URL used in links (for a server
	// behind a proxy); otherwise links are built from each request's Host.
	BaseURL string
	// Logger receives errors, recovered panics and, at Debug level, one line
	// per request. Nil discards everything.
	Logger *slog.Logger
	// TileMaxAge is the Cache-Control max-age of tiles (204s included): zero
	// means DefaultTileMaxAge, a negative value means "no-cache", so that
	// clients revalidate every tile with its ETag.
	TileMaxAge time.Duration
	// MaxOverzoom is the deepest zoom the tile route serves: tiles deeper
	// than a tileset's max zoom are cut from its max-zoom tiles, for
	// clients that do not overzoom by themselves (QGIS, GDAL, OpenLayers
	// with an XYZ URL). Zero means DefaultMaxOverzoom; a negative value
	// serves each tileset's own zooms only. Deeper zooms are a 404.
	MaxOverzoom int
	// Registry, when set, receives the server's metrics and is what /metrics
	// exposes, so a caller can add its own collectors. Nil means a fresh
	// registry with the Go runtime and process collectors.
	Registry *prometheus.Registry
	// WriteTimeout is how long one write of a response may wait on a
	// client that does not read before the connection is closed (see
	// withWriteDeadline): zero means DefaultWriteTimeout, a negative value
	// no bound.
	WriteTimeout time.Duration
	// Basemap is the tileset the viewer draws under every other layer, in
	// its preferred style: empty means DefaultBasemap when the store holds
	// it, NoBasemap none.
	Basemap string
	// BasemapStyle, when set, is the URL of a MapLibre style the viewer
	// draws as its basemap instead (an external one, such as a survey's own).
	BasemapStyle string
	// Lang is the interface language of the viewer and the catalogue for
	// a reader who has not chosen one (serve --lang): one of
	// viewer.Languages(). Empty follows the browser's Accept-Language.
	Lang string
	// MaxHeavy is how many heavy requests (pages of more than 1000
	// features, HTML pages of features, raster renders) are served at once;
	// more are answered 503 with Retry-After. Zero means 2 per CPU.
	MaxHeavy int
	// Fonts are the fonts label glyphs are drawn from (/fonts). Nil serves
	// no glyphs: /fonts.json is empty and every glyph range a 404.
	Fonts *glyphs.Library
	// WarmGlyphs draws, in one goroutine started by New, the glyph ranges
	// the generated styles' labels ask for first (Latin, Vietnamese, Thai
	// and Lao), so that the first map's labels do not wait for them.
	WarmGlyphs bool
	// Service describes the service provider in the WMS capabilities; nil
	// gives Outcrop's defaults.
	Service *ServiceMetadata
}

// server holds what every handler shares. Handlers are methods on it, each in
// the file named for the capability it serves.
type server struct {
	catalog store.Catalog
	base    string // without a trailing slash; empty when links follow the request
	log     *slog.Logger
	damage  damageLog // rate-limits the logging of damaged files
	metrics *metrics
	tiles   tileInfoCache
	// maxOverzoom is the deepest zoom served, -1 for none beyond each
	// tileset's own; overzoom cuts and caches those tiles.
	maxOverzoom int
	overzoom    *overzoomer
	rendered    *lru[renderKey, []byte]      // PNGs of raster tiles
	dataTiles   *lru[dataKey, *raster.Tile]  // decoded raster data tiles, for rendering
	mapTiles    *lru[mapTileKey, []byte]     // WMTS tiles of vector collections
	wmsStyles   *lru[wmsStyleKey, *wmsStyle] // styles made ready to draw
	mapFeatures *featureCache                // features decoded for maps
	labelCache  *render.LabelCache           // WMS labels' poles and rasters
	// tileCacheControl is the precomputed Cache-Control value of tiles.
	tileCacheControl []string
	// writeTimeout bounds each write of a response; 0 for none.
	writeTimeout time.Duration
	heavy        heavyGate
	// basemap and basemapStyle are Config's, basemap defaulted.
	basemap, basemapStyle string
	// lang is Config.Lang.
	lang       string
	fonts      *glyphs.Library
	glyphs     *lru[glyphKey, []byte] // glyph ranges drawn
	renderWait time.Duration          // see renderWait
	service    ServiceMetadata        // the WMS capabilities' service metadata
	cards      *lru[cardKey, catalogueCard]
	thumbs     *lru[cardKey, []byte]
	wfsCat     wfsCatalogCache // the WFS catalogue of the current versions
}

// New returns the server's HTTP handler. It panics when cfg.Catalog is nil,
// which is a programming error rather than something a user can cause.
func New(cfg Config) http.Handler {
	s := newServer(cfg)
	if cfg.WarmGlyphs {
		go s.warmGlyphs()
	}
	return withWriteDeadline(s.writeTimeout, withCORS(s.tileDispatch(s.routes())))
}

// newServer checks cfg and fills in its defaults.
func newServer(cfg Config) *server {
	if cfg.Catalog == nil {
		panic("server.New: Config.Catalog is nil")
	}
	s := &server{
		catalog:          cfg.Catalog,
		base:             strings.TrimRight(cfg.BaseURL, "/"),
		log:              cfg.Logger,
		tileCacheControl: []string{cacheControl(cfg.TileMaxAge, DefaultTileMaxAge)},
		maxOverzoom:      min(cfg.MaxOverzoom, maxTileZoom),
		overzoom:         newOverzoomer(),
		rendered:         newLRU[renderKey, []byte](renderCacheBytes),
		dataTiles:        newLRU[dataKey, *raster.Tile](decodedCacheBytes),
		mapTiles:         newLRU[mapTileKey, []byte](mapTileCacheBytes),
		wmsStyles:        newLRU[wmsStyleKey, *wmsStyle](maxWMSStyles),
		mapFeatures:      newFeatureCache(),
		labelCache:       render.NewLabelCache(maxLabelPoles, maxLabelTexts),
		heavy:            newHeavyGate(cfg.MaxHeavy),
		basemap:          cmp.Or(cfg.Basemap, DefaultBasemap),
		basemapStyle:     cfg.BasemapStyle,
		lang:             cfg.Lang,
		fonts:            cfg.Fonts,
		glyphs:           newLRU[glyphKey, []byte](glyphCacheBytes),
		renderWait:       renderWait,
		cards:            newLRU[cardKey, catalogueCard](maxCards),
		thumbs:           newLRU[cardKey, []byte](thumbCacheBytes),
	}
	if cfg.Service != nil {
		s.service = *cfg.Service
	}
	switch {
	case cfg.MaxOverzoom == 0:
		s.maxOverzoom = DefaultMaxOverzoom
	case cfg.MaxOverzoom < 0:
		s.maxOverzoom = -1
	}
	switch {
	case cfg.WriteTimeout == 0:
		s.writeTimeout = DefaultWriteTimeout
	case cfg.WriteTimeout > 0:
		s.writeTimeout = cfg.WriteTimeout
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.metrics = newMetrics(cfg.Registry)
	return s
}

// redirectToMapDir sends /map to /map/ with a relative Location, which stays
// right behind a proxy that mounts the server under a path prefix.
func redirectToMapDir(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Location", "map/")
	w.WriteHeader(http.StatusMovedPermanently)
}

// routes builds the router. Most tile requests never reach it (see
// tileDispatch); the tile route is registered all the same, so that the
// requests the fast path leaves alone (other methods, unclean paths) get
// the router's answers: 405, a redirect to the clean path.
func (s *server) routes() *mux.Router {
	r := mux.NewRouter()
	get := func(template string, h http.HandlerFunc) {
		r.Handle(template, s.instrument(routeLabel(template), h)).Methods(http.MethodGet, http.MethodHead)
	}
	get(tileRoute, s.api(s.handleTile))
	get(rasterTileRoute, s.api(s.handleRasterTile))
	for _, route := range colourTileRoutes {
		get(route, s.api(s.handleColourTile))
	}
	get("/collections/{id}/value", s.api(s.handleValue))
	get("/colormaps", s.api(s.handleColormaps))
	s.addMapTileRoutes(get) // OGC API - Tiles map tiles of rasters
	s.addWMTSRoutes(get)
	s.addWMSRoutes(get)             // WMS 1.3.0 and 1.1.1 of the vector collections
	get("/wfs", s.wfs(s.handleWFS)) // WFS 2.0 (wfs.go)
	get("/tiles/{id}.json", s.api(s.handleTileJSON))
	get("/", s.api(s.handleLanding))
	get("/api", s.api(s.handleAPI))
	get("/conformance", s.api(s.handleConformance))
	get("/collections", s.api(s.handleCollections))
	get("/collections/{id}", s.api(s.handleCollection))
	get("/collections/{id}/items", s.api(s.handleItems))
	get("/collections/{id}/items/{fid}", s.api(s.handleItem))
	get("/collections/{id}/queryables", s.api(s.handleQueryables))
	get(thumbnailRoute, s.api(s.handleThumbnail))
	get(downloadRoute, s.api(s.handleDownload))
	get("/collections/{id}/tiles", s.api(s.handleTilesets))
	get("/collections/{id}/tiles/{tms}", s.api(s.handleTileset))
	get(ogcTileRoute, s.api(s.handleOGCTile))
	get("/tileMatrixSets", s.api(s.handleTileMatrixSets))
	get("/tileMatrixSets/{tms}", s.api(s.handleTileMatrixSet))
	s.addStyleRoutes(get) // /styles, legends, harmonisation reports, vocabulary labels
	get("/fonts.json", s.api(s.handleFontList))
	get(glyphRoute, s.api(s.handleGlyphs))
	get(fontFileRoute, s.api(s.handleFontFile))
	get("/healthz", s.api(s.handleHealth))
	r.Handle("/metrics", s.instrument("/metrics", identityUnlessGzip(s.metrics.handler(s.log)))).Methods(http.MethodGet, http.MethodHead)

	get("/map", redirectToMapDir)
	get("/map/basemap.json", s.api(s.handleBasemap))
	get("/map/i18n.json", s.api(s.handleI18n))
	// The viewer sees paths below /map, so it need not know where it is mounted.
	r.PathPrefix("/map/").Handler(s.instrument("/map/", jsonErrors(http.StripPrefix("/map", viewer.Handler())))).
		Methods(http.MethodGet, http.MethodHead)

	r.NotFoundHandler = s.instrument("unmatched", s.api(s.handleNotFound))
	r.MethodNotAllowedHandler = s.instrument("unmatched", s.api(s.handleMethodNotAllowed))
	return r
}

// routeLabel is a route template without the patterns of its variables
// ("{format:mvt|pbf}" becomes "{format}"), as it appears in metrics and logs.
func routeLabel(template string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(template, '{')
		if open < 0 {
			b.WriteString(template)
			return b.String()
		}
		end := strings.IndexByte(template[open:], '}')
		if end < 0 {
			b.WriteString(template)
			return b.String()
		}
		name, _, _ := strings.Cut(template[open:open+end], ":")
		b.WriteString(template[:open])
		b.WriteString(name)
		b.WriteByte('}')
		template = template[open+end+1:]
	}
}

// handleNotFound answers a path that no route serves.
func (s *server) handleNotFound(_ http.ResponseWriter, r *http.Request) error {
	return statusError(http.StatusNotFound, "no resource at "+strconv.Quote(r.URL.Path)+"; GET / lists what this server offers")
}

// handleMethodNotAllowed answers a method other than GET, HEAD or OPTIONS.
func (s *server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	w.Header()["Allow"] = hdrAllowGetHeadOp
	return statusError(http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed; this server is read-only and answers GET, HEAD and OPTIONS")
}
