//go:build cgo

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// flipInFile flips one bit in the middle of value, found by its bytes in
// the file at path, as a failing disk or a bad copy would: the file is
// changed byte-wise, not through bbolt.
func flipInFile(t *testing.T, path string, value []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, value)
	if at < 0 || bytes.Index(data[at+1:], value) >= 0 {
		t.Fatalf("value of %d bytes is not in %s exactly once", len(value), path)
	}
	data[at+len(value)/2] ^= 0x10
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyAndServeDamagedTileset ingests the real GSWA faults, flips a
// bit in one stored tile and one stored feature, and checks that verify
// names both and exits 1, that the server answers both with 503 and logs
// the file and the key, and that a crawl of every tile and feature returns
// no 200 with other than the original content.
func TestVerifyAndServeDamagedTileset(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI("ingest", faults, "--store", dir, "--id", "faults", "--quiet"); code != 0 {
		t.Fatalf("ingest: exit status %d: %s", code, stderr)
	}
	path := filepath.Join(dir, "faults"+tileset.Ext)
	// The good contents, to compare every 200 with.
	tiles := map[string][]byte{}
	feats := map[uint64][]byte{}
	r, err := tileset.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.ForEach(func(z, x, y int, gz []byte) error {
		tiles[fmt.Sprintf("%d/%d/%d", z, x, y)] = bytes.Clone(gz)
		return nil
	})
	r.Features(tileset.FeatureQuery{Limit: 1000}, func(f tileset.RawFeature) error { feats[f.ID] = bytes.Clone(f.JSON); return nil })
	r.Close()
	if len(tiles) < 2 || len(feats) != 35 {
		t.Fatalf("ingest stored %d tiles and %d features; want several and 35", len(tiles), len(feats))
	}
	// The damaged values: the largest tile (unique bytes) and feature 7.
	var badTile string
	for k, v := range tiles {
		if badTile == "" || len(v) > len(tiles[badTile]) {
			badTile = k
		}
	}
	var badTileStored []byte
	db, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		var z, x, y int
		fmt.Sscanf(badTile, "%d/%d/%d", &z, &x, &y)
		k := []byte{byte(z), 0, 0, 0, 0, 0, 0, 0, 0}
		k[1], k[2], k[3], k[4] = byte(x>>24), byte(x>>16), byte(x>>8), byte(x)
		k[5], k[6], k[7], k[8] = byte(y>>24), byte(y>>16), byte(y>>8), byte(y)
		badTileStored = bytes.Clone(tx.Bucket([]byte("tiles")).Get(k))
		return nil
	})
	db.Close()
	flipInFile(t, path, badTileStored[:len(badTileStored)-4])
	flipInFile(t, path, feats[7])

	code, stdout, stderr := runCLI("verify", "--store", dir)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 1 || len(lines) != 2 || !strings.Contains(stdout, "tile "+badTile+" ") || !strings.Contains(stdout, "feature 7 ") || !strings.Contains(lines[0], path) {
		t.Errorf("verify: exit %d, stdout:\n%s\nstderr: %s\nwant exit 1 and two lines naming %s, tile %s and feature 7", code, stdout, stderr, path, badTile)
	}
	if code, stdout, _ := runCLI("verify", "--store", dir, "--id", "nosuch"); code != 1 || stdout != "" {
		t.Errorf("verify --id nosuch: exit %d, %q; want 1", code, stdout)
	}

	var logs bytes.Buffer
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	defer srv.Close()
	get := func(target string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+target, nil)
		req.Header.Set("Accept-Encoding", "gzip") // set by hand: the body stays compressed
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	for k, want := range tiles {
		status, body := get("/tiles/faults/" + k + ".mvt")
		switch {
		case k == badTile && status != http.StatusServiceUnavailable:
			t.Errorf("damaged tile %s: status %d, want 503", k, status)
		case k != badTile && (status != http.StatusOK || !bytes.Equal(body, want)):
			t.Errorf("tile %s: status %d, %d bytes; want 200 and the stored tile", k, status, len(body))
		}
	}
	for id, want := range feats {
		status, body := get(fmt.Sprintf("/collections/faults/items/%d?f=json", id))
		switch {
		case id == 7 && status != http.StatusServiceUnavailable:
			t.Errorf("damaged feature 7: status %d, want 503", status)
		case id != 7 && (status != http.StatusOK || !bytes.Contains(body, want[:len(want)-1])):
			t.Errorf("feature %d: status %d; want 200 with the stored feature", id, status)
		}
	}
	status, body := get("/collections/faults/items?limit=100")
	if status != http.StatusServiceUnavailable || !json.Valid(body) {
		t.Errorf("a page holding feature 7: status %d, body %.80s; want 503 with a JSON error", status, body)
	}
	for _, want := range []string{path, "tile " + badTile, "feature 7", "checksum mismatch"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("server log does not name %q:\n%s", want, logs.String())
		}
	}
}
