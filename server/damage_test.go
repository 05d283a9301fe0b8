package server

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// TestCutPageIsLogged: a feature damaged far into a page is found after
// the 200 has gone out, so the stream is cut; the damage must still reach
// the log at ERROR with the file's name, as a 503 would (found by the
// corrupt-file soak: it was logged at DEBUG only).
func TestCutPageIsLogged(t *testing.T) {
	const n = 3000
	dir := t.TempDir()
	feats := make([]*geojson.Feature, n)
	for i := range feats {
		f := geojson.NewFeature(orb.Point{100 + float64(i)/100, 10})
		f.ID = i
		f.Properties = geojson.Properties{"note": fmt.Sprintf("feature number %06d of the page", i)}
		feats[i] = f
	}
	writeFeatureTileset(t, dir, "cut", "Cut", []tileset.Field{{Name: "note", Type: "string"}}, feats, "")
	path := filepath.Join(dir, "cut"+tileset.Ext)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, []byte("feature number 002900 of"))
	if at < 0 {
		t.Fatal("feature 2900 is not stored as plain bytes")
	}
	data[at+18] ^= 0x01
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	srv := httptest.NewServer(New(Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/collections/cut/items?limit=3000")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err == nil {
		t.Fatalf("status %d, read error %v: want a 200 cut short (the damage is past the first flush)", resp.StatusCode, err)
	}
	srv.Close() // the handler has returned and logged
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), path) {
		t.Errorf("the cut page is not logged at ERROR with %s:\n%s", path, logs.String())
	}
}

// TestDamageLoggedOncePerFile: a tileset damaged (or copied in place) fails
// every request for it until it is whole again; each used to log an ERROR
// line, flooding the log. The first failure in a file is logged at ERROR,
// the next ones within damageLogWindow at DEBUG, and the first after it at
// ERROR again with their count.
func TestDamageLoggedOncePerFile(t *testing.T) {
	dir := t.TempDir()
	feats := make([]*geojson.Feature, 3)
	for i := range feats {
		f := geojson.NewFeature(orb.Point{100 + float64(i), 10})
		f.ID = i
		f.Properties = geojson.Properties{"note": fmt.Sprintf("damaged feature %d here", i)}
		feats[i] = f
	}
	writeFeatureTileset(t, dir, "dmg", "Damaged", []tileset.Field{{Name: "note", Type: "string"}}, feats, "")
	path := filepath.Join(dir, "dmg"+tileset.Ext)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("damaged feature 1 here")
	if bytes.Count(data, text) == 0 {
		t.Fatal("feature 1 is not stored as plain bytes")
	}
	for at := bytes.Index(data, text); at >= 0; at = bytes.Index(data, text) {
		data[at+3] ^= 0x01 // every copy bbolt holds
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	s := newServer(Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s.damage.now = func() time.Time { return now }
	h := s.tileDispatch(s.routes())
	get := func() {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/collections/dmg/items/1", nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503: %s", rec.Code, rec.Body)
		}
	}
	count := func(level string) int { return strings.Count(logs.String(), "level="+level+` msg="reading feature"`) }

	for range 5 {
		get()
		now = now.Add(time.Second)
	}
	if count("ERROR") != 1 || count("DEBUG") != 4 || !strings.Contains(logs.String(), path) {
		t.Errorf("5 requests within a minute: %d ERROR and %d DEBUG lines, want 1 and 4, naming %s:\n%s", count("ERROR"), count("DEBUG"), path, logs.String())
	}
	now = now.Add(damageLogWindow)
	logs.Reset()
	get()
	if count("ERROR") != 1 || !strings.Contains(logs.String(), "repeats=4") {
		t.Errorf("the first request after the window: want one ERROR line with repeats=4:\n%s", logs.String())
	}
}
