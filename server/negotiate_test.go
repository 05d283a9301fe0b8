package server

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip, deflate, br"}, true},
		{[]string{"br;q=1.0, gzip;q=0.8, *;q=0.1"}, true},
		{[]string{"deflate", "gzip"}, true}, // two header lines
		{[]string{"identity"}, false},
		{[]string{"deflate, br"}, false},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.0"}, false},
		{[]string{"gzip;Q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"gzip;q=1"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false}, // an explicit refusal beats the wildcard
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"gzip, gzip;q=0"}, false},
		{[]string{"*;q=0, gzip"}, true}, // an explicit gzip beats a refused wildcard
		{[]string{"gzipped"}, false},
	} {
		if got := acceptsGzip(tc.values); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

func TestAcceptsGzipDoesNotAllocate(t *testing.T) {
	values := []string{"br;q=1.0, gzip;q=0.8, *;q=0.1"}
	if n := testing.AllocsPerRun(100, func() { acceptsGzip(values) }); n != 0 {
		t.Errorf("acceptsGzip allocates %v times per call; it runs on every tile", n)
	}
}

func TestETagListMatches(t *testing.T) {
	const etag = `"v1-3-1-2-gz"`
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{[]string{etag}, true},
		{[]string{"W/" + etag}, true},
		{[]string{`"a", ` + etag + `, "b"`}, true},
		{[]string{`"a"`, etag}, true},
		{[]string{"*"}, true},
		{[]string{`"v1-3-1-2"`}, false},
		{[]string{`v1-3-1-2-gz`}, false}, // unquoted is not the same tag
		{[]string{""}, false},
	} {
		if got := etagListMatches(tc.values, etag); got != tc.want {
			t.Errorf("etagListMatches(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}
