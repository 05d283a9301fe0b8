package tileset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/outcrop/outcrop/raster"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Batching limits for Put: large transactions amortise bbolt's per-commit work
// (page allocation, meta write) over many tiles.
const (
	batchTiles = 8192
	batchBytes = 16 << 20
)

// compactTxBytes bounds one transaction of the compaction copy so that its
// dirty pages stay a modest amount of memory.
const compactTxBytes = 64 << 20

// TempMarker is part of every temporary file name a Writer uses; a store
// ignores such files, as it ignores every name that does not end in Ext.
// A crash during an ingest leaves one behind, named ".ID.tileset.tmp-RANDOM";
// it is safe to delete whenever no ingest of that id is running.
const TempMarker = ".tmp-"

// Writer builds a new version of a tileset in a temporary file in the store
// directory. Nothing is visible to readers until Commit renames it into place;
// Abort, or a crash, leaves the previous version untouched.
//
// A Writer is not safe for concurrent use.
type Writer struct {
	dir, id string
	tmp     string // path of the temporary file being built
	db      *bolt.DB
	done    bool // committed or aborted

	pending      []Tile // tiles buffered by Put
	pendingBytes int

	lastKey   [keyLen]byte // largest key written so far
	anyTile   bool
	unordered bool // some tile or feature was written out of key order

	features featureState // what PutFeatures stored, for Commit's index
}

// Create starts a new version of tileset id in directory dir. The id must match
// ^[a-z0-9][a-z0-9_-]{0,63}$.
func Create(dir, id string) (*Writer, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("store directory %s does not exist or is not a directory; create it first", dir)
	}
	tmp, db, err := createTemp(dir, id, true)
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte(bucketMeta)); err != nil {
			return err
		}
		_, err := tx.CreateBucket([]byte(bucketTiles))
		return err
	})
	if err != nil {
		db.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("cannot initialise %s: %v", tmp, err)
	}
	return &Writer{dir: dir, id: id, tmp: tmp, db: db}, nil
}

// createTemp creates an empty bbolt file for id in dir under a fresh name that
// cannot be mistaken for a tileset. bulk selects settings for loading: no
// fsync per transaction and no freelist written, since Commit syncs once and a
// crashed load is discarded anyway.
func createTemp(dir, id string, bulk bool) (string, *bolt.DB, error) {
	tmp, err := reserveTemp(dir, id)
	if err != nil {
		return "", nil, err
	}
	db, err := bolt.Open(tmp, 0o644, &bolt.Options{
		Timeout:        time.Second,
		NoSync:         bulk,
		NoFreelistSync: bulk,
		// Growing the file without a sync per step also keeps bbolt from
		// preallocating it in 16 MiB steps, so the published file ends at its
		// last page; Commit syncs it once.
		NoGrowSync:   true,
		FreelistType: bolt.FreelistMapType,
		NoStatistics: true,
	})
	if err != nil {
		os.Remove(tmp)
		return "", nil, fmt.Errorf("cannot open temporary tileset %s: %v", tmp, err)
	}
	return tmp, db, nil
}

// reserveTemp creates an empty file named .ID.tileset.tmp-RANDOM in dir.
// O_EXCL guarantees the name is ours; mode 0644 (less the umask) lets a server
// running as another user read the file once it is renamed into place.
func reserveTemp(dir, id string) (string, error) {
	for range 10 {
		name := filepath.Join(dir, fmt.Sprintf(".%s%s%s%016x", id, Ext, TempMarker, rand.Uint64()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("cannot create a temporary file in store directory %s: %v; check that it is writable", dir, err)
		}
		return name, f.Close()
	}
	return "", fmt.Errorf("cannot find a free temporary file name in store directory %s", dir)
}

// Put buffers one tile and writes the buffer with PutTiles when it is large.
// The Writer keeps t.Data until then, so the caller must not modify it.
func (w *Writer) Put(t Tile) error {
	if w.done {
		return w.closedErr()
	}
	w.pending = append(w.pending, t)
	w.pendingBytes += len(t.Data)
	if len(w.pending) >= batchTiles || w.pendingBytes >= batchBytes {
		return w.flush()
	}
	return nil
}

func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	err := w.PutTiles(w.pending)
	clear(w.pending) // drop references to the tile data
	w.pending = w.pending[:0]
	w.pendingBytes = 0
	return err
}

// PutTiles stores a batch of tiles in one transaction.
func (w *Writer) PutTiles(batch []Tile) error {
	if w.done {
		return w.closedErr()
	}
	if len(batch) == 0 {
		return nil
	}
	type entry struct {
		key  [keyLen]byte
		data []byte
	}
	entries := make([]entry, len(batch))
	for i, t := range batch {
		k, ok := tileKey(t.Z, t.X, t.Y)
		if !ok {
			return fmt.Errorf("tileset %s: tile %d/%d/%d is outside the zoom's grid (0 <= z <= %d, 0 <= x, y < 2^z)", w.id, t.Z, t.X, t.Y, MaxZoom)
		}
		if (len(t.Data) < 2 || t.Data[0] != 0x1f || t.Data[1] != 0x8b) && !raster.IsDataTile(t.Data) && raster.ColourType(t.Data) == "" {
			return fmt.Errorf("tileset %s: tile %d/%d/%d is not gzip-compressed, a raster data tile nor a PNG or JPEG colour tile; store gzip-compressed MVT and leave empty tiles out", w.id, t.Z, t.X, t.Y)
		}
		entries[i] = entry{k, sealed(k[:], t.Data)}
	}
	// Inserting in key order fills B+tree pages left to right; when the whole
	// batch also follows everything written before, pages can be filled
	// completely because no later insert will land between their keys.
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key[:], b.key[:]) })
	appendOnly := !w.anyTile || bytes.Compare(entries[0].key[:], w.lastKey[:]) > 0
	err := w.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketTiles))
		if appendOnly {
			b.FillPercent = 1.0
		}
		for i := range entries {
			if err := b.Put(entries[i].key[:], entries[i].data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tileset %s: cannot write tiles to %s: %v", w.id, w.tmp, err)
	}
	if !appendOnly {
		w.unordered = true
	}
	if last := entries[len(entries)-1].key; !w.anyTile || bytes.Compare(last[:], w.lastKey[:]) > 0 {
		w.lastKey = last
	}
	w.anyTile = true
	return nil
}

// Commit writes the spatial index of the features stored by PutFeatures, if
// any, then meta (setting FormatVersion to versionFor(meta), ID, Version and Created, and
// FeatureCount to the number of features stored when there are any), syncs
// the file, renames it to dir/id.tileset and syncs the directory.
//
// If Commit fails the temporary file is removed and the previous version, if
// any, is untouched.
func (w *Writer) Commit(meta *Metadata) (err error) {
	if w.done {
		return w.closedErr()
	}
	if meta == nil {
		return fmt.Errorf("tileset %s: Commit needs metadata", w.id)
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	if err := w.flush(); err != nil {
		return err
	}
	if w.features.any {
		meta.FeatureCount = int64(w.features.count)
	}
	if err := w.finishFeatures(); err != nil {
		return err
	}
	meta.FormatVersion = versionFor(meta)
	meta.ID = w.id
	meta.Created = time.Now().UTC()
	meta.Version = newVersion(meta.Created)
	// FORMAT.md promises arrays, never null, to readers in other languages.
	doc := *meta
	if doc.Fields == nil {
		doc.Fields = []Field{}
	}
	if doc.Zooms == nil {
		doc.Zooms = []ZoomStats{}
	}
	js, err := json.Marshal(&doc)
	if err != nil {
		return fmt.Errorf("tileset %s: cannot encode metadata: %v", w.id, err)
	}
	// Write the freelist with the last transaction so that any bbolt reader,
	// including read-write tools like `bbolt compact`, opens the file quickly.
	w.db.NoFreelistSync = false
	err = w.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketMeta))
		if err := b.Put([]byte(keyFormatVersion), []byte(strconv.Itoa(meta.FormatVersion))); err != nil {
			return err
		}
		return b.Put([]byte(keyMetadata), js)
	})
	if err != nil {
		return fmt.Errorf("tileset %s: cannot write metadata to %s: %v", w.id, w.tmp, err)
	}
	if w.unordered {
		if err := w.compact(); err != nil {
			return err
		}
	}
	if err := w.db.Sync(); err != nil {
		return fmt.Errorf("tileset %s: cannot sync %s: %v", w.id, w.tmp, err)
	}
	err = w.db.Close()
	w.db = nil
	if err != nil {
		return fmt.Errorf("tileset %s: cannot close %s: %v", w.id, w.tmp, err)
	}
	final := filepath.Join(w.dir, w.id+Ext)
	if err := os.Rename(w.tmp, final); err != nil {
		return fmt.Errorf("tileset %s: cannot rename %s to %s: %v", w.id, w.tmp, final, err)
	}
	w.done = true
	if err := syncDir(w.dir); err != nil {
		return fmt.Errorf("tileset %s: %w: %s now holds the new version, but syncing directory %s failed (%v), so after a power loss the previous version may be back", w.id, ErrNotDurable, final, w.dir, err)
	}
	return nil
}

// ErrNotDurable is matched by Commit's error when the new version has
// replaced the previous one, and is being served, but the directory could
// not be synced. Unlike every other error of Commit, the store has changed.
var ErrNotDurable = errors.New("the new version is published but not yet durable")

// compact copies the file into a fresh one in key order with full pages, the
// smallest layout bbolt has, and switches the Writer to it. It is needed only
// when tiles arrived out of key order and left half-filled pages behind.
func (w *Writer) compact() error {
	tmp, db, err := createTemp(w.dir, w.id, false)
	if err != nil {
		return err
	}
	db.NoSync = true // Commit syncs once at the end
	if err := bolt.Compact(db, w.db, compactTxBytes); err != nil {
		db.Close()
		os.Remove(tmp)
		return fmt.Errorf("tileset %s: cannot compact %s into %s: %v", w.id, w.tmp, tmp, err)
	}
	w.db.Close()
	os.Remove(w.tmp)
	w.db, w.tmp = db, tmp
	return nil
}

// Abort discards the unfinished version. It is safe to call after Commit.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.pending = nil
	w.features = featureState{}
	var errs []error
	if w.db != nil {
		errs = append(errs, w.db.Close())
		w.db = nil
	}
	if err := os.Remove(w.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (w *Writer) closedErr() error {
	return fmt.Errorf("tileset %s: writer already committed or aborted; start a new one with Create", w.id)
}

// newVersion returns a version string unique to one written file: the time
// orders versions for people, the random part keeps two writes in the same
// instant apart.
func newVersion(t time.Time) string {
	return fmt.Sprintf("%s-%016x", t.UTC().Format("20060102T150405Z"), rand.Uint64())
}

// syncDir makes a rename in dir durable. A variable, so that tests can make
// it fail.
var syncDir = syncDirectory

func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
