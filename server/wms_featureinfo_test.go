package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/styles"
)

// gfiCollection is a GetFeatureInfo answer in GML, decoded.
type gfiCollection struct {
	XMLName  xml.Name
	Matched  string `xml:"numberMatched,attr"`
	Returned string `xml:"numberReturned,attr"`
	Members  []struct {
		Feature struct {
			XMLName xml.Name
			ID      string `xml:"http://www.opengis.net/gml/3.2 id,attr"`
			// Identifier and the ERML-Lite fields are mandatory: written
			// whether the collection has them or not.
			Identifier string `xml:"identifier"`
			Type       string `xml:"mineralOccurrenceType"`
			Commodity  string `xml:"commodity"`
			Name       string `xml:"name"`
			Age        string `xml:"representativeAge_uri"`
			Fault      string `xml:"faultType_uri"`
			Shape      struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"shape"`
		} `xml:",any"`
	} `xml:"http://www.opengis.net/wfs/2.0 member"`
}

// TestWMSGetFeatureInfoGML checks GetFeatureInfo in GML 3.2: a
// wfs:FeatureCollection of the GeoSciML-Lite view members the WFS serves,
// with their gml:ids and properties, in the map's CRS and axis order,
// FEATURE_COUNT respected, under each GML name clients ask by; and a GML
// version not served refused.
func TestWMSGetFeatureInfoGML(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	info := func(layers string, i, j int, format string, extra ...string) gfiCollection {
		t.Helper()
		q := getMap130(layers, "", append([]string{"REQUEST", "GetFeatureInfo", "QUERY_LAYERS", layers, "I", itoa(i), "J", itoa(j), "INFO_FORMAT", format}, extra...)...)
		resp := fx.get(t, q)
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, b.String())
		}
		var doc gfiCollection
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v\n%s", format, err, b.String())
		}
		if doc.XMLName.Space != nsWFS || doc.XMLName.Local != "FeatureCollection" {
			t.Errorf("%s: root %v", format, doc.XMLName)
		}
		return doc
	}
	for format, want := range map[string]string{
		"application/gml+xml; version=3.2": wfsGMLType,
		"application/gml+xml":              wfsGMLType,
		"application/vnd.ogc.gml":          vndGMLType,
		"text/xml":                         xmlGMLType,
	} {
		resp := fx.get(t, getMap130("units", "", "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units", "I", "20", "J", "150", "INFO_FORMAT", format))
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || got != want {
			t.Errorf("INFO_FORMAT=%s: %d %s, want %s", format, resp.StatusCode, got, want)
		}
		doc := info("units", 20, 150, format)
		if len(doc.Members) != 1 || doc.Matched != "1" || doc.Returned != "1" {
			t.Fatalf("%s at the granite: %d members, numberMatched %s", format, len(doc.Members), doc.Matched)
		}
		f := doc.Members[0].Feature
		if f.XMLName.Space != nsGSMLP.uri || f.XMLName.Local != "GeologicUnitView" || f.ID != "GeologicUnitView.units.1" ||
			f.Name != "Granite <one>" || f.Age != icsURI+"Permian" {
			t.Errorf("%s at the granite: %+v", format, f)
		}
		// CRS:84: longitude first; the granite's corner 116,-23.
		if shape := string(f.Shape.Inner); !strings.Contains(shape, `srsName="`+crs84+`"`) || !strings.Contains(shape, "116 -23 117 -23") {
			t.Errorf("%s: the shape in CRS:84: %s", format, shape)
		}
	}
	// EPSG:4326 in 1.3.0: latitude first, as the WMS's own axis order.
	doc := info("units", 20, 150, wfsGMLType, "CRS", "EPSG:4326", "BBOX", "-23,116,-21,118")
	if shape := string(doc.Members[0].Feature.Shape.Inner); !strings.Contains(shape, `srsName="`+crsURN4326+`"`) || !strings.Contains(shape, "-23 116 -23 117") {
		t.Errorf("EPSG:4326: the shape is not latitude first: %s", shape)
	}
	if doc := info("units", 50, 150, wfsGMLType); len(doc.Members) != 0 || doc.Matched != "0" {
		t.Errorf("in the granite's hole: %d members", len(doc.Members))
	}
	// Where the thrust crosses the fault of unknown type: one feature by
	// default, both with FEATURE_COUNT=5, as ShearDisplacementStructureView.
	if doc := info("faults", 50, 50, vndGMLType); len(doc.Members) != 1 {
		t.Errorf("FEATURE_COUNT default 1 at the crossing: %d members", len(doc.Members))
	}
	doc = info("units,faults", 50, 50, vndGMLType, "FEATURE_COUNT", "5")
	var ids []string
	for _, m := range doc.Members {
		ids = append(ids, m.Feature.XMLName.Local+"/"+m.Feature.ID+"/"+m.Feature.Fault)
	}
	if strings.Join(ids, ",") != "ShearDisplacementStructureView/ShearDisplacementStructureView.faults.1/"+faultURI+"thrust_fault,"+
		"ShearDisplacementStructureView/ShearDisplacementStructureView.faults.2/http://example.org/unknown" || doc.Returned != "2" {
		t.Errorf("FEATURE_COUNT=5 at the crossing: %v (numberReturned %s)", ids, doc.Returned)
	}
	// A point: erl:MineralOccurrenceView.
	doc = info("units,occurrences", 150, 50, "text/xml")
	if len(doc.Members) != 1 || doc.Members[0].Feature.XMLName.Space != nsERL.uri || doc.Members[0].Feature.XMLName.Local != "MineralOccurrenceView" {
		t.Fatalf("at the gold occurrence: %+v", doc.Members)
	}
	// The fixture's occurrences have no identifier, type or commodity,
	// which ERML-Lite requires: the feature's URL and the OGC's missing.
	if f := doc.Members[0].Feature; f.Identifier != "http://example.com/collections/occurrences/items/1" ||
		f.Type != harmonise.NilMissing || f.Commodity != harmonise.NilMissing {
		t.Errorf("the gold occurrence's mandatory properties: identifier %q, type %q, commodity %q", f.Identifier, f.Type, f.Commodity)
	}
	// A raw ; in the query, as curl and some clients send it.
	raw := getMap130("units", "", "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units", "I", "20", "J", "150") + "&INFO_FORMAT=application/gml%2Bxml;%20version=3.2"
	if resp := fx.get(t, raw); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != wfsGMLType {
		t.Errorf("INFO_FORMAT with a raw ;: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, format := range []string{"application/gml+xml; version=3.1", "text/xml; subtype=gml/3.1.1", "image/png"} {
		resp := fx.get(t, getMap130("units", "", "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units", "I", "20", "J", "150", "INFO_FORMAT", format))
		if code, locator := wmsException(t, resp); resp.StatusCode != 400 || code != "InvalidFormat" || locator != "info_format" {
			t.Errorf("INFO_FORMAT=%s: %d %s %s", format, resp.StatusCode, code, locator)
		}
	}
}

// TestWMSCapabilitiesInfoFormats checks the capabilities list the GML
// formats before application/json, the one QGIS should read features in.
func TestWMSCapabilitiesInfoFormats(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	for _, version := range []string{"1.3.0", "1.1.1"} {
		var doc struct {
			Formats []string `xml:"Capability>Request>GetFeatureInfo>Format"`
		}
		resp := fx.get(t, "SERVICE=WMS&REQUEST=GetCapabilities&VERSION="+version)
		if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(doc.Formats, ","); got != "text/html,text/plain,application/gml+xml; version=3.2,application/vnd.ogc.gml,text/xml,application/json" {
			t.Errorf("%s: GetFeatureInfo formats %s", version, got)
		}
	}
}

// infoProps reads the properties of the one feature of a GetFeatureInfo
// answer in format (a GML, JSON, text or HTML type), as text by name.
func infoProps(t *testing.T, format string, body []byte) map[string]string {
	t.Helper()
	props := map[string]string{}
	switch {
	case strings.Contains(format, "xml") || strings.Contains(format, "gml"):
		var doc struct {
			Members []struct {
				Feature struct {
					Props []struct {
						XMLName xml.Name
						Text    string `xml:",chardata"`
					} `xml:",any"`
				} `xml:",any"`
			} `xml:"http://www.opengis.net/wfs/2.0 member"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil || len(doc.Members) != 1 {
			t.Fatalf("%s: %v, want one member:\n%s", format, err, body)
		}
		for _, p := range doc.Members[0].Feature.Props {
			if p.XMLName.Local != "shape" {
				props[p.XMLName.Local] = p.Text
			}
		}
	case strings.Contains(format, "json"):
		var doc struct {
			Features []struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || len(doc.Features) != 1 {
			t.Fatalf("%s: %v, want one feature:\n%s", format, err, body)
		}
		for k, raw := range doc.Features[0].Properties {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(raw)
			}
			props[k] = s
		}
	case strings.HasPrefix(format, "text/plain"):
		for _, line := range strings.Split(string(body), "\n") {
			if k, v, ok := strings.Cut(strings.TrimPrefix(line, "    "), " = '"); ok && strings.HasPrefix(line, "    ") {
				props[k] = strings.TrimSuffix(v, "'")
			}
		}
	default:
		for _, m := range regexp.MustCompile(`<tr><th>(.*?)</th><td>(.*?)</td></tr>`).FindAllSubmatch(body, -1) {
			props[html.UnescapeString(string(m[1]))] = html.UnescapeString(string(m[2]))
		}
	}
	return props
}

// TestGetFeatureInfoFormatsAgree checks that every GetFeatureInfo format,
// of WMS and of WMTS (GML too), lists the same properties with the same
// values as the WMS GML answer: the feature's GeoSciML-Lite or
// EarthResourceML-Lite view, with the mandatory properties it lacks
// completed (identifier as its URL, the rest as the OGC's missing) and
// nothing the view does not show. WMTS GML is in Web Mercator, the tile
// matrix set's CRS.
func TestGetFeatureInfoFormatsAgree(t *testing.T) {
	fx := newWMSFixture(t, Config{})
	get := func(target string) []byte {
		t.Helper()
		w := serve(fx.h, httptestRequest(http.MethodGet, target))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	const z = 9
	for _, c := range []struct {
		layer, style string
		i, j         int     // the WMS pixel
		lon, lat     float64 // the WMTS place
		want         map[string]string
	}{
		{"units", styles.KindGeologyAge, 20, 150, 116.2, -22.2, map[string]string{
			"identifier": "http://example.com/collections/units/items/1", "name": "Granite <one>",
			"geologicUnitType_uri": harmonise.NilMissing, "representativeLithology_uri": lithURI + "granite",
			"representativeAge_uri": icsURI + "Permian", "representativeOlderAge_uri": harmonise.NilMissing,
			"representativeYoungerAge_uri": harmonise.NilMissing,
		}},
		{"faults", "default", 100, 52, 117, -21.5, map[string]string{
			"identifier": "http://example.com/collections/faults/items/1", "faultType_uri": faultURI + "thrust_fault",
			"movementType_uri": harmonise.NilMissing, "deformationStyle_uri": harmonise.NilMissing,
			"representativeAge_uri": harmonise.NilMissing, "representativeOlderAge_uri": harmonise.NilMissing,
			"representativeYoungerAge_uri": harmonise.NilMissing,
		}},
		{"occurrences", styles.KindOccurrenceCommodity, 150, 50, 117.5, -21.5, map[string]string{
			"identifier": "http://example.com/collections/occurrences/items/1", "mineralOccurrenceType": harmonise.NilMissing,
			"commodity": harmonise.NilMissing, "mineralOccurrenceType_uri": harmonise.NilMissing, "representativeCommodity_uri": commodURI + "Au",
		}},
	} {
		wms := func(format string) []byte {
			return get("/wms?" + getMap130(c.layer, c.style, "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", c.layer, "I", itoa(c.i), "J", itoa(c.j), "INFO_FORMAT", format))
		}
		gml := infoProps(t, wfsGMLType, wms(wfsGMLType))
		if !reflect.DeepEqual(gml, c.want) {
			t.Errorf("%s in GML: %v\nwant %v", c.layer, gml, c.want)
		}
		for _, format := range []string{jsonType, geoJSONType, textType, htmlType} {
			if got := infoProps(t, format, wms(format)); !reflect.DeepEqual(got, gml) {
				t.Errorf("WMS %s of %s: %v\nGML has %v", format, c.layer, got, gml)
			}
		}
		for _, ext := range []string{"json", "txt", "html", "gml"} {
			format := map[string]string{"json": jsonType, "txt": textType, "html": htmlType, "gml": wfsGMLType}[ext]
			body := get(restInfo(c.layer, c.style, c.lon, c.lat, z, ext))
			if got := infoProps(t, format, body); !reflect.DeepEqual(got, gml) {
				t.Errorf("WMTS %s of %s: %v\nGML has %v", ext, c.layer, got, gml)
			}
			if ext == "gml" && !bytes.Contains(body, []byte(`srsName="`+crsURN3857+`"`)) {
				t.Errorf("WMTS GML of %s is not in Web Mercator:\n%s", c.layer, body)
			}
		}
	}
}
