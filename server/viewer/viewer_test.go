package viewer

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestEmbeddedViewer checks the viewer as built into this binary: every file
// the page names is served with a type the browser accepts.
func TestEmbeddedViewer(t *testing.T) {
	h := Handler()
	rec := get(t, h, "GET", "/map/", nil)
	if VendoredVersion() == "" {
		t.Log("MapLibre is NOT vendored in this build (run server/viewer/vendor.sh or make): checking the explanation page only")
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), missingVendorHint) {
			t.Fatalf("without MapLibre: status %d, body %q; want 503 naming %q", rec.Code, rec.Body.String(), missingVendorHint)
		}
		return
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	refs := regexp.MustCompile(`(?:href|src|data-maplibre)="([^"]+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
	want := map[string]string{
		"vendor/" + VendoredVersion() + "/maplibre-gl.css": "text/css; charset=utf-8",
		"vendor/" + VendoredVersion() + "/maplibre-gl.mjs": "text/javascript; charset=utf-8",
		"app.css":     "text/css; charset=utf-8",
		"app.js":      "text/javascript; charset=utf-8",
		"favicon.svg": "image/svg+xml",
		// maplibre-gl.mjs starts its worker from this file beside it.
		"vendor/" + VendoredVersion() + "/maplibre-gl-worker.mjs": "text/javascript; charset=utf-8",
	}
	seen := map[string]bool{}
	for _, m := range refs {
		ref := strings.TrimPrefix(m[1], "./")
		if strings.HasPrefix(ref, "../") {
			continue // the server's own routes, outside the viewer
		}
		seen[ref] = true
		if _, ok := want[ref]; !ok {
			t.Errorf("page names %q, which this test does not expect", m[1])
		}
	}
	for ref, ct := range want {
		if !seen[ref] && !strings.HasSuffix(ref, "worker.mjs") {
			t.Errorf("page does not name %s", ref)
		}
		r := get(t, h, "GET", "/map/"+ref, nil)
		if r.Code != http.StatusOK || r.Header().Get("Content-Type") != ct {
			t.Errorf("%s: status %d, Content-Type %q; want 200, %q", ref, r.Code, r.Header().Get("Content-Type"), ct)
		}
	}
}

// TestNothingExternal guards the rule that the viewer loads nothing from
// outside the server and uses only relative URLs.
func TestNothingExternal(t *testing.T) {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		t.Fatal(err)
	}
	external := regexp.MustCompile(`https?://|(?:href|src)=["']/|url\(\s*["']?(?:/|https?:)|from\s+["'](?:/|https?:)|import\(\s*["'](?:/|https?:)|fetch\(\s*["'](?:/|https?:)`)
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		body, err := fs.ReadFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		if m := external.Find(body); m != nil {
			t.Errorf("%s refers outside the viewer with %q: use a relative URL", name, m)
		}
	}
}
