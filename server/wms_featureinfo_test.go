package server

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/harmonise"
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
