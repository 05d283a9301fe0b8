package server

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

func TestCORS(t *testing.T) {
	f := newFixture(t, Config{})
	tile := tilePath(geologyID, graniteTile(geologyMax), "mvt")
	for _, path := range []string{tile, "/tiles/geology.json", "/collections", "/tiles/nosuch/0/0/0.mvt"} {
		// With or without Origin: a cached copy must serve both.
		for _, origin := range []string{"https://viewer.example.org", ""} {
			w := f.get(t, path, "Origin", origin)
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("GET %s (Origin %q): Access-Control-Allow-Origin = %q, want *", path, origin, got)
			}
		}
	}

	r := httptestRequest(http.MethodOptions, tile,
		"Origin", "https://viewer.example.org",
		"Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "if-none-match, x-requested-with")
	w := serve(f.handler, r)
	if w.Code != http.StatusNoContent {
		t.Fatalf("preflight: status %d, want 204", w.Code)
	}
	h := w.Header()
	if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") ||
		h.Get("Access-Control-Allow-Headers") != "if-none-match, x-requested-with" || h.Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight headers: %v", h)
	}
}

func TestPanicBecomes500(t *testing.T) {
	f := newFixture(t, Config{})
	logs := new(bytes.Buffer)
	h := New(Config{
		Catalog: panickyCatalog{Catalog: f.store, id: "boom"},
		Logger:  slog.New(slog.NewTextHandler(logs, nil)),
	})
	for _, path := range []string{"/tiles/boom/3/0/0.mvt", "/tiles/boom.json"} {
		wantError(t, serve(h, httptestRequest(http.MethodGet, path)), http.StatusInternalServerError, "InternalServerError")
	}
	if n := strings.Count(logs.String(), "panic serving request"); n != 2 {
		t.Errorf("logged %d panics, want 2:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "route=/tiles/{id}.json") {
		t.Errorf("the panic's log line does not name the route:\n%s", logs.String())
	}
	// The server goes on serving.
	if w := serve(h, httptestRequest(http.MethodGet, tilePath(geologyID, graniteTile(geologyMax), "mvt"))); w.Code != http.StatusOK {
		t.Errorf("after the panics: status %d", w.Code)
	}
}

func TestStoreFailureIs503(t *testing.T) {
	logs := new(bytes.Buffer)
	h := New(Config{Catalog: failingCatalog{}, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	wantError(t, serve(h, httptestRequest(http.MethodGet, "/tiles/geology/3/0/0.mvt")), http.StatusServiceUnavailable, "ServiceUnavailable")
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("the cause is not logged: %q", logs.String())
	}
}

func TestRequestLogAtDebugOnly(t *testing.T) {
	path := tilePath(geologyID, graniteTile(geologyMax), "mvt")

	info := newFixture(t, Config{})
	info.get(t, path)
	if info.logs.Len() != 0 {
		t.Errorf("a successful request logged at Info level: %q", info.logs.String())
	}

	logs := new(bytes.Buffer)
	debug := newFixture(t, Config{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	debug.get(t, path)
	line := logs.String()
	for _, want := range []string{"level=DEBUG", "msg=request", "method=GET", "path=" + path, "status=200", "route=/tiles/{id}/{z}/{x}/{y}.{format}"} {
		if !strings.Contains(line, want) {
			t.Errorf("debug log %q lacks %s", line, want)
		}
	}
}

// panickyCatalog panics when asked for one id, as a bug in a catalog might.
type panickyCatalog struct {
	store.Catalog
	id string
}

func (c panickyCatalog) Acquire(id string) (*tileset.Reader, func(), error) {
	if id == c.id {
		panic("catalog bug")
	}
	return c.Catalog.Acquire(id)
}

// failingCatalog lists one tileset that cannot be opened.
type failingCatalog struct{}

func (failingCatalog) IDs() []string { return []string{"geology"} }
func (failingCatalog) Acquire(string) (*tileset.Reader, func(), error) {
	return nil, nil, errors.New("disk on fire")
}

// emptyCatalog is a store with no tilesets.
type emptyCatalog struct{}

func (emptyCatalog) IDs() []string { return nil }
func (emptyCatalog) Acquire(string) (*tileset.Reader, func(), error) {
	return nil, nil, store.ErrNotFound
}

func TestPanicAfterResponseBegunAborts(t *testing.T) {
	logs := new(bytes.Buffer)
	s := newServer(Config{Catalog: emptyCatalog{}, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	h := s.instrument("/test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		panic("half way")
	}))
	req := httptestRequest(http.MethodGet, "/test")
	defer func() {
		// net/http closes the connection on this value without logging it.
		if p := recover(); p != http.ErrAbortHandler {
			t.Errorf("panic value %v, want http.ErrAbortHandler so that the client sees a cut response", p)
		}
		if !strings.Contains(logs.String(), "half way") {
			t.Errorf("the original panic is not logged: %q", logs.String())
		}
	}()
	serve(h, req)
	t.Error("a panic after the response had begun was swallowed")
}
