package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/tileset"
)

// format is the representation an OGC API resource is answered in.
type format int

const (
	// formatJSON is the default: JSON, or GeoJSON for features.
	formatJSON format = iota
	// formatHTML is the page a person reads in a browser.
	formatHTML
)

// setVaryAccept marks a response whose format followed the Accept header
// (there is no f parameter), so that a cache keeps the HTML and the JSON of
// one URL apart.
func setVaryAccept(w http.ResponseWriter, r *http.Request) {
	if _, ok := r.URL.Query()[paramF]; !ok {
		w.Header().Add("Vary", "Accept")
	}
}

// setVary sets the Vary header of a negotiated document that writeBody does
// not write: Accept when the format was negotiated, and the forwarding
// headers when links follow them.
func (s *server) setVary(w http.ResponseWriter, r *http.Request) {
	setVaryAccept(w, r)
	if s.base == "" {
		w.Header().Add("Vary", hdrVaryForwarded[0])
	}
}

// negotiateFormat picks the representation of an OGC API resource. The f
// query parameter wins (GDAL always sends f=json); without it the Accept
// header decides, and only a client that prefers HTML over JSON gets HTML:
// a browser lists text/html first, while OWSLib and curl send */* or
// nothing and must get JSON. An unknown f is the client's error, answered
// with a one-line message; the caller answers 400 with it.
func negotiateFormat(r *http.Request) (format, string) {
	if fs, ok := r.URL.Query()["f"]; ok {
		if len(fs) != 1 {
			return formatJSON, "parameter f is given more than once; give it once, as f=json or f=html"
		}
		switch strings.ToLower(fs[0]) {
		case "json", "geojson", "application/json", "application/geo+json":
			return formatJSON, ""
		case "html", "text/html":
			return formatHTML, ""
		}
		return formatJSON, "parameter f=" + strconv.Quote(fs[0]) + " is not a format this server writes; use f=json or f=html"
	}
	if prefersHTML(r.Header.Values("Accept")) {
		return formatHTML, ""
	}
	return formatJSON, ""
}

// requestFormat is negotiateFormat's choice, or the 400 to answer for a
// bad f.
func requestFormat(r *http.Request) (format, error) {
	fm, msg := negotiateFormat(r)
	if msg != "" {
		return fm, statusError(http.StatusBadRequest, msg)
	}
	return fm, nil
}

// prefersHTML reports whether Accept header values rank HTML above JSON:
// text/html or application/xhtml+xml named with a higher weight than any
// JSON type, or the same weight and listed first. Wildcards count for JSON,
// the default, so that */* alone never yields HTML.
func prefersHTML(values []string) bool {
	htmlQ, jsonQ := -1.0, -1.0
	htmlPos, jsonPos := 0, 0
	pos := 0
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			mediaType, params, _ := strings.Cut(item, ";")
			mediaType = strings.ToLower(strings.TrimSpace(mediaType))
			if mediaType == "" {
				continue
			}
			pos++
			q := acceptWeight(params)
			switch {
			case mediaType == "text/html" || mediaType == "application/xhtml+xml":
				if q > htmlQ {
					htmlQ, htmlPos = q, pos
				}
			case mediaType == "*/*" || mediaType == "application/*" ||
				strings.HasPrefix(mediaType, "application/") && (strings.HasSuffix(mediaType, "json") || strings.HasSuffix(mediaType, "+json")):
				if q > jsonQ {
					jsonQ, jsonPos = q, pos
				}
			}
		}
	}
	if htmlQ <= 0 {
		return false
	}
	return htmlQ > jsonQ || htmlQ == jsonQ && htmlPos < jsonPos
}

// acceptWeight returns the q parameter of one Accept item, 1 when absent
// and 0 when malformed (RFC 9110 §12.4.2 allows at most three decimals; a
// client that sends something else gets the default representation).
func acceptWeight(params string) float64 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// lookupCollection starts a request for one collection's resource: it
// chooses the response format and acquires the collection's current
// tileset version, so that the whole response comes from that one version.
// When it cannot, it returns the error to answer (400 for a bad f, 404 or
// 503 from the store); otherwise the caller must call release.
func (s *server) lookupCollection(r *http.Request, id string) (fm format, ts *tileset.Reader, release func(), err error) {
	if fm, err = requestFormat(r); err != nil {
		return 0, nil, nil, err
	}
	ts, release, err = s.catalog.Acquire(id)
	if err != nil {
		return 0, nil, nil, acquireError(r, id, err)
	}
	return fm, ts, release, nil
}
