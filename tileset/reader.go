package tileset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Reader serves one version of a tileset file, read-only and in place.
//
// Tiles are read straight from bbolt's memory map, without a copy. On Unix
// the version stays readable after another version is renamed over its path,
// because the Reader holds the file open; it is released by Close.
//
// A Reader is safe for concurrent use.
type Reader struct {
	path string
	db   *bolt.DB
	meta *Metadata
	info os.FileInfo
	seq  uint64 // this Reader's number in the feature match cache
	// checked is set for files of checksumVersion or later, whose tile,
	// feature and index values end in a checksum that every read verifies.
	checked bool
	// indexOnce verifies the index values once per Reader (the file does not
	// change under it), so that a query does not checksum the whole R-tree.
	indexOnce sync.Once
	indexErr  error

	// Beginning a bbolt transaction takes a database-wide mutex and a few
	// allocations, as much work as the lookup itself. The file never changes
	// under a Reader (it is opened read-only and writers replace files rather
	// than modify them), so a read transaction can stay open and serve lookup
	// after lookup; idle keeps such transactions, each with its cursor, for
	// one goroutine at a time.
	idle chan *readTx
	// mu is held shared by every lookup and exclusively by Close, so that
	// Close finds every transaction idle and can end them all.
	mu     sync.RWMutex
	closed bool
	// closing is set as Close begins: a feature query stops at its next
	// feature rather than keep Close waiting until its page is written.
	closing atomic.Bool

	file *os.File // bbolt's file, to notice a truncation before a transaction
	// poison is set by a memory fault: the file changed under the memory
	// map, and every later read fails with it.
	poison atomic.Pointer[DamageError]
	// wedged is set when beginning a transaction panicked, possibly with
	// bbolt's locks held: Close must not wait for them.
	wedged atomic.Bool
}

// readTx is a long-lived read transaction on the tiles bucket, and on the
// features once it has served one.
type readTx struct {
	tx   *bolt.Tx
	cur  *bolt.Cursor
	feat *featureView // nil until the first feature query
	// key holds the key of a lookup: hashing a key on the stack would move
	// it to the heap (hash/crc32 lets its input escape), one allocation per
	// lookup.
	key [keyLen]byte
}

// openTimeout bounds the wait for bbolt's shared file lock. Writers never lock
// a published file (they lock their temporary file), so a wait means another
// program holds the file open for writing.
const openTimeout = 500 * time.Millisecond

// Open opens the tileset file at path read-only.
func Open(path string) (*Reader, error) {
	// bbolt would take an empty file for a new database and fail to
	// initialise it read-only, with "bad file descriptor".
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return nil, fmt.Errorf("tileset %s is empty (0 bytes): a copy that has not started or a write that failed; copy it again, or rebuild it with outcrop ingest", path)
	}
	var file *os.File
	db, err := bolt.Open(path, 0, &bolt.Options{
		ReadOnly: true,
		Timeout:  openTimeout,
		// Statistics would add a mutex to every transaction begun.
		NoStatistics: true,
		// MmapFlags are left alone: MAP_POPULATE would read the whole file at
		// open, and the kernel's page cache already keeps hot tiles resident.
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		},
	})
	if err != nil {
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("tileset %s does not exist; check the path or run outcrop ingest", path)
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("tileset %s is locked for writing by another program; close it and retry", path)
		}
		return nil, fmt.Errorf("tileset %s is not a readable tileset file (%v); rebuild it with outcrop ingest or remove it", path, err)
	}
	r := &Reader{path: path, db: db, file: file, idle: make(chan *readTx, 4*runtime.GOMAXPROCS(0)), seq: readerSeq.Add(1)}
	if err := r.load(file); err != nil {
		if r.wedged.Load() {
			file.Close() // bbolt's locks may be held: see Close
		} else {
			db.Close()
		}
		return nil, err
	}
	return r, nil
}

// load checks the file's size and format version and parses its metadata.
func (r *Reader) load(file *os.File) (err error) {
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	defer r.recoverDamage(&err)
	info, err := file.Stat()
	if err != nil {
		return fmt.Errorf("tileset %s: %v", r.path, err)
	}
	r.info = info
	return r.view(func(tx *bolt.Tx) error {
		// bbolt maps pages up to the size its meta page records; reading one
		// past the end of a truncated file (say, half copied in by hand) would
		// fault and kill the process, so refuse such a file up front.
		if tx.Size() > info.Size() {
			return fmt.Errorf("tileset %s is truncated (%d of %d bytes); copy it again, then rename it into place", r.path, info.Size(), tx.Size())
		}
		meta := tx.Bucket([]byte(bucketMeta))
		if meta == nil || tx.Bucket([]byte(bucketTiles)) == nil {
			return fmt.Errorf("tileset %s is a bbolt file but not a tileset (no %q and %q buckets); rebuild it with outcrop ingest", r.path, bucketMeta, bucketTiles)
		}
		v, err := strconv.Atoi(string(meta.Get([]byte(keyFormatVersion))))
		if err != nil || v < 1 {
			return fmt.Errorf("tileset %s has no valid format version (%q); rebuild it with outcrop ingest", r.path, meta.Get([]byte(keyFormatVersion)))
		}
		if v > FormatVersion {
			return fmt.Errorf("tileset %s has format version %d, newer than this program reads (%d); upgrade outcrop", r.path, v, FormatVersion)
		}
		js := meta.Get([]byte(keyMetadata))
		if js == nil {
			return fmt.Errorf("tileset %s has no metadata; rebuild it with outcrop ingest", r.path)
		}
		var m Metadata
		if err := json.Unmarshal(js, &m); err != nil {
			return fmt.Errorf("tileset %s has unreadable metadata (%v); rebuild it with outcrop ingest", r.path, err)
		}
		r.meta = &m
		r.checked = v >= checksumVersion
		return nil
	})
}

// Metadata returns the tileset's metadata. Callers must not modify it.
func (r *Reader) Metadata() *Metadata { return r.meta }

// Path returns the path the Reader was opened with. After a replacement it
// names the new version, not necessarily the one this Reader serves.
func (r *Reader) Path() string { return r.path }

// Stat describes the file this Reader serves, as it was when opened: its size,
// modification time and identity (compare with os.SameFile).
func (r *Reader) Stat() os.FileInfo { return r.info }

// Tile calls fn with the gzip-compressed tile at z/x/y; the slice is valid only
// during fn. It reports false, without calling fn, when no tile is stored there,
// including for coordinates outside the zoom's grid.
func (r *Reader) Tile(z, x, y int, fn func(gz []byte) error) (found bool, err error) {
	key, ok := tileKey(z, x, y)
	if !ok {
		return false, nil
	}
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return false, r.errClosed()
	}
	if err := r.poisoned(); err != nil {
		return false, err
	}
	var rt *readTx
	select {
	case rt = <-r.idle:
	default:
		if rt, err = r.begin(); err != nil {
			return false, err
		}
	}
	// Deferred so that a panic in fn cannot leak the transaction, which would
	// make Close wait for it forever.
	defer r.putIdle(rt)
	rt.key = key
	gz, err := r.seek(rt, rt.key[:])
	if gz == nil || err != nil {
		return false, err
	}
	if gz, err = r.open(bucketTiles, rt.key[:], gz); err != nil {
		return false, err
	}
	return true, fn(gz)
}

// seek returns the value stored under key, or nil.
func (r *Reader) seek(rt *readTx, key []byte) (v []byte, err error) {
	defer r.recoverDamage(&err)
	k, v := rt.cur.Seek(key)
	if !bytes.Equal(k, key) {
		return nil, nil
	}
	return v, nil
}

// recoverDamage turns bbolt's panic on a page it cannot make sense of into an
// error naming the file: a damaged file must fail its requests, not the
// process. Deferred around bbolt calls only, so that a panic in a caller's
// callback is not mistaken for damage.
func (r *Reader) recoverDamage(err *error) {
	if p := recover(); p != nil {
		*err = r.damage(p)
	}
}

func (r *Reader) begin() (*readTx, error) {
	tx, err := r.beginTx()
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil { // a fault reading the bucket: end tx first
			r.rollback(tx)
			panic(p)
		}
	}()
	rt := &readTx{tx: tx}
	if b := tx.Bucket([]byte(bucketTiles)); b != nil { // nil only in a file Open refuses
		rt.cur = b.Cursor()
	}
	return rt, nil
}

// beginTx begins a read transaction. Beginning reads the meta pages under
// bbolt's locks, and a fault or a panic there leaves them held, so that every
// later transaction would wait for ever: a file shorter than when opened is
// refused before, and a panic marks the Reader wedged.
func (r *Reader) beginTx() (tx *bolt.Tx, err error) {
	if fi, serr := r.file.Stat(); serr == nil && fi.Size() < r.info.Size() {
		e := &DamageError{Path: r.path, Cause: fmt.Sprintf("the file shrank from %d to %d bytes under the reader: it was truncated or is being overwritten in place", r.info.Size(), fi.Size())}
		r.faulted(e)
		return nil, e
	}
	defer func() {
		if p := recover(); p != nil {
			r.wedged.Store(true)
			e := &DamageError{Path: r.path, Cause: fmt.Sprintf("cannot begin a read (%v): the file changed under the reader", p)}
			r.faulted(e)
			tx, err = nil, e
		}
	}()
	tx, err = r.db.Begin(false)
	if err != nil {
		return nil, fmt.Errorf("tileset %s: %v", r.path, err)
	}
	return tx, nil
}

func (r *Reader) putIdle(rt *readTx) {
	select {
	case r.idle <- rt:
	default:
		r.rollback(rt.tx)
	}
}

func (r *Reader) errClosed() error {
	return fmt.Errorf("tileset %s: reader is closed", r.path)
}

// ForEach calls fn for every tile in key order (by zoom, then x, then y); gz is
// valid only during fn. An error from fn stops the walk and is returned, as is
// a DamageError for a tile whose checksum does not match.
func (r *Reader) ForEach(fn func(z, x, y int, gz []byte) error) (err error) {
	defer r.catchFault(debug.SetPanicOnFault(true), &err)
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return r.errClosed()
	}
	if err := r.poisoned(); err != nil {
		return err
	}
	return r.view(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(bucketTiles)).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			z, x, y, ok := parseTileKey(k)
			if !ok || v == nil {
				continue // not a tile: ignored, as FORMAT.md asks of readers
			}
			v, err := r.open(bucketTiles, k, v)
			if err != nil {
				return err
			}
			if err := fn(z, x, y, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close releases the file. Lookups running concurrently finish first, and a
// feature query stops at its next feature with an error; later ones fail.
func (r *Reader) Close() error {
	r.closing.Store(true)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	matches.drop(r.seq)
	for {
		select {
		case rt := <-r.idle:
			r.rollback(rt.tx)
		default:
			if r.wedged.Load() {
				// bbolt may hold its locks from the panic: closing would
				// wait for ever. The descriptor is released; the memory
				// map is not.
				r.file.Close()
				return fmt.Errorf("tileset %s: closed after a fault in bbolt; its memory map stays until the process ends", r.path)
			}
			return r.db.Close()
		}
	}
}
