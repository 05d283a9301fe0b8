package server

import (
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
