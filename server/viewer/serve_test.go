package viewer

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// get sends a request through the handler mounted as the server mounts it.
func get(t *testing.T, h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	http.StripPrefix("/map", h).ServeHTTP(rec, req)
	return rec
}

func TestRoutesUnderStripPrefix(t *testing.T) {
	h := newHandler(fakeStatic())
	v := "/map/vendor/" + testVersion + "/"
	cases := []struct {
		method, target string
		status         int
		contentType    string
		cacheControl   string
		location       string
	}{
		{"GET", "/map", http.StatusMovedPermanently, "", "", "map/"},
		{"GET", "/map?a=1&b=2", http.StatusMovedPermanently, "", "", "map/?a=1&b=2"},
		{"GET", "/map/", http.StatusOK, "text/html; charset=utf-8", revalidate, ""},
		{"GET", "/map/app.js", http.StatusOK, "text/javascript; charset=utf-8", revalidate, ""},
		{"GET", "/map/app.css", http.StatusOK, "text/css; charset=utf-8", revalidate, ""},
		{"GET", v + "maplibre-gl.mjs", http.StatusOK, "text/javascript; charset=utf-8", immutable, ""},
		{"GET", v + "maplibre-gl-worker.mjs", http.StatusOK, "text/javascript; charset=utf-8", immutable, ""},
		{"GET", v + "maplibre-gl.css", http.StatusOK, "text/css; charset=utf-8", immutable, ""},
		{"GET", v + "LICENSE.txt", http.StatusOK, "text/plain; charset=utf-8", immutable, ""},
		{"HEAD", "/map/app.js", http.StatusOK, "text/javascript; charset=utf-8", revalidate, ""},
		// Vendor files exist only under their version, so none is cached stale.
		{"GET", "/map/vendor/maplibre-gl.mjs", http.StatusNotFound, "", "", ""},
		{"GET", "/map/vendor/1.0.0/maplibre-gl.mjs", http.StatusNotFound, "", "", ""},
		{"GET", v + "VERSION", http.StatusNotFound, "", "", ""},
		{"GET", "/map/index.html", http.StatusNotFound, "", "", ""},
		{"GET", "/map/../app.js", http.StatusNotFound, "", "", ""},
		{"POST", "/map/", http.StatusMethodNotAllowed, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.target, func(t *testing.T) {
			rec := get(t, h, c.method, c.target, nil)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d; body %q", rec.Code, c.status, rec.Body.String())
			}
			if got := rec.Header().Get("Location"); got != c.location {
				t.Errorf("Location %q, want %q", got, c.location)
			}
			if c.status != http.StatusOK {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != c.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, c.cacheControl)
			}
			if rec.Header().Get("ETag") == "" {
				t.Error("no ETag")
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			if c.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD sent a %d-byte body", rec.Body.Len())
			}
		})
	}
	if rec := get(t, h, "POST", "/map/", nil); rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("405 Allow %q, want %q", rec.Header().Get("Allow"), "GET, HEAD")
	}
}

func TestConditionalGet(t *testing.T) {
	h := newHandler(fakeStatic())
	first := get(t, h, "GET", "/map/app.css", nil)
	etag := first.Header().Get("ETag")
	if rec := get(t, h, "GET", "/map/app.css", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, rec.Code)
	}
	if rec := get(t, h, "GET", "/map/app.css", map[string]string{"If-None-Match": `"other"`}); rec.Code != http.StatusOK {
		t.Errorf("If-None-Match with another tag: status %d, want 200", rec.Code)
	}
}

func TestGzip(t *testing.T) {
	h := newHandler(fakeStatic())
	plain := get(t, h, "GET", "/map/app.js", nil)
	if enc := plain.Header().Get("Content-Encoding"); enc != "" {
		t.Fatalf("no Accept-Encoding: Content-Encoding %q, want none", enc)
	}
	zipped := get(t, h, "GET", "/map/app.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if enc := zipped.Header().Get("Content-Encoding"); enc != "gzip" {
		t.Fatalf("Accept-Encoding gzip: Content-Encoding %q, want gzip", enc)
	}
	if zipped.Body.Len() >= plain.Body.Len() {
		t.Errorf("gzipped %d bytes, plain %d: not smaller", zipped.Body.Len(), plain.Body.Len())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain.Body.Bytes()) {
		t.Error("gunzipped body differs from the plain one")
	}
	if zipped.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Error("gzipped and plain bodies share an ETag")
	}
	if v := zipped.Header().Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q, want Accept-Encoding", v)
	}
	// Small files are not worth compressing.
	if enc := get(t, h, "GET", "/map/app.css", map[string]string{"Accept-Encoding": "gzip"}).Header().Get("Content-Encoding"); enc != "" {
		t.Errorf("14-byte app.css sent with Content-Encoding %q", enc)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip;q=1.0": true,
		"gzip;q=0":            false,
		"gzip; q=0.000":       false,
		"*":                   true,
		"br":                  false,
		"x-gzip2":             false,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", header)
		if got := acceptsGzip(req); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", header, got, want)
		}
	}
}
