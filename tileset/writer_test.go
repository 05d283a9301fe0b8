package tileset

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestCommitPublishesFile(t *testing.T) {
	dir := t.TempDir()
	before := time.Now().Add(-time.Second)
	tiles := pyramid(t, "v1", 3)
	meta := write(t, dir, "geology", tiles, 7, &Metadata{ID: "ignored", FormatVersion: 99, Version: "mine", Title: "Geology"})

	// A vector tileset is written as version 2, which version 2 readers read.
	if meta.ID != "geology" || meta.FormatVersion != 2 || meta.Version == "mine" || meta.Version == "" {
		t.Errorf("Commit set id %q, format %d, version %q; want geology, 2, a fresh version", meta.ID, meta.FormatVersion, meta.Version)
	}
	if meta.Created.Before(before) || meta.Created.After(time.Now()) {
		t.Errorf("Created = %v, want about now", meta.Created)
	}
	if got := dirNames(t, dir); len(got) != 1 || got[0] != "geology.tileset" {
		t.Errorf("store directory holds %q, want only geology.tileset", got)
	}
	fi, err := os.Stat(tilesetPath(dir, "geology"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("file mode %v: want it readable by group and others, for a server running as another user", fi.Mode())
	}

	// The raw layout, read with bbolt alone as FORMAT.md describes it.
	db, err := bolt.Open(tilesetPath(dir, "geology"), 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		if got := string(tx.Bucket([]byte("meta")).Get([]byte("format_version"))); got != "2" {
			t.Errorf("meta/format_version = %q, want 2", got)
		}
		n := 0
		tx.Bucket([]byte("tiles")).ForEach(func(k, v []byte) error { n++; return nil })
		if n != len(tiles) {
			t.Errorf("tiles bucket holds %d keys, want %d", n, len(tiles))
		}
		// 2/1/3 is 02 00000001 00000003.
		v := tx.Bucket([]byte("tiles")).Get([]byte{2, 0, 0, 0, 1, 0, 0, 0, 3})
		if got := string(gunzip(t, v[:len(v)-checksumLen])); got != "v1 2/1/3" {
			t.Errorf("tile at key 020000000100000003 = %q, want \"v1 2/1/3\"", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestVersionsAreUnique(t *testing.T) {
	dir := t.TempDir()
	seen := map[string]bool{}
	for range 5 {
		m := write(t, dir, "a", pyramid(t, "x", 0), 1, nil)
		if seen[m.Version] {
			t.Fatalf("version %q written twice", m.Version)
		}
		seen[m.Version] = true
	}
}

func TestTempFileWhileWriting(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "faults")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.PutTiles(pyramid(t, "v", 1)); err != nil {
		t.Fatal(err)
	}
	names := dirNames(t, dir)
	if len(names) != 1 {
		t.Fatalf("store directory holds %q while writing, want one temporary file", names)
	}
	if n := names[0]; !strings.HasPrefix(n, ".faults.tileset"+TempMarker) || strings.HasSuffix(n, Ext) {
		t.Errorf("temporary file %q: want a hidden .faults.tileset%s* name that does not end in %s", n, TempMarker, Ext)
	}
}

func TestAbortLeavesPreviousVersion(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "geology", pyramid(t, "v1", 2), 100, nil)
	before := readFile(t, tilesetPath(dir, "geology"))

	w, err := Create(dir, "geology")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutTiles(pyramid(t, "v2", 3)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort = %v, want nil", err)
	}
	if err := w.PutTiles(pyramid(t, "v3", 0)); err == nil {
		t.Error("PutTiles after Abort succeeded, want an error")
	}
	if err := w.Commit(&Metadata{}); err == nil {
		t.Error("Commit after Abort succeeded, want an error")
	}
	if !bytes.Equal(readFile(t, tilesetPath(dir, "geology")), before) {
		t.Error("Abort changed the previous version")
	}
	if got := dirNames(t, dir); len(got) != 1 {
		t.Errorf("store directory holds %q after Abort, want only geology.tileset", got)
	}
	r, err := Open(tilesetPath(dir, "geology"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := tileText(t, r, 2, 3, 1); got != "v1 2/3/1" {
		t.Errorf("tile 2/3/1 after Abort = %q, want the previous version's", got)
	}
}

func TestFailedCommitLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	// A directory where the tileset should go makes the rename fail.
	if err := os.Mkdir(tilesetPath(dir, "blocked"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := Create(dir, "blocked")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PutTiles(pyramid(t, "v", 1)); err != nil {
		t.Fatal(err)
	}
	err = w.Commit(&Metadata{})
	if err == nil {
		t.Fatal("Commit over a directory succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "blocked.tileset") || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line naming the target", msg)
	}
	if got := dirNames(t, dir); len(got) != 1 || got[0] != "blocked.tileset" {
		t.Errorf("store directory holds %q after a failed Commit, want the temporary file gone", got)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after a failed Commit = %v", err)
	}
}

func TestCommitIsFinal(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "a")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(&Metadata{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit = %v, want nil", err)
	}
	if _, err := os.Stat(tilesetPath(dir, "a")); err != nil {
		t.Errorf("Abort after Commit removed the tileset: %v", err)
	}
	if err := w.Commit(&Metadata{}); err == nil {
		t.Error("second Commit succeeded, want an error")
	}
}

func TestCreateRejects(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"Geology", "../escape", ".hidden", "a.tileset", ""} {
		_, err := Create(dir, id)
		if err == nil || !strings.Contains(err.Error(), IDRule) {
			t.Errorf("Create(%q) = %v, want an error naming the rule", id, err)
		}
	}
	missing := filepath.Join(dir, "nope")
	if _, err := Create(missing, "a"); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Create in a missing directory = %v, want an error naming it", err)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("rejected Creates left %q behind", got)
	}
}

func TestPutTilesRejects(t *testing.T) {
	w, err := Create(t.TempDir(), "a")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, c := range []struct {
		tile Tile
		want string
	}{
		{Tile{Z: 1, X: 2, Y: 0, Data: gz(t, nil)}, "1/2/0 is outside"},
		{Tile{Z: 33, Data: gz(t, nil)}, "33/0/0 is outside"},
		{Tile{Z: 0, X: 0, Y: 0, Data: []byte("\x1a\x02raw mvt")}, "0/0/0 is not gzip-compressed"},
		{Tile{Z: 0, X: 0, Y: 0}, "0/0/0 is not gzip-compressed"},
	} {
		err := w.PutTiles([]Tile{c.tile})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PutTiles(%d/%d/%d) = %v, want an error containing %q", c.tile.Z, c.tile.X, c.tile.Y, err, c.want)
		}
	}
}

func TestPutBatches(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "many")
	if err != nil {
		t.Fatal(err)
	}
	// More tiles than one batch holds, so Put flushes on its own and Commit
	// flushes the rest.
	n := 0
	for x := 0; x < 100; x++ {
		for y := 0; y < 100; y++ {
			if err := w.Put(Tile{Z: 7, X: x, Y: y, Data: gz(t, payload("b", 7, x, y))}); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n <= batchTiles {
		t.Fatalf("test writes %d tiles, fewer than a batch (%d)", n, batchTiles)
	}
	if err := w.Commit(&Metadata{}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(tilesetPath(dir, "many"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := countTiles(t, r); got != n {
		t.Errorf("file holds %d tiles, want %d", got, n)
	}
	if got := tileText(t, r, 7, 99, 99); got != "b 7/99/99" {
		t.Errorf("last tile put = %q", got)
	}
}

// TestFileSize measures the file against the tile bytes it holds, for tiles
// written in key order and in random order (which Commit compacts).
func TestFileSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := rand.NewChaCha8([32]byte{1})
	var tiles []Tile
	var sum int64
	for z := 0; z <= 7; z++ {
		for x := 0; x < 1<<z; x += 1 + z/4 {
			for y := 0; y < 1<<z; y += 1 + z/4 {
				// Tile sizes spread like real ones: mostly small, some large.
				n := 50 + int(rng.ExpFloat64()*1500)
				data := make([]byte, n)
				noise.Read(data) // incompressible, so the tile is n bytes
				d := gz(t, data)
				sum += int64(len(d))
				tiles = append(tiles, Tile{Z: z, X: x, Y: y, Data: d})
			}
		}
	}
	dir := t.TempDir()
	write(t, dir, "ordered", tiles, 1000, nil)
	shuffled := slicesClone(tiles)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	write(t, dir, "shuffled", shuffled, 1000, nil)

	// Without compaction, for comparison.
	w, err := Create(dir, "raw")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(shuffled); i += 1000 {
		if err := w.PutTiles(shuffled[i:min(i+1000, len(shuffled))]); err != nil {
			t.Fatal(err)
		}
	}
	w.unordered = false
	if err := w.Commit(&Metadata{}); err != nil {
		t.Fatal(err)
	}

	size := func(id string) int64 {
		fi, err := os.Stat(tilesetPath(dir, id))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	ordered, compacted, raw := size("ordered"), size("shuffled"), size("raw")
	t.Logf("%d tiles, %d bytes of tiles: in order %d bytes (%.2fx), shuffled+compacted %d (%.2fx), shuffled uncompacted %d (%.2fx)",
		len(tiles), sum, ordered, float64(ordered)/float64(sum), compacted, float64(compacted)/float64(sum), raw, float64(raw)/float64(sum))
	// bbolt stores values in 4 KiB pages, so some slack is inherent (about
	// 1.4x for tiles of this size); 1.5x catches half-filled pages (a shuffled
	// file left uncompacted is about 1.75x) and preallocated space.
	if float64(ordered) > 1.5*float64(sum) {
		t.Errorf("file written in key order is %d bytes for %d bytes of tiles, want at most 1.5x", ordered, sum)
	}
	if float64(compacted) > 1.02*float64(ordered) {
		t.Errorf("file written out of order is %d bytes after compaction, want no more than the in-order file's %d", compacted, ordered)
	}
	// The shuffled file must read back exactly.
	r, err := Open(tilesetPath(dir, "shuffled"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, tl := range tiles {
		found, err := r.Tile(tl.Z, tl.X, tl.Y, func(gz []byte) error {
			if !bytes.Equal(gz, tl.Data) {
				t.Errorf("tile %d/%d/%d differs after compaction", tl.Z, tl.X, tl.Y)
			}
			return nil
		})
		if err != nil || !found {
			t.Fatalf("tile %d/%d/%d: found %v, err %v", tl.Z, tl.X, tl.Y, found, err)
		}
	}
}

func slicesClone(t []Tile) []Tile { return append([]Tile(nil), t...) }

// BenchmarkWrite measures ingest's side of the file: Put of tiles of about
// 10 KB, out of key order as parallel cutting produces them, then Commit
// (which compacts). Throughput is in tile bytes per second.
func BenchmarkWrite(b *testing.B) {
	const n = 5000
	noise := rand.NewChaCha8([32]byte{2})
	rng := rand.New(rand.NewPCG(3, 4))
	tiles := make([]Tile, 0, n)
	var total int64
	for i := range n {
		data := make([]byte, 2000+rng.IntN(16000))
		noise.Read(data)
		d := gz(b, data)
		total += int64(len(d))
		tiles = append(tiles, Tile{Z: 14, X: 13000 + i%100, Y: 7700 + i/100, Data: d})
	}
	rng.Shuffle(len(tiles), func(i, j int) { tiles[i], tiles[j] = tiles[j], tiles[i] })
	b.SetBytes(total)
	b.ResetTimer()
	for range b.N {
		w, err := Create(b.TempDir(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		for _, tl := range tiles {
			if err := w.Put(tl); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Commit(&Metadata{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCommitSaysWhenPublishedButNotSynced: a directory sync failing after
// the rename is reported as ErrNotDurable, whose message says the new
// version is in place, since the store did change.
func TestCommitSaysWhenPublishedButNotSynced(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a", pyramid(t, "v1", 1), 100, nil)
	syncDir = func(string) error { return errors.New("input/output error") }
	defer func() { syncDir = syncDirectory }()
	w, err := Create(dir, "a")
	if err != nil {
		t.Fatal(err)
	}
	w.PutTiles(pyramid(t, "v2", 1))
	err = w.Commit(&Metadata{Title: "v2"})
	if !errors.Is(err, ErrNotDurable) || !strings.Contains(err.Error(), "now holds the new version") {
		t.Errorf("Commit = %v; want ErrNotDurable saying the new version is in place", err)
	}
	r, err := Open(tilesetPath(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Metadata().Title != "v2" {
		t.Errorf("the file holds %q; want the new version v2", r.Metadata().Title)
	}
}
