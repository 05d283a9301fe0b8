package viewer

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

const testVersion = "9.9.9"

// fakeStatic is a static directory laid out as vendor.sh leaves it.
func fakeStatic() fstest.MapFS {
	big := strings.Repeat("export const x = 1;\n", 500) // compressible, > 1 KiB
	return fstest.MapFS{
		"index.html": {Data: []byte(`<!doctype html><link rel="stylesheet" href="vendor/maplibre-gl.css">` +
			`<script type="module" src="app.js"></script><body data-maplibre="./vendor/maplibre-gl.mjs">`)},
		"app.js":                        {Data: []byte(big)},
		"app.css":                       {Data: []byte("body{margin:0}")},
		"vendor/VERSION":                {Data: []byte(testVersion + "\n")},
		"vendor/maplibre-gl.mjs":        {Data: []byte(big)},
		"vendor/maplibre-gl-worker.mjs": {Data: []byte("self.onmessage = () => {};")},
		"vendor/maplibre-gl.css":        {Data: []byte(".maplibregl-map{}")},
		"vendor/LICENSE.txt":            {Data: []byte("BSD-3-Clause")},
	}
}

func TestPageNamesVersionedVendorFiles(t *testing.T) {
	rec := get(t, newHandler(fakeStatic()), "GET", "/map/", nil)
	body := rec.Body.String()
	for _, want := range []string{
		`href="vendor/` + testVersion + `/maplibre-gl.css"`,
		`data-maplibre="./vendor/` + testVersion + `/maplibre-gl.mjs"`,
		`src="app.js"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q does not confine the page to its server", csp)
	}
}

func TestWithoutVendoredMapLibre(t *testing.T) {
	fsys := fakeStatic()
	for name := range fsys {
		if strings.HasPrefix(name, "vendor/") {
			delete(fsys, name)
		}
	}
	h := newHandler(fsys)
	rec := get(t, h, "GET", "/map/", nil)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), missingVendorHint) {
		t.Errorf("page does not say %q:\n%s", missingVendorHint, rec.Body.String())
	}
	if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/html", got)
	}
	if h.version != "" {
		t.Errorf("version %q, want none", h.version)
	}
}

func TestVersionWithoutModuleIsMissing(t *testing.T) {
	fsys := fakeStatic()
	delete(fsys, "vendor/maplibre-gl.mjs")
	if rec := get(t, newHandler(fsys), "GET", "/map/", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("VERSION without maplibre-gl.mjs: status %d, want 503", rec.Code)
	}
	fsys = fakeStatic()
	fsys["vendor/VERSION"] = &fstest.MapFile{Data: []byte("../../etc\n")}
	if rec := get(t, newHandler(fsys), "GET", "/map/", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("malformed VERSION: status %d, want 503", rec.Code)
	}
}
