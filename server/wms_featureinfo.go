package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

const (
	// wmsPickTolerance is how near, in pixels, a click must be to a line or
	// to a point's symbol for GetFeatureInfo to return it.
	wmsPickTolerance = 3
	// wmsMaxFeatureCount bounds FEATURE_COUNT.
	wmsMaxFeatureCount = 1000
	textType           = "text/plain"
	// vndGMLType is the GML INFO_FORMAT of WMS 1.1.1 clients.
	vndGMLType = "application/vnd.ogc.gml"
	// xmlGMLType is the text/xml INFO_FORMAT as answered: GML 3.2.
	xmlGMLType = "text/xml; subtype=gml/3.2"
)

// wmsInfoFormats are the GetFeatureInfo formats the capabilities list:
// the GML ones before application/json, as QGIS takes the last listed of
// those it reads features from, and reads GeoJSON best.
var wmsInfoFormats = []string{htmlType, textType, wfsGMLType, vndGMLType, "text/xml", jsonType}

// infoFeature is a feature GetFeatureInfo found.
type infoFeature struct {
	layer string // the layer's name as the request gave it
	coll  string // its collection
	id    uint64
	geom  json.RawMessage
	// raw is the stored GeoJSON feature.
	raw []byte
	// own is the collection's own feature type, for a collection the WFS
	// catalogue leaves out.
	own *wfsType
	// t and view are set by viewInfo: the WFS feature type that serves
	// the feature and the feature as t shows it.
	t    *wfsType
	view *wfsFeature
}

// viewInfo gives each feature found the WFS feature type that serves its
// collection (the GeoSciML-Lite or EarthResourceML-Lite view it was
// harmonised onto, else its own type) and its properties as that type
// shows them, the mandatory ones completed by fillMandatory. Every
// GetFeatureInfo format (GML, GeoJSON, text, HTML; WMS and WMTS) writes
// these, so all list the same properties with the same values as the WFS.
func (s *server) viewInfo(r *http.Request, found []infoFeature) error {
	if len(found) == 0 {
		return nil
	}
	typeOf := s.wfsCatalog().typeOf
	base := s.baseURL(r)
	for i := range found {
		fi := &found[i]
		t := typeOf[fi.coll]
		if t == nil {
			t = fi.own
		}
		f := &wfsFeature{props: map[string][]byte{}}
		if err := f.read(fi.raw, t); err != nil {
			return fmt.Errorf("feature %d of %s: %w", fi.id, fi.coll, err)
		}
		f.fillMandatory(t, base, fi.coll, fi.id)
		fi.t, fi.view = t, f
	}
	return nil
}

// values are the properties of f's view as text, in its type's order.
func (fi *infoFeature) values() ([][2]string, error) {
	var out [][2]string
	err := fi.t.eachValue(fi.view, func(p wfsProp, raw []byte) error {
		text, err := propText(raw)
		out = append(out, [2]string{p.field, text})
		return err
	})
	return out, err
}

// handleWMSFeatureInfo serves GetFeatureInfo: the features of each of
// QUERY_LAYERS drawn at pixel I, J (X, Y in 1.1.1) of the map GetMap would
// draw, the topmost layer first; an area when the pixel's centre lies in it
// (holes excluded), a line or point when its symbol passes within
// wmsPickTolerance pixels. FEATURE_COUNT (default 1) bounds the features
// per layer.
func (s *server) handleWMSFeatureInfo(w http.ResponseWriter, r *http.Request, p kvp) error {
	m, err := s.readMapRequest(r, p)
	if err != nil {
		return err
	}
	defer m.close()
	queryLayers, err := p.require("query_layers")
	if err != nil {
		return err
	}
	infoFormat, err := infoFormatOf(p["info_format"])
	if err != nil {
		return err
	}
	count := 1
	if v, ok := p["feature_count"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return invalidParameter("feature_count", "FEATURE_COUNT=%s: give a whole number from 1", v)
		}
		count = min(n, wmsMaxFeatureCount)
	}
	iName, jName := "i", "j"
	if m.version == wms111 {
		iName, jName = "x", "y"
	}
	px, err := wmsPixel(p, iName, m.view.Width)
	if err != nil {
		return err
	}
	py, err := wmsPixel(p, jName, m.view.Height)
	if err != nil {
		return err
	}
	byID := map[string]*wmsLayer{}
	for _, l := range m.layers {
		byID[l.id], byID[l.name] = l, l
	}
	var queried []*wmsLayer
	for _, id := range strings.Split(queryLayers, ",") {
		l, ok := byID[id]
		if !ok {
			return wmsError("LayerNotDefined", "query_layers", "QUERY_LAYERS names %q, which LAYERS does not list", id)
		}
		queried = append(queried, l)
	}
	at := orb.Point{float64(px) + 0.5, float64(py) + 0.5}
	var found []infoFeature
	for i := len(queried) - 1; i >= 0; i-- {
		fs, err := pick(r, m.view, queried[i], at, count)
		if err != nil {
			return err
		}
		found = append(found, fs...)
	}
	if err := s.viewInfo(r, found); err != nil {
		return err
	}
	var body []byte
	contentType := infoFormat
	switch infoFormat {
	case jsonType, geoJSONType:
		body, err = infoJSON(found)
	case textType:
		body, err = infoText(found)
		contentType += "; charset=utf-8"
	case wfsGMLType, vndGMLType, xmlGMLType:
		body, err = s.infoGML(r, m.gmlCRS(), found)
	default:
		body, err = s.infoHTML(w, r, found)
		contentType += "; charset=utf-8"
	}
	if err != nil {
		return err
	}
	s.writeBody(w, r, docLinked, contentType, body)
	return nil
}

// infoFormatOf reads INFO_FORMAT (text/html when absent) into the format
// answered. Every GML format is answered as GML 3.2 (WFS 2.0's
// application/gml+xml; version=3.2, the application/vnd.ogc.gml of 1.1.1
// clients, and text/xml as GeoServer takes it); a GML version other than
// 3.2 asked for by name is refused rather than answered in another.
func infoFormatOf(v string) (string, error) {
	if v == "" {
		return htmlType, nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err == nil {
		version, subtype := params["version"], strings.ToLower(params["subtype"])
		switch {
		case mt == htmlType || mt == textType || mt == jsonType || mt == geoJSONType:
			return mt, nil
		case mt == "application/gml+xml" && (version == "" || version == "3.2"):
			return wfsGMLType, nil
		case mt == vndGMLType && (version == "" || version == "3.2"):
			return vndGMLType, nil
		case mt == "text/xml" && (subtype == "" || subtype == "gml/3.2"):
			return xmlGMLType, nil
		}
	}
	return "", wmsError("InvalidFormat", "info_format", "INFO_FORMAT=%s: give one of %s (every GML one is GML 3.2)", v, strings.Join(wmsInfoFormats, ", "))
}

// infoGML is a wfs:FeatureCollection of the features found, each as the
// WFS feature type that serves it: the GeoSciML-Lite or
// EarthResourceML-Lite view of a harmonised collection
// (gsmlp:GeologicUnitView, gsmlp:ShearDisplacementStructureView,
// erl:MineralOccurrenceView), else the collection's own outcrop: type.
// It is written by the WFS's GML encoder, with the gml:ids GetFeature
// gives, in CRS crs.
func (s *server) infoGML(r *http.Request, crs wfsCRS, found []infoFeature) ([]byte, error) {
	cat := s.wfsCatalog()
	var sources []*wfsSource
	seen := map[*wfsType]bool{}
	for _, f := range found {
		if !seen[f.t] {
			seen[f.t] = true
			sources = append(sources, &wfsSource{t: f.t, coll: f.coll})
		}
	}
	enc := &gmlEncoder{crs: crs}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	enc.begin(w, collectionHeader{matched: int64(len(found)), returned: len(found), schemaLocation: schemaLocation(s.baseURL(r), sources)})
	var buf []byte
	for _, fi := range found {
		if _, ok := cat.collLocal[fi.coll]; !ok {
			return nil, fmt.Errorf("collection %s is not a WFS feature type", fi.coll)
		}
		var err error
		buf, err = enc.feature(buf[:0], fi.t, cat.gmlID(fi.t, fi.coll, fi.id), fi.view, false)
		if err != nil {
			return nil, fmt.Errorf("feature %d of %s: %w", fi.id, fi.coll, err)
		}
		w.Write(buf)
	}
	enc.end(w)
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gmlCRS is the CRS GetFeatureInfo's GML gives coordinates in: the map's,
// in its axis order (EPSG:4326 latitude first in 1.3.0), where the WFS
// encoder serves it; CRS:84 otherwise.
func (m *mapRequest) gmlCRS() wfsCRS {
	switch m.crs {
	case crsEPSG4326:
		if m.version == wms130 {
			return wfsCRS{name: crsURN4326, latLon: true}
		}
		return wfsCRS{name: crsEPSG4326}
	case crsEPSG3857, "EPSG:900913", "EPSG:102100":
		return wfsCRS{name: crsURN3857, mercator: true}
	}
	return wfsCRS{name: crs84}
}

func wmsPixel(p kvp, name string, size int) (int, error) {
	v, err := p.require(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n >= size {
		return 0, wmsError("InvalidPoint", name, "%s=%s: give a pixel from 0 to %d", strings.ToUpper(name), v, size-1)
	}
	return n, nil
}

// pick returns up to count features of layer l drawn at pixel position at.
func pick(r *http.Request, v render.View, l *wmsLayer, at orb.Point, count int) ([]infoFeature, error) {
	reach := float64(wmsPickTolerance)
	for _, s := range l.syms {
		reach = max(reach, s.Size/2+wmsPickTolerance, s.StrokeWidth/2+wmsPickTolerance)
	}
	box := v.LonLatBound(orb.Bound{Min: orb.Point{at[0] - reach, at[1] - reach}, Max: orb.Point{at[0] + reach, at[1] + reach}})
	var out []infoFeature
	if count <= 0 {
		return nil, nil
	}
	own := ownType(l.id, ncName(l.id), l.ts.Metadata())
	err := l.eachDrawn(r, box, func(f tileset.RawFeature, _ []byte, g orb.Geometry, sym *styles.Symbol) error {
		if !hits(v, g, sym, at) {
			return nil
		}
		raw, err := rawGeometry(f)
		if err != nil {
			return err
		}
		out = append(out, infoFeature{layer: l.name, coll: l.id, id: f.ID, geom: raw, raw: append([]byte(nil), f.JSON...), own: own})
		if len(out) == count {
			return errEnough
		}
		return nil
	})
	return out, err
}

// rawGeometry copies a feature's raw geometry out of the memory map.
func rawGeometry(f tileset.RawFeature) (json.RawMessage, error) {
	var doc struct {
		Geometry json.RawMessage `json:"geometry"`
	}
	if err := json.Unmarshal(f.JSON, &doc); err != nil {
		return nil, fmt.Errorf("feature %d: %v", f.ID, err)
	}
	return doc.Geometry, nil
}

// hits reports whether geometry g, drawn with sym, covers pixel position
// at: inside an area, or within the tolerance of a line or a point's
// circle. It works in pixels, so the tolerance is the same at any scale.
func hits(v render.View, g orb.Geometry, sym *styles.Symbol, at orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return polygonHit(v, g, sym, at)
	case orb.MultiPolygon:
		for _, p := range g {
			if polygonHit(v, p, sym, at) {
				return true
			}
		}
	case orb.LineString:
		return lineNear(v, g, at, sym.StrokeWidth/2+wmsPickTolerance)
	case orb.MultiLineString:
		for _, l := range g {
			if lineNear(v, l, at, sym.StrokeWidth/2+wmsPickTolerance) {
				return true
			}
		}
	case orb.Point:
		return planar.Distance(v.Pixel(g), at) <= sym.Size/2+wmsPickTolerance
	case orb.MultiPoint:
		for _, p := range g {
			if planar.Distance(v.Pixel(p), at) <= sym.Size/2+wmsPickTolerance {
				return true
			}
		}
	case orb.Collection:
		for _, part := range g {
			if hits(v, part, sym, at) {
				return true
			}
		}
	}
	return false
}

// polygonHit is an exact point-in-polygon test, except for a style that
// draws areas as outlines only, where the outline must be near.
func polygonHit(v render.View, p orb.Polygon, sym *styles.Symbol, at orb.Point) bool {
	px := make(orb.Polygon, len(p))
	for i, r := range p {
		px[i] = make(orb.Ring, len(r))
		for j, q := range r {
			px[i][j] = v.Pixel(q)
		}
	}
	if sym.Kind == "line" {
		for _, r := range px {
			if lineNearPixels(orb.LineString(r), at, sym.StrokeWidth/2+wmsPickTolerance) {
				return true
			}
		}
		return false
	}
	return planar.PolygonContains(px, at)
}

func lineNear(v render.View, l orb.LineString, at orb.Point, d float64) bool {
	px := make(orb.LineString, len(l))
	for i, q := range l {
		px[i] = v.Pixel(q)
	}
	return lineNearPixels(px, at, d)
}

func lineNearPixels(l orb.LineString, at orb.Point, d float64) bool {
	if len(l) == 1 {
		return planar.Distance(l[0], at) <= d
	}
	return planar.DistanceFrom(l, at) <= d
}

// infoJSON is a GeoJSON FeatureCollection of the features found, each with
// a "layer" member naming its layer and its view's properties.
func infoJSON(found []infoFeature) ([]byte, error) {
	type feature struct {
		Type       string          `json:"type"`
		ID         uint64          `json:"id"`
		Layer      string          `json:"layer"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	doc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, f := range found {
		props := json.RawMessage(appendProperties(nil, f.t, f.view))
		doc.Features = append(doc.Features, feature{"Feature", f.id, f.layer, f.geom, props})
	}
	return marshalDoc(doc)
}

// infoText lists the features found as MapServer's text/plain does.
func infoText(found []infoFeature) ([]byte, error) {
	var b bytes.Buffer
	if len(found) == 0 {
		b.WriteString("no features found\n")
	}
	layer := ""
	for _, f := range found {
		if f.layer != layer {
			layer = f.layer
			fmt.Fprintf(&b, "Layer '%s'\n", layer)
		}
		fmt.Fprintf(&b, "  Feature %d:\n", f.id)
		values, err := f.values()
		if err != nil {
			return nil, err
		}
		for _, kv := range values {
			fmt.Fprintf(&b, "    %s = '%s'\n", kv[0], kv[1])
		}
	}
	return b.Bytes(), nil
}

var infoHTMLPage = template.Must(template.New("info").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:13px sans-serif}table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}caption{font-weight:bold;text-align:left}</style>
</head><body>
{{- range .Rows}}
<table><caption>{{.Caption}}</caption>
{{- range .Values}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}
</table>
{{- else}}<p>{{.None}}</p>{{end}}
</body></html>
`))

// infoLang is the language of an HTML FeatureInfo for r, as of a page
// (pageLang: ?lang=, the cookie, --lang, Accept-Language), and its
// strings; it says so in w's headers, Content-Language and Vary.
func (s *server) infoLang(w http.ResponseWriter, r *http.Request) (string, map[string]string) {
	lang, t := s.pageLang(r)
	h := w.Header()
	h.Set("Content-Language", lang)
	h.Add("Vary", "Cookie, Accept-Language")
	return lang, t
}

// infoHTML shows the features found as tables, one per feature, its fixed
// words in the reader's language (infoLang).
func (s *server) infoHTML(w http.ResponseWriter, r *http.Request, found []infoFeature) ([]byte, error) {
	lang, t := s.infoLang(w, r)
	type row struct {
		Caption string
		Values  [][2]string
	}
	rows := make([]row, len(found))
	for i, f := range found {
		values, err := f.values()
		if err != nil {
			return nil, err
		}
		caption := strings.NewReplacer("{layer}", f.layer, "{id}", strconv.FormatUint(f.id, 10)).Replace(t["info.feature"])
		rows[i] = row{caption, values}
	}
	var b bytes.Buffer
	err := infoHTMLPage.Execute(&b, struct {
		Lang, Title, None string
		Rows              []row
	}{lang, t["info.title"], t["info.none"], rows})
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
