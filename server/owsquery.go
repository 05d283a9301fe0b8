package server

import (
	"net/http"
	"net/url"
	"strings"
)

// owsQuery is the query of an OGC KVP request (OGC 06-121r9, 11.2), where
// only & separates parameters: a value may hold a raw ;, as in
// INFO_FORMAT=application/gml+xml; version=3.2, which GeoServer and
// MapServer take and url.ParseQuery would drop with its whole parameter. A
// pair that does not unescape is kept raw rather than dropped.
func owsQuery(r *http.Request) url.Values {
	q := url.Values{}
	for _, pair := range strings.Split(r.URL.RawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		q[k] = append(q[k], v)
	}
	return q
}
