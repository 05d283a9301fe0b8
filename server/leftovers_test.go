package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsRefusedGzipLogsNothing: a client refusing gzip gets the metrics
// uncompressed, and nothing is logged as an error (any client could flood
// the log otherwise).
func TestMetricsRefusedGzipLogsNothing(t *testing.T) {
	f := newFixture(t, Config{})
	for _, ae := range []string{"gzip;q=0", "gzip;q=0, identity;q=0", "*;q=0", "br"} {
		w := f.get(t, "/metrics", "Accept-Encoding", ae)
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" || !strings.Contains(w.Body.String(), "# HELP") {
			t.Errorf("Accept-Encoding %q: status %d, encoding %q", ae, w.Code, w.Header().Get("Content-Encoding"))
		}
	}
	if strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("metrics requests logged errors:\n%s", f.logs.String())
	}
}

// TestViewerErrorsAreJSON: the viewer's 404s and 405s carry the JSON error
// body every other route has (docs/API.md, Errors).
func TestViewerErrorsAreJSON(t *testing.T) {
	f := newFixture(t, Config{})
	for _, target := range []string{"/map/nosuch.js", "/map/vendor/1.0.0/maplibre-gl.mjs"} {
		w := f.get(t, target)
		var e apiError
		if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Code != "NotFound" || e.Description == "" {
			t.Errorf("GET %s: %d %q %q; want 404 with a JSON error", target, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
	}
}
