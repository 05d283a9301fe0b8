package server

import (
	"encoding/xml"
	"errors"
	"fmt"
	"hash/fnv"
	"image/color"
	"maps"
	"math"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/crs"
	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// WMS 1.3.0 (OGC 06-042) and 1.1.1 (OGC 01-068r3), KVP over GET, at /wms:
// one layer per vector collection, each style the styles package generates
// for it a WMS style, maps drawn in pure Go by package render from the
// stored features. GetCapabilities, GetMap, GetFeatureInfo and
// GetLegendGraphic (the SLD 1.1 operation every WMS client asks for).
const (
	wms130, wms111 = "1.3.0", "1.1.1"
	// wmsMaxSize is the largest WIDTH and HEIGHT of a map: 4096 pixels, a
	// 64 MB canvas at most.
	wmsMaxSize = 4096
	// wmsLayerLimit is the most layers one GetMap draws.
	wmsLayerLimit = 16
	// wmsMargin is how far beyond the window, in pixels, features are
	// read, so that the strokes and circles of those just outside show.
	wmsMargin = 16
	jpegType  = "image/jpeg"
)

// The CRSs a map can be asked in, as WMS names them.
const (
	crsEPSG4326 = "EPSG:4326"
	crsCRS84    = "CRS:84"
	crsEPSG3857 = "EPSG:3857"
)

// wmsCRSs are the CRSs of every map: the three above, then the projected
// CRSs of package crs (UTM zones of South-East Asia, national CRSs).
var wmsCRSs = func() []string {
	out := []string{crsEPSG4326, crsCRS84, crsEPSG3857}
	for _, c := range crs.All() {
		out = append(out, c.Code)
	}
	return out
}()

// addWMSRoutes registers /wms.
func (s *server) addWMSRoutes(get func(string, http.HandlerFunc)) {
	get("/wms", s.wmsAdapter(s.handleWMS))
}

// wmsAdapter answers the error a WMS handler returns as a
// ServiceExceptionReport of the request's version, with the HTTP status
// of the exception; an error that is not an owsException is logged and
// answered as NoApplicableCode.
func (s *server) wmsAdapter(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		e := s.owsFailure(w, r, "WMS", err)
		version := wms130
		for k, v := range owsQuery(r) {
			if strings.EqualFold(k, "version") && len(v) == 1 && strings.HasPrefix(v[0], "1.1") {
				version = wms111
			}
		}
		writeWMSException(w, version, e)
	}
}

// wmsExceptionReport is the ServiceExceptionReport of both versions; 1.3.0
// puts it in the OGC namespace.
type wmsExceptionReport struct {
	XMLName   xml.Name `xml:"ServiceExceptionReport"`
	NS        string   `xml:"xmlns,attr,omitempty"`
	Version   string   `xml:"version,attr"`
	Exception struct {
		Code    string `xml:"code,attr,omitempty"`
		Locator string `xml:"locator,attr,omitempty"`
		Text    string `xml:",chardata"`
	} `xml:"ServiceException"`
}

// wms111ExceptionDoctype names the DTD of 1.1.1 exception reports.
const wms111ExceptionDoctype = `<!DOCTYPE ServiceExceptionReport SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_exception_1_1_1.dtd">`

func writeWMSException(w http.ResponseWriter, version string, e *owsException) {
	doc := wmsExceptionReport{Version: version}
	header, contentType := xml.Header, "text/xml"
	doc.Exception.Code, doc.Exception.Text = e.code, e.text
	if version == wms130 {
		doc.NS = "http://www.opengis.net/ogc"
		doc.Exception.Locator = e.locator // 1.1.1's DTD has no locator
	} else {
		header += wms111ExceptionDoctype + "\n"
		contentType = "application/vnd.ogc.se_xml"
	}
	body, _ := xml.MarshalIndent(doc, "", "  ")
	h := w.Header()
	delete(h, "Etag")
	h["Cache-Control"] = hdrNoStore
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(header)+len(body)+1))
	w.WriteHeader(e.status)
	w.Write([]byte(header))
	w.Write(append(body, '\n'))
}

// wmsError is an exception with one of WMS's codes, answered 400.
func wmsError(code, locator, f string, a ...any) *owsException {
	return &owsException{http.StatusBadRequest, code, locator, fmt.Sprintf(f, a...)}
}

// handleWMS serves /wms?SERVICE=WMS&REQUEST=….
func (s *server) handleWMS(w http.ResponseWriter, r *http.Request) error {
	p, err := newKVP(owsQuery(r))
	if err != nil {
		return err
	}
	if service, ok := p["service"]; ok && !strings.EqualFold(service, "WMS") {
		return invalidParameter("service", "SERVICE=%s: this endpoint serves WMS only (SERVICE=WMS)", service)
	}
	req, err := p.require("request")
	if err != nil {
		return err
	}
	switch strings.ToLower(req) {
	case "getcapabilities", "capabilities":
		return s.writeWMSCapabilities(w, r, negotiateWMSVersion(p["version"]))
	case "getmap", "map":
		return s.handleWMSGetMap(w, r, p)
	case "getfeatureinfo", "feature_info":
		return s.handleWMSFeatureInfo(w, r, p)
	case "getlegendgraphic":
		return s.handleWMSLegend(w, r, p)
	}
	return wmsError("OperationNotSupported", "request", "REQUEST=%s: give GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic", req)
}

// negotiateWMSVersion answers a GetCapabilities VERSION as WMS says: the
// version asked for if served, else the highest below it, else the lowest.
func negotiateWMSVersion(v string) string {
	if v == "" {
		return wms130
	}
	if compareVersions(v, wms130) >= 0 {
		return wms130
	}
	return wms111
}

// compareVersions compares dotted version numbers.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// mapVersion reads the VERSION of a GetMap or GetFeatureInfo request
// (WMTVER in the oldest clients); 1.3.0 when absent.
func mapVersion(p kvp) (string, error) {
	v := p["version"]
	if v == "" {
		v = p["wmtver"]
	}
	switch v {
	case "", wms130:
		return wms130, nil
	case wms111, "1.1.0", "1.1":
		return wms111, nil
	}
	return "", invalidParameter("version", "VERSION=%s: this server speaks WMS 1.3.0 and 1.1.1", v)
}

// wmsLayer is one layer of a request, opened, with the style to draw it in.
type wmsLayer struct {
	id      string
	name    string // as the request names it: id, or its OneGeology name
	ts      *tileset.Reader
	release func()
	style   styles.Style
	syms    []styles.Symbol
	class   *render.Classifier
	// texts are the style's labels: none when the server serves no fonts.
	texts []styles.TextSymbol
	// cache holds decoded features (see feature); nil decodes each time.
	cache *featureCache
}

// mapRequest is the map window shared by GetMap and GetFeatureInfo.
type mapRequest struct {
	version string
	crs     string
	view    render.View
	layers  []*wmsLayer
}

func (m *mapRequest) close() {
	for _, l := range m.layers {
		l.release()
	}
}

// readMapRequest reads and checks the parameters GetMap and GetFeatureInfo
// share, and opens the layers; the caller closes the request.
func (s *server) readMapRequest(r *http.Request, p kvp) (*mapRequest, error) {
	version, err := mapVersion(p)
	if err != nil {
		return nil, err
	}
	m := &mapRequest{version: version}
	crsParam := "crs"
	if version == wms111 {
		crsParam = "srs"
	}
	names, err := p.require("layers")
	if err != nil {
		return nil, err
	}
	layers := strings.Split(names, ",")
	if len(layers) > wmsLayerLimit {
		return nil, invalidParameter("layers", "LAYERS lists %d layers; give at most %d", len(layers), wmsLayerLimit)
	}
	var styleNames []string
	if v, ok := p["styles"]; !ok {
		return nil, missingParameter("styles")
	} else if v != "" {
		styleNames = strings.Split(v, ",")
		if len(styleNames) != len(layers) {
			return nil, wmsError("StyleNotDefined", "styles", "STYLES lists %d styles for %d layers; give one per layer (empty for the default) or leave STYLES empty", len(styleNames), len(layers))
		}
	}
	crsValue, err := p.require(crsParam)
	if err != nil {
		return nil, err
	}
	m.crs = strings.ToUpper(crsValue)
	bbox, err := p.require("bbox")
	if err != nil {
		return nil, err
	}
	width, err := wmsSize(p, "width")
	if err != nil {
		return nil, err
	}
	height, err := wmsSize(p, "height")
	if err != nil {
		return nil, err
	}
	m.view, err = mapView(version, m.crs, bbox, width, height)
	if err != nil {
		return nil, err
	}
	base := s.baseURL(r)
	for i, id := range layers {
		style := ""
		if styleNames != nil {
			style = styleNames[i]
		}
		l, err := s.openWMSLayer(id, style, base)
		if err != nil {
			m.close()
			return nil, err
		}
		m.layers = append(m.layers, l)
	}
	return m, nil
}

func wmsSize(p kvp, name string) (int, error) {
	v, err := p.require(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > wmsMaxSize {
		return 0, invalidParameter(name, "%s=%s: give a whole number of pixels from 1 to %d", strings.ToUpper(name), v, wmsMaxSize)
	}
	return n, nil
}

// mapView reads BBOX in crsName: in WMS 1.3.0, EPSG:4326 takes its axes in
// the EPSG order, latitude first; CRS:84, EPSG:3857, the projected CRSs of
// package crs (easting first in EPSG too) and all of 1.1.1 take x
// (longitude, easting) first.
func mapView(version, crsName, bbox string, width, height int) (render.View, error) {
	code, locator := "InvalidCRS", "crs"
	if version == wms111 {
		code, locator = "InvalidSRS", "srs"
	}
	v := render.View{Width: width, Height: height}
	switch crsName {
	case crsEPSG4326, crsCRS84:
		v.CRS = render.LonLat
	case crsEPSG3857, "EPSG:900913", "EPSG:102100":
		v.CRS = render.WebMercator
	default:
		p, ok := crs.Lookup(crsName)
		if !ok {
			return v, wmsError(code, locator, "%s=%s: give one of %s, or a UTM zone or national CRS that GetCapabilities lists", strings.ToUpper(locator), crsName, strings.Join(wmsCRSs[:3], ", "))
		}
		v.CRS, v.Proj = render.Projected, p
	}
	parts := strings.Split(bbox, ",")
	var f [4]float64
	if len(parts) != 4 {
		return v, invalidParameter("bbox", "BBOX=%s: give minx,miny,maxx,maxy", bbox)
	}
	for i, s := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return v, invalidParameter("bbox", "BBOX=%s: %q is not a number", bbox, s)
		}
		f[i] = x
	}
	if version == wms130 && crsName == crsEPSG4326 {
		f = [4]float64{f[1], f[0], f[3], f[2]}
	}
	v.BBox = orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}
	if err := v.Check(); err != nil {
		return v, invalidParameter("bbox", "BBOX=%s: %v", bbox, err)
	}
	return v, nil
}

// openWMSLayer opens the vector collection of layer name (its id, or the
// name GetCapabilities gives its layer) with its style named style (a
// kind, or the style id; "" for the collection's preferred style, while
// "default" is the style of that kind, drawn by geometry alone).
func (s *server) openWMSLayer(name, style, base string) (*wmsLayer, error) {
	id := s.wmsLayerID(name)
	ts, release, err := s.catalog.Acquire(id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, wmsError("LayerNotDefined", "layers", "layer %q does not exist; GetCapabilities lists the layers", id)
	case err != nil:
		return nil, err
	case ts.Metadata().Raster != nil:
		release()
		return nil, wmsError("LayerNotDefined", "layers", "layer %q is a raster collection; its map is served by WMTS at /wmts", id)
	}
	ws, err := s.wmsStyleOf(id, ts.Metadata(), style, base)
	if err != nil {
		release()
		return nil, err
	}
	return &wmsLayer{id: id, name: name, ts: ts, release: release, style: ws.style, syms: ws.syms, class: ws.class, texts: ws.texts, cache: s.mapFeatures}, nil
}

// symbolOf is the symbol the layer's style draws a feature with, nil for
// none.
func (l *wmsLayer) symbolOf(props []byte) *styles.Symbol {
	return l.class.Symbol(func(field string) (string, bool) { return tileset.PropertyText(props, field) })
}

// handleWMSGetMap draws the map: each layer in the order given, the first
// at the bottom, each its areas, then its lines, then its points. GetMap
// is a heavy request (see heavyGate).
func (s *server) handleWMSGetMap(w http.ResponseWriter, r *http.Request, p kvp) error {
	m, err := s.readMapRequest(r, p)
	if err != nil {
		return err
	}
	defer m.close()
	format, err := p.require("format")
	if err != nil {
		return err
	}
	format, _, _ = strings.Cut(strings.ToLower(format), ";")
	if format != pngType && format != jpegType {
		return wmsError("InvalidFormat", "format", "FORMAT=%s: give %s or %s", p["format"], pngType, jpegType)
	}
	transparent := false
	if v, ok := p["transparent"]; ok {
		switch strings.ToUpper(v) {
		case "TRUE":
			transparent = true
		case "FALSE", "":
		default:
			return invalidParameter("transparent", "TRANSPARENT=%s: give TRUE or FALSE", v)
		}
	}
	bg := color.RGBA{255, 255, 255, 255}
	if v, ok := p["bgcolor"]; ok && v != "" {
		hex := strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X")
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || len(hex) != 6 {
			return invalidParameter("bgcolor", "BGCOLOR=%s: give 0xRRGGBB", v)
		}
		bg = color.RGBA{uint8(n >> 16), uint8(n >> 8), uint8(n), 255}
	}
	inner, etag := s.mapETag(p, m.layers)
	if etag != "" {
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagListMatches(inm, inner) {
			h := w.Header()
			h.Set("Cache-Control", docLinked.cacheControl)
			h.Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	if !s.heavy.tryEnter() {
		return &owsException{http.StatusServiceUnavailable, "ServerBusy", "", "the server is drawing as many maps and serving as many heavy requests as it can at once; retry in a second"}
	}
	defer s.heavy.leave()
	var canvasBG color.Color = bg
	if transparent && format == pngType {
		canvasBG = nil
	}
	c := render.NewCanvas(m.view, canvasBG)
	defer c.Release()
	var labels *render.Labeller
	if s.fonts != nil {
		labels = render.NewLabeller(m.view, s.fonts.Font)
		labels.Cache = s.labelCache
	}
	for _, l := range m.layers {
		if err := s.drawLayer(r, c, l, labels); err != nil {
			return err
		}
	}
	if labels != nil {
		labels.Draw(c.Image())
	}
	var body []byte
	if format == pngType {
		body, err = render.PNG(c.Image())
	} else {
		body, err = render.JPEG(c.Image(), bg)
	}
	if err != nil {
		return err
	}
	if etag == "" {
		s.writeBody(w, r, docLinked, format, body)
		return nil
	}
	h := w.Header()
	h.Set("Cache-Control", docLinked.cacheControl)
	h.Set("ETag", etag)
	h.Set("Content-Type", format)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// mapETag returns the weak ETag of a map (inner, as If-None-Match is
// compared with, and header, as sent), or "" when a layer's version has
// no Version string. A map is a function of its parameters, the versions
// of its layers and the renderer, so the tag names it without drawing it
// and a revalidation is answered without drawing, as tiles' are; the
// parameters are all hashed, sorted, so that no parameter the drawing
// reads is left out. It is weak because the same map from another build
// of the renderer may differ in its bytes though not in what it shows;
// the build's revision is hashed in all the same.
func (s *server) mapETag(p kvp, layers []*wmsLayer) (inner, header string) {
	h := fnv.New64a()
	put := func(v string) {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	put(buildRevision())
	if s.fonts != nil {
		put("labels")
	}
	for _, l := range layers {
		v := l.ts.Metadata().Version
		if v == "" {
			return "", ""
		}
		put(l.id)
		put(v)
	}
	for _, k := range slices.Sorted(maps.Keys(p)) {
		put(k)
		put(p[k])
	}
	inner = `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
	return inner, "W/" + inner
}

// buildRevision names the build of the server: its VCS revision, or its
// module version when it was built without one.
var buildRevision = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			return s.Value
		}
	}
	return bi.Main.Version
})

// drawLayer draws the features of one layer in the canvas's window, and
// proposes their labels to labels (nil for none).
func (s *server) drawLayer(r *http.Request, c *render.Canvas, l *wmsLayer, labels *render.Labeller) error {
	v := c.View()
	box := v.LonLatBound(orb.Bound{Min: orb.Point{-wmsMargin, -wmsMargin}, Max: orb.Point{float64(v.Width + wmsMargin), float64(v.Height + wmsMargin)}})
	type later struct {
		g   orb.Geometry
		sym *styles.Symbol
	}
	var lines, points []later
	meta := l.ts.Metadata()
	err := l.eachDrawn(r, box, func(f tileset.RawFeature, props []byte, g orb.Geometry, sym *styles.Symbol) error {
		if labels != nil {
			for i := range l.texts {
				t := &l.texts[i]
				if text := labelText(props, t); text != "" {
					labels.AddKeyed(g, text, t, labelRank(props, t), labelKey{meta, f.ID})
				}
			}
		}
		switch render.Pass(g) {
		case 0:
			c.Draw(g, sym)
		case 1:
			lines = append(lines, later{g, sym})
		default:
			points = append(points, later{g, sym})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drawing layer %q: %w", l.id, err)
	}
	for _, f := range lines {
		c.Draw(f.g, f.sym)
	}
	for _, f := range points {
		c.Draw(f.g, f.sym)
	}
	return nil
}

// eachDrawn calls fn with each feature of the layer within box that its
// style draws, with its properties and geometry (shared: fn must not
// modify them) and symbol, until r is cancelled or fn returns an error, which it
// returns (errEnough stops with none).
func (l *wmsLayer) eachDrawn(r *http.Request, box orb.Bound, fn func(f tileset.RawFeature, props []byte, g orb.Geometry, sym *styles.Symbol) error) error {
	// Envelopes: what is drawn is clipped, and what is picked is tested
	// exactly (hits), so the features beside the box cost less than
	// decoding every geometry that crosses its edge to test it.
	_, err := l.ts.Features(tileset.FeatureQuery{BBox: &box, Limit: math.MaxInt32, Envelopes: true}, func(f tileset.RawFeature) error {
		if err := r.Context().Err(); err != nil {
			return err
		}
		mf, err := l.feature(f)
		if err != nil {
			return err
		}
		sym := l.symbolOf(mf.props)
		if sym == nil || mf.g == nil {
			return nil
		}
		return fn(f, mf.props, mf.g, sym)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// labelKey names a feature's geometry for the label cache: the version of
// its collection by its Metadata pointer (which the cache keeps alive, so
// a new version is never taken for an old one at a reused address) and its
// ID.
type labelKey struct {
	meta *tileset.Metadata
	id   uint64
}

// errEnough is what an eachDrawn callback returns to stop early.
var errEnough = errors.New("enough features")

// labelText is the text label t draws for a feature of properties props:
// its field's value (else its fallback's), or the code of that value; ""
// for a feature the label's filter leaves out.
func labelText(props []byte, t *styles.TextSymbol) string {
	if !t.Selects(func(field string) (string, bool) { return tileset.PropertyText(props, field) }) {
		return ""
	}
	v, ok := tileset.PropertyText(props, t.Field)
	if !ok && t.Fallback != "" {
		v, ok = tileset.PropertyText(props, t.Fallback)
	}
	if !ok {
		return ""
	}
	if t.Codes != nil {
		return t.Codes[v]
	}
	return v
}

// labelRank is the rank of a feature's label by t's SortKey (lowest drawn
// first where labels collide); 0 without one or for a value that is not a
// number.
func labelRank(props []byte, t *styles.TextSymbol) float64 {
	if t.SortKey == "" {
		return 0
	}
	v, _ := tileset.PropertyText(props, t.SortKey)
	r, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0
	}
	return r
}

// handleWMSLegend serves GetLegendGraphic: the legend of a layer's style
// as a PNG, each entry's swatch drawn as the map draws it.
func (s *server) handleWMSLegend(w http.ResponseWriter, r *http.Request, p kvp) error {
	id, err := p.require("layer")
	if err != nil {
		return err
	}
	if f, ok := p["format"]; ok && f != "" && !strings.EqualFold(f, pngType) {
		return wmsError("InvalidFormat", "format", "FORMAT=%s: legends are %s", f, pngType)
	}
	l, err := s.openWMSLayer(id, p["style"], s.baseURL(r))
	if err != nil {
		if e, ok := err.(*owsException); ok {
			e.locator = strings.TrimSuffix(e.locator, "s")
		}
		return err
	}
	defer l.release()
	body, err := render.PNG(render.Legend("", l.syms))
	if err != nil {
		return err
	}
	s.writeBody(w, r, docLinked, pngType, body)
	return nil
}
