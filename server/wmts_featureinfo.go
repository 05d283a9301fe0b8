package server

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/tileset"
)

// WMTS GetFeatureInfo (OGC 07-057r7 §7.3): what is drawn at pixel I, J of
// a tile. For a vector layer, the features the tile shows there, picked as
// WMS GetFeatureInfo picks them (see pick); for a raster layer of values,
// every band's value there, read as /collections/{id}/value reads it.
// Layers of stored colours (scanned maps) have no values to give.

// wmtsInfoFormats are the InfoFormats, each with the extension of its
// REST resource; features marks those only vector layers answer in. GML
// comes last: GDAL's WMTS driver asks in the first.
var wmtsInfoFormats = []struct {
	format, ext string
	features    bool
}{
	{htmlType, "html", false},
	{textType, "txt", false},
	{jsonType, "json", false},
	{wfsGMLType, "gml", true},
}

// wmtsInfoRoute is the REST FeatureInfo resource of extension ext.
func wmtsInfoRoute(ext string) string {
	return "/wmts/1.0.0/{layer}/{style}/{tms}/{tileMatrix}/{tileRow}/{tileCol}/{j}/{i}." + ext
}

// addWMTSInfoRoutes registers the REST FeatureInfo resources.
func (s *server) addWMTSInfoRoutes(get func(string, http.HandlerFunc)) {
	for _, f := range wmtsInfoFormats {
		get(wmtsInfoRoute(f.ext), s.wmts(s.handleWMTSInfoREST))
	}
}

// addInfoFormats lists the InfoFormats of layer id and their REST
// ResourceURL templates in l; those of features only for a vector layer.
func addInfoFormats(l *wmtsLayer, id, base string, vector bool) {
	for _, f := range wmtsInfoFormats {
		if f.features && !vector {
			continue
		}
		l.InfoFormats = append(l.InfoFormats, f.format)
		l.ResourceURLs = append(l.ResourceURLs, wmtsResourceURL{Format: f.format, ResourceType: "FeatureInfo",
			Template: base + "/wmts/1.0.0/" + id + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}." + f.ext})
	}
}

// wmtsInfoRequest is a GetFeatureInfo request, from either encoding.
type wmtsInfoRequest struct {
	wmtsTileRequest
	i, j, infoFormat string
	// count is FEATURE_COUNT, a vendor parameter as in WMS: the most
	// features listed, 1 unless given.
	count int
}

// handleWMTSInfoKVP serves REQUEST=GetFeatureInfo.
func (s *server) handleWMTSInfoKVP(w http.ResponseWriter, r *http.Request, p kvp) error {
	var q wmtsInfoRequest
	var err error
	if q.wmtsTileRequest, err = kvpTileRequest(p, kvpParam{"i", &q.i}, kvpParam{"j", &q.j}); err != nil {
		return err
	}
	q.infoFormat = p["info_format"]
	if q.infoFormat == "" {
		q.infoFormat = htmlType
	}
	if q.count, err = featureCount(p["feature_count"]); err != nil {
		return err
	}
	return s.serveWMTSInfo(w, r, q)
}

// handleWMTSInfoREST serves the REST FeatureInfo resource, its InfoFormat
// from the extension; feature_count= may follow as a query parameter.
func (s *server) handleWMTSInfoREST(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	q := wmtsInfoRequest{wmtsTileRequest: restTileRequest(r), i: v["i"], j: v["j"]}
	for _, f := range wmtsInfoFormats {
		if strings.HasSuffix(r.URL.Path, "."+f.ext) {
			q.infoFormat = f.format
		}
	}
	p, err := newKVP(owsQuery(r))
	if err != nil {
		return err
	}
	if q.count, err = featureCount(p["feature_count"]); err != nil {
		return err
	}
	return s.serveWMTSInfo(w, r, q)
}

// featureCount reads FEATURE_COUNT: 1 when absent, at most
// wmsMaxFeatureCount.
func featureCount(v string) (int, error) {
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, invalidParameter("feature_count", "FEATURE_COUNT=%s: give a whole number from 1", v)
	}
	return min(n, wmsMaxFeatureCount), nil
}

// infoPixel reads pixel I or J of a tile, from 0 to mapTileSize-1.
func infoPixel(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n >= mapTileSize {
		return 0, &owsException{http.StatusBadRequest, "PointIJOutOfRange", name,
			fmt.Sprintf("%s=%s: give a pixel of the tile from 0 to %d", strings.ToUpper(name), v, mapTileSize-1)}
	}
	return n, nil
}

// serveWMTSInfo answers GetFeatureInfo of a vector or raster layer.
func (s *server) serveWMTSInfo(w http.ResponseWriter, r *http.Request, q wmtsInfoRequest) error {
	format, params, err := mime.ParseMediaType(q.infoFormat)
	switch {
	case format == geoJSONType:
		format = jsonType
	case format == "application/gml+xml" && (params["version"] == "" || params["version"] == "3.2"):
		format = wfsGMLType
	}
	if err != nil || !slices.Contains([]string{htmlType, textType, jsonType, wfsGMLType}, format) {
		return invalidParameter("info_format", "INFO_FORMAT=%s: give %s, %s, %s or (vector layers) %s", q.infoFormat, htmlType, textType, jsonType, wfsGMLType)
	}
	ts, release, err := s.acquireLayer(q.layer)
	if err != nil {
		return err
	}
	defer release()
	m := ts.Metadata()
	tile, err := vectorMapTile(q.wmtsTileRequest)
	if err != nil {
		return err
	}
	i, err := infoPixel("i", q.i)
	if err != nil {
		return err
	}
	j, err := infoPixel("j", q.j)
	if err != nil {
		return err
	}
	var body []byte
	switch {
	case m.Raster == nil:
		body, err = s.vectorInfo(w, r, q, ts, tile, i, j, format)
	case format == wfsGMLType:
		return invalidParameter("info_format", "INFO_FORMAT=%s: layer %s is a raster, whose values are given in %s, %s or %s", q.infoFormat, q.layer, htmlType, textType, jsonType)
	default:
		body, err = s.rasterInfo(w, r, q, ts, tile, i, j, format)
	}
	if err != nil {
		return err
	}
	if format == htmlType || format == textType {
		format += "; charset=utf-8"
	}
	s.writeBody(w, r, docLinked, format, body)
	return nil
}

// vectorInfo lists the features of vector layer ts that the tile shows at
// pixel i, j in the style asked for.
func (s *server) vectorInfo(w http.ResponseWriter, r *http.Request, q wmtsInfoRequest, ts *tileset.Reader, tile maptile.Tile, i, j int, format string) ([]byte, error) {
	m := ts.Metadata()
	st, err := s.vectorStyle(q.layer, m, q.style, s.baseURL(r))
	if err != nil {
		return nil, err
	}
	if q.format != "" && q.format != pngType && q.format != jpegType {
		return nil, invalidParameter("format", "FORMAT=%s: the tiles are %s or %s", q.format, pngType, jpegType)
	}
	syms, err := st.Symbols()
	if err != nil {
		return nil, err
	}
	v := render.View{CRS: render.WebMercator, BBox: mercatorBound(tile), Width: mapTileSize, Height: mapTileSize}
	l := &wmsLayer{id: q.layer, name: q.layer, ts: ts, release: func() {}, style: st, syms: syms, class: render.NewClassifier(syms)}
	found, err := pick(r, v, l, orb.Point{float64(i) + 0.5, float64(j) + 0.5}, q.count)
	if err != nil {
		return nil, err
	}
	if err := s.viewInfo(r, found); err != nil {
		return nil, err
	}
	switch format {
	case jsonType:
		return infoJSON(found)
	case textType:
		return infoText(found)
	case wfsGMLType:
		// In the tile matrix set's CRS, Web Mercator.
		return s.infoGML(r, wfsCRS{name: crsURN3857, mercator: true}, found)
	}
	return s.infoHTML(w, r, found)
}

// rasterInfo gives every band's value of raster layer ts at pixel i, j of
// the tile: the value of the max-zoom pixel under that pixel's centre,
// null for nodata, as /collections/{id}/value gives it.
func (s *server) rasterInfo(w http.ResponseWriter, r *http.Request, q wmtsInfoRequest, ts *tileset.Reader, tile maptile.Tile, i, j int, format string) ([]byte, error) {
	m := ts.Metadata()
	if isColour(m) {
		return nil, &owsException{http.StatusNotImplemented, "OperationNotSupported", "request",
			"layer " + q.layer + " is stored colours (a scanned map), with no values to report; GetFeatureInfo answers for value rasters and vector layers"}
	}
	if _, err := layerStyle(m, q.style); err != nil {
		return nil, err
	}
	if q.format != "" && q.format != pngType {
		return nil, invalidParameter("format", "FORMAT=%s: the tiles are %s", q.format, pngType)
	}
	if int(tile.Z) > mapTileMaxZoom(m) {
		return nil, tileOutOfRange("tilematrix", "TILEMATRIX=%d: layer %s is drawn to tile matrix %d", tile.Z, q.layer, mapTileMaxZoom(m))
	}
	world := float64(uint64(mapTileSize) << tile.Z)
	gx, gy := float64(int(tile.X)*mapTileSize+i)+0.5, float64(int(tile.Y)*mapTileSize+j)+0.5
	lon := gx/world*360 - 180
	lat := math.Atan(math.Sinh(math.Pi*(1-2*gy/world))) * 180 / math.Pi
	doc := valueDoc{Lon: lon, Lat: lat, Zoom: m.MaxZoom}
	size := m.Raster.TileSize
	col, row := maxZoomPixel(m, lon, lat)
	data, err := dataTile(ts, m.MaxZoom, col/size, row/size)
	if err != nil {
		return nil, fmt.Errorf("reading the raster tile of %q under %g, %g: %w", q.layer, lon, lat, err)
	}
	for b, band := range m.Raster.Bands {
		bv := bandValue{Band: band.Name, Units: band.Units}
		if data != nil {
			if v := data.At(b, col%size, row%size); v == v {
				f := float64(v)
				bv.Value = &f
			}
		}
		doc.Values = append(doc.Values, bv)
	}
	switch format {
	case jsonType:
		return marshalDoc(doc)
	case textType:
		var b bytes.Buffer
		fmt.Fprintf(&b, "Layer '%s'\n  lon %g, lat %g\n", q.layer, lon, lat)
		for _, v := range doc.Values {
			fmt.Fprintf(&b, "    %s = %s\n", v.Band, bandText(v))
		}
		return b.Bytes(), nil
	}
	lang, t := s.infoLang(w, r)
	type bandRow struct{ Band, Value string }
	rows := make([]bandRow, len(doc.Values))
	for i, v := range doc.Values {
		rows[i] = bandRow{v.Band, bandText(v)}
		if v.Value == nil {
			rows[i].Value = t["info.nodata"]
		}
	}
	var b bytes.Buffer
	err = rasterInfoPage.Execute(&b, struct {
		Lang, Title, Caption string
		Rows                 []bandRow
	}{lang, t["info.values"], strings.NewReplacer("{layer}", q.layer, "{lon}", strconv.FormatFloat(lon, 'g', -1, 64), "{lat}", strconv.FormatFloat(lat, 'g', -1, 64)).Replace(t["info.at"]), rows})
	return b.Bytes(), err
}

// bandText is a band's value as text, with its units; "nodata" for none.
func bandText(v bandValue) string {
	if v.Value == nil {
		return "nodata"
	}
	return strings.TrimSpace(strconv.FormatFloat(*v.Value, 'g', -1, 64) + " " + v.Units)
}

var rasterInfoPage = template.Must(template.New("rasterinfo").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:13px sans-serif}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}caption{font-weight:bold;text-align:left}</style>
</head><body>
<table><caption>{{.Caption}}</caption>
{{- range .Rows}}<tr><th>{{.Band}}</th><td>{{.Value}}</td></tr>{{end}}
</table>
</body></html>
`))
