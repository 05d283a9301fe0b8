package server

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteErrorClearsTileHeaders(t *testing.T) {
	w := httptest.NewRecorder()
	// What the tile handler has set when reading the tile fails.
	w.Header().Set("ETag", `"v-1-0-0-gz"`)
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Vary", "Accept-Encoding")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeError(w, http.StatusInternalServerError, "tile 1/0/0 of tileset \"x\" could not be read")
	e := wantError(t, w, http.StatusInternalServerError, "InternalServerError")
	if !strings.Contains(e.Description, "1/0/0") {
		t.Errorf("description = %q", e.Description)
	}
	for _, k := range []string{"ETag", "Content-Encoding", "Vary"} {
		if v := w.Header().Get(k); v != "" {
			t.Errorf("%s = %q survives on the error; a cache or client would misread the JSON body", k, v)
		}
	}
}

func TestBodyETag(t *testing.T) {
	a, b := bodyETag([]byte(`{"a":1}`)), bodyETag([]byte(`{"a":2}`))
	if a == b || !strings.HasPrefix(a, `"`) || !strings.HasSuffix(a, `"`) || len(a) < 4 {
		t.Errorf("bodyETag gives %s and %s", a, b)
	}
	if a != bodyETag([]byte(`{"a":1}`)) {
		t.Error("bodyETag is not stable")
	}
}

// TestAPIAdapter: the error a handler returns is answered as writeError
// answers: an httpError with its status and description (Retry-After on a
// busy 503, its cause logged), any other error logged and answered 500
// without its text; no error leaves the handler's answer alone.
func TestAPIAdapter(t *testing.T) {
	var logs bytes.Buffer
	s := newServer(Config{Catalog: emptyCatalog{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	cause := errors.New("disk on fire")
	for _, tc := range []struct {
		err         error
		status      int
		code, text  string
		retry, logs bool
	}{
		{statusError(http.StatusBadRequest, "zoom \"a\" in the tile path must be an integer"), 400, "InvalidParameterValue", "zoom", false, false},
		{renderBusy(), 503, "ServiceUnavailable", renderBusyText, true, false},
		{fmt.Errorf("wrapped: %w", failure(http.StatusInternalServerError, "tile 1/0/0 could not be read", cause, "reading tile", "z", 1)), 500, "InternalServerError", "tile 1/0/0", false, true},
		{cause, 500, "InternalServerError", "the server log has the cause", false, true},
	} {
		logs.Reset()
		w := httptest.NewRecorder()
		w.Header().Set("ETag", `"x"`)
		s.api(func(http.ResponseWriter, *http.Request) error { return tc.err })(w, httptest.NewRequest(http.MethodGet, "/x", nil))
		e := wantError(t, w, tc.status, tc.code)
		if !strings.Contains(e.Description, tc.text) || strings.Contains(e.Description, "fire") {
			t.Errorf("%v: description %q, want %q and not the cause", tc.err, e.Description, tc.text)
		}
		if got := w.Header().Get("Retry-After") != ""; got != tc.retry {
			t.Errorf("%v: Retry-After %q", tc.err, w.Header().Get("Retry-After"))
		}
		if got := strings.Contains(logs.String(), "disk on fire"); got != tc.logs {
			t.Errorf("%v: logged %t: %q", tc.err, got, logs.String())
		}
	}
	w := httptest.NewRecorder()
	s.api(func(w http.ResponseWriter, _ *http.Request) error { w.WriteHeader(http.StatusNoContent); return nil })(w, httptest.NewRequest(http.MethodGet, "/x", nil))
	if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Errorf("no error: status %d, body %q", w.Code, w.Body)
	}
}
