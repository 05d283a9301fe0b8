package server

import (
	"net/http"
	"strings"
)

// hdrVaryForwarded lists the request headers that links follow when no
// BaseURL is configured, so that a shared cache keys documents on them.
var hdrVaryForwarded = []string{"Forwarded, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix"}

// link is one entry of an OGC API "links" array.
type link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// baseURL returns the public root URL of the server, without a trailing
// slash, for absolute links in responses. Config.BaseURL wins; otherwise the
// request's scheme and Host, as rewritten by a reverse proxy in the standard
// Forwarded header (RFC 7239) or, failing that, in the de facto
// X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Prefix headers. Values
// that are not a plain scheme, host or path are ignored rather than echoed
// into links.
func (s *server) baseURL(r *http.Request) string {
	if s.base != "" {
		return s.base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if p := firstValue(r.Header.Get("X-Forwarded-Proto")); validScheme(p) {
		scheme = strings.ToLower(p)
	}
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); validHost(h) {
		host = h
	}
	if fwd := r.Header.Get("Forwarded"); fwd != "" {
		p, h := parseForwarded(fwd)
		if validScheme(p) {
			scheme = strings.ToLower(p)
		}
		if validHost(h) {
			host = h
		}
	}
	prefix := ""
	if p := firstValue(r.Header.Get("X-Forwarded-Prefix")); validPrefix(p) {
		prefix = strings.TrimRight(p, "/")
	}
	return scheme + "://" + host + prefix
}

// firstValue returns the first element of a comma-separated header value:
// the one the proxy nearest the client wrote.
func firstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// parseForwarded returns the proto and host parameters of the first element
// of a Forwarded header, unquoted.
func parseForwarded(v string) (proto, host string) {
	elem, _, _ := strings.Cut(v, ",")
	for _, pair := range strings.Split(elem, ";") {
		name, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		val = strings.Trim(val, `"`)
		switch strings.ToLower(name) {
		case "proto":
			proto = val
		case "host":
			host = val
		}
	}
	return proto, host
}

func validScheme(s string) bool {
	return strings.EqualFold(s, "http") || strings.EqualFold(s, "https")
}

// validHost accepts a host name, an IPv4 address or a bracketed IPv6
// address, each with an optional port: nothing that could end the authority
// of a URL or inject markup.
func validHost(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_:[]", c) >= 0) {
			return false
		}
	}
	return true
}

// validPrefix accepts an absolute path of unreserved URL characters.
func validPrefix(s string) bool {
	if s == "" || s[0] != '/' || len(s) > 255 || strings.Contains(s, "//") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/-._~", c) >= 0) {
			return false
		}
	}
	return true
}
