package server

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestViewerMounted(t *testing.T) {
	h := New(Config{Catalog: emptyCatalog{}})
	w := serve(h, httptestRequest(http.MethodGet, "/map"))
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "map/" {
		t.Errorf("/map: status %d, Location %q; want a redirect to map/", w.Code, w.Header().Get("Location"))
	}
	// Without vendored MapLibre the viewer answers 503 with an explanation;
	// either way it is the viewer's HTML page, not a 404.
	w = serve(h, httptestRequest(http.MethodGet, "/map/"))
	if (w.Code != http.StatusOK && w.Code != http.StatusServiceUnavailable) || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("/map/: status %d, Content-Type %q; want the viewer's page", w.Code, w.Header().Get("Content-Type"))
	}
}

func TestUnknownPath(t *testing.T) {
	h := New(Config{Catalog: emptyCatalog{}})
	for _, path := range []string{"/nope", "/tiles", "/tiles/geology", "/collections/a/b"} {
		wantError(t, serve(h, httptestRequest(http.MethodGet, path)), http.StatusNotFound, "NotFound")
	}
}

func TestRouteLabel(t *testing.T) {
	for in, want := range map[string]string{
		tileRoute:          "/tiles/{id}/{z}/{x}/{y}.{format}",
		"/tiles/{id}.json": "/tiles/{id}.json",
		"/healthz":         "/healthz",
	} {
		if got := routeLabel(in); got != want {
			t.Errorf("routeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBuildsWithoutCgo proves the server side needs no C toolchain: the
// packages the server links are built with CGO_ENABLED=0.
func TestBuildsWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds packages; skipped with -short")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		t.Skipf("no go tool at %s", goTool)
	}
	cmd := exec.Command(goTool, "build", "./server/...", "./store/...", "./tileset/...")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
}
