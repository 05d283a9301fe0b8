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
