package e2e

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/server"
)

// The schema tests validate every XML document the OGC services write with
// xmllint against the OGC, W3C and CGI schemas vendored in testdata/xsd
// (see its README): testdata/xsd/catalog.xml maps their published URLs to
// the copies, so that xmllint runs with --nonet.

// Published schema locations, resolved through the catalog.
const (
	xsdWMS130Capabilities = "http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd"
	xsdWMS130Exceptions   = "http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd"
	dtdWMS111Capabilities = "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd"
	dtdWMS111Exceptions   = "http://schemas.opengis.net/wms/1.1.1/WMS_exception_1_1_1.dtd"
	xsdWFS20              = "http://schemas.opengis.net/wfs/2.0/wfs.xsd"
	xsdOWS110             = "http://schemas.opengis.net/ows/1.1.0/owsAll.xsd"
	xsdGML321             = "http://schemas.opengis.net/gml/3.2.1/gml.xsd"
	xsdWMTSCapabilities   = "http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd"
	xsdERMLLite20         = "http://schemas.earthresourceml.org/earthresourceml-lite/2.0/erml-lite.xsd"
	// xsdGSMLP40 is GeoSciML-Portrayal 4.0, whose namespace the gsmlp
	// views use. It is a GML 3.1.1 schema: see gsmlpInGML32.
	xsdGSMLP40 = "http://schemas.geosciml.org/geosciml-portrayal/4.0/geosciml-portrayal.xsd"
)

// wmtsLimitsErratum is the one error of the OGC schemas the tests forgive:
// wmtsGetCapabilities_response.xsd types the tile limits positiveInteger,
// though WMTS 1.0 (07-057r7, table 12) counts rows and columns from 0, as
// every server does; a layer in the first row or column cannot be
// described otherwise (reported to the OGC, unfixed:
// https://github.com/GeoWebCache/geowebcache/issues/250).
var wmtsLimitsErratum = regexp.MustCompile(`Element '\{http://www\.opengis\.net/wmts/1\.0\}(Min|Max)Tile(Row|Col)': '0' is not a valid value of the atomic type 'xs:positiveInteger'`)

// xmlValidator runs xmllint against the vendored schemas.
type xmlValidator struct {
	xmllint string
	dir     string // where documents and wrapper schemas are written
	env     []string
}

func newXMLValidator(t *testing.T) *xmlValidator {
	t.Helper()
	catalog, err := filepath.Abs("testdata/xsd/catalog.xml")
	if err != nil {
		t.Fatal(err)
	}
	return &xmlValidator{
		xmllint: needTool(t, "xmllint", "libxml2-utils"),
		dir:     t.TempDir(),
		env:     append(os.Environ(), "XML_CATALOG_FILES="+catalog),
	}
}

// write stores data in the validator's directory and returns its path.
func (v *xmlValidator) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	f := filepath.Join(v.dir, name)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// run runs xmllint --noout --nonet with args and returns its error output
// with the schema parser's warnings about imports left out, "" when the
// document is valid.
func (v *xmlValidator) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(v.xmllint, append([]string{"--noout", "--nonet"}, args...)...)
	cmd.Env = v.env
	out, err := cmd.CombinedOutput()
	// xmllint exits 0 after a namespace error (an undeclared prefix), so
	// its output is read too.
	var lines []string
	erred := false
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l == "" || strings.HasSuffix(l, " validates") || strings.Contains(l, "Schemas parser warning") || wmtsLimitsErratum.MatchString(l) {
			continue
		}
		erred = erred || strings.Contains(l, " error")
		lines = append(lines, l)
	}
	if !erred && (err == nil || len(lines) == 1 && strings.HasSuffix(lines[0], " fails to validate")) {
		return "" // valid, or every error was the erratum
	}
	if len(lines) > 30 {
		lines = append(lines[:30], fmt.Sprintf("... %d more lines", len(lines)-30))
	}
	return fmt.Sprintf("%v\n%s", err, strings.Join(lines, "\n"))
}

// vendored is the vendored copy of the schema or DTD published at u, or u
// itself when it is a file. Schemas are given to xmllint as files: one
// loaded by its URL and again through a relative include of another
// (wmts.xsd and wmtsGetCapabilities_response.xsd include each other) would
// be two schemas to it, declaring everything twice.
func vendored(t *testing.T, u string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(u, "http://")
	if !ok {
		return u
	}
	f, err := filepath.Abs(filepath.Join("testdata/xsd", filepath.FromSlash(rest)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// validate checks that doc is valid against schema, a schema URL or file.
func (v *xmlValidator) validate(t *testing.T, name string, doc []byte, schema string) {
	t.Helper()
	f := v.write(t, name+".xml", doc)
	if msg := v.run(t, "--schema", vendored(t, schema), f); msg != "" {
		t.Errorf("%s is not valid against %s: %s", name, schema, msg)
	}
}

// validateDTD checks that doc declares the DTD published at dtd for its
// root element, and is valid against it.
func (v *xmlValidator) validateDTD(t *testing.T, name string, doc []byte, root, dtd string) {
	t.Helper()
	if want := fmt.Sprintf("<!DOCTYPE %s SYSTEM %q>", root, dtd); !strings.Contains(string(doc), want) {
		t.Errorf("%s does not declare its DTD, %s:\n%.300s", name, want, doc)
	}
	f := v.write(t, name+".xml", doc)
	// Clients read the document without its DTD, so it must declare its
	// namespaces itself, not through the DTD's defaulted attributes.
	if msg := v.run(t, f); msg != "" {
		t.Errorf("%s, read without its DTD: %s", name, msg)
	}
	if msg := v.run(t, "--dtdvalid", vendored(t, dtd), f); msg != "" {
		t.Errorf("%s is not valid against %s: %s", name, dtd, msg)
	}
}

// compiles checks that the schema file compiles: xmllint compiles a schema
// before validating a document against it, and only one that compiles
// gets as far as the document's undeclared root.
func (v *xmlValidator) compiles(t *testing.T, name, schema string) {
	t.Helper()
	empty := v.write(t, "empty.xml", []byte(`<?xml version="1.0"?><nothing/>`))
	if msg := v.run(t, "--schema", schema, empty); !strings.Contains(msg, "No matching global declaration") {
		t.Errorf("%s does not compile as a schema: %s", name, msg)
	}
}

// wrapper writes a schema that imports each namespace's schema, for a
// document that mixes namespaces (a WFS feature collection), and returns
// its path. schemas maps a namespace to a schema URL or file.
func (v *xmlValidator) wrapper(t *testing.T, name string, schemas map[string]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` + "\n")
	namespaces := make([]string, 0, len(schemas))
	for ns := range schemas {
		namespaces = append(namespaces, ns)
	}
	slices.Sort(namespaces)
	for _, ns := range namespaces {
		fmt.Fprintf(&b, "  <xs:import namespace=%q schemaLocation=%q/>\n", ns, vendored(t, schemas[ns]))
	}
	b.WriteString("</xs:schema>\n")
	return v.write(t, name+".xsd", []byte(b.String()))
}

// gsmlpInGML32 writes GeoSciML-Portrayal 4.0 on GML 3.2 and returns its
// path. The standard's schema extends GML 3.1.1 (gml:_Feature,
// gml:AbstractFeatureType, gml:GeometryPropertyType), but a WFS 2.0 answers
// in GML 3.2, as OneGeology's GeoServer services do; this is the same
// schema with the GML namespace and the head of the substitution group
// renamed to their GML 3.2 names, every view's properties, order, types and
// cardinalities left as the standard has them.
func (v *xmlValidator) gsmlpInGML32(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(vendored(t, xsdGSMLP40))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for _, r := range [][2]string{
		{`xmlns:gml="http://www.opengis.net/gml"`, `xmlns:gml="http://www.opengis.net/gml/3.2"`},
		{`<import namespace="http://www.opengis.net/gml" schemaLocation="http://schemas.opengis.net/gml/3.1.1/base/gml.xsd"/>`,
			`<import namespace="http://www.opengis.net/gml/3.2" schemaLocation="` + vendored(t, xsdGML321) + `"/>`},
		// The simple-features profile is named only in an appinfo.
		{`<import namespace="http://www.opengis.net/gmlsf" schemaLocation="http://schemas.opengis.net/gml/3.1.1/profiles/gmlsfProfile/1.0.0/gmlsfLevels.xsd"/>`, ``},
		{`substitutionGroup="gml:_Feature"`, `substitutionGroup="gml:AbstractFeature"`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("%s has no %s", xsdGSMLP40, r[0])
		}
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return v.write(t, "geosciml-portrayal-gml32.xsd", []byte(s))
}

// fetchXML GETs u and returns the body, failing unless the status is want
// and the body is XML.
func fetchXML(t *testing.T, u string, want int) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want || !strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		t.Fatalf("GET %s: %d %s, want %d XML\n%.500s", u, resp.StatusCode, resp.Header.Get("Content-Type"), want, body)
	}
	return body
}

// schemaService is service metadata with every field set, so that the
// capabilities have each element it can fill.
var schemaService = &server.ServiceMetadata{
	Title: "Geological Survey of Somewhere <maps> & features", Abstract: "Geology & mineral occurrences.",
	Keywords: []string{"geology", "ERML"}, Organization: "Geological Survey of Somewhere", Person: "Map Desk",
	Position: "Custodian", Email: "maps@example.org", Phone: "+61 8 0000 0000",
	OnlineResource: "https://example.org/survey", Fees: "none", AccessConstraints: "CC BY 4.0",
}

// TestSchemaWMS validates the WMS documents: capabilities and exception
// reports of 1.3.0 against the XML schemas, of 1.1.1 against the DTDs.
func TestSchemaWMS(t *testing.T) {
	v := newXMLValidator(t)
	s := startWFSServerWith(t, schemaService)
	wms := s.URL + "/wms?SERVICE=WMS&"
	v.validate(t, "wms130-capabilities", fetchXML(t, wms+"REQUEST=GetCapabilities&VERSION=1.3.0", 200), xsdWMS130Capabilities)
	v.validate(t, "wms130-exception", fetchXML(t, wms+"VERSION=1.3.0&REQUEST=GetMap&LAYERS=nope&STYLES=&CRS=CRS:84&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", 400), xsdWMS130Exceptions)
	v.validate(t, "wms130-exception-crs", fetchXML(t, wms+"VERSION=1.3.0&REQUEST=GetMap&LAYERS=gswa-geology&STYLES=&CRS=EPSG:9999&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", 400), xsdWMS130Exceptions)
	v.validateDTD(t, "wms111-capabilities", fetchXML(t, wms+"REQUEST=GetCapabilities&VERSION=1.1.1", 200), "WMT_MS_Capabilities", dtdWMS111Capabilities)
	v.validateDTD(t, "wms111-exception", fetchXML(t, wms+"VERSION=1.1.1&REQUEST=GetMap&LAYERS=nope&STYLES=&SRS=EPSG:4326&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&FORMAT=image/png", 400), "ServiceExceptionReport", dtdWMS111Exceptions)
}

// TestSchemaWFS validates the WFS 2.0 documents against the WFS, OWS and
// GML schemas; each DescribeFeatureType answer is compiled as a schema and
// each view's GetFeature answer is validated against it.
func TestSchemaWFS(t *testing.T) {
	v := newXMLValidator(t)
	s := startWFSServerWith(t, schemaService)
	wfs := s.URL + "/wfs?SERVICE=WFS&VERSION=2.0.0&"
	v.validate(t, "capabilities", fetchXML(t, s.URL+"/wfs?SERVICE=WFS&REQUEST=GetCapabilities", 200), xsdWFS20)
	v.validate(t, "list-stored-queries", fetchXML(t, wfs+"REQUEST=ListStoredQueries", 200), xsdWFS20)
	v.validate(t, "describe-stored-queries", fetchXML(t, wfs+"REQUEST=DescribeStoredQueries", 200), xsdWFS20)
	v.validate(t, "exception", fetchXML(t, wfs+"REQUEST=GetFeature&TYPENAMES=gsmlp:Nope", 400), xsdOWS110)
	v.validate(t, "hits", fetchXML(t, wfs+"REQUEST=GetFeature&TYPENAMES=gsmlp:GeologicUnitView&RESULTTYPE=hits", 200), xsdWFS20)

	// DescribeFeatureType of every type imports each namespace's schema
	// from the server; those must compile together.
	all := fetchXML(t, wfs+"REQUEST=DescribeFeatureType", 200)
	var imports struct {
		Imports []struct {
			Namespace string `xml:"namespace,attr"`
			Location  string `xml:"schemaLocation,attr"`
		} `xml:"import"`
	}
	if err := xml.Unmarshal(all, &imports); err != nil || len(imports.Imports) != 3 {
		t.Fatalf("DescribeFeatureType of all types: %v, %d imports, want one per namespace (gsmlp, erl, outcrop)\n%s", err, len(imports.Imports), all)
	}
	for i, imp := range imports.Imports {
		f := v.write(t, fmt.Sprintf("describe-all-%d.xsd", i), fetchXML(t, imp.Location, 200))
		from := `schemaLocation="` + strings.ReplaceAll(imp.Location, "&", "&amp;") + `"`
		if !strings.Contains(string(all), from) {
			t.Fatalf("DescribeFeatureType of all types: no %s", from)
		}
		all = []byte(strings.Replace(string(all), from, `schemaLocation="`+f+`"`, 1))
	}
	v.compiles(t, "describe-all", v.write(t, "describe-all.xsd", all))

	// Two views of one namespace, and each collection's own type.
	views := "gsmlp:GeologicUnitView,gsmlp:ShearDisplacementStructureView"
	v.validate(t, "two-views", fetchXML(t, wfs+"REQUEST=GetFeature&COUNT=100&TYPENAMES="+views, 200), v.wrapper(t, "two-views", map[string]string{
		"http://www.opengis.net/wfs/2.0":                   xsdWFS20,
		"http://xmlns.geosciml.org/geosciml-portrayal/4.0": v.write(t, "two-views-describe.xsd", fetchXML(t, wfs+"REQUEST=DescribeFeatureType&TYPENAMES="+views, 200)),
	}))
	for _, in := range wfsInputs {
		own := "outcrop:" + in.id
		v.validate(t, in.id, fetchXML(t, wfs+"REQUEST=GetFeature&COUNT=200&TYPENAMES="+own, 200), v.wrapper(t, in.id, map[string]string{
			"http://www.opengis.net/wfs/2.0":              xsdWFS20,
			"https://github.com/outcrop/outcrop/features": v.write(t, in.id+"-describe.xsd", fetchXML(t, wfs+"REQUEST=DescribeFeatureType&TYPENAMES="+own, 200)),
		}))
	}

	for _, in := range wfsInputs {
		t.Run(in.typeName, func(t *testing.T) {
			prefix, local, _ := strings.Cut(in.typeName, ":")
			dft := fetchXML(t, wfs+"REQUEST=DescribeFeatureType&TYPENAMES="+in.typeName, 200)
			var schema struct {
				Target string `xml:"targetNamespace,attr"`
			}
			if err := xml.Unmarshal(dft, &schema); err != nil || schema.Target == "" {
				t.Fatalf("DescribeFeatureType %s: %v, target namespace %q", in.typeName, err, schema.Target)
			}
			dftFile := v.write(t, local+".xsd", dft)
			v.compiles(t, "DescribeFeatureType "+in.typeName, dftFile)
			both := v.wrapper(t, local+"-collection", map[string]string{"http://www.opengis.net/wfs/2.0": xsdWFS20, schema.Target: dftFile})
			page := fetchXML(t, wfs+"REQUEST=GetFeature&COUNT=300&TYPENAMES="+in.typeName, 200)
			v.validate(t, local+"-features", page, both)
			v.validate(t, local+"-features-3857", fetchXML(t, wfs+"REQUEST=GetFeature&COUNT=50&SRSNAME=EPSG:3857&TYPENAMES="+in.typeName, 200), both)
			byID := fetchXML(t, wfs+"REQUEST=GetFeature&STOREDQUERY_ID="+url.QueryEscape("urn:ogc:def:query:OGC-WFS::GetFeatureById")+"&ID="+firstGMLID(t, page), 200)
			v.validate(t, local+"-by-id", byID, dftFile)
			// The features must be valid against the standard's own schema
			// too: EarthResourceML-Lite 2.0 is on GML 3.2 already.
			standard := xsdERMLLite20
			if prefix == "gsmlp" {
				standard = v.gsmlpInGML32(t)
			}
			v.validate(t, local+"-features-standard", page, v.wrapper(t, local+"-standard", map[string]string{"http://www.opengis.net/wfs/2.0": xsdWFS20, schema.Target: standard}))
			v.validate(t, local+"-by-id-standard", byID, standard)
			// PROPERTYNAME naming one optional property: the server adds
			// the mandatory ones and the shape, so the answer stays valid.
			v.validate(t, local+"-propertyname-standard", fetchXML(t, wfs+"REQUEST=GetFeature&COUNT=20&PROPERTYNAME=name&TYPENAMES="+in.typeName, 200),
				v.wrapper(t, local+"-propertyname", map[string]string{"http://www.opengis.net/wfs/2.0": xsdWFS20, schema.Target: standard}))
		})
	}
}

// firstGMLID is the gml:id of the first feature of a feature collection.
func firstGMLID(t *testing.T, collection []byte) string {
	t.Helper()
	var c struct {
		Members []struct {
			Feature struct {
				ID string `xml:"http://www.opengis.net/gml/3.2 id,attr"`
			} `xml:",any"`
		} `xml:"member"`
	}
	if err := xml.Unmarshal(collection, &c); err != nil || len(c.Members) == 0 || c.Members[0].Feature.ID == "" {
		t.Fatalf("no feature with a gml:id in the collection: %v\n%.500s", err, collection)
	}
	return c.Members[0].Feature.ID
}

// TestSchemaWMTS validates the WMTS capabilities of raster collections,
// and of the vector collections of the WFS tests with service metadata,
// which must give the ows:ServiceIdentification and the
// ows:ServiceProvider OneGeology requires.
func TestSchemaWMTS(t *testing.T) {
	v := newXMLValidator(t)
	vector := startWFSServerWith(t, schemaService)
	caps := fetchXML(t, vector.URL+"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", 200)
	v.validate(t, "wmts-vector-capabilities", caps, xsdWMTSCapabilities)
	var doc struct {
		Title             string   `xml:"ServiceIdentification>Title"`
		Abstract          string   `xml:"ServiceIdentification>Abstract"`
		Keywords          []string `xml:"ServiceIdentification>Keywords>Keyword"`
		Fees              string   `xml:"ServiceIdentification>Fees"`
		AccessConstraints string   `xml:"ServiceIdentification>AccessConstraints"`
		Provider          string   `xml:"ServiceProvider>ProviderName"`
		Site              struct {
			Href string `xml:"http://www.w3.org/1999/xlink href,attr"`
		} `xml:"ServiceProvider>ProviderSite"`
		Person string `xml:"ServiceProvider>ServiceContact>IndividualName"`
		Email  string `xml:"ServiceProvider>ServiceContact>ContactInfo>Address>ElectronicMailAddress"`
	}
	if err := xml.Unmarshal(caps, &doc); err != nil {
		t.Fatal(err)
	}
	m := schemaService
	if doc.Title != m.Title || doc.Abstract != m.Abstract || !slices.Contains(doc.Keywords, "OneGeology") || !slices.Contains(doc.Keywords, "ERML") ||
		doc.Fees != m.Fees || doc.AccessConstraints != m.AccessConstraints || doc.Provider != m.Organization ||
		doc.Site.Href != m.OnlineResource || doc.Person != m.Person || doc.Email != m.Email {
		t.Errorf("WMTS capabilities with service metadata: %+v, want the metadata's %+v", doc, *m)
	}
	v.validate(t, "wmts-vector-capabilities-bare", fetchXML(t, startWFSServer(t).URL+"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", 200), xsdWMTSCapabilities)
	s := startWMTSServer(t)
	v.validate(t, "wmts-raster-capabilities", fetchXML(t, s.capabilitiesURL(), 200), xsdWMTSCapabilities)
	v.validate(t, "wmts-exception", fetchXML(t, s.URL+"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nope&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&FORMAT=image/png", 400), xsdOWS110)
}

// TestSchemaWMSFeatureInfoGML validates WMS GetFeatureInfo answers in GML
// 3.2 for a layer of each view against WFS 2.0 and the view's standard
// schema (GeoSciML-Portrayal on GML 3.2, EarthResourceML-Lite 2.0), as
// OneGeology's validators check them.
func TestSchemaWMSFeatureInfoGML(t *testing.T) {
	v := newXMLValidator(t)
	s := startWFSServerWith(t, schemaService)
	gsmlp := v.gsmlpInGML32(t)
	for _, in := range wfsInputs {
		t.Run(in.typeName, func(t *testing.T) {
			prefix, local, _ := strings.Cut(in.typeName, ":")
			x, y := featureInfoPoint(t, s.URL, in.id)
			standard, ns := xsdERMLLite20, "http://xmlns.earthresourceml.org/earthresourceml-lite/2.0"
			if prefix == "gsmlp" {
				standard, ns = gsmlp, "http://xmlns.geosciml.org/geosciml-portrayal/4.0"
			}
			schema := v.wrapper(t, local+"-info", map[string]string{"http://www.opengis.net/wfs/2.0": xsdWFS20, ns: standard})
			for _, q := range []struct{ name, crs, bbox string }{
				{"crs84", "CRS:84", fmt.Sprintf("%f,%f,%f,%f", x-0.001, y-0.001, x+0.001, y+0.001)},
				{"epsg4326", "EPSG:4326", fmt.Sprintf("%f,%f,%f,%f", y-0.001, x-0.001, y+0.001, x+0.001)},
			} {
				u := s.URL + "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=" + in.id + "&QUERY_LAYERS=" + in.id +
					"&STYLES=&CRS=" + q.crs + "&BBOX=" + q.bbox + "&WIDTH=11&HEIGHT=11&I=5&J=5&FEATURE_COUNT=5" +
					"&INFO_FORMAT=application/gml%2Bxml;%20version%3D3.2"
				doc := fetchXML(t, u, 200)
				var c struct {
					Returned int `xml:"numberReturned,attr"`
					Members  []struct {
						Feature struct{ XMLName xml.Name } `xml:",any"`
					} `xml:"member"`
				}
				if err := xml.Unmarshal(doc, &c); err != nil || c.Returned == 0 || len(c.Members) != c.Returned ||
					c.Members[0].Feature.XMLName != (xml.Name{Space: ns, Local: local}) {
					t.Fatalf("GetFeatureInfo %s at %f,%f: %v, want %s features\n%.800s", q.crs, x, y, err, in.typeName, doc)
				}
				v.validate(t, local+"-info-"+q.name, doc, schema)
			}
		})
	}
}

// featureInfoPoint is a point on (or inside) the first feature of a
// collection, in longitude and latitude: the centre of its first three
// vertices, which for a map of polygons falls in one of them.
func featureInfoPoint(t *testing.T, base, id string) (float64, float64) {
	t.Helper()
	resp, err := http.Get(base + "/collections/" + id + "/items?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&fc); err != nil || len(fc.Features) == 0 {
		t.Fatalf("first feature of %s: %v", id, err)
	}
	// Every coordinate of the geometry, whatever its nesting.
	var pts [][2]float64
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var p [2]float64
		if json.Unmarshal(raw, &p) == nil {
			pts = append(pts, p)
			return
		}
		var parts []json.RawMessage
		if json.Unmarshal(raw, &parts) == nil {
			for _, part := range parts {
				walk(part)
			}
		}
	}
	walk(fc.Features[0].Geometry.Coordinates)
	if len(pts) == 0 {
		t.Fatalf("first feature of %s has no coordinates", id)
	}
	n := min(3, len(pts))
	if fc.Features[0].Geometry.Type != "Polygon" && fc.Features[0].Geometry.Type != "MultiPolygon" {
		n = 1
	}
	var x, y float64
	for _, p := range pts[:n] {
		x, y = x+p[0]/float64(n), y+p[1]/float64(n)
	}
	return x, y
}
