package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outcrop/outcrop/internal/storetest"
	"github.com/outcrop/outcrop/tileset"
)

// readReplaced acquires the replaced version of id recorded as version,
// reads tile 1/0/1 and releases it.
func readReplaced(t testing.TB, s *Store, id, version string) (string, error) {
	t.Helper()
	r, release, err := s.AcquireReplaced(id, func(m *tileset.Metadata) bool { return m.Version == version })
	if err != nil {
		return "", err
	}
	defer release()
	var body string
	if _, err := r.Tile(1, 0, 1, func(b []byte) error { body = storetest.Gunzip(t, b); return nil }); err != nil {
		return "", err
	}
	return body, nil
}

// A replaced version stays acquirable by AcquireReplaced, with its own
// tiles, for KeepReplaced; Acquire serves the new one; then the old one is
// closed and no longer found.
func TestReplacedVersionKeptForAWhile(t *testing.T) {
	dir := t.TempDir()
	v1 := storetest.WriteVersion(t, dir, "geology", "v1")
	const keep = 300 * time.Millisecond
	s, _ := openWith(t, dir, Options{PollInterval: -1, KeepReplaced: keep})
	v2 := storetest.WriteVersion(t, dir, "geology", "v2")
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	replaced := time.Now()
	if body, title, err := readTile(t, s, "geology", 1, 0, 1); err != nil || title != "v2" || body != storetest.TileBody("v2", 1, 0, 1) {
		t.Errorf("Acquire after the replacement: %q, %q, %v; want v2", body, title, err)
	}
	if body, err := readReplaced(t, s, "geology", v1); err != nil || body != storetest.TileBody("v1", 1, 0, 1) {
		t.Errorf("AcquireReplaced(v1) just after the replacement: %q, %v; want v1's tile", body, err)
	}
	if _, err := readReplaced(t, s, "geology", v2); !errors.Is(err, ErrNotFound) {
		t.Errorf("AcquireReplaced(v2), the current version: %v, want ErrNotFound", err)
	}
	if n := s.open.Load(); n != 2 {
		t.Errorf("%d versions open while v1 is kept, want 2", n)
	}

	// No poll is due: the store lets go of v1 by itself when its time is up.
	time.Sleep(keep + 200*time.Millisecond - time.Since(replaced))
	if _, err := readReplaced(t, s, "geology", v1); !errors.Is(err, ErrNotFound) {
		t.Errorf("AcquireReplaced(v1) after KeepReplaced: %v, want ErrNotFound", err)
	}
	if n := s.open.Load(); n != 1 {
		t.Errorf("%d versions open after v1's time was up, want 1 (the current)", n)
	}
}

// KeepVersions bounds the replaced versions kept: the oldest goes first.
func TestKeepVersionsBoundsKeptVersions(t *testing.T) {
	dir := t.TempDir()
	versions := []string{storetest.WriteVersion(t, dir, "geology", "v0")}
	s, _ := openWith(t, dir, Options{PollInterval: -1, KeepReplaced: time.Hour, KeepVersions: 2})
	for _, label := range []string{"v1", "v2", "v3"} {
		versions = append(versions, storetest.WriteVersion(t, dir, "geology", label))
		if err := s.Refresh(); err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range versions[:3] {
		body, err := readReplaced(t, s, "geology", v)
		switch kept := i >= 1; {
		case kept && (err != nil || body != storetest.TileBody(versions2label(i), 1, 0, 1)):
			t.Errorf("replaced version v%d: %q, %v; want it kept", i, body, err)
		case !kept && !errors.Is(err, ErrNotFound):
			t.Errorf("replaced version v%d, beyond KeepVersions 2: %q, %v; want ErrNotFound", i, body, err)
		}
	}
	if n := s.open.Load(); n != 3 {
		t.Errorf("%d versions open, want 3: the current and two kept", n)
	}
}

func versions2label(i int) string { return "v" + string(rune('0'+i)) }

// A removed tileset keeps none of its replaced versions; nor does a store
// told to keep none.
func TestRemovedTilesetKeepsNoVersion(t *testing.T) {
	dir := t.TempDir()
	v1 := storetest.WriteVersion(t, dir, "geology", "v1")
	s, _ := openWith(t, dir, Options{PollInterval: -1, KeepReplaced: time.Hour})
	storetest.WriteVersion(t, dir, "geology", "v2")
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, err := readReplaced(t, s, "geology", v1); err != nil {
		t.Fatalf("v1 not kept after its replacement: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "geology"+tileset.Ext)); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, err := readReplaced(t, s, "geology", v1); !errors.Is(err, ErrNotFound) {
		t.Errorf("v1 of a removed tileset: %v, want ErrNotFound", err)
	}
	if n := s.open.Load(); n != 0 {
		t.Errorf("%d versions open after the tileset was removed, want 0", n)
	}

	none, _ := open(t, t.TempDir(), -1) // KeepReplaced -1
	storetest.WriteVersion(t, none.dir, "geology", "v1")
	none.Refresh()
	w1 := none.cur.Load().byID["geology"].r.Metadata().Version
	storetest.WriteVersion(t, none.dir, "geology", "v2")
	none.Refresh()
	if _, err := readReplaced(t, none, "geology", w1); !errors.Is(err, ErrNotFound) {
		t.Errorf("a store with KeepReplaced -1 kept a replaced version: %v", err)
	}
}
