package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// The WFS fixture is the OGC fixture plus "mapunits": two polygons
// harmonised onto GeologicUnitView, with a source field (src_code) the view
// does not have.
const wfsUnitsID = "mapunits"

func newWFSFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, logs: new(bytes.Buffer)}
	f.geology = writeGeology(t, dir, "Hamersley geology")
	writeFaults(t, dir)
	writeFeatureTileset(t, dir, ogcOccurrencesID, "Copper & gold occurrences", ogcOccurrenceFields, ogcOccurrenceFeatures(), "found")
	writeFeatureTileset(t, dir, ogcUnitsID, "Units", []tileset.Field{{Name: "code", Type: "string"}, {Name: "age_ma", Type: "real"}}, ogcUnitFeatures(), "")
	writeHarmonisedUnits(t, dir)
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	f.handler = New(Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(f.logs, nil))})
	return f
}

func writeHarmonisedUnits(t testing.TB, dir string) {
	t.Helper()
	w, err := tileset.Create(dir, wfsUnitsID)
	if err != nil {
		t.Fatal(err)
	}
	var fs []*geojson.Feature
	for i, g := range []orb.Polygon{ogcUnitBeside, ogcUnitHoled} {
		f := geojson.NewFeature(g)
		f.ID = i + 1
		f.Properties = geojson.Properties{
			harmonise.FieldName:                       []string{"Brockman Iron Formation", "Fortescue <Group> & co"}[i],
			harmonise.FieldNumericOlderAge:            2500.5 + float64(i),
			harmonise.FieldRepresentativeLithologyURI: "http://resource.geosciml.org/classifier/cgi/lithology/iron_formation",
			"src_code": "X" + strconv.Itoa(i),
		}
		fs = append(fs, f)
	}
	if err := w.PutFeatures(fs); err != nil {
		t.Fatal(err)
	}
	if err := w.PutMeta(tileset.MetaHarmonisation, []byte(`{"mapping":"u.yaml","view":"GeologicUnitView","features":2}`)); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{
		Title: "Map units", Layer: wfsUnitsID, GeometryType: "polygon", Bounds: [4]float64{0, 0, 14, 10},
		Fields: []tileset.Field{
			// Not in the view's order: the view type lists them in its own.
			{Name: "src_code", Type: "string"}, {Name: harmonise.FieldRepresentativeLithologyURI, Type: "string"},
			{Name: harmonise.FieldName, Type: "string"}, {Name: harmonise.FieldNumericOlderAge, Type: "real"},
		},
		MaxZoom: 6, FeatureCount: 2,
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
}

// wfsGet serves a KVP request and returns the response.
func wfsGet(t *testing.T, f *fixture, query string) (int, http.Header, string) {
	t.Helper()
	w := f.get(t, "/wfs?"+query)
	return w.Code, w.Header(), w.Body.String()
}

// gmlCollection is a wfs:FeatureCollection as a client reads it.
type gmlCollection struct {
	Matched  int64  `xml:"numberMatched,attr"`
	Returned int    `xml:"numberReturned,attr"`
	Next     string `xml:"next,attr"`
	Previous string `xml:"previous,attr"`
	Members  []struct {
		Feature struct {
			XMLName xml.Name
			ID      string `xml:"http://www.opengis.net/gml/3.2 id,attr"`
			Props   []struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
				Inner   string `xml:",innerxml"`
			} `xml:",any"`
		} `xml:",any"`
	} `xml:"http://www.opengis.net/wfs/2.0 member"`
}

func getGML(t *testing.T, f *fixture, query string) gmlCollection {
	t.Helper()
	code, h, body := wfsGet(t, f, query)
	if code != http.StatusOK || h.Get("Content-Type") != wfsGMLType {
		t.Fatalf("%s: status %d, Content-Type %q\n%s", query, code, h.Get("Content-Type"), body)
	}
	var c gmlCollection
	if err := xml.Unmarshal([]byte(body), &c); err != nil {
		t.Fatalf("%s: %v\n%s", query, err, body)
	}
	if c.Returned != len(c.Members) {
		t.Fatalf("%s: numberReturned %d for %d members", query, c.Returned, len(c.Members))
	}
	return c
}

func (c gmlCollection) ids() []string {
	var out []string
	for _, m := range c.Members {
		out = append(out, m.Feature.ID)
	}
	return out
}

// prop returns the text of member i's property local, "" if absent.
func (c gmlCollection) prop(i int, local string) (string, string) {
	for _, p := range c.Members[i].Feature.Props {
		if p.XMLName.Local == local {
			return p.Text, p.Inner
		}
	}
	return "", ""
}

// wantException checks an OWS ExceptionReport with status and code.
func wantException(t *testing.T, f *fixture, query string, status int, code string) string {
	t.Helper()
	got, h, body := wfsGet(t, f, query)
	var rep struct {
		XMLName   xml.Name `xml:"http://www.opengis.net/ows/1.1 ExceptionReport"`
		Version   string   `xml:"version,attr"`
		Exception struct {
			Code string `xml:"exceptionCode,attr"`
			Text string `xml:"ExceptionText"`
		} `xml:"Exception"`
	}
	if err := xml.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("%s: not an ExceptionReport: %v\n%s", query, err, body)
	}
	if got != status || rep.Exception.Code != code || rep.Version != wfsVersion || h.Get("Content-Type") != wfsXMLType {
		t.Errorf("%s: status %d, code %q, version %q; want %d %s %s", query, got, rep.Exception.Code, rep.Version, status, code, wfsVersion)
	}
	return rep.Exception.Text
}

func TestWFSCapabilities(t *testing.T) {
	f := newWFSFixture(t)
	code, _, body := wfsGet(t, f, "SERVICE=WFS&REQUEST=GetCapabilities")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	var caps struct {
		Version string `xml:"version,attr"`
		Types   []struct {
			Name  string `xml:"Name"`
			Title string `xml:"Title"`
			CRS   string `xml:"DefaultCRS"`
			Lower string `xml:"WGS84BoundingBox>LowerCorner"`
			Upper string `xml:"WGS84BoundingBox>UpperCorner"`
		} `xml:"FeatureTypeList>FeatureType"`
		Constraints []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"DefaultValue"`
		} `xml:"OperationsMetadata>Constraint"`
	}
	if err := xml.Unmarshal([]byte(body), &caps); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ft := range caps.Types {
		names = append(names, ft.Name)
		if ft.CRS != crsURN4326 {
			t.Errorf("%s: DefaultCRS %q", ft.Name, ft.CRS)
		}
	}
	want := []string{"gsmlp:GeologicUnitView", "outcrop:faults", "outcrop:geology", "outcrop:mapunits", "outcrop:occurrences", "outcrop:units"}
	if !slices.Equal(names, want) {
		t.Errorf("feature types %v, want %v", names, want)
	}
	if caps.Types[0].Lower != "0 0" || caps.Types[0].Upper != "14 10" {
		t.Errorf("GeologicUnitView bbox %q %q", caps.Types[0].Lower, caps.Types[0].Upper)
	}
	if !strings.Contains(body, "<wfs:Title>Copper &amp; gold occurrences</wfs:Title>") {
		t.Error("title not escaped as XML text")
	}
	paging := false
	for _, c := range caps.Constraints {
		paging = paging || c.Name == "ImplementsResultPaging" && c.Value == "TRUE"
	}
	if caps.Version != "2.0.0" || !paging {
		t.Errorf("version %q, paging %v", caps.Version, paging)
	}
	wantException(t, f, "SERVICE=WFS&REQUEST=GetCapabilities&ACCEPTVERSIONS=1.1.0", 400, "VersionNegotiationFailed")
}

func TestWFSDescribeFeatureType(t *testing.T) {
	f := newWFSFixture(t)
	type schema struct {
		Target   string `xml:"targetNamespace,attr"`
		Elements []struct {
			Name  string `xml:"name,attr"`
			Type  string `xml:"type,attr"`
			Group string `xml:"substitutionGroup,attr"`
		} `xml:"element"`
		Types []struct {
			Name     string `xml:"name,attr"`
			Elements []struct {
				Name      string `xml:"name,attr"`
				Type      string `xml:"type,attr"`
				MinOccurs string `xml:"minOccurs,attr"`
			} `xml:"complexContent>extension>sequence>element"`
		} `xml:"complexType"`
		Imports []struct {
			Namespace string `xml:"namespace,attr"`
			Location  string `xml:"schemaLocation,attr"`
		} `xml:"import"`
	}
	describe := func(typenames string) schema {
		code, _, body := wfsGet(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES="+url.QueryEscape(typenames))
		if code != 200 {
			t.Fatalf("%s: %d\n%s", typenames, code, body)
		}
		var s schema
		if err := xml.Unmarshal([]byte(body), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := describe("gsmlp:GeologicUnitView")
	if s.Target != nsGSMLP.uri || len(s.Elements) != 1 || s.Elements[0].Name != "GeologicUnitView" || s.Elements[0].Group != "gml:AbstractFeature" {
		t.Fatalf("schema %+v", s)
	}
	var got []string
	for _, e := range s.Types[0].Elements {
		got = append(got, e.Name+":"+e.Type+map[string]string{"": "", "0": "?"}[e.MinOccurs])
	}
	// The view's fields the collection has and the ones the standard
	// requires (with no minOccurs, as GeoSciML-Lite has them), in the
	// view's order, no src_.
	want := []string{"identifier:xsd:string", "name:xsd:string?", "numericOlderAge:xsd:double?", "geologicUnitType_uri:xsd:string",
		"representativeLithology_uri:xsd:string", "representativeAge_uri:xsd:string", "representativeOlderAge_uri:xsd:string",
		"representativeYoungerAge_uri:xsd:string", "shape:gml:GeometryPropertyType"}
	if !slices.Equal(got, want) {
		t.Errorf("GeologicUnitView properties %v, want %v", got, want)
	}
	s = describe("occurrences")
	got = nil
	for _, e := range s.Types[0].Elements {
		got = append(got, e.Name+":"+e.Type+map[string]string{"": "", "0": "?"}[e.MinOccurs])
	}
	// A collection's own properties are all optional.
	want = []string{"name:xsd:string?", "commodity:xsd:string?", "rank:xsd:long?", "grade:xsd:double?", "active:xsd:boolean?", "found:xsd:string?", "geometry:gml:GeometryPropertyType?"}
	if s.Target != nsOutcrop.uri || !slices.Equal(got, want) {
		t.Errorf("occurrences: namespace %s, properties %v, want %v", s.Target, got, want)
	}
	s = describe("gsmlp:GeologicUnitView,outcrop:units")
	if len(s.Imports) != 2 || s.Imports[0].Namespace != nsGSMLP.uri || !strings.Contains(s.Imports[1].Location, "TYPENAMES=outcrop:units") {
		t.Errorf("two namespaces: imports %+v", s.Imports)
	}
	wantException(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=outcrop:nope", 400, "InvalidParameterValue")
}

func TestWFSGetFeaturePaging(t *testing.T) {
	f := newWFSFixture(t)
	c := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=outcrop:occurrences&COUNT=10&STARTINDEX=90")
	if c.Matched != ogcOccurrenceCount || c.Returned != 5 || c.Next != "" || c.Previous == "" {
		t.Fatalf("matched %d, returned %d, next %q, previous %q", c.Matched, c.Returned, c.Next, c.Previous)
	}
	if ids := c.ids(); ids[0] != "occurrences.91" || ids[4] != "occurrences.95" {
		t.Errorf("ids %v", ids)
	}
	// Following next links visits every feature once.
	seen := map[string]bool{}
	query := "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&COUNT=40"
	for pages := 0; query != ""; pages++ {
		if pages > 3 {
			t.Fatal("more than 3 pages of 40 for 95 features")
		}
		c := getGML(t, f, query)
		for _, id := range c.ids() {
			if seen[id] {
				t.Fatalf("%s seen twice", id)
			}
			seen[id] = true
		}
		query = ""
		if c.Next != "" {
			u, err := url.Parse(c.Next)
			if err != nil || u.Path != "/wfs" {
				t.Fatalf("next %q", c.Next)
			}
			query = u.RawQuery
		}
	}
	if len(seen) != ogcOccurrenceCount {
		t.Errorf("paging saw %d features, want %d", len(seen), ogcOccurrenceCount)
	}
	// Without COUNT every feature comes at once (CountDefault is larger).
	if c := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences"); c.Returned != ogcOccurrenceCount || c.Next != "" {
		t.Errorf("no COUNT: returned %d, next %q", c.Returned, c.Next)
	}
	hits := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&RESULTTYPE=hits")
	if hits.Matched != ogcOccurrenceCount || hits.Returned != 0 {
		t.Errorf("hits: matched %d, returned %d", hits.Matched, hits.Returned)
	}
	// Two types: the second's features follow the first's, in one page.
	c = getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=outcrop:units,outcrop:occurrences&COUNT=3&STARTINDEX=2")
	if ids := c.ids(); c.Matched != 98 || !slices.Equal(ids, []string{"units.3", "occurrences.1", "occurrences.2"}) {
		t.Errorf("two types: matched %d, ids %v", c.Matched, ids)
	}
}

func TestWFSGetFeatureBBoxAxisOrder(t *testing.T) {
	f := newWFSFixture(t)
	base := "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&BBOX="
	for _, tc := range []struct {
		bbox string
		want []string
	}{
		// The default CRS is urn:ogc:def:crs:EPSG::4326: latitude first.
		{"0,100,0.5,102.5", []string{"occurrences.1", "occurrences.2", "occurrences.3"}},
		{"0,100,0.5,102.5," + crsURN4326, []string{"occurrences.1", "occurrences.2", "occurrences.3"}},
		{"0,100,0.5,102.5,http://www.opengis.net/def/crs/EPSG/0/4326", []string{"occurrences.1", "occurrences.2", "occurrences.3"}},
		// The same numbers read longitude first find nothing.
		{"100,0,102.5,0.5," + crsURN4326, nil},
		{"100,0,102.5,0.5,EPSG:4326", []string{"occurrences.1", "occurrences.2", "occurrences.3"}},
		{"100,0,102.5,0.5,urn:ogc:def:crs:OGC:1.3:CRS84", []string{"occurrences.1", "occurrences.2", "occurrences.3"}},
		// 100.5°E..101.5°E, 0.5°N..1.5°N in Web Mercator metres: occurrence 12.
		{"11187608,55660,11298928,166998,EPSG:3857", []string{"occurrences.12"}},
	} {
		c := getGML(t, f, base+url.QueryEscape(tc.bbox))
		if ids := c.ids(); !slices.Equal(ids, tc.want) || c.Matched != int64(len(tc.want)) {
			t.Errorf("BBOX=%s: %v (matched %d), want %v", tc.bbox, ids, c.Matched, tc.want)
		}
	}
	// The same box as a FES filter, as GDAL sends a spatial filter.
	filter := `<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"><fes:BBOX>` +
		`<fes:ValueReference>geometry</fes:ValueReference><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">` +
		`<gml:lowerCorner>0 100</gml:lowerCorner><gml:upperCorner>0.5 102.5</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>`
	c := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&FILTER="+url.QueryEscape(filter))
	if ids := c.ids(); !slices.Equal(ids, []string{"occurrences.1", "occurrences.2", "occurrences.3"}) {
		t.Errorf("FILTER with fes:BBOX: %v", ids)
	}
	filter = `<Filter xmlns="http://www.opengis.net/fes/2.0"><ResourceId rid="occurrences.5"/><ResourceId rid="units.2"/></Filter>`
	c = getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&FILTER="+url.QueryEscape(filter))
	if ids := c.ids(); !slices.Equal(ids, []string{"occurrences.5", "units.2"}) {
		t.Errorf("FILTER with fes:ResourceId: %v", ids)
	}
	wantException(t, f, base+"1,2,3", 400, "InvalidParameterValue")
	wantException(t, f, base+"3,2,1,4", 400, "InvalidParameterValue")
	wantException(t, f, base+"1,2,3,4,EPSG:27700", 400, "InvalidParameterValue")
}

func TestWFSGetFeatureGMLGeometry(t *testing.T) {
	f := newWFSFixture(t)
	q := "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=occurrences.12"
	for _, tc := range []struct {
		srs, want string
	}{
		{"", `srsName="urn:ogc:def:crs:EPSG::4326" srsDimension="2"><gml:pos>1 101</gml:pos>`},
		{"EPSG:4326", `srsName="EPSG:4326" srsDimension="2"><gml:pos>101 1</gml:pos>`},
		{"EPSG:3857", `srsName="urn:ogc:def:crs:EPSG::3857" srsDimension="2"><gml:pos>11243268.57`},
	} {
		query := q
		if tc.srs != "" {
			query += "&SRSNAME=" + tc.srs
		}
		c := getGML(t, f, query)
		if len(c.Members) != 1 {
			t.Fatalf("%s: %d members", query, len(c.Members))
		}
		if _, inner := c.prop(0, "geometry"); !strings.Contains(inner, tc.want) {
			t.Errorf("SRSNAME=%s: geometry %s, want it to contain %s", tc.srs, inner, tc.want)
		}
		if text, _ := c.prop(0, "commodity"); text != "Au" {
			t.Errorf("commodity %q", text)
		}
	}
	// The view type: only the view's properties, in its order, and the
	// polygon with its hole, latitude first.
	c := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gsmlp:GeologicUnitView")
	if ids := c.ids(); c.Matched != 2 || !slices.Equal(ids, []string{"GeologicUnitView.mapunits.1", "GeologicUnitView.mapunits.2"}) {
		t.Fatalf("view: ids %v", ids)
	}
	m := c.Members[1].Feature
	var props []string
	for _, p := range m.Props {
		props = append(props, p.XMLName.Space+" "+p.XMLName.Local)
	}
	var want []string
	for _, p := range []string{"identifier", "name", "numericOlderAge", "geologicUnitType_uri", "representativeLithology_uri", "representativeAge_uri", "representativeOlderAge_uri", "representativeYoungerAge_uri", "shape"} {
		want = append(want, nsGSMLP.uri+" "+p)
	}
	if m.XMLName.Space != nsGSMLP.uri || m.XMLName.Local != "GeologicUnitView" || !slices.Equal(props, want) {
		t.Errorf("view member %v with %v, want %v", m.XMLName, props, want)
	}
	if name, _ := c.prop(1, "name"); name != "Fortescue <Group> & co" {
		t.Errorf("name %q", name)
	}
	// The mandatory properties the collection lacks: the feature's URL as
	// its identifier, the OGC's missing for the rest.
	if id, _ := c.prop(1, "identifier"); id != "http://example.com/collections/mapunits/items/2" {
		t.Errorf("identifier %q", id)
	}
	if age, _ := c.prop(1, "representativeAge_uri"); age != harmonise.NilMissing {
		t.Errorf("representativeAge_uri %q, want %s", age, harmonise.NilMissing)
	}
	_, shape := c.prop(1, "shape")
	if !strings.Contains(shape, "<gml:exterior><gml:LinearRing><gml:posList>0 0 0 10 10 10 10 0 0 0</gml:posList>") || !strings.Contains(shape, "<gml:interior>") {
		t.Errorf("polygon %s", shape)
	}
	// Its ids resolve, also by the stored query.
	c = getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=GeologicUnitView.mapunits.2,units.1,units.1")
	if ids := c.ids(); !slices.Equal(ids, []string{"GeologicUnitView.mapunits.2", "units.1"}) {
		t.Errorf("RESOURCEID: %v", ids)
	}
	code, _, body := wfsGet(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID="+url.QueryEscape(wfsGetFeatureByID)+"&ID=units.3")
	var one struct {
		XMLName xml.Name
		ID      string `xml:"http://www.opengis.net/gml/3.2 id,attr"`
	}
	if err := xml.Unmarshal([]byte(body), &one); code != 200 || err != nil || one.XMLName.Local != "units" || one.ID != "units.3" || !strings.Contains(body, "<gml:MultiSurface") {
		t.Errorf("GetFeatureById: %d %v %+v\n%s", code, err, one, body)
	}
	wantException(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&STOREDQUERY_ID="+url.QueryEscape(wfsGetFeatureByID)+"&ID=units.9", 404, "NotFound")
}

func TestWFSGetFeatureGeoJSON(t *testing.T) {
	f := newWFSFixture(t)
	get := func(query string) (doc struct {
		Features []struct {
			ID         string           `json:"id"`
			Geometry   geojson.Geometry `json:"geometry"`
			Properties map[string]any   `json:"properties"`
		} `json:"features"`
		Matched  int64  `json:"numberMatched"`
		Returned int    `json:"numberReturned"`
		Links    []link `json:"links"`
	}) {
		t.Helper()
		code, h, body := wfsGet(t, f, query)
		if code != 200 || h.Get("Content-Type") != wfsJSONType {
			t.Fatalf("%s: %d %q\n%s", query, code, h.Get("Content-Type"), body)
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%s: %v\n%s", query, err, body)
		}
		if doc.Returned != len(doc.Features) {
			t.Fatalf("%s: numberReturned %d for %d features", query, doc.Returned, len(doc.Features))
		}
		return doc
	}
	doc := get("SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&OUTPUTFORMAT=application/json&COUNT=50")
	if doc.Matched != ogcOccurrenceCount || doc.Returned != 50 || linkHref(doc.Links, "next", wfsJSONType) == "" {
		t.Fatalf("matched %d, returned %d, links %v", doc.Matched, doc.Returned, doc.Links)
	}
	// GeoJSON is longitude first whatever the CRS's axis order.
	ft := doc.Features[11]
	if ft.ID != "occurrences.12" || ft.Geometry.Coordinates.(orb.Point) != (orb.Point{101, 1}) || ft.Properties["name"] != "Occurrence 12" {
		t.Errorf("feature 12: %+v", ft)
	}
	doc = get("SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&OUTPUTFORMAT=json&RESOURCEID=occurrences.12&SRSNAME=EPSG:3857")
	p := doc.Features[0].Geometry.Coordinates.(orb.Point)
	if math.Abs(p[0]-11243268.57) > 1 || math.Abs(p[1]-111325.1) > 1 {
		t.Errorf("EPSG:3857 point %v", p)
	}
	doc = get("SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=GeologicUnitView&OUTPUTFORMAT=application/json")
	if len(doc.Features) != 2 || doc.Features[0].Properties["src_code"] != nil || doc.Features[0].Properties["numericOlderAge"] != 2500.5 {
		t.Errorf("view as GeoJSON: %+v", doc.Features)
	}
}

func TestWFSExceptions(t *testing.T) {
	f := newWFSFixture(t)
	for _, tc := range []struct {
		query  string
		status int
		code   string
	}{
		{"SERVICE=WFS", 400, "MissingParameterValue"},
		{"REQUEST=GetCapabilities", 400, "MissingParameterValue"},
		{"SERVICE=WMS&REQUEST=GetCapabilities", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=Transaction", 501, "OperationNotSupported"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=Dance", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&REQUEST=GetFeature&TYPENAMES=occurrences", 400, "MissingParameterValue"},
		{"SERVICE=WFS&VERSION=1.0.0&REQUEST=GetFeature&TYPENAMES=occurrences", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature", 400, "MissingParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gsmlp:Nope", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&COUNT=-1", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&SRSNAME=EPSG:27700", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&OUTPUTFORMAT=shape-zip", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&FILTER=x", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&FILTER=" + url.QueryEscape(`<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>rank</fes:ValueReference><fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>`), 501, "OptionNotSupported"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&SORTBY=rank", 501, "OptionNotSupported"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=nope", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=occurrences.1&BBOX=0,0,1,1", 400, "InvalidParameterValue"},
		{"SERVICE=WFS&SERVICE=WFS&REQUEST=GetCapabilities", 400, "InvalidParameterValue"},
	} {
		if text := wantException(t, f, tc.query, tc.status, tc.code); text == "" {
			t.Errorf("%s: no exception text", tc.query)
		}
	}
	// A raster or vanished tileset is simply absent; the body is XML.
	code, _, body := wfsGet(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=ListStoredQueries")
	if code != 200 || !strings.Contains(body, wfsGetFeatureByID) {
		t.Errorf("ListStoredQueries: %d\n%s", code, body)
	}
	if err := xmlWellFormed(body); err != nil {
		t.Error(err)
	}
}

// xmlWellFormed reads every token of doc.
func xmlWellFormed(doc string) error {
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestNCName(t *testing.T) {
	for in, want := range map[string]string{
		"geology": "geology", "gswa-faults": "gswa-faults", "1980s": "_1980s", "Molybdenum grade": "Molybdenum_grade",
		"a.b": "a_b", "": "_", "-x": "_-x", "Ōkuma": "Ōkuma",
	} {
		if got := ncName(in); got != want {
			t.Errorf("ncName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWFSPropertyName(t *testing.T) {
	f := newWFSFixture(t)
	c := getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&RESOURCEID=occurrences.4&PROPERTYNAME="+url.QueryEscape("(outcrop:grade,name)"))
	var props []string
	for _, p := range c.Members[0].Feature.Props {
		props = append(props, p.XMLName.Local)
	}
	// In the type's order, without the geometry, which was not asked.
	if !slices.Equal(props, []string{"name", "grade"}) {
		t.Errorf("PROPERTYNAME=(outcrop:grade,name): properties %v", props)
	}
	// A view keeps the properties its standard requires, and its shape,
	// whatever PROPERTYNAME asks (WFS 2.0, 7.9.2.4.3).
	for _, names := range []string{"shape", "name", "gsmlp:numericOlderAge"} {
		c = getGML(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=GeologicUnitView&PROPERTYNAME="+names)
		props = nil
		for _, p := range c.Members[0].Feature.Props {
			props = append(props, p.XMLName.Local)
		}
		want := []string{"identifier", "geologicUnitType_uri", "representativeLithology_uri", "representativeAge_uri", "representativeOlderAge_uri", "representativeYoungerAge_uri", "shape"}
		if names != "shape" {
			_, local, _ := strings.Cut(names, ":")
			want = slices.Insert(want, 1, cmp.Or(local, names))
		}
		if _, shape := c.prop(0, "shape"); !slices.Equal(props, want) || !strings.Contains(shape, "gml:Polygon") {
			t.Errorf("PROPERTYNAME=%s: properties %v, want %v", names, props, want)
		}
	}
	wantException(t, f, "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=occurrences&PROPERTYNAME=nope", 400, "InvalidParameterValue")
}

// TestWFSHeavy: a page of more than heavyLimit features waits on the heavy
// gate, and a full gate is answered with an ExceptionReport, not JSON.
func TestWFSHeavy(t *testing.T) {
	dir := t.TempDir()
	var fs []*geojson.Feature
	for i := 1; i <= heavyLimit+1; i++ {
		ft := geojson.NewFeature(orb.Point{float64(i%360) - 180, 0})
		ft.ID = i
		fs = append(fs, ft)
	}
	writeFeatureTileset(t, dir, "many", "Many", nil, fs, "")
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newServer(Config{Catalog: st, MaxHeavy: 1})
	h := s.routes()
	s.heavy <- struct{}{} // the gate is full
	w := serve(h, httptestRequest(http.MethodGet, "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=many"))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "ExceptionReport") {
		t.Errorf("full gate: %d, Retry-After %q\n%s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	w = serve(h, httptestRequest(http.MethodGet, "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=many&COUNT=1000"))
	if w.Code != http.StatusOK {
		t.Errorf("a page of 1000 waits on no gate: %d", w.Code)
	}
	s.heavy.leave()
	w = serve(h, httptestRequest(http.MethodGet, "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=many&OUTPUTFORMAT=json"))
	if w.Code != http.StatusOK || len(s.heavy) != 0 || !strings.Contains(w.Body.String(), `"numberReturned":1001`) {
		t.Errorf("open gate: %d, %d in the gate after", w.Code, len(s.heavy))
	}
}
