package server

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/styles"
)

// TestWMSStyleCachedPerVersion checks that a layer's style is made once per
// collection version and style, and made again for a new version: a
// republished collection without ages loses its age style at once.
func TestWMSStyleCachedPerVersion(t *testing.T) {
	dir := t.TempDir()
	unit := []*geojson.Feature{feature(1, orb.Polygon{{{116, -23}, {117, -23}, {117, -22}, {116, -22}, {116, -23}}},
		styles.FieldAge, icsURI+"Permian", styles.FieldLithology, lithURI+"granite")}
	commitFeatures(t, dir, "units", "polygon", []string{styles.FieldAge, styles.FieldLithology},
		styles.Counts{styles.FieldAge: {icsURI + "Permian": 1}, styles.FieldLithology: {lithURI + "granite": 1}}, unit)
	st, err := store.Open(dir, store.Options{PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newServer(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})
	h := s.tileDispatch(s.routes())
	getMap := func() int {
		return serve(h, httptestRequest(http.MethodGet, "/wms?"+getMap130("units", styles.KindGeologyAge))).Code
	}

	ts, release, err := st.Acquire("units")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.wmsStyleOf("units", ts.Metadata(), styles.KindGeologyAge, "http://example.com")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.wmsStyleOf("units", ts.Metadata(), styles.KindGeologyAge, "http://example.com")
	release()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the second map of the same version and style made its style again")
	}
	if a.style.Kind != styles.KindGeologyAge || len(a.syms) == 0 {
		t.Errorf("style %q with %d symbols, want %s with its symbols", a.style.Kind, len(a.syms), styles.KindGeologyAge)
	}
	if code := getMap(); code != http.StatusOK {
		t.Fatalf("GetMap in the age style: %d, want 200", code)
	}

	commitFeatures(t, dir, "units", "polygon", []string{styles.FieldLithology},
		styles.Counts{styles.FieldLithology: {lithURI + "granite": 1}}, unit)
	if err := st.Refresh(); err != nil {
		t.Fatal(err)
	}
	resp := serve(h, httptestRequest(http.MethodGet, "/wms?"+getMap130("units", styles.KindGeologyAge))).Result()
	if code, _ := wmsException(t, resp); code != "StyleNotDefined" {
		t.Errorf("GetMap in the age style of the version without ages: %s, want StyleNotDefined", code)
	}
}
