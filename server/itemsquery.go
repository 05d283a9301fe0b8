package server

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/tileset"
)

// Paging limits of /collections/{id}/items. A client asking for more than
// maxLimit features gets maxLimit, as OGC API - Features permits: GDAL and
// QGIS ask for large pages and must not be refused.
const (
	defaultLimit = 10
	maxLimit     = 10000
	// maxOffset bounds the offset handed to the tileset: it is far beyond any
	// collection, and offset + limit stays far from overflowing an int.
	maxOffset = 1 << 50
)

// The query parameters of /collections/{id}/items that are not property
// filters, in the order links repeat them.
const (
	paramF          = "f"
	paramBBox       = "bbox"
	paramBBoxCRS    = "bbox-crs"
	paramCRS        = "crs"
	paramDatetime   = "datetime"
	paramLimit      = "limit"
	paramOffset     = "offset"
	paramProperties = "properties"
	// paramQ is free text, as OGC API - Records and Features Part 9 (text
	// search) name it: features with a string property holding it.
	paramQ = "q"
)

// maxQ is the longest free text q may give, in bytes.
const maxQ = 200

// reservedParams are the parameter names that never filter a property: a
// field of the same name cannot be filtered on, and is left out of the
// queryables.
var reservedParams = []string{paramF, paramBBox, paramBBoxCRS, paramCRS, paramDatetime, paramLimit, paramOffset, paramProperties, paramQ}

// itemsQuery is a parsed, checked request for features.
type itemsQuery struct {
	format format
	bbox   *orb.Bound
	// bboxText is the bbox as the client gave it, repeated in links.
	bboxText string
	// crsGiven and bboxCRSGiven repeat the crs and bbox-crs parameters, which
	// can only name CRS84.
	crsGiven, bboxCRSGiven bool
	limit, offset          int
	// datetime is the time span asked, nil for none; datetimeText is it as
	// the client gave it, repeated in links.
	datetime     *tileset.Interval
	datetimeText string
	// filters holds property equality tests, by name; filterNames lists
	// the names sorted, so that links are the same for the same query.
	filters     map[string]string
	filterNames []string
	// properties is nil for every property, or the selected ones in the
	// order asked (possibly none).
	properties []string
	// text is q: text some string property must hold, whatever its case.
	text string
}

// featureQuery is the tileset query for q.
func (q *itemsQuery) featureQuery() tileset.FeatureQuery {
	return tileset.FeatureQuery{BBox: q.bbox, Filters: q.filters, Datetime: q.datetime, Text: q.text, Offset: q.offset, Limit: q.limit}
}

// parseItemsQuery checks the query string of an items request against the
// collection's fields. On failure it returns a one-line message naming the
// parameter and the fix; the caller answers 400 with it.
func parseItemsQuery(rawQuery string, collID string, fields []tileset.Field) (itemsQuery, string) {
	q := itemsQuery{limit: defaultLimit}
	vals, err := url.ParseQuery(rawQuery)
	if err != nil {
		return q, "the query string is not valid URL encoding (" + err.Error() + "); percent-encode reserved characters"
	}
	types := make(map[string]string, len(fields))
	for _, f := range fields {
		types[f.Name] = f.Type
	}
	for name, vs := range vals {
		if len(vs) != 1 {
			return q, "parameter " + strconv.Quote(name) + " is given " + strconv.Itoa(len(vs)) + " times; give it once"
		}
		v := vs[0]
		switch name {
		case paramF:
			// negotiateFormat checks it.
		case paramBBox:
			b, msg := parseBBox(v)
			if msg != "" {
				return q, msg
			}
			q.bbox, q.bboxText = &b, v
		case paramBBoxCRS, paramCRS:
			if !isCRS84(v) {
				return q, "parameter " + name + "=" + strconv.Quote(v) + " names a CRS this server does not offer; only " + crs84 + " (longitude, latitude in WGS 84) is served"
			}
			if name == paramCRS {
				q.crsGiven = true
			} else {
				q.bboxCRSGiven = true
			}
		case paramDatetime:
			// In a collection without a time field it selects every
			// feature (/req/core/fc-time-response), but must still be
			// well formed.
			iv, msg := parseDatetime(v)
			if msg != "" {
				return q, msg
			}
			q.datetime, q.datetimeText = &iv, v
		case paramLimit:
			n, msg := parseCount(name, v, 1)
			if msg != "" {
				return q, msg
			}
			q.limit = min(n, maxLimit)
		case paramOffset:
			n, msg := parseCount(name, v, 0)
			if msg != "" {
				return q, msg
			}
			q.offset = min(n, maxOffset)
		case paramQ:
			switch t := strings.TrimSpace(v); {
			case t == "":
				return q, "parameter q is empty; give the text to find in the features' string properties, or leave q out"
			case len(t) > maxQ:
				return q, "parameter q is " + strconv.Itoa(len(t)) + " bytes long; give at most " + strconv.Itoa(maxQ)
			default:
				q.text = t
			}
		case paramProperties:
			props, msg := parseProperties(v, collID, types)
			if msg != "" {
				return q, msg
			}
			q.properties = props
		default:
			typ, ok := types[name]
			if !ok {
				return q, "unknown parameter " + strconv.Quote(name) + ": collection " + strconv.Quote(collID) +
					" has no property of that name; /collections/" + collID + "/queryables lists those you can filter on"
			}
			if msg := checkFilterValue(name, typ, v); msg != "" {
				return q, msg
			}
			if q.filters == nil {
				q.filters = map[string]string{}
			}
			q.filters[name] = v
			q.filterNames = append(q.filterNames, name)
		}
	}
	if q.bboxCRSGiven && q.bbox == nil {
		return q, "parameter bbox-crs is given without bbox; drop it or add bbox"
	}
	slices.Sort(q.filterNames)
	return q, ""
}

// parseBBox reads minLon,minLat,maxLon,maxLat (or the six-number form with
// heights, which are ignored: the features are two-dimensional).
func parseBBox(v string) (orb.Bound, string) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, "parameter bbox=" + strconv.Quote(v) + " has " + strconv.Itoa(len(parts)) +
			" numbers; give four, minLon,minLat,maxLon,maxLat in WGS 84 degrees"
	}
	n := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, "parameter bbox: " + strconv.Quote(p) + " is not a number; give minLon,minLat,maxLon,maxLat in WGS 84 degrees"
		}
		n[i] = f
	}
	if len(n) == 6 {
		n = []float64{n[0], n[1], n[3], n[4]}
	}
	minX, minY, maxX, maxY := n[0], n[1], n[2], n[3]
	switch {
	case minX < -180 || maxX > 180 || minX > 180 || maxX < -180:
		return orb.Bound{}, "parameter bbox=" + strconv.Quote(v) + ": longitudes must lie from -180 to 180"
	case minY < -90 || maxY > 90 || minY > 90 || maxY < -90:
		return orb.Bound{}, "parameter bbox=" + strconv.Quote(v) + ": latitudes must lie from -90 to 90"
	case minY > maxY:
		return orb.Bound{}, "parameter bbox=" + strconv.Quote(v) + ": the minimum latitude (second number) is above the maximum (fourth); swap them"
	case minX > maxX:
		return orb.Bound{}, "parameter bbox=" + strconv.Quote(v) + ": the west edge (first number) is east of the east edge (third); a box across the antimeridian is not supported, so ask for its two halves in two requests"
	}
	return orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}, ""
}

// isCRS84 reports whether a crs or bbox-crs value names CRS84, as a URI or
// as the safe CURIE of OGC API - Features Part 2.
func isCRS84(v string) bool {
	return v == crs84 || v == "[OGC:CRS84]" || v == "OGC:CRS84"
}

// parseCount reads a limit or offset: a decimal integer of at least lowest.
// A value too large for an int is clamped later like any large one, so it
// is read as the largest int.
func parseCount(name, v string, lowest int) (int, string) {
	want := "a whole number of at least " + strconv.Itoa(lowest)
	if v == "" {
		return 0, "parameter " + name + " is empty; give " + want
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < '0' || c > '9' {
			if i == 0 && c == '-' {
				return 0, "parameter " + name + "=" + strconv.Quote(v) + " is negative; give " + want
			}
			return 0, "parameter " + name + "=" + strconv.Quote(v) + " is not " + want
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		n = math.MaxInt // only a range error is possible after the digit check
	}
	if n < lowest {
		return 0, "parameter " + name + "=" + strconv.Quote(v) + " is below " + strconv.Itoa(lowest) + "; give " + want
	}
	return n, ""
}

// parseProperties reads a comma-separated list of property names to keep.
func parseProperties(v, collID string, types map[string]string) ([]string, string) {
	props := []string{}
	if v == "" {
		return props, ""
	}
	for _, p := range strings.Split(v, ",") {
		if _, ok := types[p]; !ok {
			return nil, "parameter properties names " + strconv.Quote(p) + ", which collection " + strconv.Quote(collID) +
				" does not have; /collections/" + collID + "/queryables lists its properties"
		}
		if !slices.Contains(props, p) {
			props = append(props, p)
		}
	}
	return props, ""
}

// checkFilterValue refuses a filter value that cannot equal any value of a
// property of type typ, which would otherwise silently match nothing.
func checkFilterValue(name, typ, v string) string {
	switch typ {
	case "integer", "real":
		if f, err := strconv.ParseFloat(v, 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "filter " + name + "=" + strconv.Quote(v) + ": property " + strconv.Quote(name) + " is a number; give a number"
		}
	case "boolean":
		if v != "true" && v != "false" {
			return "filter " + name + "=" + strconv.Quote(v) + ": property " + strconv.Quote(name) + " is a boolean; give true or false"
		}
	}
	return ""
}

// encode returns the query string of a request for the same features with
// another offset and format, for links: every parameter of the original
// request is repeated, in a fixed order, so that a client following next
// links gets each matching feature exactly once.
func (q *itemsQuery) encode(offset int, fm format) string {
	var b strings.Builder
	add := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(queryEscape(name))
		b.WriteByte('=')
		b.WriteString(queryEscape(value))
	}
	if fm == formatHTML {
		add(paramF, "html")
	} else {
		add(paramF, "json")
	}
	if q.bbox != nil {
		add(paramBBox, q.bboxText)
	}
	if q.bboxCRSGiven {
		add(paramBBoxCRS, crs84)
	}
	if q.crsGiven {
		add(paramCRS, crs84)
	}
	if q.datetime != nil {
		add(paramDatetime, q.datetimeText)
	}
	for _, name := range q.filterNames {
		add(name, q.filters[name])
	}
	if q.text != "" {
		add(paramQ, q.text)
	}
	if q.properties != nil {
		add(paramProperties, strings.Join(q.properties, ","))
	}
	add(paramLimit, strconv.Itoa(q.limit))
	if offset > 0 {
		add(paramOffset, strconv.Itoa(offset))
	}
	return b.String()
}

// queryEscape escapes a query component like url.QueryEscape but leaves the
// characters that are plain in a query (RFC 3986 §3.4) and make links
// readable: a bbox's commas, a CRS URI's colons and slashes.
func queryEscape(s string) string {
	e := url.QueryEscape(s)
	if !strings.Contains(e, "%") {
		return e
	}
	return strings.NewReplacer("%2C", ",", "%3A", ":", "%2F", "/").Replace(e)
}
