package server

import (
	"net/http"
	"testing"
)

func TestNegotiateFormat(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	for _, tc := range []struct {
		name, query, accept string
		want                format
		bad                 bool
	}{
		{"no f, no Accept (OWSLib)", "", "", formatJSON, false},
		{"any type (curl, requests)", "", "*/*", formatJSON, false},
		{"browser", "", browser, formatHTML, false},
		{"QGIS", "", "application/json", formatJSON, false},
		{"GeoJSON first", "", "application/geo+json, text/html", formatJSON, false},
		{"HTML first, same weight", "", "text/html, application/json", formatHTML, false},
		{"HTML weighed down", "", "text/html;q=0.5, application/json", formatJSON, false},
		{"HTML refused", "", "text/html;q=0", formatJSON, false},
		{"HTML over wildcard", "", "*/*;q=0.1, text/html", formatHTML, false},
		{"malformed weight", "", "text/html;q=high", formatJSON, false},
		{"f=json beats a browser", "f=json", browser, formatJSON, false},
		{"f=html beats */*", "f=html", "*/*", formatHTML, false},
		{"f=HTML", "f=HTML", "", formatHTML, false},
		{"f=geojson", "f=geojson", "", formatJSON, false},
		{"unknown f", "f=xml", "", formatJSON, true},
		{"empty f", "f=", "", formatJSON, true},
		{"f twice", "f=json&f=html", "", formatJSON, true},
	} {
		r := httptestRequest(http.MethodGet, "/collections?"+tc.query, "Accept", tc.accept)
		if tc.accept == "" {
			r.Header.Del("Accept")
		}
		got, msg := negotiateFormat(r)
		if (msg != "") != tc.bad || got != tc.want {
			t.Errorf("%s: format %v, message %q; want %v, bad %v", tc.name, got, msg, tc.want, tc.bad)
		}
	}
}
