package store

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outcrop/outcrop/internal/storetest"
	"github.com/outcrop/outcrop/tileset"
)

func TestOpenServesEveryTileset(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	storetest.WriteVersion(t, dir, "faults", "f1")
	s, _ := open(t, dir, -1)
	if got := s.IDs(); !slices.Equal(got, []string{"faults", "geology"}) {
		t.Errorf("IDs() = %q, want [faults geology]", got)
	}
	body, title, err := readTile(t, s, "geology", 2, 3, 1)
	if err != nil || body != "g1 2/3/1" || title != "g1" {
		t.Errorf("geology 2/3/1 = %q (title %q), %v", body, title, err)
	}
	ids := s.IDs()
	ids[0] = "changed"
	if s.IDs()[0] != "faults" {
		t.Error("IDs() returned the store's own slice")
	}
}

func TestOpenRefusesMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), "\n") {
		t.Errorf("Open(missing) = %v, want one line naming the directory", err)
	}
}

// (1) A tileset added after Open is served without a restart: at once through
// the rescan an unknown id triggers, and by polling for listings.
func TestAddedTilesetIsServed(t *testing.T) {
	dir := t.TempDir()
	s, logs := open(t, dir, -1)
	if _, _, err := s.Acquire("geology"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Acquire before the file exists = %v, want ErrNotFound", err)
	}
	time.Sleep(missRescanInterval) // let the rate limit of rescans pass
	storetest.WriteVersion(t, dir, "geology", "g1")
	body, _, err := readTile(t, s, "geology", 1, 0, 1)
	if err != nil || body != "g1 1/0/1" {
		t.Errorf("first request after adding = %q, %v; want the new tileset served", body, err)
	}
	if len(logs.Lines("tileset loaded", "id=geology")) != 1 {
		t.Errorf("want one 'tileset loaded' line for geology; log:\n%s", logs)
	}

	// Polling picks up a file no request has asked for yet.
	p, _ := open(t, dir, 5*time.Millisecond)
	storetest.WriteVersion(t, dir, "faults", "f1")
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Contains(p.IDs(), "faults") {
		if time.Now().After(deadline) {
			t.Fatal("polling store did not list a tileset added 10 s ago")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// (2) Replacement under load: readers hammering a tileset while it is
// replaced see no error, never a tile of one version with the metadata of
// another, and never an older version after a newer one; once the last
// version is in place every reader gets it, and the old files are closed.
func TestReplaceUnderLoad(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "gen-0")
	s, _ := open(t, dir, time.Millisecond)

	const (
		readers     = 4
		versions    = 6
		maxRequests = 200000 // per reader: bounds the test if the writer stalls
	)
	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		served  atomic.Int64
		seenGen [versions]atomic.Int64
	)
	for g := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for i := 0; i < maxRequests && !stop.Load(); i++ {
				z := i % (storetest.MaxZoom + 1)
				x, y := (i/7+g)%(1<<z), (i/3)%(1<<z)
				body, title, err := readTile(t, s, "geology", z, x, y)
				if err != nil {
					t.Errorf("request %d: %v", i, err)
					return
				}
				if want := storetest.TileBody(title, z, x, y); body != want {
					t.Errorf("tile %q served with the metadata of %q: versions mixed", body, title)
					return
				}
				gen, err := strconv.Atoi(strings.TrimPrefix(title, "gen-"))
				if err != nil || gen < 0 || gen >= versions {
					t.Errorf("title %q is not one of the versions written", title)
					return
				}
				if gen < last {
					t.Errorf("reader went back from gen-%d to gen-%d", last, gen)
					return
				}
				last = gen
				seenGen[gen].Add(1)
				served.Add(1)
			}
		}()
	}
	var wantVersion string
	for gen := 1; gen < versions; gen++ {
		time.Sleep(20 * time.Millisecond) // let readers work on the current version
		wantVersion = storetest.WriteVersion(t, dir, "geology", "gen-"+strconv.Itoa(gen))
	}
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	// Every reader's next request must now get the last version.
	var after atomic.Int64
	for g := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				r, release, err := s.Acquire("geology")
				if err != nil {
					t.Errorf("Acquire after the last replace: %v", err)
					return
				}
				if v := r.Metadata().Version; v != wantVersion {
					t.Errorf("reader %d request %d got version %s after the last replace, want %s", g, i, v, wantVersion)
				}
				release()
				after.Add(1)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	counts := make([]int64, versions)
	for i := range counts {
		counts[i] = seenGen[i].Load()
	}
	t.Logf("%d requests served during %d replacements; per version: %v", served.Load(), versions-1, counts)
	if served.Load() == 0 || after.Load() != readers*100 {
		t.Errorf("served %d requests during and %d after the replacements", served.Load(), after.Load())
	}
	if n := s.open.Load(); n != 1 {
		t.Errorf("%d versions still open after every reader released, want 1 (the current)", n)
	}
}

// A request that holds a version keeps it, readable, across a replacement and
// a removal; the file is closed when it lets go.
func TestHeldVersionOutlivesReplacement(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "v1")
	s, _ := open(t, dir, -1)
	held, release, err := s.Acquire("geology")
	if err != nil {
		t.Fatal(err)
	}
	storetest.WriteVersion(t, dir, "geology", "v2")
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if body, _, _ := readTile(t, s, "geology", 3, 5, 6); body != "v2 3/5/6" {
		t.Errorf("after replace, new requests get %q, want v2", body)
	}
	if n := s.open.Load(); n != 2 {
		t.Errorf("%d versions open while v1 is held, want 2", n)
	}
	found, err := held.Tile(3, 5, 6, func(b []byte) error {
		if got := storetest.Gunzip(t, b); got != "v1 3/5/6" {
			t.Errorf("held version serves %q, want v1's tile", got)
		}
		return nil
	})
	if !found || err != nil {
		t.Errorf("held version after replacement: found %v, err %v", found, err)
	}
	release()
	if n := s.open.Load(); n != 1 {
		t.Errorf("%d versions open after v1 was released, want 1", n)
	}
	if _, err := held.Tile(3, 5, 6, func([]byte) error { return nil }); err == nil {
		t.Error("v1 still readable after release: not closed")
	}
}

// (3) A failed write, aborted or crashed, leaves the previous file
// byte-identical and servable.
func TestFailedWriteLeavesPreviousVersion(t *testing.T) {
	dir := t.TempDir()
	version := storetest.WriteVersion(t, dir, "geology", "v1")
	path := filepath.Join(dir, "geology"+tileset.Ext)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, logs := open(t, dir, -1)

	aborted, err := tileset.Create(dir, "geology")
	if err != nil {
		t.Fatal(err)
	}
	aborted.PutTiles([]tileset.Tile{{Z: 0, X: 0, Y: 0, Data: storetest.Gzip(t, "aborted")}})
	if err := aborted.Abort(); err != nil {
		t.Fatal(err)
	}
	// A crashed ingest: tiles written, never committed nor aborted.
	crashed, err := tileset.Create(dir, "geology")
	if err != nil {
		t.Fatal(err)
	}
	defer crashed.Abort()
	crashed.PutTiles([]tileset.Tile{{Z: 0, X: 0, Y: 0, Data: storetest.Gzip(t, "crashed")}})

	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the previous file changed")
	}
	body, _, err := readTile(t, s, "geology", 0, 0, 0)
	if err != nil || body != "v1 0/0/0" {
		t.Errorf("tile 0/0/0 = %q, %v; want v1's", body, err)
	}
	r, release, _ := s.Acquire("geology")
	if r.Metadata().Version != version {
		t.Errorf("serving version %s, want %s", r.Metadata().Version, version)
	}
	release()
	if got := s.IDs(); !slices.Equal(got, []string{"geology"}) {
		t.Errorf("IDs() = %q: the temporary file must not be listed", got)
	}
	if strings.Contains(logs.String(), tileset.TempMarker) {
		t.Errorf("the temporary file was noticed:\n%s", logs)
	}
}

// (4) A removed file disappears; Acquire reports ErrNotFound.
func TestRemovedTilesetDisappears(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	storetest.WriteVersion(t, dir, "faults", "f1")
	s, logs := open(t, dir, -1)
	if err := os.Remove(filepath.Join(dir, "geology"+tileset.Ext)); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Acquire("geology"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"geology"`) {
		t.Errorf("Acquire(removed) = %v, want ErrNotFound naming the id", err)
	}
	if got := s.IDs(); !slices.Equal(got, []string{"faults"}) {
		t.Errorf("IDs() = %q, want [faults]", got)
	}
	if n := s.open.Load(); n != 1 {
		t.Errorf("%d versions open, want 1: the removed one must be closed", n)
	}
	if len(logs.Lines("tileset removed", "id=geology")) != 1 {
		t.Errorf("want one 'tileset removed' line; log:\n%s", logs)
	}
}

// (5) Files that cannot be opened are skipped with one log line each, the
// others are served, and a skipped file is retried once it changes.
func TestBadFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	whole, err := os.ReadFile(filepath.Join(dir, "geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "garbage.tileset"), []byte("not a database at all, just some text"), 0o644)
	os.WriteFile(filepath.Join(dir, "half.tileset"), whole[:len(whole)/2], 0o644)
	os.Mkdir(filepath.Join(dir, "adir.tileset"), 0o755)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a tileset"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.tileset"), whole, 0o644)

	s, logs := open(t, dir, -1)
	if got := s.IDs(); !slices.Equal(got, []string{"geology"}) {
		t.Errorf("IDs() = %q, want only [geology]", got)
	}
	if body, _, err := readTile(t, s, "geology", 1, 1, 1); err != nil || body != "g1 1/1/1" {
		t.Errorf("geology beside bad files: %q, %v", body, err)
	}
	for _, name := range []string{"garbage.tileset", "half.tileset"} {
		if got := logs.Lines("tileset file skipped", filepath.Join(dir, name)); len(got) != 1 {
			t.Errorf("want one log line skipping %s, got %d; log:\n%s", name, len(got), logs)
		}
	}
	if got := logs.Lines("truncated"); len(got) != 1 {
		t.Errorf("the half-copied file's log line should say it is truncated; log:\n%s", logs)
	}
	for _, quiet := range []string{"adir", "notes", "hidden"} {
		if strings.Contains(logs.String(), quiet) {
			t.Errorf("%s should be ignored silently; log:\n%s", quiet, logs)
		}
	}

	// Unchanged bad files are not retried nor logged again.
	s.Refresh()
	s.Refresh()
	if got := logs.Lines("tileset file skipped"); len(got) != 2 {
		t.Errorf("%d skip lines after more scans, want still 2", len(got))
	}
	// Finishing the copy makes the file servable.
	replaceFile(t, dir, "half.tileset", whole)
	s.Refresh()
	if body, _, err := readTile(t, s, "half", 2, 2, 2); err != nil || body != "g1 2/2/2" {
		t.Errorf("completed file: %q, %v; want it served", body, err)
	}
	if len(logs.Lines("renamed after it was written", "id=half", "written_as=geology")) != 1 {
		t.Errorf("serving a file under another name than it was written with should be logged; log:\n%s", logs)
	}
}

// An empty file is said to be empty, not "bad file descriptor" (bbolt
// initialising it through a read-only handle), and is served once written.
func TestEmptyFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	whole, err := os.ReadFile(filepath.Join(dir, "geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.tileset")
	os.WriteFile(empty, nil, 0o644)
	s, logs := open(t, dir, -1)
	if got := logs.Lines("tileset file skipped", empty, "is empty (0 bytes), not a tileset file"); len(got) != 1 {
		t.Errorf("want one log line saying %s is empty; log:\n%s", empty, logs)
	}
	if strings.Contains(logs.String(), "bad file descriptor") {
		t.Errorf("log blames a file descriptor:\n%s", logs)
	}
	replaceFile(t, dir, "empty.tileset", whole)
	s.Refresh()
	if body, _, err := readTile(t, s, "empty", 1, 1, 1); err != nil || body != "g1 1/1/1" {
		t.Errorf("file written after being empty: %q, %v; want it served", body, err)
	}
}

// A new version that cannot be read does not take the tileset down: the
// version opened before keeps being served.
func TestUnreadableReplacementKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	version := storetest.WriteVersion(t, dir, "geology", "v1")
	s, logs := open(t, dir, -1)
	replaceFile(t, dir, "geology.tileset", []byte("garbage garbage garbage garbage"))
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	r, release, err := s.Acquire("geology")
	if err != nil {
		t.Fatal(err)
	}
	if r.Metadata().Version != version {
		t.Errorf("serving %s, want the previous version %s", r.Metadata().Version, version)
	}
	release()
	if len(logs.Lines("still serving the version opened before", version)) != 1 {
		t.Errorf("want one log line saying the previous version is kept; log:\n%s", logs)
	}
	v2 := storetest.WriteVersion(t, dir, "geology", "v2")
	s.Refresh()
	r, release, _ = s.Acquire("geology")
	if r.Metadata().Version != v2 {
		t.Errorf("serving %s after a good replacement, want %s", r.Metadata().Version, v2)
	}
	release()
}

// (6) Ids that cannot be tileset ids are refused: as file names they are
// skipped with a log line naming the rule, and Acquire reports ErrNotFound
// without rescanning the directory.
func TestBadIDs(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	if err := os.Rename(filepath.Join(dir, "geology.tileset"), filepath.Join(dir, "Geology Map.tileset")); err != nil {
		t.Fatal(err)
	}
	s, logs := open(t, dir, -1)
	if got := s.IDs(); len(got) != 0 {
		t.Errorf("IDs() = %q, want none", got)
	}
	if got := logs.Lines("tileset file skipped", "Geology Map.tileset", tileset.IDRule); len(got) != 1 {
		t.Errorf("want one log line naming the file and the id rule; log:\n%s", logs)
	}
	for _, id := range []string{"Geology Map", "../geology", "", ".hidden"} {
		if _, _, err := s.Acquire(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Acquire(%q) = %v, want ErrNotFound", id, err)
		}
	}
	s.scanMu.Lock()
	rescans := !s.lastMiss.IsZero()
	s.scanMu.Unlock()
	if rescans {
		t.Error("an invalid id triggered a rescan")
	}
	if _, err := tileset.Create(dir, "Geology Map"); err == nil || !strings.Contains(err.Error(), tileset.IDRule) {
		t.Errorf("Create with a bad id = %v, want an error naming the rule", err)
	}
}

func TestUnreadableDirectoryKeepsServing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	os.Mkdir(dir, 0o755)
	storetest.WriteVersion(t, dir, "geology", "g1")
	s, logs := open(t, dir, -1)
	moved := filepath.Join(root, "moved")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(); err == nil {
		t.Error("Refresh of a missing directory succeeded")
	}
	s.Refresh()
	if body, _, err := readTile(t, s, "geology", 0, 0, 0); err != nil || body != "g1 0/0/0" {
		t.Errorf("while the directory is gone: %q, %v; want the open tileset still served", body, err)
	}
	if got := logs.Lines("cannot read store directory"); len(got) != 1 {
		t.Errorf("want the directory error logged once, got %d; log:\n%s", len(got), logs)
	}
	os.Rename(moved, dir)
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if len(logs.Lines("readable again")) != 1 {
		t.Errorf("recovery not logged; log:\n%s", logs)
	}
}

func TestClose(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "g1")
	s, _ := open(t, dir, time.Millisecond)
	held, release, err := s.Acquire("geology")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, _, err := s.Acquire("geology"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Acquire after Close = %v, want ErrNotFound", err)
	}
	if err := s.Refresh(); !errors.Is(err, ErrClosed) {
		t.Errorf("Refresh after Close = %v, want ErrClosed", err)
	}
	if found, err := held.Tile(0, 0, 0, func([]byte) error { return nil }); !found || err != nil {
		t.Errorf("a version held across Close: found %v, err %v; want it readable until released", found, err)
	}
	release()
	if n := s.open.Load(); n != 0 {
		t.Errorf("%d versions open after Close and release, want 0", n)
	}
}

// BenchmarkAcquireTile measures what every tile request costs the store and
// the tileset: Acquire, one lookup, release.
func BenchmarkAcquireTile(b *testing.B) {
	dir := b.TempDir()
	storetest.WriteVersion(b, dir, "geology", "g1")
	s, _ := open(b, dir, -1)
	fn := func(gz []byte) error { return nil }
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			r, release, err := s.Acquire("geology")
			if err != nil {
				b.Error(err)
				return
			}
			if found, err := r.Tile(storetest.MaxZoom, i&7, (i>>3)&7, fn); !found || err != nil {
				b.Errorf("tile: %v %v", found, err)
			}
			release()
		}
	})
}

// TestGraceBoundsHeldVersion: a version replaced while a request holds it
// is closed once the grace period ends, though the request has not released
// it; the request's reads then fail, and its late release changes nothing.
func TestGraceBoundsHeldVersion(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteVersion(t, dir, "geology", "v1")
	logs := &storetest.LogBuffer{}
	s, err := Open(dir, Options{PollInterval: -1, Grace: 200 * time.Millisecond, KeepReplaced: -1, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	held, release, err := s.Acquire("geology")
	if err != nil {
		t.Fatal(err)
	}
	storetest.WriteVersion(t, dir, "geology", "v2")
	if err := s.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, err := held.Tile(3, 5, 6, func([]byte) error { return nil }); err != nil {
		t.Errorf("held version within the grace period: %v", err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for s.open.Load() != 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := s.open.Load(); n != 1 {
		t.Fatalf("%d versions open 3 s after v1 was replaced with a 200 ms grace, want 1", n)
	}
	if _, err := held.Tile(3, 5, 6, func([]byte) error { return nil }); err == nil {
		t.Error("v1 still readable after the grace period")
	}
	if got := logs.Lines("grace period"); len(got) != 1 {
		t.Errorf("log lines about the grace period: %q, want one", got)
	}
	release()
	if n := s.open.Load(); n != 1 {
		t.Errorf("%d versions open after the late release, want 1", n)
	}
	if got := logs.Lines("more often"); len(got) != 0 {
		t.Errorf("the late release logged %q", got)
	}
	if body, _, _ := readTile(t, s, "geology", 3, 5, 6); body != "v2 3/5/6" {
		t.Errorf("new requests get %q, want v2", body)
	}
}
