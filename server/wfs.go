package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/tileset"
)

// WFS 2.0.0 (OGC 09-025r2, ISO 19142), simple features, KVP over GET, at
// /wfs: GetCapabilities, DescribeFeatureType, GetFeature (TYPENAMES, BBOX,
// RESOURCEID, COUNT and STARTINDEX paging, RESULTTYPE=hits, GML 3.2 or
// GeoJSON, EPSG:4326 or EPSG:3857) and the GetFeatureById stored query.
//
// Feature types: each vector collection is outcrop:{id}, with all its
// fields; and each GeoSciML-Lite or EarthResourceML-Lite view that at least
// one harmonised collection was mapped onto is a type of that view's name
// (gsmlp:GeologicUnitView, gsmlp:ShearDisplacementStructureView,
// erl:MineralOccurrenceView), holding the features of every such collection
// with the view's fields only, as a OneGeology portal expects.
const (
	wfsVersion = "2.0.0"
	wfsXMLType = "application/xml"
	// wfsGMLType is the GML 3.2 media type of WFS 2.0, the default output.
	wfsGMLType  = "application/gml+xml; version=3.2"
	wfsJSONType = "application/json"
	// wfsGetFeatureByID is the stored query every WFS 2.0 offers.
	wfsGetFeatureByID = "urn:ogc:def:query:OGC-WFS::GetFeatureById"
	// wfsCountDefault is the page size when COUNT is absent, and the largest.
	wfsCountDefault = maxLimit
)

// XML namespaces of the WFS documents.
const (
	nsWFS   = "http://www.opengis.net/wfs/2.0"
	nsGML   = "http://www.opengis.net/gml/3.2"
	nsOWS   = "http://www.opengis.net/ows/1.1"
	nsFES   = "http://www.opengis.net/fes/2.0"
	nsXLink = "http://www.w3.org/1999/xlink"
	nsXSI   = "http://www.w3.org/2001/XMLSchema-instance"
	nsXSD   = "http://www.w3.org/2001/XMLSchema"
)

// wfsNamespace is an application schema namespace and its usual prefix.
type wfsNamespace struct{ prefix, uri string }

var (
	nsGSMLP = wfsNamespace{"gsmlp", "http://xmlns.geosciml.org/geosciml-portrayal/4.0"}
	nsERL   = wfsNamespace{"erl", "http://xmlns.earthresourceml.org/earthresourceml-lite/2.0"}
	// nsOutcrop holds the collections' own feature types.
	nsOutcrop     = wfsNamespace{"outcrop", "https://github.com/outcrop/outcrop/features"}
	wfsNamespaces = []wfsNamespace{nsGSMLP, nsERL, nsOutcrop}
)

// viewNamespace is the namespace of a harmonise view's feature type.
func viewNamespace(view string) wfsNamespace {
	if view == harmonise.ViewMineralOccurrence {
		return nsERL
	}
	return nsGSMLP
}

// wfsType is a feature type: one collection's, or one view's spanning the
// collections harmonised onto it.
type wfsType struct {
	ns       wfsNamespace
	local    string // the element name
	title    string
	abstract string
	keywords []string
	bounds   [4]float64
	props    []wfsProp
	geom     string   // the geometry property's name
	colls    []string // collection ids, in catalogue order
	view     bool
	// noGeom leaves the geometry out, for a PROPERTYNAME without it.
	noGeom bool
}

// name is the qualified name, "gsmlp:GeologicUnitView".
func (t *wfsType) name() string { return t.ns.prefix + ":" + t.local }

// has reports whether t shows the GeoJSON property field.
func (t *wfsType) has(field string) bool {
	for _, p := range t.props {
		if p.field == field {
			return true
		}
	}
	return false
}

// wfsProp is a property of a feature type.
type wfsProp struct {
	name  string // the element name
	field string // the GeoJSON property it comes from
	xsd   string // the XML Schema type
	// mandatory is set for the properties the view's standard requires
	// in every feature: they are described with minOccurs 1, written even
	// when PROPERTYNAME leaves them out, and given a value where a
	// feature has none (see wfsFeature.fillMandatory).
	mandatory bool
}

// wfsCatalog is the feature types of the collections served now.
type wfsCatalog struct {
	types []*wfsType
	// collLocal maps a collection id to the NCName form used in gml:ids.
	collLocal map[string]string
	// typeOf is the feature type that serves each collection: the view it
	// was harmonised onto, else its own type.
	typeOf map[string]*wfsType
}

// wfsCatalogCache keeps the wfsCatalog of one set of collection versions:
// building it reads every tileset's harmonisation report, which every WFS
// request and every GetFeatureInfo would otherwise repeat.
type wfsCatalogCache struct {
	mu  sync.Mutex
	ids []string
	// metas are the versions' Metadata pointers, kept alive so that a new
	// version is never taken for an old one at a reused address.
	metas []*tileset.Metadata
	cat   *wfsCatalog
	// builds counts the catalogues built, for tests.
	builds atomic.Int64
}

// wfsCatalog lists the feature types of every vector collection the
// catalogue holds now, built once per set of collection versions. It is
// shared: callers must not modify it.
func (s *server) wfsCatalog() *wfsCatalog {
	var ids []string
	var metas []*tileset.Metadata
	for id, ts := range s.tilesets() {
		ids, metas = append(ids, id), append(metas, ts.Metadata())
	}
	c := &s.wfsCat
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cat != nil && slices.Equal(c.ids, ids) && slices.Equal(c.metas, metas) {
		return c.cat
	}
	c.builds.Add(1)
	c.cat, c.ids, c.metas = s.buildWFSCatalog()
	return c.cat
}

// buildWFSCatalog lists the feature types of every vector collection the
// catalogue holds now, with the ids and versions it read them from.
func (s *server) buildWFSCatalog() (*wfsCatalog, []string, []*tileset.Metadata) {
	c := &wfsCatalog{collLocal: map[string]string{}, typeOf: map[string]*wfsType{}}
	var ids []string
	var metas []*tileset.Metadata
	views := map[string]*wfsType{}
	viewFields := map[string]map[string]bool{}
	var own []*wfsType
	used := map[string]bool{}
	for id, ts := range s.tilesets() {
		m := ts.Metadata()
		ids, metas = append(ids, id), append(metas, m)
		view := harmonisedView(ts)
		if m.Raster != nil {
			continue
		}
		local := ncName(id)
		if used[local] {
			continue // another id has the same NCName; ids are [a-z0-9_-] in practice
		}
		used[local] = true
		c.collLocal[id] = local
		own = append(own, ownType(id, local, m))
		if view == nil {
			continue
		}
		vt := views[view.Name]
		if vt == nil {
			vt = &wfsType{
				ns: viewNamespace(view.Name), local: view.Name, title: view.Name + " (" + view.Standard + ")",
				bounds: m.Bounds, geom: "shape", view: true,
			}
			views[view.Name] = vt
			viewFields[view.Name] = map[string]bool{}
		} else {
			vt.bounds = unionBounds(vt.bounds, m.Bounds)
		}
		vt.colls = append(vt.colls, id)
		for _, f := range m.Fields {
			viewFields[view.Name][f.Name] = true
		}
	}
	for _, v := range harmonise.Views() {
		vt := views[v.Name]
		if vt == nil {
			continue
		}
		vt.abstract = "The features of " + strings.Join(vt.colls, ", ") + " as " + v.Standard + " " + v.Name + ", with the fields they have of it."
		vt.keywords = []string{"OneGeology", v.Name}
		for _, f := range v.Fields {
			if viewFields[v.Name][f.Name] || f.Mandatory {
				vt.props = append(vt.props, wfsProp{name: f.Name, field: f.Name, xsd: viewFieldXSD(f), mandatory: f.Mandatory})
			}
		}
		c.types = append(c.types, vt)
	}
	c.types = append(c.types, own...)
	for _, t := range c.types {
		for _, id := range t.colls {
			if c.typeOf[id] == nil || t.view {
				c.typeOf[id] = t
			}
		}
	}
	return c, ids, metas
}

// ownType is the feature type of collection id as stored, with the
// NCName local: every field of m a property.
func ownType(id, local string, m *tileset.Metadata) *wfsType {
	t := &wfsType{
		ns: nsOutcrop, local: local, title: collectionTitle(m, id), abstract: m.Description,
		keywords: m.Keywords, bounds: m.Bounds, geom: "geometry", colls: []string{id},
	}
	names := map[string]bool{t.geom: true}
	for _, f := range m.Fields {
		n := ncName(f.Name)
		for names[n] {
			n += "_"
		}
		names[n] = true
		t.props = append(t.props, wfsProp{name: n, field: f.Name, xsd: fieldXSD(f.Type)})
	}
	return t
}

// harmonisedView is the view ts was harmonised onto, nil when it was not.
func harmonisedView(ts *tileset.Reader) *harmonise.View {
	raw, err := ts.Meta(tileset.MetaHarmonisation)
	if err != nil || raw == nil {
		return nil
	}
	var report struct {
		View string `json:"view"`
	}
	if json.Unmarshal(raw, &report) != nil {
		return nil
	}
	v, _ := harmonise.ViewByName(report.View)
	return v
}

func unionBounds(a, b [4]float64) [4]float64 {
	return [4]float64{min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])}
}

// fieldXSD is the XML Schema type of a tileset field type.
func fieldXSD(typ string) string {
	switch typ {
	case "integer":
		return "xsd:long"
	case "real":
		return "xsd:double"
	case "boolean":
		return "xsd:boolean"
	}
	// Dates stay strings: a source's dates are not all xsd:date lexicals.
	return "xsd:string"
}

// viewFieldXSD is the XML Schema type of a view field. The _uri fields
// are xsd:string, not xsd:anyURI: GDAL's GML reader does not know anyURI
// and then ignores the whole schema, losing the geometry column.
func viewFieldXSD(f harmonise.ViewField) string {
	if f.Kind == harmonise.KindReal {
		return "xsd:double"
	}
	return "xsd:string"
}

// ncName makes s an XML NCName without dots (so that gml:ids split at
// them): characters other than letters, digits, _ and - become _, and a
// name that does not start with a letter or _ gets a leading _.
func ncName(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := unicode.IsLetter(r) || r == '_' || (i > 0 && (unicode.IsDigit(r) || r == '-'))
		if !ok && i == 0 && (unicode.IsDigit(r) || r == '-') {
			b.WriteByte('_')
			ok = true
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// lookup returns the types TYPENAMES names: qualified names, or local
// names that only one type has.
func (c *wfsCatalog) lookup(v string) ([]*wfsType, error) {
	v = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "("), ")")
	if strings.ContainsAny(v, "()") {
		return nil, &owsException{http.StatusNotImplemented, "OperationNotSupported", "typenames", "TYPENAMES=" + v + ": joins and several queries are not supported; give a comma-separated list of feature types"}
	}
	var out []*wfsType
	for _, n := range strings.Split(v, ",") {
		n = strings.TrimSpace(n)
		t := c.find(n)
		if t == nil {
			return nil, invalidParameter("typenames", "TYPENAMES: no feature type %q; GetCapabilities lists them: %s", n, c.names())
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (c *wfsCatalog) find(n string) *wfsType {
	prefix, local, qualified := strings.Cut(n, ":")
	if !qualified {
		local = prefix
	}
	var found *wfsType
	for _, t := range c.types {
		if t.local != local {
			continue
		}
		if qualified && t.ns.prefix == prefix {
			return t
		}
		if !qualified {
			if found != nil {
				return nil // ambiguous without a prefix
			}
			found = t
		}
	}
	return found
}

func (c *wfsCatalog) names() string {
	names := make([]string, len(c.types))
	for i, t := range c.types {
		names[i] = t.name()
	}
	return strings.Join(names, ", ")
}

// wfs adapts a WFS handler: its errors are OWS 1.1 ExceptionReports of
// version 2.0.0 (owsErrors).
func (s *server) wfs(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return s.owsErrors("WFS", wfsVersion, wfsXMLType, h)
}

// handleWFS serves /wfs?SERVICE=WFS&REQUEST=….
func (s *server) handleWFS(w http.ResponseWriter, r *http.Request) error {
	p, err := newKVP(owsQuery(r))
	if err != nil {
		return err
	}
	req, err := p.operation("WFS")
	if err != nil {
		return err
	}
	if strings.EqualFold(req, "GetCapabilities") {
		if av, ok := p["acceptversions"]; ok && !strings.Contains(","+strings.ReplaceAll(av, " ", "")+",", ","+wfsVersion+",") {
			return &owsException{http.StatusBadRequest, "VersionNegotiationFailed", "acceptversions", "ACCEPTVERSIONS=" + av + ": this server speaks WFS " + wfsVersion + " only"}
		}
		return s.writeWFSCapabilities(w, r)
	}
	ops := map[string]func(http.ResponseWriter, *http.Request, kvp) error{
		"describefeaturetype":   s.handleDescribeFeatureType,
		"getfeature":            s.handleGetFeature,
		"liststoredqueries":     s.handleListStoredQueries,
		"describestoredqueries": s.handleDescribeStoredQueries,
	}
	op, ok := ops[strings.ToLower(req)]
	if !ok {
		switch strings.ToLower(req) {
		case "getpropertyvalue", "getfeaturewithlock", "lockfeature", "transaction", "createstoredquery", "dropstoredquery":
			return &owsException{http.StatusNotImplemented, "OperationNotSupported", "request", "REQUEST=" + req + " is not supported: this is a basic, read-only WFS (GetCapabilities, DescribeFeatureType, GetFeature, ListStoredQueries, DescribeStoredQueries)"}
		}
		return invalidParameter("request", "REQUEST=%s: give GetCapabilities, DescribeFeatureType, GetFeature, ListStoredQueries or DescribeStoredQueries", req)
	}
	v, err := p.require("version")
	if err != nil {
		return err
	}
	if v != wfsVersion && v != "2.0.2" {
		return invalidParameter("version", "VERSION=%s: this server speaks WFS %s", v, wfsVersion)
	}
	return op(w, r, p)
}

// typeNames is the TYPENAMES (or WFS 1.1 TYPENAME) parameter.
func (p kvp) typeNames() (string, bool) {
	if v, ok := p["typenames"]; ok {
		return v, true
	}
	v, ok := p["typename"]
	return v, ok
}

// xmlEscaper escapes text and attribute values.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;", "\r", "&#13;", "\n", "&#10;", "\t", "&#9;")

// esc escapes s for XML text or a double-quoted attribute, dropping the
// characters XML 1.0 cannot hold.
func esc(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
	}) >= 0 {
		s = strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
				return -1
			}
			return r
		}, s)
	}
	return xmlEscaper.Replace(s)
}

// writeWFSCapabilities answers GetCapabilities.
func (s *server) writeWFSCapabilities(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	cat := s.wfsCatalog()
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<wfs:WFS_Capabilities version="` + wfsVersion + `" xmlns:wfs="` + nsWFS + `" xmlns:ows="` + nsOWS + `" xmlns:fes="` + nsFES +
		`" xmlns:gml="` + nsGML + `" xmlns:xlink="` + nsXLink + `" xmlns:xsi="` + nsXSI + `"`)
	for _, ns := range wfsNamespaces {
		b.WriteString(` xmlns:` + ns.prefix + `="` + ns.uri + `"`)
	}
	b.WriteString(` xsi:schemaLocation="` + nsWFS + ` http://schemas.opengis.net/wfs/2.0/wfs.xsd">` + "\n")
	b.WriteString(s.service.owsService("WFS", wfsVersion, "Geological maps and mineral occurrences as simple features: each collection with its own fields, and the harmonised ones as GeoSciML-Lite and EarthResourceML-Lite views."))
	b.WriteString(`  <ows:OperationsMetadata>
`)
	href := esc(base + "/wfs?")
	op := func(name string, params ...[]string) {
		b.WriteString(`    <ows:Operation name="` + name + `"><ows:DCP><ows:HTTP><ows:Get xlink:href="` + href + `"/></ows:HTTP></ows:DCP>`)
		for _, p := range params {
			b.WriteString(`<ows:Parameter name="` + p[0] + `"><ows:AllowedValues>`)
			for _, v := range p[1:] {
				b.WriteString(`<ows:Value>` + esc(v) + `</ows:Value>`)
			}
			b.WriteString(`</ows:AllowedValues></ows:Parameter>`)
		}
		b.WriteString("</ows:Operation>\n")
	}
	op("GetCapabilities", []string{"AcceptVersions", wfsVersion}, []string{"AcceptFormats", "text/xml"})
	op("DescribeFeatureType", []string{"outputFormat", wfsGMLType})
	op("GetFeature", []string{"outputFormat", wfsGMLType, wfsJSONType}, []string{"resultType", "results", "hits"})
	op("ListStoredQueries")
	op("DescribeStoredQueries")
	for _, c := range []struct{ name, value string }{
		{"ImplementsBasicWFS", "TRUE"}, {"ImplementsTransactionalWFS", "FALSE"}, {"ImplementsLockingWFS", "FALSE"},
		{"KVPEncoding", "TRUE"}, {"XMLEncoding", "FALSE"}, {"SOAPEncoding", "FALSE"},
		{"ImplementsInheritance", "FALSE"}, {"ImplementsRemoteResolve", "FALSE"}, {"ImplementsResultPaging", "TRUE"},
		{"ImplementsStandardJoins", "FALSE"}, {"ImplementsSpatialJoins", "FALSE"}, {"ImplementsTemporalJoins", "FALSE"},
		{"ImplementsFeatureVersioning", "FALSE"}, {"ManageStoredQueries", "FALSE"},
		{"CountDefault", strconv.Itoa(wfsCountDefault)},
	} {
		b.WriteString(`    <ows:Constraint name="` + c.name + `"><ows:NoValues/><ows:DefaultValue>` + c.value + "</ows:DefaultValue></ows:Constraint>\n")
	}
	b.WriteString("  </ows:OperationsMetadata>\n  <wfs:FeatureTypeList>\n")
	for _, t := range cat.types {
		b.WriteString("    <wfs:FeatureType>\n      <wfs:Name>" + t.name() + "</wfs:Name>\n      <wfs:Title>" + esc(t.title) + "</wfs:Title>\n")
		if t.abstract != "" {
			b.WriteString("      <wfs:Abstract>" + esc(t.abstract) + "</wfs:Abstract>\n")
		}
		if len(t.keywords) > 0 {
			b.WriteString("      <ows:Keywords>")
			for _, k := range t.keywords {
				b.WriteString("<ows:Keyword>" + esc(k) + "</ows:Keyword>")
			}
			b.WriteString("</ows:Keywords>\n")
		}
		b.WriteString("      <wfs:DefaultCRS>" + crsURN4326 + "</wfs:DefaultCRS>\n      <wfs:OtherCRS>" + crsURN3857 + "</wfs:OtherCRS>\n")
		b.WriteString("      <wfs:OutputFormats><wfs:Format>" + wfsGMLType + "</wfs:Format><wfs:Format>" + wfsJSONType + "</wfs:Format></wfs:OutputFormats>\n")
		b.WriteString("      <ows:WGS84BoundingBox><ows:LowerCorner>" + formatCoord(t.bounds[0]) + " " + formatCoord(t.bounds[1]) +
			"</ows:LowerCorner><ows:UpperCorner>" + formatCoord(t.bounds[2]) + " " + formatCoord(t.bounds[3]) + "</ows:UpperCorner></ows:WGS84BoundingBox>\n")
		b.WriteString("    </wfs:FeatureType>\n")
	}
	b.WriteString(`  </wfs:FeatureTypeList>
  <fes:Filter_Capabilities>
    <fes:Conformance>
`)
	for _, c := range []struct{ name, value string }{
		{"ImplementsQuery", "TRUE"}, {"ImplementsAdHocQuery", "TRUE"}, {"ImplementsFunctions", "FALSE"},
		{"ImplementsResourceId", "TRUE"}, {"ImplementsMinStandardFilter", "FALSE"}, {"ImplementsStandardFilter", "FALSE"},
		{"ImplementsMinSpatialFilter", "TRUE"}, {"ImplementsSpatialFilter", "FALSE"}, {"ImplementsMinTemporalFilter", "FALSE"},
		{"ImplementsTemporalFilter", "FALSE"}, {"ImplementsVersionNav", "FALSE"}, {"ImplementsSorting", "FALSE"},
		{"ImplementsExtendedOperators", "FALSE"}, {"ImplementsMinimumXPath", "FALSE"}, {"ImplementsSchemaElementFunc", "FALSE"},
	} {
		b.WriteString(`      <fes:Constraint name="` + c.name + `"><ows:NoValues/><ows:DefaultValue>` + c.value + "</ows:DefaultValue></fes:Constraint>\n")
	}
	b.WriteString(`    </fes:Conformance>
    <fes:Id_Capabilities><fes:ResourceIdentifier name="fes:ResourceId"/></fes:Id_Capabilities>
    <fes:Spatial_Capabilities>
      <fes:GeometryOperands><fes:GeometryOperand name="gml:Envelope"/></fes:GeometryOperands>
      <fes:SpatialOperators><fes:SpatialOperator name="BBOX"/></fes:SpatialOperators>
    </fes:Spatial_Capabilities>
  </fes:Filter_Capabilities>
</wfs:WFS_Capabilities>
`)
	s.writeBody(w, r, docLinked, wfsXMLType, []byte(b.String()))
	return nil
}

// formatCoord writes a coordinate in the shortest form that reads back
// exactly.
func formatCoord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// handleDescribeFeatureType answers with the XML Schema of the types asked
// (all when TYPENAMES is absent). Types of several namespaces get a schema
// that imports one schema per namespace.
func (s *server) handleDescribeFeatureType(w http.ResponseWriter, r *http.Request, p kvp) error {
	if f, ok := p["outputformat"]; ok && !isGML32Format(f) && !strings.EqualFold(f, "XMLSCHEMA") {
		return invalidParameter("outputformat", "OUTPUTFORMAT=%s: feature types are described in XML Schema for GML 3.2 (%s)", f, wfsGMLType)
	}
	cat := s.wfsCatalog()
	types := cat.types
	if v, ok := p.typeNames(); ok && v != "" {
		var err error
		if types, err = cat.lookup(v); err != nil {
			return err
		}
	}
	byNS := map[wfsNamespace][]*wfsType{}
	var order []wfsNamespace
	for _, t := range types {
		if byNS[t.ns] == nil {
			order = append(order, t.ns)
		}
		byNS[t.ns] = append(byNS[t.ns], t)
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	if len(order) != 1 {
		b.WriteString(`<xsd:schema xmlns:xsd="` + nsXSD + `" elementFormDefault="qualified">` + "\n")
		for _, ns := range order {
			b.WriteString(`  <xsd:import namespace="` + ns.uri + `" schemaLocation="` + esc(describeURL(s.baseURL(r), byNS[ns])) + `"/>` + "\n")
		}
		b.WriteString("</xsd:schema>\n")
		s.writeBody(w, r, docLinked, wfsXMLType, []byte(b.String()))
		return nil
	}
	ns := order[0]
	b.WriteString(`<xsd:schema xmlns:xsd="` + nsXSD + `" xmlns:gml="` + nsGML + `" xmlns:` + ns.prefix + `="` + ns.uri +
		`" targetNamespace="` + ns.uri + `" elementFormDefault="qualified" version="1.0">` + "\n")
	b.WriteString(`  <xsd:import namespace="` + nsGML + `" schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>` + "\n")
	for _, t := range byNS[ns] {
		b.WriteString(`  <xsd:element name="` + t.local + `" type="` + ns.prefix + ":" + t.local + `Type" substitutionGroup="gml:AbstractFeature"/>` + "\n")
		b.WriteString(`  <xsd:complexType name="` + t.local + `Type"><xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>` + "\n")
		// The views' properties have the standard's cardinalities, their
		// geometry (shape) mandatory; a collection's own are all optional.
		for _, pr := range t.props {
			b.WriteString(`    <xsd:element name="` + pr.name + `" type="` + pr.xsd + `"` + minOccurs(pr.mandatory) + `/>` + "\n")
		}
		b.WriteString(`    <xsd:element name="` + t.geom + `" type="gml:GeometryPropertyType"` + minOccurs(t.view) + `/>` + "\n")
		b.WriteString("  </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>\n")
	}
	b.WriteString("</xsd:schema>\n")
	s.writeBody(w, r, docLinked, wfsXMLType, []byte(b.String()))
	return nil
}

// minOccurs is the attribute of an optional element, "" for a mandatory one.
func minOccurs(mandatory bool) string {
	if mandatory {
		return ""
	}
	return ` minOccurs="0"`
}

// describeURL is the DescribeFeatureType request for types.
func describeURL(base string, types []*wfsType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.name()
	}
	return base + "/wfs?SERVICE=WFS&VERSION=" + wfsVersion + "&REQUEST=DescribeFeatureType&TYPENAMES=" + queryEscape(strings.Join(names, ","))
}

// isGML32Format reports whether an OUTPUTFORMAT names GML 3.2.
func isGML32Format(f string) bool {
	f = strings.ToLower(strings.ReplaceAll(f, " ", ""))
	switch f {
	case "application/gml+xml;version=3.2", "text/xml;subtype=gml/3.2", "text/xml;subtype=gml/3.2.1", "application/gml+xml", "gml32", "gml3":
		return true
	}
	return false
}

// handleListStoredQueries lists the one stored query, GetFeatureById.
func (s *server) handleListStoredQueries(w http.ResponseWriter, r *http.Request, _ kvp) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<wfs:ListStoredQueriesResponse xmlns:wfs="` + nsWFS + `"`)
	for _, ns := range wfsNamespaces {
		b.WriteString(` xmlns:` + ns.prefix + `="` + ns.uri + `"`)
	}
	b.WriteString(`>` + "\n" + `  <wfs:StoredQuery id="` + wfsGetFeatureByID + `">` + "\n    <wfs:Title>Get feature by identifier</wfs:Title>\n")
	for _, t := range s.wfsCatalog().types {
		b.WriteString("    <wfs:ReturnFeatureType>" + t.name() + "</wfs:ReturnFeatureType>\n")
	}
	b.WriteString("  </wfs:StoredQuery>\n</wfs:ListStoredQueriesResponse>\n")
	s.writeBody(w, r, docLinked, wfsXMLType, []byte(b.String()))
	return nil
}

// handleDescribeStoredQueries describes GetFeatureById.
func (s *server) handleDescribeStoredQueries(w http.ResponseWriter, r *http.Request, p kvp) error {
	if v, ok := p["storedquery_id"]; ok && v != wfsGetFeatureByID {
		return invalidParameter("storedquery_id", "STOREDQUERY_ID=%s: the only stored query is %s", v, wfsGetFeatureByID)
	}
	body := xml.Header + `<wfs:DescribeStoredQueriesResponse xmlns:wfs="` + nsWFS + `" xmlns:xsd="` + nsXSD + `">
  <wfs:StoredQueryDescription id="` + wfsGetFeatureByID + `">
    <wfs:Title>Get feature by identifier</wfs:Title>
    <wfs:Abstract>The feature whose gml:id is ID, alone.</wfs:Abstract>
    <wfs:Parameter name="ID" type="xsd:string"/>
    <wfs:QueryExpressionText isPrivate="true" language="urn:ogc:def:queryLanguage:OGC-WFS::WFS_QueryExpression" returnFeatureTypes=""/>
  </wfs:StoredQueryDescription>
</wfs:DescribeStoredQueriesResponse>
`
	s.writeBody(w, r, docLinked, wfsXMLType, []byte(body))
	return nil
}
