package tileset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// tileText returns the uncompressed tile at z/x/y, or "" when none is stored.
func tileText(t testing.TB, r *Reader, z, x, y int) string {
	t.Helper()
	var s string
	_, err := r.Tile(z, x, y, func(gz []byte) error {
		s = string(gunzip(t, gz))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func countTiles(t testing.TB, r *Reader) int {
	t.Helper()
	n := 0
	if err := r.ForEach(func(z, x, y int, gz []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReaderServesWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	written := write(t, dir, "geology", pyramid(t, "v1", 3), 10, &Metadata{
		Title:  "Hamersley geology",
		Layer:  "geology",
		Fields: []Field{{Name: "code", Type: "string"}, {Name: "age_ma", Type: "real"}},
		Bounds: [4]float64{115, -23.5, 119.5, -20.5},
		Zooms:  []ZoomStats{{Zoom: 3, Tiles: 64}},
	})
	r, err := Open(tilesetPath(dir, "geology"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	m := r.Metadata()
	if m.ID != "geology" || m.Version != written.Version || m.Title != "Hamersley geology" || m.Layer != "geology" ||
		len(m.Fields) != 2 || m.Fields[1] != (Field{Name: "age_ma", Type: "real"}) || m.Bounds[1] != -23.5 ||
		len(m.Zooms) != 1 || m.Zooms[0].Tiles != 64 || !m.Created.Equal(written.Created) {
		t.Errorf("Metadata() = %+v, want what Commit wrote: %+v", m, written)
	}
	if r.Path() != tilesetPath(dir, "geology") {
		t.Errorf("Path() = %q", r.Path())
	}
	if fi, err := os.Stat(r.Path()); err != nil || !os.SameFile(fi, r.Stat()) || fi.Size() != r.Stat().Size() {
		t.Errorf("Stat() does not describe the opened file")
	}

	for _, c := range [][3]int{{0, 0, 0}, {1, 1, 0}, {3, 7, 0}, {3, 0, 7}, {3, 5, 2}} {
		if got, want := tileText(t, r, c[0], c[1], c[2]), string(payload("v1", c[0], c[1], c[2])); got != want {
			t.Errorf("tile %v = %q, want %q", c, got, want)
		}
	}
	for _, c := range [][3]int{{4, 0, 0}, {3, 8, 0}, {-1, 0, 0}, {40, 0, 0}, {2, -1, 0}} {
		found, err := r.Tile(c[0], c[1], c[2], func([]byte) error {
			t.Errorf("fn called for absent tile %v", c)
			return nil
		})
		if found || err != nil {
			t.Errorf("Tile%v = %v, %v; want false, nil", c, found, err)
		}
	}
	wantErr := errors.New("stop")
	if _, err := r.Tile(0, 0, 0, func([]byte) error { return wantErr }); err != wantErr {
		t.Errorf("Tile did not return fn's error: %v", err)
	}
}

func TestForEachInKeyOrder(t *testing.T) {
	dir := t.TempDir()
	tiles := pyramid(t, "v", 3)
	// Written backwards, read in (z, x, y) order.
	rev := make([]Tile, len(tiles))
	for i, tl := range tiles {
		rev[len(tiles)-1-i] = tl
	}
	write(t, dir, "a", rev, 5, nil)
	r, err := Open(tilesetPath(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	err = r.ForEach(func(z, x, y int, data []byte) error {
		want := tiles[i]
		if z != want.Z || x != want.X || y != want.Y || string(gunzip(t, data)) != string(payload("v", z, x, y)) {
			t.Errorf("tile #%d is %d/%d/%d, want %d/%d/%d", i, z, x, y, want.Z, want.X, want.Y)
		}
		i++
		return nil
	})
	if err != nil || i != len(tiles) {
		t.Errorf("ForEach visited %d tiles (err %v), want %d", i, err, len(tiles))
	}
}

// TestReaderOutlivesReplacement is what lets a server swap versions without
// failing a request: a version stays readable through its open Reader after a
// new one is renamed over its path.
func TestReaderOutlivesReplacement(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a", pyramid(t, "v1", 2), 100, nil)
	old, err := Open(tilesetPath(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	write(t, dir, "a", pyramid(t, "v2", 2), 100, nil)
	cur, err := Open(tilesetPath(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	if got := tileText(t, old, 2, 1, 1); got != "v1 2/1/1" {
		t.Errorf("old reader after replacement: %q, want v1's tile", got)
	}
	if got := tileText(t, cur, 2, 1, 1); got != "v2 2/1/1" {
		t.Errorf("new reader: %q, want v2's tile", got)
	}
	if os.SameFile(old.Stat(), cur.Stat()) {
		t.Error("old and new reader report the same file")
	}
}

// rawFile writes a bbolt file by hand, for files the Writer would never make.
func rawFile(t *testing.T, path string, fill func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fill); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func metaBucket(version, metadata string) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		m, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte("tiles")); err != nil {
			return err
		}
		if version != "" {
			m.Put([]byte("format_version"), []byte(version))
		}
		if metadata != "" {
			m.Put([]byte("metadata"), []byte(metadata))
		}
		return nil
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }

	os.WriteFile(path("text.tileset"), []byte("this is not a database, it is some text that someone saved here by mistake"), 0o644)
	os.WriteFile(path("empty.tileset"), nil, 0o644)
	rawFile(t, path("nobuckets.tileset"), func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	rawFile(t, path("newer.tileset"), metaBucket(strconv.Itoa(FormatVersion+1), `{"id":"newer"}`))
	rawFile(t, path("noversion.tileset"), metaBucket("", `{"id":"noversion"}`))
	rawFile(t, path("nometa.tileset"), metaBucket("1", ""))
	rawFile(t, path("badjson.tileset"), metaBucket("1", `{"id":`))

	// A file cut short, as by a copy that has not finished.
	write(t, dir, "whole", pyramid(t, "v", 5), 1000, nil)
	whole := readFile(t, path("whole.tileset"))
	os.WriteFile(path("truncated.tileset"), whole[:len(whole)/2], 0o644)

	for _, c := range []struct{ name, want string }{
		{"missing.tileset", "does not exist"},
		{"text.tileset", "not a readable tileset file"},
		{"empty.tileset", "is empty (0 bytes)"},
		{"nobuckets.tileset", "not a tileset"},
		{"newer.tileset", fmt.Sprintf("format version %d, newer than this program reads (%d); upgrade outcrop", FormatVersion+1, FormatVersion)},
		{"noversion.tileset", "no valid format version"},
		{"nometa.tileset", "no metadata"},
		{"badjson.tileset", "unreadable metadata"},
		{"truncated.tileset", "truncated"},
	} {
		r, err := Open(path(c.name))
		if err == nil {
			r.Close()
			t.Errorf("Open(%s) succeeded, want an error", c.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, path(c.name)) || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("Open(%s) = %q: want one line naming the file and containing %q", c.name, msg, c.want)
		}
	}
}

func TestOpenAcceptsOlderAndUnknown(t *testing.T) {
	// Unknown buckets and keys are ignored, as FORMAT.md promises.
	dir := t.TempDir()
	p := filepath.Join(dir, "future.tileset")
	rawFile(t, p, func(tx *bolt.Tx) error {
		if err := metaBucket("1", `{"id":"future","layer":"l","unknown_field":[1,2]}`)(tx); err != nil {
			return err
		}
		tx.Bucket([]byte("meta")).Put([]byte("other_key"), []byte("x"))
		tx.Bucket([]byte("tiles")).Put([]byte("not-a-tile-key"), []byte("x"))
		tx.Bucket([]byte("tiles")).Put([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0}, gz(t, []byte("root")))
		_, err := tx.CreateBucket([]byte("features"))
		return err
	})
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Metadata().Layer != "l" {
		t.Errorf("layer = %q", r.Metadata().Layer)
	}
	if got := tileText(t, r, 0, 0, 0); got != "root" {
		t.Errorf("tile 0/0/0 = %q", got)
	}
	if n := countTiles(t, r); n != 1 {
		t.Errorf("ForEach visited %d tiles, want 1 (the stray key skipped)", n)
	}
}

func TestMetadataArraysNotNull(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a", nil, 1, &Metadata{})
	db, err := bolt.Open(tilesetPath(dir, "a"), 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		js := string(tx.Bucket([]byte("meta")).Get([]byte("metadata")))
		if !strings.Contains(js, `"fields":[]`) || !strings.Contains(js, `"zooms":[]`) {
			t.Errorf("metadata %s: want empty arrays for fields and zooms, not null", js)
		}
		return nil
	})
}

// TestCloseWhileReading: Close waits for running lookups, later ones fail,
// and nothing deadlocks or races.
func TestCloseWhileReading(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a", pyramid(t, "v", 3), 100, nil)
	r, err := Open(tilesetPath(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{}, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				found, err := r.Tile(3, (i+g)&7, i&7, func(gz []byte) error {
					if len(gz) == 0 {
						t.Error("empty tile")
					}
					return nil
				})
				if i == 10 {
					started <- struct{}{}
				}
				if err != nil {
					if !strings.Contains(err.Error(), "closed") {
						t.Errorf("Tile during Close: %v", err)
					}
					return
				}
				if !found {
					t.Errorf("tile 3/%d/%d not found before Close", (i+g)&7, i&7)
					return
				}
			}
		}()
	}
	for range 4 {
		<-started
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if err := r.ForEach(func(int, int, int, []byte) error { return nil }); err == nil {
		t.Error("ForEach after Close succeeded")
	}
}

// TestDamagedFileFailsRequests: a page bbolt cannot parse fails the lookup
// with an error instead of crashing the process.
func TestDamagedFileFailsRequests(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a", pyramid(t, "v", 4), 1000, nil)
	path := tilesetPath(dir, "a")
	var root uint64
	db, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket([]byte("tiles")).RootPage())
		return nil
	})
	pageSize := db.Info().PageSize
	db.Close()
	if root < 2 {
		t.Fatalf("tiles bucket is inline (root page %d); the test needs a page of its own", root)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, pageSize), int64(root)*int64(pageSize)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r, err := Open(path)
	if err != nil {
		t.Fatal(err) // the meta bucket is intact, so the file opens
	}
	defer r.Close()
	found, err := r.Tile(4, 1, 1, func([]byte) error { return nil })
	if found || err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Errorf("Tile on a damaged page = %v, %v; want an error saying the file is damaged", found, err)
	}
	// The reader stays usable for the next request (and for Close).
	if _, err := r.Tile(4, 2, 2, func([]byte) error { return nil }); err == nil {
		t.Error("second Tile on the damaged page succeeded")
	}
}

// BenchmarkTile measures the serving path: one lookup of a stored tile.
func BenchmarkTile(b *testing.B) {
	dir := b.TempDir()
	write(b, dir, "bench", pyramid(b, "v", 6), 1000, nil)
	r, err := Open(tilesetPath(dir, "bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var n int
	fn := func(gz []byte) error { n += len(gz); return nil }
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			if found, err := r.Tile(6, i&63, (i>>6)&63, fn); !found || err != nil {
				b.Errorf("tile not found: %v", err)
				return
			}
		}
	})
}
