package server

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/outcrop/outcrop/tileset"
)

// The CRS names a WFS answer echoes.
const (
	crsURN4326 = "urn:ogc:def:crs:EPSG::4326"
	crsURN3857 = "urn:ogc:def:crs:EPSG::3857"
)

// wfsCRS is a CRS GetFeature serves: EPSG:4326 or EPSG:3857.
type wfsCRS struct {
	name string // as echoed in srsName
	// latLon is set for EPSG:4326 named by URN or http URI, whose axis
	// order is latitude, longitude; the short EPSG:4326 and CRS84 are
	// longitude, latitude, as GeoServer and GDAL take them.
	latLon   bool
	mercator bool
}

// parseWFSCRS reads an SRSNAME or the CRS of a BBOX.
func parseWFSCRS(v, param string) (wfsCRS, error) {
	l := strings.ToLower(strings.TrimSpace(v))
	code := ""
	switch {
	case strings.HasPrefix(l, "urn:ogc:def:crs:epsg:"), strings.HasPrefix(l, "urn:x-ogc:def:crs:epsg:"):
		code = l[strings.LastIndexByte(l, ':')+1:]
		if code == "4326" {
			return wfsCRS{name: crsURN4326, latLon: true}, nil
		}
	case strings.HasPrefix(l, "http://www.opengis.net/def/crs/epsg/0/"), strings.HasPrefix(l, "https://www.opengis.net/def/crs/epsg/0/"):
		code = l[strings.LastIndexByte(l, '/')+1:]
		if code == "4326" {
			return wfsCRS{name: "http://www.opengis.net/def/crs/EPSG/0/4326", latLon: true}, nil
		}
	case strings.HasPrefix(l, "epsg:"):
		code = l[len("epsg:"):]
		if code == "4326" {
			return wfsCRS{name: "EPSG:4326"}, nil
		}
	case l == "urn:ogc:def:crs:ogc:1.3:crs84", l == "urn:ogc:def:crs:ogc::crs84", l == "crs:84", isCRS84(v), l == strings.ToLower(crs84):
		return wfsCRS{name: crs84}, nil
	}
	switch code {
	case "3857", "900913", "3785":
		return wfsCRS{name: crsURN3857, mercator: true}, nil
	}
	return wfsCRS{}, invalidParameter(param, "%s=%s: this server serves %s (latitude, longitude), EPSG:4326 (longitude, latitude) and %s", strings.ToUpper(param), v, crsURN4326, crsURN3857)
}

// point returns p (longitude, latitude) in c's coordinates and axis order.
func (c wfsCRS) point(p orb.Point) (float64, float64) {
	switch {
	case c.mercator:
		m := project.WGS84.ToMercator(p)
		return m[0], m[1]
	case c.latLon:
		return p[1], p[0]
	}
	return p[0], p[1]
}

// parseWFSBBox reads BBOX=a,b,c,d[,crs] into longitudes and latitudes. The
// CRS defaults to the types' default, urn:ogc:def:crs:EPSG::4326, so
// the first and third numbers are latitudes.
func parseWFSBBox(v string) (orb.Bound, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 5 {
		return orb.Bound{}, invalidParameter("bbox", "BBOX=%s: give four numbers and optionally a CRS: minLat,minLon,maxLat,maxLon (the default CRS %s) or x1,y1,x2,y2,CRS", v, crsURN4326)
	}
	c := wfsCRS{name: crsURN4326, latLon: true}
	if len(parts) == 5 {
		var err error
		if c, err = parseWFSCRS(parts[4], "bbox"); err != nil {
			return orb.Bound{}, err
		}
	}
	var n [4]float64
	for i := range n {
		f, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, invalidParameter("bbox", "BBOX=%s: %q is not a number", v, parts[i])
		}
		n[i] = f
	}
	if n[0] > n[2] || n[1] > n[3] {
		return orb.Bound{}, invalidParameter("bbox", "BBOX=%s: the lower corner (first two numbers) must not exceed the upper corner (last two)", v)
	}
	lo, hi := orb.Point{n[0], n[1]}, orb.Point{n[2], n[3]}
	switch {
	case c.mercator:
		lo, hi = project.Mercator.ToWGS84(lo), project.Mercator.ToWGS84(hi)
	case c.latLon:
		lo, hi = orb.Point{lo[1], lo[0]}, orb.Point{hi[1], hi[0]}
	}
	clampLL := func(p orb.Point) orb.Point {
		return orb.Point{math.Max(-180, math.Min(180, p[0])), math.Max(-90, math.Min(90, p[1]))}
	}
	return orb.Bound{Min: clampLL(lo), Max: clampLL(hi)}, nil
}

// wfsSource is one part of a GetFeature answer: the features of a
// collection matching the query, as type t, or one feature by id.
type wfsSource struct {
	t    *wfsType
	coll string
	fid  uint64 // 0: the query's features; otherwise this feature alone
	// matched counts the source's features; found holds the feature by id.
	matched int64
	found   []byte
}

// gmlID is the gml:id of feature fid of collection coll served as type t:
// {collection}.{fid}, or {view}.{collection}.{fid} in a view's type.
func (c *wfsCatalog) gmlID(t *wfsType, coll string, fid uint64) string {
	id := c.collLocal[coll] + "." + strconv.FormatUint(fid, 10)
	if t.view {
		return t.local + "." + id
	}
	return id
}

// resolveID finds the type, collection and feature a gml:id names; ok is
// false for an id of no type served.
func (c *wfsCatalog) resolveID(id string) (t *wfsType, coll string, fid uint64, ok bool) {
	parts := strings.Split(id, ".")
	if len(parts) != 2 && len(parts) != 3 {
		return nil, "", 0, false
	}
	fid, ok = parseFeatureID(parts[len(parts)-1])
	if !ok {
		return nil, "", 0, false
	}
	collLocal := parts[len(parts)-2]
	for _, ty := range c.types {
		if (len(parts) == 3) != ty.view || (ty.view && ty.local != parts[0]) {
			continue
		}
		for _, cl := range ty.colls {
			if c.collLocal[cl] == collLocal {
				return ty, cl, fid, true
			}
		}
	}
	return nil, "", 0, false
}

// getFeatureRequest is a parsed GetFeature.
type getFeatureRequest struct {
	sources      []*wfsSource
	bbox         *orb.Bound
	crs          wfsCRS
	json         bool
	hits         bool
	count, start int
	countGiven   bool
	byID         bool // the GetFeatureById stored query: one bare feature
}

// parseGetFeature checks a GetFeature's parameters.
func parseGetFeature(p kvp, cat *wfsCatalog) (*getFeatureRequest, error) {
	g := &getFeatureRequest{crs: wfsCRS{name: crsURN4326, latLon: true}, count: wfsCountDefault}
	for _, name := range []string{"filter_language", "sortby", "xpath", "resolve", "resolvedepth", "featureversion", "aliases"} {
		if _, ok := p[name]; ok {
			return nil, &owsException{http.StatusNotImplemented, "OptionNotSupported", name, strings.ToUpper(name) + " is not supported; select features with TYPENAMES, BBOX and RESOURCEID"}
		}
	}
	if f, ok := p["outputformat"]; ok {
		switch l := strings.ToLower(strings.ReplaceAll(f, " ", "")); {
		case isGML32Format(f):
		case l == "application/json", l == "json", l == "geojson", l == "application/geo+json":
			g.json = true
		default:
			return nil, invalidParameter("outputformat", "OUTPUTFORMAT=%s: give %s or %s", f, wfsGMLType, wfsJSONType)
		}
	}
	if v, ok := p["srsname"]; ok {
		var err error
		if g.crs, err = parseWFSCRS(v, "srsname"); err != nil {
			return nil, err
		}
	}
	switch rt := strings.ToLower(p["resulttype"]); rt {
	case "", "results":
	case "hits":
		g.hits = true
	default:
		return nil, invalidParameter("resulttype", "RESULTTYPE=%s: give results or hits", p["resulttype"])
	}
	for _, name := range []string{"count", "maxfeatures"} {
		if v, ok := p[name]; ok {
			n, msg := parseCount(strings.ToUpper(name), v, 0)
			if msg != "" {
				return nil, invalidParameter(name, "%s", msg)
			}
			g.count, g.countGiven = min(n, wfsCountDefault), true
		}
	}
	if v, ok := p["startindex"]; ok {
		n, msg := parseCount("STARTINDEX", v, 0)
		if msg != "" {
			return nil, invalidParameter("startindex", "%s", msg)
		}
		g.start = min(n, maxOffset)
	}
	var types []*wfsType
	if v, ok := p.typeNames(); ok && v != "" {
		var err error
		if types, err = cat.lookup(v); err != nil {
			return nil, err
		}
	}
	if sq, ok := p["storedquery_id"]; ok {
		if sq != wfsGetFeatureByID {
			return nil, invalidParameter("storedquery_id", "STOREDQUERY_ID=%s: the only stored query is %s", sq, wfsGetFeatureByID)
		}
		id, err := p.require("id")
		if err != nil {
			return nil, err
		}
		t, coll, fid, ok := cat.resolveID(id)
		if !ok {
			return nil, &owsException{http.StatusNotFound, "NotFound", "id", "ID=" + id + ": no such feature; feature ids are the gml:ids GetFeature answers"}
		}
		g.sources, g.byID = []*wfsSource{{t: t, coll: coll, fid: fid}}, true
		return g, nil
	}
	ids, hasIDs := p["resourceid"]
	if v, ok := p["featureid"]; ok {
		ids, hasIDs = v, true
	}
	bbox, hasBBox := p["bbox"]
	if v, ok := p["filter"]; ok {
		if hasIDs || hasBBox {
			return nil, invalidParameter("filter", "FILTER, BBOX and RESOURCEID are exclusive; give one")
		}
		fb, fids, err := parseFilter(v)
		if err != nil {
			return nil, err
		}
		if fids != "" {
			ids, hasIDs = fids, true
		} else {
			bbox, hasBBox = fb, true
		}
	}
	if hasBBox {
		if hasIDs {
			return nil, invalidParameter("bbox", "BBOX and RESOURCEID are exclusive; give one")
		}
		b, err := parseWFSBBox(bbox)
		if err != nil {
			return nil, err
		}
		g.bbox = &b
	}
	if hasIDs {
		seen := map[string]bool{}
		for _, id := range strings.Split(ids, ",") {
			if id = strings.TrimSpace(id); seen[id] {
				continue // a gml:id appears once in a document
			}
			seen[id] = true
			t, coll, fid, ok := cat.resolveID(id)
			if !ok {
				return nil, invalidParameter("resourceid", "RESOURCEID: %q is not the id of a feature served here; ids are the gml:ids GetFeature answers, such as %s", id, exampleID(cat))
			}
			if types != nil && !containsType(types, t) {
				continue // WFS 2.0 §7.9.2.4.1: ids of other types select nothing
			}
			g.sources = append(g.sources, &wfsSource{t: t, coll: coll, fid: fid})
		}
		return g, selectProps(g, p)
	}
	if types == nil {
		return nil, missingParameter("typenames")
	}
	for _, t := range types {
		for _, c := range t.colls {
			g.sources = append(g.sources, &wfsSource{t: t, coll: c})
		}
	}
	return g, selectProps(g, p)
}

// selectProps narrows the types of g's sources to the PROPERTYNAME list,
// as GDAL asks when fields are ignored: names with or without a prefix,
// the geometry's among them or not, in parentheses or not. A view's
// mandatory properties and its geometry stay, asked or not: WFS 2.0
// (09-025r2, 7.9.2.4.3) has the server return the properties the schema
// requires, so that the answer stays valid against it.
func selectProps(g *getFeatureRequest, p kvp) error {
	v, ok := p["propertyname"]
	if !ok || v == "" || v == "*" || len(g.sources) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, n := range strings.Split(strings.Trim(v, "()"), ",") {
		n = strings.TrimSpace(n)
		if i := strings.LastIndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		want[n] = true
	}
	found := map[string]bool{}
	narrowed := map[*wfsType]*wfsType{}
	for _, src := range g.sources {
		if n := narrowed[src.t]; n != nil {
			src.t = n
			continue
		}
		n := *src.t
		n.props = nil
		for _, pr := range src.t.props {
			if want[pr.name] || pr.mandatory {
				n.props = append(n.props, pr)
				found[pr.name] = found[pr.name] || want[pr.name]
			}
		}
		n.noGeom = !want[n.geom] && !n.view
		found[n.geom] = found[n.geom] || want[n.geom]
		narrowed[src.t], src.t = &n, &n
	}
	for n := range want {
		if !found[n] {
			return invalidParameter("propertyname", "PROPERTYNAME: no type asked has a property %q; DescribeFeatureType lists them", n)
		}
	}
	return nil
}

// fesFilter is the part of a FES 2.0 filter this server evaluates: one
// BBOX with a gml:Envelope, or resource ids.
type fesFilter struct {
	XMLName xml.Name
	BBOX    *struct {
		Envelope *struct {
			SRSName string `xml:"srsName,attr"`
			Lower   string `xml:"lowerCorner"`
			Upper   string `xml:"upperCorner"`
		} `xml:"Envelope"`
		Other []struct{ XMLName xml.Name } `xml:",any"`
	} `xml:"BBOX"`
	ResourceIDs []struct {
		RID string `xml:"rid,attr"`
	} `xml:"ResourceId"`
	Other []struct{ XMLName xml.Name } `xml:",any"`
}

// parseFilter reads a FILTER of one fes:BBOX, which it returns as a BBOX
// parameter value, or of fes:ResourceIds, which it returns as a RESOURCEID
// value: what GDAL and QGIS send for a spatial filter or a feature by id.
func parseFilter(v string) (bbox, ids string, err error) {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
		v = v[1 : len(v)-1]
	}
	unsupported := &owsException{http.StatusNotImplemented, "OptionNotSupported", "filter",
		"FILTER: only a fes:Filter of one fes:BBOX (with a gml:Envelope) or of fes:ResourceIds is supported; BBOX and RESOURCEID do the same"}
	var f fesFilter
	if xml.Unmarshal([]byte(v), &f) != nil || f.XMLName.Local != "Filter" {
		return "", "", invalidParameter("filter", "FILTER is not a well-formed fes:Filter")
	}
	switch {
	case len(f.Other) > 0:
		return "", "", unsupported
	case f.BBOX != nil && len(f.ResourceIDs) == 0:
		e := f.BBOX.Envelope
		if e == nil {
			return "", "", unsupported
		}
		lo, hi := strings.Fields(e.Lower), strings.Fields(e.Upper)
		if len(lo) != 2 || len(hi) != 2 {
			return "", "", invalidParameter("filter", "FILTER: the gml:Envelope's corners must each hold two numbers")
		}
		bbox = lo[0] + "," + lo[1] + "," + hi[0] + "," + hi[1]
		if e.SRSName != "" {
			bbox += "," + e.SRSName
		}
		return bbox, "", nil
	case f.BBOX == nil && len(f.ResourceIDs) > 0:
		rids := make([]string, len(f.ResourceIDs))
		for i, r := range f.ResourceIDs {
			rids[i] = r.RID
		}
		return "", strings.Join(rids, ","), nil
	}
	return "", "", unsupported
}

func containsType(types []*wfsType, t *wfsType) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// exampleID is a gml:id of the catalogue, for messages.
func exampleID(cat *wfsCatalog) string {
	for _, t := range cat.types {
		if !t.view {
			return cat.gmlID(t, t.colls[0], 1)
		}
	}
	return "collection.1"
}

// handleGetFeature answers GetFeature: the features are counted first, so
// that numberMatched and numberReturned open the document, then streamed.
func (s *server) handleGetFeature(w http.ResponseWriter, r *http.Request, p kvp) error {
	cat := s.wfsCatalog()
	g, err := parseGetFeature(p, cat)
	if err != nil {
		return err
	}
	readers := map[string]*tileset.Reader{}
	var releases []func()
	defer func() {
		for _, rel := range releases {
			rel()
		}
	}()
	var total int64
	for _, src := range g.sources {
		ts := readers[src.coll]
		if ts == nil {
			var release func()
			if ts, release, err = s.catalog.Acquire(src.coll); err != nil {
				return fmt.Errorf("opening %s: %w", src.coll, err)
			}
			readers[src.coll], releases = ts, append(releases, release)
		}
		if src.fid != 0 {
			_, err = ts.Feature(src.fid, func(f tileset.RawFeature) error {
				src.found, src.matched = append([]byte(nil), f.JSON...), 1
				return nil
			})
		} else {
			src.matched, err = ts.Features(tileset.FeatureQuery{BBox: g.bbox}, func(tileset.RawFeature) error { return nil })
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", src.coll, err)
		}
		total += src.matched
	}
	if g.byID && total == 0 {
		return &owsException{http.StatusNotFound, "NotFound", "id", "ID=" + p["id"] + ": no such feature"}
	}
	returned := int(max(0, min(int64(g.count), total-int64(g.start))))
	if g.hits {
		returned = 0
	}
	if returned > heavyLimit {
		if !s.heavy.tryEnter() {
			return &owsException{http.StatusServiceUnavailable, "NoApplicableCode", "count",
				"the server is serving as many large requests as it can at once; retry in a second, or ask for COUNT=1000 or fewer"}
		}
		defer s.heavy.leave()
	}
	base := s.baseURL(r)
	var next, prev string
	if !g.hits && !g.byID {
		if end := g.start + g.count; int64(end) < total {
			next = pageURL(base, owsQuery(r), end)
		}
		if g.start > 0 {
			prev = pageURL(base, owsQuery(r), max(0, g.start-g.count))
		}
	}
	var enc wfsEncoder = &gmlEncoder{crs: g.crs}
	if g.json {
		enc = &geoJSONEncoder{crs: g.crs}
	}
	h := w.Header()
	h.Set("Cache-Control", itemsMaxAge)
	h.Set("Content-Type", enc.contentType())
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	bw, done := pooledWriter(w)
	defer done()
	if !g.byID {
		enc.begin(bw, collectionHeader{matched: total, returned: returned, next: next, prev: prev, schemaLocation: schemaLocation(base, g.sources)})
	}
	skip, left := int64(g.start), returned
	var buf []byte
	f := &wfsFeature{props: map[string][]byte{}}
	emit := func(src *wfsSource, raw []byte) error {
		if err := f.read(raw, src.t); err != nil {
			return err
		}
		fid, err := strconv.ParseUint(string(f.id), 10, 64)
		if err != nil {
			return errors.New("stored feature has no whole-number id")
		}
		f.fillMandatory(src.t, base, src.coll, fid)
		buf, err = enc.feature(buf[:0], src.t, cat.gmlID(src.t, src.coll, fid), f, g.byID)
		if err != nil {
			return err
		}
		_, err = bw.Write(buf)
		return err
	}
	for _, src := range g.sources {
		if left == 0 {
			break
		}
		if skip >= src.matched {
			skip -= src.matched
			continue
		}
		var n int
		if src.fid != 0 {
			err, n = emit(src, src.found), 1
		} else {
			_, err = readers[src.coll].Features(tileset.FeatureQuery{BBox: g.bbox, Offset: int(skip), Limit: left}, func(f tileset.RawFeature) error {
				n++
				return emit(src, f.JSON)
			})
		}
		if err != nil {
			s.log.Error("WFS GetFeature", "tileset", src.coll, "query", r.URL.RawQuery, "err", err)
			panic(http.ErrAbortHandler) // a cut-off document must not pass for a whole one
		}
		skip, left = 0, left-n
	}
	if !g.byID {
		enc.end(bw)
	}
	if err := bw.Flush(); err != nil {
		s.log.Debug("writing WFS features", "err", err)
	}
	return nil
}

// pageURL is the request q again, starting at start.
func pageURL(base string, q url.Values, start int) string {
	out := url.Values{}
	for k, v := range q {
		if !strings.EqualFold(k, "startindex") {
			out[k] = v
		}
	}
	out.Set("STARTINDEX", strconv.Itoa(start))
	return base + "/wfs?" + out.Encode()
}

// schemaLocation is the xsi:schemaLocation of a feature collection: WFS and
// GML, then a DescribeFeatureType per namespace of the types served.
func schemaLocation(base string, sources []*wfsSource) string {
	loc := nsWFS + " http://schemas.opengis.net/wfs/2.0/wfs.xsd " + nsGML + " http://schemas.opengis.net/gml/3.2.1/gml.xsd"
	for _, ns := range wfsNamespaces {
		var types []*wfsType
		for _, src := range sources {
			if src.t.ns == ns && !containsType(types, src.t) {
				types = append(types, src.t)
			}
		}
		if len(types) > 0 {
			loc += " " + ns.uri + " " + describeURL(base, types)
		}
	}
	return loc
}

// collectionHeader is what opens a feature collection.
type collectionHeader struct {
	matched                    int64
	returned                   int
	next, prev, schemaLocation string
}

// wfsEncoder writes a GetFeature answer in one output format.
type wfsEncoder interface {
	contentType() string
	begin(w *bufio.Writer, h collectionHeader)
	// feature appends feature f, of type t, to dst; bare is set for a
	// feature that is the whole document.
	feature(dst []byte, t *wfsType, gmlID string, f *wfsFeature, bare bool) ([]byte, error)
	end(w *bufio.Writer)
}

// gmlEncoder writes a wfs:FeatureCollection of GML 3.2 simple features.
type gmlEncoder struct{ crs wfsCRS }

func (e *gmlEncoder) contentType() string { return wfsGMLType }

// namespaceDecls declares every namespace a feature may use.
func namespaceDecls() string {
	s := ` xmlns:wfs="` + nsWFS + `" xmlns:gml="` + nsGML + `" xmlns:xsi="` + nsXSI + `"`
	for _, ns := range wfsNamespaces {
		s += ` xmlns:` + ns.prefix + `="` + ns.uri + `"`
	}
	return s
}

func (e *gmlEncoder) begin(w *bufio.Writer, h collectionHeader) {
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<wfs:FeatureCollection" + namespaceDecls())
	w.WriteString(` xsi:schemaLocation="` + esc(h.schemaLocation) + `" timeStamp="` + time.Now().UTC().Format(itemsTimeFmt) +
		`" numberMatched="` + strconv.FormatInt(h.matched, 10) + `" numberReturned="` + strconv.Itoa(h.returned) + `"`)
	if h.next != "" {
		w.WriteString(` next="` + esc(h.next) + `"`)
	}
	if h.prev != "" {
		w.WriteString(` previous="` + esc(h.prev) + `"`)
	}
	w.WriteString(">\n")
}

func (e *gmlEncoder) end(w *bufio.Writer) { w.WriteString("</wfs:FeatureCollection>\n") }

func (e *gmlEncoder) feature(dst []byte, t *wfsType, gmlID string, f *wfsFeature, bare bool) ([]byte, error) {
	el := t.name()
	if bare {
		dst = append(dst, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<"+el+namespaceDecls()+` gml:id="`+gmlID+`">`+"\n"...)
	} else {
		dst = append(dst, "<wfs:member>\n<"+el+` gml:id="`+gmlID+`">`+"\n"...)
	}
	err := t.eachValue(f, func(p wfsProp, raw []byte) error {
		text, err := propText(raw)
		dst = append(dst, "  <"+t.ns.prefix+":"+p.name+">"+esc(text)+"</"+t.ns.prefix+":"+p.name+">\n"...)
		return err
	})
	if err != nil {
		return dst, err
	}
	if !t.noGeom && len(f.geometry) > 0 && string(f.geometry) != "null" {
		g, err := geojson.UnmarshalGeometry(f.geometry)
		if err != nil {
			return dst, errors.New("stored feature has a bad geometry")
		}
		prop := t.ns.prefix + ":" + t.geom
		dst = append(dst, "  <"+prop+">"...)
		n := 0
		dst = e.geometry(dst, g.Geometry(), gmlID, &n, true)
		dst = append(dst, "</"+prop+">\n"...)
	}
	if bare {
		return append(dst, "</"+el+">\n"...), nil
	}
	return append(dst, "</"+el+">\n</wfs:member>\n"...), nil
}

// geometry appends g as GML 3.2; every geometry gets a gml:id derived from
// the feature's, the outermost the srsName.
func (e *gmlEncoder) geometry(dst []byte, g orb.Geometry, fid string, n *int, top bool) []byte {
	*n++
	open := func(name string) {
		dst = append(dst, "<gml:"+name+` gml:id="`+fid+".g"+strconv.Itoa(*n)+`"`...)
		if top {
			dst = append(dst, ` srsName="`+e.crs.name+`" srsDimension="2"`...)
		}
		dst = append(dst, '>')
	}
	// multi appends the aggregate name holding count parts, each in a
	// member element.
	multi := func(name, member string, count int, part func(i int) orb.Geometry) {
		open(name)
		for i := range count {
			dst = append(dst, "<gml:"+member+">"...)
			dst = e.geometry(dst, part(i), fid, n, false)
			dst = append(dst, "</gml:"+member+">"...)
		}
		dst = append(dst, "</gml:"+name+">"...)
	}
	switch g := g.(type) {
	case orb.Point:
		open("Point")
		dst = append(dst, "<gml:pos>"...)
		dst = e.coords(dst, []orb.Point{g})
		dst = append(dst, "</gml:pos></gml:Point>"...)
	case orb.LineString:
		open("LineString")
		dst = e.posList(dst, g)
		dst = append(dst, "</gml:LineString>"...)
	case orb.Polygon:
		open("Polygon")
		for i, ring := range g {
			tag := "interior"
			if i == 0 {
				tag = "exterior"
			}
			dst = append(dst, "<gml:"+tag+"><gml:LinearRing>"...)
			dst = e.posList(dst, ring)
			dst = append(dst, "</gml:LinearRing></gml:"+tag+">"...)
		}
		dst = append(dst, "</gml:Polygon>"...)
	case orb.MultiPoint:
		multi("MultiPoint", "pointMember", len(g), func(i int) orb.Geometry { return g[i] })
	case orb.MultiLineString:
		multi("MultiCurve", "curveMember", len(g), func(i int) orb.Geometry { return g[i] })
	case orb.MultiPolygon:
		multi("MultiSurface", "surfaceMember", len(g), func(i int) orb.Geometry { return g[i] })
	case orb.Collection:
		multi("MultiGeometry", "geometryMember", len(g), func(i int) orb.Geometry { return g[i] })
	}
	return dst
}

func (e *gmlEncoder) posList(dst []byte, ps []orb.Point) []byte {
	dst = append(dst, "<gml:posList>"...)
	dst = e.coords(dst, ps)
	return append(dst, "</gml:posList>"...)
}

// coords appends the points in the CRS's axis order, space-separated.
func (e *gmlEncoder) coords(dst []byte, ps []orb.Point) []byte {
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, ' ')
		}
		a, b := e.crs.point(p)
		dst = strconv.AppendFloat(dst, a, 'f', -1, 64)
		dst = append(dst, ' ')
		dst = strconv.AppendFloat(dst, b, 'f', -1, 64)
	}
	return dst
}

// geoJSONEncoder writes a GeoJSON FeatureCollection with WFS's counts and
// links. Coordinates are x, y (longitude, latitude in EPSG:4326, as GeoJSON
// requires; easting, northing in EPSG:3857) whatever the axis order of the
// CRS named.
type geoJSONEncoder struct {
	crs   wfsCRS
	count int
	h     collectionHeader
}

func (e *geoJSONEncoder) contentType() string { return wfsJSONType }

func (e *geoJSONEncoder) begin(w *bufio.Writer, h collectionHeader) {
	e.h = h
	w.WriteString(`{"type":"FeatureCollection","features":[`)
}

func (e *geoJSONEncoder) end(w *bufio.Writer) {
	w.WriteString("\n],\"numberMatched\":" + strconv.FormatInt(e.h.matched, 10) + `,"numberReturned":` + strconv.Itoa(e.h.returned) +
		`,"timeStamp":"` + time.Now().UTC().Format(itemsTimeFmt) + `","links":`)
	links := []link{}
	if e.h.next != "" {
		links = append(links, link{Href: e.h.next, Rel: "next", Type: wfsJSONType, Title: "Next page"})
	}
	if e.h.prev != "" {
		links = append(links, link{Href: e.h.prev, Rel: "prev", Type: wfsJSONType, Title: "Previous page"})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(links)
	w.WriteString("}\n")
}

func (e *geoJSONEncoder) feature(dst []byte, t *wfsType, gmlID string, f *wfsFeature, bare bool) ([]byte, error) {
	if !bare {
		if e.count > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '\n')
	}
	e.count++
	id, _ := json.Marshal(gmlID)
	dst = append(dst, `{"type":"Feature","id":`...)
	dst = append(dst, id...)
	dst = append(dst, `,"geometry":`...)
	switch {
	case len(f.geometry) == 0 || t.noGeom:
		dst = append(dst, "null"...)
	case e.crs.mercator && string(f.geometry) != "null":
		g, err := geojson.UnmarshalGeometry(f.geometry)
		if err != nil {
			return dst, errors.New("stored feature has a bad geometry")
		}
		data, err := geojson.NewGeometry(project.Geometry(g.Geometry(), project.WGS84.ToMercator)).MarshalJSON()
		if err != nil {
			return dst, err
		}
		dst = append(dst, data...)
	default:
		dst = append(dst, f.geometry...)
	}
	dst = append(dst, `,"properties":`...)
	dst = appendProperties(dst, t, f)
	dst = append(dst, '}')
	if bare {
		dst = append(dst, '\n')
	}
	return dst, nil
}
