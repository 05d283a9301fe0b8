package server

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/outcrop/outcrop/crs"
	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/onegeology"
	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/tileset"
)

// The capabilities document of both versions. The structs follow the
// element order of the 1.3.0 schema, which is also 1.1.1's; fields only
// one version has are omitted in the other (CRS and EX_GeographicBoundingBox
// in 1.3.0, SRS and LatLonBoundingBox in 1.1.1).
type (
	wmsCapabilities struct {
		XMLName        xml.Name
		NS             string        `xml:"xmlns,attr,omitempty"`
		NSXLink        string        `xml:"xmlns:xlink,attr,omitempty"`
		NSXSI          string        `xml:"xmlns:xsi,attr,omitempty"`
		SchemaLocation string        `xml:"xsi:schemaLocation,attr,omitempty"`
		Version        string        `xml:"version,attr"`
		Service        wmsService    `xml:"Service"`
		Capability     wmsCapability `xml:"Capability"`
	}
	wmsService struct {
		Name              string      `xml:"Name"`
		Title             string      `xml:"Title"`
		Abstract          string      `xml:"Abstract"`
		Keywords          []string    `xml:"KeywordList>Keyword"`
		OnlineResource    wmsOnline   `xml:"OnlineResource"`
		Contact           *wmsContact `xml:"ContactInformation"`
		Fees              string      `xml:"Fees"`
		AccessConstraints string      `xml:"AccessConstraints"`
		LayerLimit        int         `xml:"LayerLimit,omitempty"`
		MaxWidth          int         `xml:"MaxWidth,omitempty"`
		MaxHeight         int         `xml:"MaxHeight,omitempty"`
	}
	wmsContact struct {
		Person       string `xml:"ContactPersonPrimary>ContactPerson"`
		Organization string `xml:"ContactPersonPrimary>ContactOrganization"`
		Position     string `xml:"ContactPosition,omitempty"`
		Phone        string `xml:"ContactVoiceTelephone,omitempty"`
		Email        string `xml:"ContactElectronicMailAddress,omitempty"`
	}
	wmsOnline struct {
		Type string `xml:"xlink:type,attr"`
		Href string `xml:"xlink:href,attr"`
	}
	wmsCapability struct {
		Request   wmsRequests `xml:"Request"`
		Exception []string    `xml:"Exception>Format"`
		Layer     wmsLayerDoc `xml:"Layer"`
	}
	wmsRequests struct {
		GetCapabilities wmsOperation  `xml:"GetCapabilities"`
		GetMap          wmsOperation  `xml:"GetMap"`
		GetFeatureInfo  wmsOperation  `xml:"GetFeatureInfo"`
		GetLegend       *wmsOperation `xml:"GetLegendGraphic"`
	}
	wmsOperation struct {
		Formats []string  `xml:"Format"`
		Get     wmsOnline `xml:"DCPType>HTTP>Get>OnlineResource"`
	}
	wmsLayerDoc struct {
		Queryable   string          `xml:"queryable,attr,omitempty"`
		Opaque      string          `xml:"opaque,attr,omitempty"`
		Name        string          `xml:"Name,omitempty"`
		Title       string          `xml:"Title"`
		Abstract    string          `xml:"Abstract,omitempty"`
		Keywords    *wmsKeywords    `xml:"KeywordList"`
		CRS         []string        `xml:"CRS"`
		SRS         []string        `xml:"SRS"`
		LatLon      *wmsBBox        `xml:"LatLonBoundingBox"`
		EXGeo       *wmsGeoBBox     `xml:"EX_GeographicBoundingBox"`
		BBoxes      []wmsBBox       `xml:"BoundingBox"`
		Attribution *wmsAttribution `xml:"Attribution"`
		DataURL     []wmsFormatURL  `xml:"DataURL"`
		Styles      []wmsStyleDoc   `xml:"Style"`
		Layers      []wmsLayerDoc   `xml:"Layer"`
	}
	wmsKeywords struct {
		Keyword []string `xml:"Keyword"`
	}
	wmsGeoBBox struct {
		West  num `xml:"westBoundLongitude"`
		East  num `xml:"eastBoundLongitude"`
		South num `xml:"southBoundLatitude"`
		North num `xml:"northBoundLatitude"`
	}
	wmsBBox struct {
		CRS  string `xml:"CRS,attr,omitempty"`
		SRS  string `xml:"SRS,attr,omitempty"`
		MinX num    `xml:"minx,attr"`
		MinY num    `xml:"miny,attr"`
		MaxX num    `xml:"maxx,attr"`
		MaxY num    `xml:"maxy,attr"`
	}
	wmsAttribution struct {
		Title string `xml:"Title"`
	}
	wmsFormatURL struct {
		Width  int       `xml:"width,attr,omitempty"`
		Height int       `xml:"height,attr,omitempty"`
		Format string    `xml:"Format"`
		Online wmsOnline `xml:"OnlineResource"`
	}
	wmsStyleDoc struct {
		Name     string       `xml:"Name"`
		Title    string       `xml:"Title"`
		Abstract string       `xml:"Abstract,omitempty"`
		Legend   wmsFormatURL `xml:"LegendURL"`
	}
)

// num is a number written in decimal, never in exponent form (metres of
// EPSG:3857 would otherwise read 1.3e+07).
type num float64

func (n num) String() string { return strconv.FormatFloat(float64(n), 'f', -1, 64) }

// MarshalText writes n in decimal.
func (n num) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// writeWMSCapabilities answers GetCapabilities in version: one layer per
// vector collection the catalog holds now, under a root layer that names
// the CRSs and the extent of them all.
func (s *server) writeWMSCapabilities(w http.ResponseWriter, r *http.Request, version string) error {
	base := s.baseURL(r)
	online := func(href string) wmsOnline { return wmsOnline{Type: "simple", Href: href} }
	op := func(formats ...string) wmsOperation {
		return wmsOperation{Formats: formats, Get: online(base + "/wms?")}
	}
	doc := wmsCapabilities{
		NSXLink: "http://www.w3.org/1999/xlink",
		Version: version,
		Service: wmsService{
			Name:              "WMS",
			Title:             cmp.Or(s.service.Title, "Outcrop"),
			Abstract:          cmp.Or(s.service.Abstract, "Maps of the vector collections of this Outcrop server (geological maps, faults, mineral occurrences), drawn with the styles the server generates for them: each style is a WMS style, with its legend."),
			Keywords:          append([]string{"OneGeology", "geology", "WMS", "MD_LANG@ENG"}, s.service.Keywords...),
			OnlineResource:    online(cmp.Or(s.service.OnlineResource, base+"/")),
			Fees:              cmp.Or(s.service.Fees, "none"),
			AccessConstraints: cmp.Or(s.service.AccessConstraints, "none"),
		},
		Capability: wmsCapability{
			Request: wmsRequests{
				GetMap:         op(pngType, jpegType),
				GetFeatureInfo: op(wmsInfoFormats...),
			},
			Layer: wmsLayerDoc{Title: "Outcrop collections"},
		},
	}
	if m := s.service; m.Organization != "" || m.Person != "" {
		doc.Service.Contact = &wmsContact{Person: m.Person, Organization: m.Organization, Position: m.Position, Phone: m.Phone, Email: m.Email}
	}
	if version == wms130 {
		doc.XMLName = xml.Name{Local: "WMS_Capabilities"}
		doc.NS = "http://www.opengis.net/wms"
		doc.NSXSI = "http://www.w3.org/2001/XMLSchema-instance"
		doc.SchemaLocation = "http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd"
		doc.Service.LayerLimit, doc.Service.MaxWidth, doc.Service.MaxHeight = wmsLayerLimit, wmsMaxSize, wmsMaxSize
		doc.Capability.Request.GetCapabilities = op("text/xml")
		doc.Capability.Exception = []string{"XML"}
		doc.Capability.Layer.CRS = wmsCRSs
	} else {
		doc.XMLName = xml.Name{Local: "WMT_MS_Capabilities"}
		doc.NSXLink = "" // declared on each OnlineResource, below
		doc.Service.Name = "OGC:WMS"
		doc.Capability.Request.GetCapabilities = op("application/vnd.ogc.wms_xml")
		legend := op(pngType)
		doc.Capability.Request.GetLegend = &legend
		doc.Capability.Exception = []string{"application/vnd.ogc.se_xml"}
		doc.Capability.Layer.SRS = wmsCRSs
	}
	var all orb.Bound
	var latest time.Time
	first := true
	names := s.wmsLayerNames()
	for id, ts := range s.tilesets() {
		m := ts.Metadata()
		if m.Raster == nil {
			l := s.wmsLayerOf(m, harmonisedView(ts), id, names[id], base, version)
			doc.Capability.Layer.Layers = append(doc.Capability.Layer.Layers, l)
			b := orb.Bound{Min: orb.Point{m.Bounds[0], m.Bounds[1]}, Max: orb.Point{m.Bounds[2], m.Bounds[3]}}
			if first {
				all, first = b, false
			} else {
				all = all.Union(b)
			}
			if m.Created.After(latest) {
				latest = m.Created
			}
		}
	}
	if first {
		all = orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	}
	if !latest.IsZero() {
		doc.Service.Keywords = append(doc.Service.Keywords, "MD_DATE@"+latest.UTC().Format(time.DateOnly))
	}
	root := &doc.Capability.Layer
	root.LatLon, root.EXGeo, root.BBoxes = wmsExtent(all, version)
	body, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	header, contentType := xml.Header, "text/xml"
	if version == wms111 {
		// 1.1.1's DTD declares xmlns:xlink on OnlineResource, not on the
		// root (text is escaped, so only the elements match), and the
		// document names the DTD, as WMS 1.1.1 requires.
		body = bytes.ReplaceAll(body, []byte("<OnlineResource "), []byte(`<OnlineResource xmlns:xlink="`+nsXLink+`" `))
		header += `<!DOCTYPE WMT_MS_Capabilities SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd">` + "\n"
		contentType = "application/vnd.ogc.wms_xml"
	}
	body = append([]byte(header), append(body, '\n')...)
	s.writeBody(w, r, docLinked, contentType, body)
	return nil
}

// wmsExtent describes a lon/lat box in a version's elements: 1.1.1's
// LatLonBoundingBox, 1.3.0's EX_GeographicBoundingBox, and a BoundingBox
// per CRS (EPSG:4326 latitude first in 1.3.0). Of the projected CRSs, only
// those whose area of use the box meets have one, giving the part of the
// box within that area: a UTM zone's coordinates far from its meridian
// mean little.
func wmsExtent(b orb.Bound, version string) (*wmsBBox, *wmsGeoBBox, []wmsBBox) {
	w, s, e, n := num(b.Min[0]), num(clampLat(b.Min[1])), num(b.Max[0]), num(clampLat(b.Max[1]))
	lo := project.WGS84.ToMercator(orb.Point{float64(w), float64(s)})
	hi := project.WGS84.ToMercator(orb.Point{float64(e), float64(n)})
	var latLon *wmsBBox
	var geo *wmsGeoBBox
	var boxes []wmsBBox
	box := func(code string, minX, minY, maxX, maxY num) {
		bb := wmsBBox{CRS: code, MinX: minX, MinY: minY, MaxX: maxX, MaxY: maxY}
		if version == wms111 {
			bb.CRS, bb.SRS = "", code
		}
		boxes = append(boxes, bb)
	}
	if version == wms111 {
		latLon = &wmsBBox{MinX: w, MinY: s, MaxX: e, MaxY: n}
		box(crsEPSG4326, w, s, e, n)
	} else {
		geo = &wmsGeoBBox{West: w, East: e, South: s, North: n}
		box(crsCRS84, w, s, e, n)
		box(crsEPSG4326, s, w, n, e)
	}
	box(crsEPSG3857, num(lo[0]), num(lo[1]), num(hi[0]), num(hi[1]))
	for _, c := range crs.All() {
		if p, ok := c.Bounds(b); ok {
			r := func(f float64) num { return num(math.Round(f*100) / 100) }
			box(c.Code, r(p.Min[0]), r(p.Min[1]), r(p.Max[0]), r(p.Max[1]))
		}
	}
	return latLon, geo, boxes
}

// wmsLayerOf describes vector collection id, harmonised onto view (nil for
// none), as WMS layer name: its title in OneGeology's form where the
// metadata gives its countries and theme (with the collection's title
// after it when another layer has the same form), else the collection's
// title with its scale; OneGeology's keywords; its extent; DataURLs to
// its page (OneGeology's layer metadata link) and its features;
// and each of its styles with a legend.
func (s *server) wmsLayerOf(m *tileset.Metadata, view *harmonise.View, id, name, base, version string) wmsLayerDoc {
	og := s.oneGeologyLayer(m, view)
	title := og.Title()
	switch {
	case title == "":
		title = oneGeologyTitle(m, id)
	case name != og.Name():
		// Another layer has this form too: the titles must differ as well.
		title += " (" + collectionTitle(m, id) + ")"
	}
	l := wmsLayerDoc{Queryable: "1", Opaque: "0", Name: name, Title: title, Abstract: layerAbstract(m, view, id)}
	kw := slices.Clone(m.Keywords)
	for _, k := range og.Keywords() {
		if !slices.Contains(kw, k) {
			kw = append(kw, k)
		}
	}
	l.Keywords = &wmsKeywords{kw}
	if m.Attribution != "" {
		l.Attribution = &wmsAttribution{Title: m.Attribution}
	}
	b := orb.Bound{Min: orb.Point{m.Bounds[0], m.Bounds[1]}, Max: orb.Point{m.Bounds[2], m.Bounds[3]}}
	l.LatLon, l.EXGeo, l.BBoxes = wmsExtent(b, version)
	l.DataURL = []wmsFormatURL{
		{Format: htmlType, Online: wmsOnline{Type: "simple", Href: base + "/collections/" + id + "?f=html"}},
		{Format: geoJSONType, Online: wmsOnline{Type: "simple", Href: base + "/collections/" + id + "/items"}},
	}
	for _, st := range s.stylesOf(id, m, base, "") {
		syms, err := st.Symbols()
		if err != nil {
			continue
		}
		size := render.Legend("", syms).Rect.Size()
		q := url.Values{"SERVICE": {"WMS"}, "REQUEST": {"GetLegendGraphic"}, "VERSION": {version}, "FORMAT": {pngType}, "LAYER": {name}, "STYLE": {st.Kind}}
		if version == wms130 {
			q.Set("SLD_VERSION", "1.1.0")
		}
		l.Styles = append(l.Styles, wmsStyleDoc{
			Name: st.Kind, Title: st.Title, Abstract: legendAbstract(st.Legends[0].Attribution),
			Legend: wmsFormatURL{Width: size.X, Height: size.Y, Format: pngType, Online: wmsOnline{Type: "simple", Href: base + "/wms?" + q.Encode()}},
		})
	}
	return l
}

// layerAbstract is the layer's abstract, which OneGeology requires: the
// collection's description, else what it holds and where it came from.
func layerAbstract(m *tileset.Metadata, view *harmonise.View, id string) string {
	if m.Description != "" {
		return m.Description
	}
	a := fmt.Sprintf("%s: %d features", collectionTitle(m, id), m.FeatureCount)
	if m.Source.File != "" {
		a += " from " + m.Source.File
	}
	if view != nil {
		a += ", harmonised onto " + view.Standard + " " + view.Name
	}
	return a + "."
}

func legendAbstract(attribution string) string {
	if attribution == "" {
		return ""
	}
	return "Classes: " + attribution
}

// oneGeologyTitle is the layer title of a collection without the
// countries and theme of OneGeology's form: the collection's, followed by
// its source map's scale in OneGeology's form (1:250k, 1:1M) when the
// metadata has one and the title does not already say it.
func oneGeologyTitle(m *tileset.Metadata, id string) string {
	t := collectionTitle(m, id)
	if sc := onegeology.ScaleTitle(m.Source.Scale); sc != "" && !strings.Contains(t, sc) {
		t += " " + sc
	}
	return t
}

// oneGeologyLayer is what OneGeology's forms of the layer of a collection
// with metadata m, harmonised onto view (nil for none), are made of: the
// data provider is its attribution, else the service metadata's
// organization (OneGeology's data owner); the service provider is the
// service metadata's service_provider, else that organization; a
// GeologicUnitView is GeoSciML-Lite queryable.
func (s *server) oneGeologyLayer(m *tileset.Metadata, view *harmonise.View) onegeology.Layer {
	return onegeology.Layer{
		Countries: m.Countries, Theme: m.Theme, DataOwner: m.DataOwner, DataProvider: cmp.Or(m.Attribution, s.service.Organization),
		ServiceProvider: cmp.Or(s.service.ServiceProvider, s.service.Organization), Scale: m.Source.Scale, Date: m.Created,
		Queryable: view != nil && view.Name == harmonise.ViewGeologicUnit,
	}
}

// wmsLayerNames maps each vector collection to its WMS layer name:
// OneGeology's form (AUS_GA_500k_GeolUnits) where its metadata has its
// countries and theme, unless another collection's layer would have the
// same name or a collection has it as its id; its id otherwise.
func (s *server) wmsLayerNames() map[string]string {
	ids := s.catalog.IDs()
	names := make(map[string]string, len(ids))
	uses := map[string]int{}
	for _, id := range ids {
		names[id] = id
		uses[id]++
		ts, release, err := s.catalog.Acquire(id)
		if err != nil {
			continue
		}
		if m := ts.Metadata(); m.Raster == nil {
			if n := s.oneGeologyLayer(m, nil).Name(); n != "" {
				names[id] = n
				uses[n]++
			}
		}
		release()
	}
	for id, n := range names {
		if n != id && uses[n] > 1 {
			names[id] = id
		}
	}
	return names
}

// wmsLayerID is the collection a WMS layer name names: the collection of
// that id, or the one whose layer GetCapabilities names so.
func (s *server) wmsLayerID(name string) string {
	if slices.Contains(s.catalog.IDs(), name) {
		return name
	}
	for id, n := range s.wmsLayerNames() {
		if n == name {
			return id
		}
	}
	return name
}
