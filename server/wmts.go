package server

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// WMTS 1.0.0 (OGC 07-057r7): one layer per raster tileset, drawn as PNG
// through the bundled ramps, which are the layer's styles, and one per
// vector collection, drawn as PNG or JPEG by package render in the styles
// the WMS offers (see wmts_vector.go); all in the one tile matrix set
// WebMercatorQuad (the GoogleMapsCompatible well-known scale set). KVP and
// REST encodings.
const (
	wmtsCapabilitiesRoute = "/wmts/1.0.0/WMTSCapabilities.xml"
	wmtsTileRoute         = "/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}.png"
	wmtsLegendRoute       = "/wmts/1.0.0/{layer}/{style}/legend.png"
	wmtsVersion           = "1.0.0"
	wmtsXMLType           = "application/xml"
	// wmtsCRS is EPSG:3857 as WMTS 1.0.0 names CRSs.
	wmtsCRS = "urn:ogc:def:crs:EPSG::3857"
	// wmtsGoogleMapsCompatible is the well-known scale set of annex E.4.
	wmtsGoogleMapsCompatible = "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible"
	// legendWidth and legendHeight are the size of a style's colour bar.
	legendWidth, legendHeight = 256, 16
)

// addWMTSRoutes registers the WMTS routes.
func (s *server) addWMTSRoutes(get func(string, http.HandlerFunc)) {
	get("/wmts", s.wmts(s.handleWMTSKVP))
	get(wmtsCapabilitiesRoute, s.wmts(s.handleWMTSCapabilities))
	get(wmtsLegendRoute, s.wmts(s.handleWMTSLegend))
	get(wmtsTileRoute, s.wmts(s.handleWMTSTileREST))
	for _, route := range wmtsColourTileRoutes {
		get(route, s.wmts(s.handleWMTSColourTileREST))
	}
	s.addWMTSInfoRoutes(get)
}

// owsException is a WMTS error, answered as an OWS 1.1 ExceptionReport
// with its code, the parameter it names and the HTTP status table 28 of
// the standard gives the code.
type owsException struct {
	status  int
	code    string // exceptionCode
	locator string // the parameter at fault, lowercase
	text    string // one line: what was wrong and the fix
}

func (e *owsException) Error() string { return e.code + " (" + e.locator + "): " + e.text }

// Exception constructors, one per exceptionCode used.
func missingParameter(name string) *owsException {
	return &owsException{http.StatusBadRequest, "MissingParameterValue", name, "parameter " + strings.ToUpper(name) + " is missing"}
}

func invalidParameter(name, f string, a ...any) *owsException {
	return &owsException{http.StatusBadRequest, "InvalidParameterValue", name, fmt.Sprintf(f, a...)}
}

func tileOutOfRange(name, f string, a ...any) *owsException {
	return &owsException{http.StatusBadRequest, "TileOutOfRange", name, fmt.Sprintf(f, a...)}
}

// exceptionReport is the OWS 1.1 ExceptionReport document.
type exceptionReport struct {
	XMLName   xml.Name `xml:"http://www.opengis.net/ows/1.1 ExceptionReport"`
	Version   string   `xml:"version,attr"`
	Lang      string   `xml:"xml:lang,attr"`
	Exception struct {
		Code    string `xml:"exceptionCode,attr"`
		Locator string `xml:"locator,attr,omitempty"`
		Text    string `xml:"ExceptionText"`
	} `xml:"Exception"`
}

// wmts adapts a WMTS handler: see owsErrors.
func (s *server) wmts(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return s.owsErrors("WMTS", wmtsVersion, wmtsXMLType, h)
}

// owsErrors adapts the handler of an OWS service (WMTS, WFS): the error it
// returns is answered as an OWS ExceptionReport of version, in contentType,
// with Retry-After on a 503; an error that is not an owsException is logged
// and answered as NoApplicableCode.
func (s *server) owsErrors(service, version, contentType string, h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		e := s.owsFailure(w, r, service, err)
		doc := exceptionReport{Version: version, Lang: "en"}
		doc.Exception.Code, doc.Exception.Locator, doc.Exception.Text = e.code, e.locator, e.text
		body, _ := xml.MarshalIndent(doc, "", "  ")
		h := w.Header()
		delete(h, "Etag")
		h["Cache-Control"] = hdrNoStore
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", strconv.Itoa(len(xml.Header)+len(body)+1))
		w.WriteHeader(e.status)
		w.Write([]byte(xml.Header))
		w.Write(append(body, '\n'))
	}
}

// owsFailure is the exception an OWS adapter answers for err, which a
// handler of service returned: err's owsException, or for any other error,
// logged, NoApplicableCode. A 503 of a busy server gets Retry-After.
func (s *server) owsFailure(w http.ResponseWriter, r *http.Request, service string, err error) *owsException {
	var e *owsException
	if !errors.As(err, &e) {
		s.log.Error(service+" request", "path", r.URL.Path, "query", r.URL.RawQuery, "err", err)
		e = &owsException{http.StatusInternalServerError, "NoApplicableCode", "", "the request failed; the server log has the cause"}
	}
	if e.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(heavyRetryAfter))
	}
	return e
}

// kvp holds a KVP request's parameters by lowercase name: OGC parameter
// names are case-insensitive, their values are not.
type kvp map[string]string

// newKVP reads q; a parameter given twice is an error.
func newKVP(q url.Values) (kvp, error) {
	p := kvp{}
	for k, v := range q {
		n := strings.ToLower(k)
		if _, dup := p[n]; dup || len(v) > 1 {
			return nil, invalidParameter(n, "parameter %s is given more than once", strings.ToUpper(n))
		}
		p[n] = v[0]
	}
	return p, nil
}

// require returns parameter name, or MissingParameterValue.
func (p kvp) require(name string) (string, error) {
	v, ok := p[name]
	if !ok || v == "" {
		return "", missingParameter(name)
	}
	return v, nil
}

// operation reads a KVP request of an OWS service: its SERVICE, which must
// be service, and the REQUEST it returns, both required.
func (p kvp) operation(service string) (string, error) {
	v, err := p.require("service")
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(v, service) {
		return "", invalidParameter("service", "SERVICE=%s: this endpoint serves %s only (SERVICE=%s)", v, service, service)
	}
	return p.require("request")
}

// handleWMTSKVP serves /wmts?SERVICE=WMTS&REQUEST=…: GetCapabilities,
// GetTile and GetFeatureInfo.
func (s *server) handleWMTSKVP(w http.ResponseWriter, r *http.Request) error {
	p, err := newKVP(owsQuery(r))
	if err != nil {
		return err
	}
	req, err := p.operation("WMTS")
	if err != nil {
		return err
	}
	switch {
	case strings.EqualFold(req, "GetCapabilities"):
		if av, ok := p["acceptversions"]; ok && !strings.Contains(","+av+",", ","+wmtsVersion+",") {
			return &owsException{http.StatusBadRequest, "VersionNegotiationFailed", "acceptversions", "ACCEPTVERSIONS=" + av + ": this server speaks WMTS " + wmtsVersion + " only"}
		}
		return s.writeWMTSCapabilities(w, r)
	case strings.EqualFold(req, "GetTile"):
		return s.handleWMTSTileKVP(w, r, p)
	case strings.EqualFold(req, "GetFeatureInfo"):
		return s.handleWMTSInfoKVP(w, r, p)
	}
	return invalidParameter("request", "REQUEST=%s: give GetCapabilities, GetTile or GetFeatureInfo", req)
}

// handleWMTSCapabilities serves the REST capabilities document.
func (s *server) handleWMTSCapabilities(w http.ResponseWriter, r *http.Request) error {
	return s.writeWMTSCapabilities(w, r)
}

// handleWMTSTileKVP serves REQUEST=GetTile.
func (s *server) handleWMTSTileKVP(w http.ResponseWriter, r *http.Request, p kvp) error {
	t, err := kvpTileRequest(p)
	if err != nil {
		return err
	}
	t.extra = renderExtras(r.URL.Query())
	return s.serveWMTSTile(w, r, t)
}

// kvpTileRequest reads the parameters a KVP GetTile and GetFeatureInfo
// share: VERSION, LAYER, STYLE, FORMAT and the tile's address, each
// required, then those named in more (GetFeatureInfo's I and J) into
// their destinations.
func kvpTileRequest(p kvp, more ...kvpParam) (wmtsTileRequest, error) {
	var t wmtsTileRequest
	if v, ok := p["version"]; !ok || v == "" {
		return t, missingParameter("version")
	} else if v != wmtsVersion {
		return t, invalidParameter("version", "VERSION=%s: this server speaks WMTS %s", v, wmtsVersion)
	}
	params := []kvpParam{{"layer", &t.layer}, {"tilematrixset", &t.tms}, {"tilematrix", &t.matrix}, {"tilerow", &t.row}, {"tilecol", &t.col}, {"format", &t.format}}
	for _, f := range append(params, more...) {
		var err error
		if *f.dst, err = p.require(f.name); err != nil {
			return t, err
		}
	}
	if _, ok := p["style"]; !ok {
		return t, missingParameter("style")
	}
	t.style = p["style"]
	return t, nil
}

// kvpParam is a required KVP parameter and where its value goes.
type kvpParam struct {
	name string
	dst  *string
}

// handleWMTSTileREST serves the REST GetTile resource.
func (s *server) handleWMTSTileREST(w http.ResponseWriter, r *http.Request) error {
	t := restTileRequest(r)
	t.format, t.extra = pngType, renderExtras(r.URL.Query())
	return s.serveWMTSTile(w, r, t)
}

// restTileRequest reads the layer, style and tile address of a REST
// GetTile or FeatureInfo resource from its path.
func restTileRequest(r *http.Request) wmtsTileRequest {
	v := mux.Vars(r)
	return wmtsTileRequest{layer: v["layer"], style: v["style"], tms: v["tms"], matrix: v["tileMatrix"], row: v["tileRow"], col: v["tileCol"]}
}

// renderExtras are the vendor parameters of a GetTile that pass to the
// renderer (rescale=, band= and the rest of the XYZ PNG route's, their
// names in any case, as KVP names are); the style is the colormap, and
// other parameters are ignored, as WMTS servers do.
func renderExtras(q url.Values) url.Values {
	extra := url.Values{}
	for k, v := range q {
		if n := strings.ToLower(k); n != "colormap" && slices.Contains(renderParamNames, n) {
			extra[n] = append(extra[n], v...)
		}
	}
	return extra
}

// wmtsTileRequest is a GetTile request, from either encoding.
type wmtsTileRequest struct {
	layer, style, tms, matrix, row, col, format string
	// extra are the rendering parameters beyond the style's ramp.
	extra url.Values
}

// acquireLayer opens the tileset a WMTS layer names: a raster tileset or
// a vector collection.
func (s *server) acquireLayer(id string) (*tileset.Reader, func(), error) {
	ts, release, err := s.catalog.Acquire(id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, nil, invalidParameter("layer", "LAYER=%s: no such layer; GetCapabilities lists the layers", id)
	case err != nil:
		return nil, nil, err
	}
	return ts, release, nil
}

// layerStyle resolves a style identifier: a bundled ramp, or the layer's
// default ramp for "" and "default".
func layerStyle(m *tileset.Metadata, style string) (string, error) {
	if style == "" || style == "default" {
		return defaultStyle(m), nil
	}
	if isColour(m) {
		return "", invalidParameter("style", "STYLE=%s: the layer is stored colours (a scanned map); its one style is default", style)
	}
	if raster.RampByName(style) == nil {
		return "", invalidParameter("style", "STYLE=%s: give one of %s", style, strings.Join(raster.Ramps(), ", "))
	}
	return style, nil
}

// defaultStyle is a layer's default style: the ramp its tiles are drawn
// with when none is asked for.
func defaultStyle(*tileset.Metadata) string { return raster.DefaultRamp }

// serveWMTSTile answers GetTile: the tile rendered as the XYZ PNG route
// renders it, with the style as colormap=, or a transparent tile where the
// grid has no data.
func (s *server) serveWMTSTile(w http.ResponseWriter, r *http.Request, t wmtsTileRequest) error {
	ts, release, err := s.acquireLayer(t.layer)
	if err != nil {
		return err
	}
	defer release()
	m := ts.Metadata()
	if m.Raster == nil {
		return s.serveWMTSVectorTile(w, r, t.layer, ts, t)
	}
	style, err := layerStyle(m, t.style)
	if err != nil {
		return err
	}
	if isColour(m) {
		return s.serveWMTSColourTile(w, r, ts, m, t)
	}
	if t.format != pngType {
		return invalidParameter("format", "FORMAT=%s: the tiles are %s", t.format, pngType)
	}
	z, row, col, err := t.tileAddress(func(z int) error {
		if z > mapTileMaxZoom(m) {
			return tileOutOfRange("tilematrix", "TILEMATRIX=%d: layer %s is drawn to tile matrix %d", z, t.layer, mapTileMaxZoom(m))
		}
		return nil
	})
	if err != nil {
		return err
	}
	q := t.extra
	q.Set("colormap", style)
	png, msg, err := s.renderedPNG(ts, m, q, z, col, row)
	switch {
	case msg != "":
		name, _, _ := strings.Cut(msg, "=")
		return invalidParameter(strings.ToLower(name), "%s", msg)
	case errors.Is(err, errRenderBusy):
		return &owsException{http.StatusServiceUnavailable, "NoApplicableCode", "", renderBusyText}
	case err != nil:
		return fmt.Errorf("rendering tile %d/%d/%d of %q: %w", z, col, row, t.layer, err)
	case png == nil:
		png = blankPNG(m.Raster.TileSize)
	}
	s.writePNG(w, r, png)
	return nil
}

// handleWMTSLegend serves a style's colour bar: the ramp from the low end
// of the stretch (left) to the high end (right).
func (s *server) handleWMTSLegend(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	ts, release, err := s.acquireLayer(v["layer"])
	if err != nil {
		return err
	}
	defer release()
	if ts.Metadata().Raster == nil {
		return s.writeVectorLegend(w, r, v["layer"], ts.Metadata(), v["style"])
	}
	if isColour(ts.Metadata()) {
		return invalidParameter("style", "layer %s is stored colours (a scanned map) and has no legend", v["layer"])
	}
	style, err := layerStyle(ts.Metadata(), v["style"])
	if err != nil {
		return err
	}
	ramp := raster.RampByName(style)
	img := image.NewNRGBA(image.Rect(0, 0, legendWidth, legendHeight))
	for x := range legendWidth {
		c := ramp.Colour(float64(x) / (legendWidth - 1))
		for y := range legendHeight {
			img.SetNRGBA(x, y, c)
		}
	}
	png, err := raster.PNG(img)
	if err != nil {
		return err
	}
	s.writePNG(w, r, png)
	return nil
}

// The capabilities document. Element names carry their prefix literally
// (encoding/xml writes a name as given), the namespaces declared on the
// root, which is how the documents of other servers read too.
type (
	wmtsCapabilities struct {
		XMLName        xml.Name `xml:"Capabilities"`
		NS             string   `xml:"xmlns,attr"`
		NSOWS          string   `xml:"xmlns:ows,attr"`
		NSXLink        string   `xml:"xmlns:xlink,attr"`
		NSXSI          string   `xml:"xmlns:xsi,attr"`
		SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
		Version        string   `xml:"version,attr"`
		// Service is the ows:ServiceIdentification and ows:ServiceProvider
		// the service metadata gives, as the WFS has them.
		Service            string           `xml:",innerxml"`
		Operations         []wmtsOperation  `xml:"ows:OperationsMetadata>ows:Operation"`
		Layers             []wmtsLayer      `xml:"Contents>Layer"`
		TileMatrixSet      wmtsTileMatrices `xml:"Contents>TileMatrixSet"`
		ServiceMetadataURL wmtsHref         `xml:"ServiceMetadataURL"`
	}
	wmtsOperation struct {
		Name string        `xml:"name,attr"`
		Get  []wmtsOpHTTPs `xml:"ows:DCP>ows:HTTP>ows:Get"`
	}
	wmtsOpHTTPs struct {
		Href       string         `xml:"xlink:href,attr"`
		Constraint wmtsConstraint `xml:"ows:Constraint"`
	}
	wmtsConstraint struct {
		Name   string   `xml:"name,attr"`
		Values []string `xml:"ows:AllowedValues>ows:Value"`
	}
	wmtsHref struct {
		Href string `xml:"xlink:href,attr"`
	}
	wmtsLayer struct {
		Title        string            `xml:"ows:Title"`
		Abstract     string            `xml:"ows:Abstract,omitempty"`
		BBox         wmtsBBox          `xml:"ows:WGS84BoundingBox"`
		Identifier   string            `xml:"ows:Identifier"`
		Styles       []wmtsStyle       `xml:"Style"`
		Formats      []string          `xml:"Format"`
		InfoFormats  []string          `xml:"InfoFormat"`
		TMSLink      wmtsTMSLink       `xml:"TileMatrixSetLink"`
		ResourceURLs []wmtsResourceURL `xml:"ResourceURL"`
	}
	wmtsBBox struct {
		CRS   string `xml:"crs,attr,omitempty"`
		Lower string `xml:"ows:LowerCorner"`
		Upper string `xml:"ows:UpperCorner"`
	}
	wmtsStyle struct {
		IsDefault  bool        `xml:"isDefault,attr,omitempty"`
		Title      string      `xml:"ows:Title"`
		Abstract   string      `xml:"ows:Abstract,omitempty"`
		Identifier string      `xml:"ows:Identifier"`
		Legend     *wmtsLegend `xml:"LegendURL,omitempty"`
	}
	wmtsLegend struct {
		Format string `xml:"format,attr"`
		Href   string `xml:"xlink:href,attr"`
		Width  int    `xml:"width,attr"`
		Height int    `xml:"height,attr"`
	}
	wmtsTMSLink struct {
		TileMatrixSet string           `xml:"TileMatrixSet"`
		Limits        []wmtsTileLimits `xml:"TileMatrixSetLimits>TileMatrixLimits"`
	}
	wmtsTileLimits struct {
		TileMatrix string `xml:"TileMatrix"`
		MinTileRow int    `xml:"MinTileRow"`
		MaxTileRow int    `xml:"MaxTileRow"`
		MinTileCol int    `xml:"MinTileCol"`
		MaxTileCol int    `xml:"MaxTileCol"`
	}
	wmtsResourceURL struct {
		Format       string `xml:"format,attr"`
		ResourceType string `xml:"resourceType,attr"`
		Template     string `xml:"template,attr"`
	}
	wmtsTileMatrices struct {
		Title             string           `xml:"ows:Title"`
		Identifier        string           `xml:"ows:Identifier"`
		BBox              wmtsBBox         `xml:"ows:BoundingBox"`
		SupportedCRS      string           `xml:"ows:SupportedCRS"`
		WellKnownScaleSet string           `xml:"WellKnownScaleSet"`
		Matrices          []wmtsTileMatrix `xml:"TileMatrix"`
	}
	wmtsTileMatrix struct {
		Identifier       string `xml:"ows:Identifier"`
		ScaleDenominator string `xml:"ScaleDenominator"`
		TopLeftCorner    string `xml:"TopLeftCorner"`
		TileWidth        int    `xml:"TileWidth"`
		TileHeight       int    `xml:"TileHeight"`
		MatrixWidth      int    `xml:"MatrixWidth"`
		MatrixHeight     int    `xml:"MatrixHeight"`
	}
)

// writeWMTSCapabilities answers GetCapabilities: one layer per raster
// tileset and per vector collection the catalog holds now.
func (s *server) writeWMTSCapabilities(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	kvpGet := func(op string) wmtsOperation {
		return wmtsOperation{Name: op, Get: []wmtsOpHTTPs{
			{Href: base + "/wmts?", Constraint: wmtsConstraint{"GetEncoding", []string{"KVP"}}},
			{Href: base + "/wmts/1.0.0/", Constraint: wmtsConstraint{"GetEncoding", []string{"RESTful"}}},
		}}
	}
	doc := wmtsCapabilities{
		NS: "http://www.opengis.net/wmts/1.0", NSOWS: "http://www.opengis.net/ows/1.1",
		NSXLink: "http://www.w3.org/1999/xlink", NSXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation:     "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd",
		Version:            wmtsVersion,
		Service:            "\n" + s.service.owsService("OGC WMTS", wmtsVersion, "Raster tilesets (geophysical grids, elevation, scanned maps) drawn through colour ramps, each ramp a style; vector collections (geological maps, faults, occurrences) drawn in the styles the WMS offers."),
		Operations:         []wmtsOperation{kvpGet("GetCapabilities"), kvpGet("GetTile"), kvpGet("GetFeatureInfo")},
		Layers:             []wmtsLayer{},
		ServiceMetadataURL: wmtsHref{Href: base + wmtsCapabilitiesRoute},
	}
	doc.Operations[0].Get[1].Href = base + wmtsCapabilitiesRoute
	// The one tile matrix set runs to the deepest matrix of the layers,
	// which readers such as GDAL take as every layer's full resolution;
	// vector layers, drawn at any zoom, go no deeper than every raster
	// layer can be drawn (see mapTileMaxZoom).
	deepest, vectorDeepest, rasterCap := 0, 0, webMercatorMaxZoom
	for id, ts := range s.tilesets() {
		// The tile matrix set has 256-pixel tiles, the size ingest cuts.
		switch m := ts.Metadata(); {
		case m.Raster != nil && m.Raster.TileSize == 256:
			doc.Layers = append(doc.Layers, wmtsLayerOf(m, id, base))
			deepest = max(deepest, min(m.MaxZoom, webMercatorMaxZoom))
			rasterCap = min(rasterCap, mapTileMaxZoom(m))
		case m.Raster == nil:
			vectorDeepest = max(vectorDeepest, vectorTileDepth(m))
			doc.Layers = append(doc.Layers, s.wmtsVectorLayerOf(m, id, base))
		}
	}
	deepest = max(deepest, min(vectorDeepest, rasterCap))
	for i := range doc.Layers {
		l := &doc.Layers[i].TMSLink
		l.Limits = l.Limits[:min(len(l.Limits), deepest+1)]
	}
	doc.TileMatrixSet = wmtsWebMercatorQuad(deepest)
	body, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	body = append([]byte(xml.Header), append(body, '\n')...)
	s.writeBody(w, r, docLinked, wmtsXMLType, body)
	return nil
}

// wmtsLayerOf describes raster tileset id as a WMTS layer.
func wmtsLayerOf(m *tileset.Metadata, id, base string) wmtsLayer {
	b := m.Bounds
	l := wmtsLayer{
		Title:      collectionTitle(m, id),
		Abstract:   m.Description,
		BBox:       wmtsBBox{Lower: fmt.Sprintf("%g %g", b[0], clampLat(b[1])), Upper: fmt.Sprintf("%g %g", b[2], clampLat(b[3]))},
		Identifier: id,
		Formats:    []string{pngType},
		TMSLink:    wmtsTMSLink{TileMatrixSet: webMercatorQuadID},
		ResourceURLs: []wmtsResourceURL{{Format: pngType, ResourceType: "tile",
			Template: base + "/wmts/1.0.0/" + id + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"}},
	}
	if isColour(m) {
		colourLayer(&l, m, id, base)
		return l
	}
	addInfoFormats(&l, id, base, false)
	def := defaultStyle(m)
	for _, name := range append([]string{def}, raster.Ramps()...) {
		if name == def && len(l.Styles) > 0 {
			continue
		}
		l.Styles = append(l.Styles, wmtsStyle{
			IsDefault: name == def, Title: name, Abstract: raster.RampByName(name).Description, Identifier: name,
			Legend: &wmtsLegend{Format: pngType, Href: base + "/wmts/1.0.0/" + id + "/" + name + "/legend.png", Width: legendWidth, Height: legendHeight},
		})
	}
	lo, hi := tileZoomRange(m)
	for z := lo; z <= hi; z++ {
		t := tileLimits(m, z)
		l.TMSLink.Limits = append(l.TMSLink.Limits, wmtsTileLimits{t.TileMatrix, t.MinTileRow, t.MaxTileRow, t.MinTileCol, t.MaxTileCol})
	}
	return l
}

// wmtsWebMercatorQuad is WebMercatorQuad as a WMTS TileMatrixSet, the
// same matrices /tileMatrixSets/WebMercatorQuad describes, from 0 to
// maxZoom: the deepest max zoom of the layers, the finest their data is.
// Readers take the deepest matrix as the layer's full resolution (GDAL's
// WMTS driver sizes the dataset by it, ignoring the layer's limits), and
// draw beyond it by scaling its tiles up, as the server would.
func wmtsWebMercatorQuad(maxZoom int) wmtsTileMatrices {
	h := strconv.FormatFloat(webMercatorHalf, 'f', -1, 64)
	corner := "-" + h + " " + h
	t := wmtsTileMatrices{
		Title:             "Google Maps Compatible for the World",
		Identifier:        webMercatorQuadID,
		BBox:              wmtsBBox{CRS: wmtsCRS, Lower: "-" + h + " -" + h, Upper: h + " " + h},
		SupportedCRS:      wmtsCRS,
		WellKnownScaleSet: wmtsGoogleMapsCompatible,
	}
	for _, tm := range webMercatorQuad().TileMatrix[:maxZoom+1] {
		t.Matrices = append(t.Matrices, wmtsTileMatrix{
			Identifier:       tm.Identifier,
			ScaleDenominator: strconv.FormatFloat(tm.ScaleDenominator, 'f', -1, 64),
			TopLeftCorner:    corner,
			TileWidth:        tm.TileWidth, TileHeight: tm.TileHeight,
			MatrixWidth: tm.MatrixWidth, MatrixHeight: tm.MatrixHeight,
		})
	}
	return t
}
