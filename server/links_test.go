package server

import (
	"crypto/tls"
	"net/http"
	"testing"
)

func TestBaseURL(t *testing.T) {
	s := newServer(Config{Catalog: emptyCatalog{}})
	for _, tc := range []struct {
		name string
		kv   []string
		tls  bool
		want string
	}{
		{"plain", nil, false, "http://example.com"},
		{"tls", nil, true, "https://example.com"},
		{"proto upper case", []string{"X-Forwarded-Proto", "HTTPS"}, false, "https://example.com"},
		{"ipv6 host", []string{"X-Forwarded-Host", "[2001:db8::1]:8443"}, false, "http://[2001:db8::1]:8443"},
		{"forwarded, quoted, two hops", []string{"Forwarded", `proto=https;host="a.example.org:444", proto=http;host=internal`}, false, "https://a.example.org:444"},
		{"forwarded without host", []string{"Forwarded", "for=192.0.2.1;proto=https"}, false, "https://example.com"},
		{"prefix", []string{"X-Forwarded-Prefix", "/geo/outcrop"}, false, "http://example.com/geo/outcrop"},
		{"root prefix", []string{"X-Forwarded-Prefix", "/"}, false, "http://example.com"},
		{"host with space", []string{"X-Forwarded-Host", "a b"}, false, "http://example.com"},
		{"host with slash", []string{"X-Forwarded-Host", "a/b"}, false, "http://example.com"},
		{"prefix with dot-dot", []string{"X-Forwarded-Prefix", "/a/../b"}, false, "http://example.com"},
		{"prefix without slash", []string{"X-Forwarded-Prefix", "geo"}, false, "http://example.com"},
		{"prefix with quote", []string{"X-Forwarded-Prefix", `/a"b`}, false, "http://example.com"},
		{"ftp", []string{"X-Forwarded-Proto", "ftp"}, false, "http://example.com"},
	} {
		r := httptestRequest(http.MethodGet, "/", tc.kv...)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := s.baseURL(r); got != tc.want {
			t.Errorf("%s: baseURL = %q, want %q", tc.name, got, tc.want)
		}
	}
}
