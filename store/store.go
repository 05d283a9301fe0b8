// Package store serves a directory of tileset files and follows it live: a file
// added or replaced is picked up without a restart, and a reader that holds a
// version keeps it until released, so no request fails or mixes two versions.
//
// Each tileset is the file ID.tileset in the directory (see tileset/FORMAT.md);
// the id is taken from the file name. Hidden files, writers' temporary files
// and files that cannot be opened are skipped, each with one log line.
package store

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// ErrNotFound is returned by Acquire for an id with no tileset in the store.
var ErrNotFound = errors.New("store: no such tileset")

// ErrUnavailable is returned by Acquire for a tileset whose file is being
// modified in place (overwritten or truncated under its own name) and cannot
// be read until that finishes; the store picks the file up once it is
// complete. A server answers 503.
var ErrUnavailable = errors.New("store: tileset file is being modified in place")

// ErrClosed is returned by Refresh after Close.
var ErrClosed = errors.New("store: closed")

// Catalog is the narrow, read-only view of a store that the server uses.
type Catalog interface {
	// IDs lists the tilesets, sorted.
	IDs() []string
	// Acquire returns the current version of tileset id; release must be
	// called when the caller is done with it.
	Acquire(id string) (ts *tileset.Reader, release func(), err error)
}

// Options tunes a Store.
type Options struct {
	// PollInterval is how often the directory is rescanned (default 1s). A
	// negative interval turns polling off; unknown ids still trigger a rescan.
	PollInterval time.Duration
	// Logger receives one line per tileset loaded, replaced, removed or
	// skipped (default slog.Default()).
	Logger *slog.Logger
	// Grace is how long a version replaced or removed stays open for the
	// requests that acquired it before: then it is closed, their reads
	// fail, and its file is released. Zero means DefaultGrace; a negative
	// value keeps it open until the last holder releases it.
	Grace time.Duration
}

// DefaultGrace is Options.Grace when it is zero: far longer than any request
// to a client that reads, short enough that replaced files do not pile up
// on disk behind clients that barely do.
const DefaultGrace = time.Minute

// missRescanInterval bounds the rescans that requests for unknown ids
// trigger, so that a flood of such requests costs at most a few directory
// listings a second.
const missRescanInterval = 100 * time.Millisecond

// Store is a Catalog over a directory of tileset files.
type Store struct {
	dir   string
	log   *slog.Logger
	grace time.Duration

	// cur is replaced, never modified, so Acquire reads it without a lock.
	cur atomic.Pointer[snapshot]
	// open counts versions not yet closed, for tests.
	open atomic.Int64

	// scanMu serialises scans and guards the fields below.
	scanMu   sync.Mutex
	lastMiss time.Time              // the last rescan an unknown id triggered
	skipped  map[string]os.FileInfo // files that failed, by name: logged once until they change
	lastErr  string                 // the last directory error logged
	closed   bool

	stop chan struct{}
	done chan struct{}
}

// snapshot is the set of current versions at one moment.
type snapshot struct {
	byID map[string]*version
	ids  []string // sorted
	// broken holds the ids whose file was modified in place and could not
	// be opened since, with the reason; they are in neither byID nor ids.
	broken map[string]error
}

// Open scans dir and starts following it.
func Open(dir string, opts Options) (*Store, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("store directory %s does not exist or is not a directory; create it or pass the directory that outcrop ingest --store writes to", dir)
	}
	s := &Store{
		dir:     dir,
		log:     opts.Logger,
		grace:   opts.Grace,
		skipped: map[string]os.FileInfo{},
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.grace == 0 {
		s.grace = DefaultGrace
	}
	s.cur.Store(&snapshot{byID: map[string]*version{}})
	s.sweep()
	if err := s.Refresh(); err != nil {
		return nil, fmt.Errorf("cannot read store directory %s: %v", dir, err)
	}
	poll := opts.PollInterval
	if poll == 0 {
		poll = time.Second
	}
	if poll > 0 {
		go s.follow(poll)
	} else {
		close(s.done)
	}
	return s, nil
}

// IDs lists the tilesets, sorted.
func (s *Store) IDs() []string { return slices.Clone(s.cur.Load().ids) }

// Acquire returns the current version of tileset id. The caller must call
// release exactly once when done; until then the version stays open and
// readable even if it is replaced or removed, for up to Options.Grace after
// that; then its reads fail. An id not in the store triggers
// an immediate rescan (at most one per 100 ms), so a tileset added a moment ago
// is found without waiting for the next poll.
func (s *Store) Acquire(id string) (ts *tileset.Reader, release func(), err error) {
	rescanned := false
	for {
		snap := s.cur.Load()
		v := snap.byID[id]
		if v == nil {
			if rescanned || tileset.ValidateID(id) != nil {
				if err := snap.broken[id]; err != nil {
					return nil, nil, fmt.Errorf("%w: %q: %v", ErrUnavailable, id, err)
				}
				return nil, nil, fmt.Errorf("%w: %q", ErrNotFound, id)
			}
			s.rescanForMiss()
			rescanned = true
			continue
		}
		if v.acquire() {
			return v.r, v.release, nil
		}
		// v closed between the Load and acquire: it was replaced or removed,
		// and the snapshot without it is already published, so look again.
	}
}

// Recheck rescans the directory now, unless a request did so within the
// last 100 ms, for a caller with reason to think a file changed since the
// last poll: a request for a version of a tileset newer than the one
// served.
func (s *Store) Recheck() { s.rescanForMiss() }

// rescanForMiss rescans the directory unless a request did so very recently.
func (s *Store) rescanForMiss() {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if s.closed || time.Since(s.lastMiss) < missRescanInterval {
		return
	}
	s.lastMiss = time.Now()
	s.scanLocked()
}

// Refresh rescans the directory now: new files are opened, replaced ones
// reopened, removed ones dropped. It fails only when the directory cannot be
// read, and then changes nothing.
func (s *Store) Refresh() error {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.scanLocked()
}

// follow polls the directory until Close.
func (s *Store) follow(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.scanMu.Lock()
			if !s.closed {
				s.scanLocked()
			}
			s.scanMu.Unlock()
		}
	}
}

// scanLocked brings the snapshot in line with the directory. Versions that
// leave the snapshot are released only after the new snapshot is published,
// so a concurrent Acquire either gets the old version with a reference or
// finds the new snapshot.
func (s *Store) scanLocked() error {
	found, err := listCandidates(s.dir)
	if err != nil {
		// Keep serving what is open: a directory briefly unreadable (an NFS
		// hiccup, a permission change) should not take every tileset down.
		if msg := err.Error(); msg != s.lastErr {
			s.log.Error("cannot read store directory; serving the tilesets already open", "dir", s.dir, "err", err)
			s.lastErr = msg
		}
		return err
	}
	if s.lastErr != "" {
		s.log.Info("store directory readable again", "dir", s.dir)
		s.lastErr = ""
	}

	old := s.cur.Load()
	next := make(map[string]*version, len(found))
	broken := map[string]error{}
	names := make(map[string]bool, len(found))
	for _, c := range found {
		names[c.name] = true
		prev := old.byID[c.id]
		if prev != nil && sameFile(prev.info, c.info) {
			next[c.id] = prev
			continue
		}
		inPlace := prev != nil && os.SameFile(prev.info, c.info)
		if inPlace {
			// Modified in place (cp or scp onto the live file, a
			// truncation): the open version's pages are being overwritten
			// under its memory map, so it cannot be served any longer,
			// whatever the new contents turn out to be.
			s.log.Warn("tileset file modified in place; replace files by renaming a complete copy over them (see tileset/FORMAT.md)", "path", c.path, "version", prev.r.Metadata().Version)
			prev = nil
			delete(s.skipped, c.name)
		}
		if bad, ok := s.skipped[c.name]; ok && sameFile(bad, c.info) {
			if prev != nil {
				next[c.id] = prev
			} else if err := old.broken[c.id]; err != nil {
				broken[c.id] = err
			}
			continue
		}
		v, err := s.load(c)
		if err != nil {
			s.skipped[c.name] = c.info
			if inPlace || old.broken[c.id] != nil {
				// Still being modified in place: unavailable, not gone.
				broken[c.id] = err
				s.log.Warn("tileset file unavailable until it is complete", "path", c.path, "err", err)
				continue
			}
			if prev != nil {
				// The previous version's file was replaced by one we cannot
				// read; serving the previous contents beats serving nothing.
				next[c.id] = prev
				s.log.Warn("tileset file skipped; still serving the version opened before", "path", c.path, "version", prev.r.Metadata().Version, "err", err)
			} else {
				s.log.Warn("tileset file skipped", "path", c.path, "err", err)
			}
			continue
		}
		delete(s.skipped, c.name)
		next[c.id] = v
		if prev != nil {
			s.log.Info("tileset replaced", "id", c.id, "version", v.r.Metadata().Version, "previous", prev.r.Metadata().Version)
		} else {
			s.log.Info("tileset loaded", "id", c.id, "version", v.r.Metadata().Version, "path", c.path)
		}
	}
	for name := range s.skipped {
		if !names[name] {
			delete(s.skipped, name)
		}
	}

	var retired []*version
	for id, v := range old.byID {
		if next[id] != v {
			retired = append(retired, v)
			if next[id] == nil && broken[id] == nil {
				s.log.Info("tileset removed", "id", id)
			}
		}
	}
	if len(retired) == 0 && len(next) == len(old.byID) && maps.EqualFunc(broken, old.broken, func(a, b error) bool { return a == b }) {
		return nil // nothing changed
	}
	ids := make([]string, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	s.cur.Store(&snapshot{byID: next, ids: ids, broken: broken})
	for _, v := range retired {
		v.retire(s.grace)
	}
	return nil
}

// load opens one candidate file.
func (s *Store) load(c candidate) (*version, error) {
	if err := tileset.ValidateID(c.id); err != nil {
		return nil, fmt.Errorf("file name is not a valid tileset id: %v; rename the file", err)
	}
	if c.info.Size() == 0 {
		// bbolt would try to initialise it, through a read-only handle:
		// "bad file descriptor".
		return nil, fmt.Errorf("tileset %s is empty (0 bytes), not a tileset file: a copy not yet written, or one that failed; finish the copy, or rebuild it with outcrop ingest or remove it", c.path)
	}
	r, err := tileset.Open(c.path)
	if err != nil {
		return nil, err
	}
	if m := r.Metadata(); m.ID != c.id {
		s.log.Warn("tileset file renamed after it was written; serving it under its file name", "path", c.path, "id", c.id, "written_as", m.ID)
	}
	return newVersion(r, s.log, &s.open), nil
}

// Close stops following the directory and releases the store's hold on every
// version; each is closed once its last holder releases it. Acquire finds
// nothing afterwards.
func (s *Store) Close() error {
	s.scanMu.Lock()
	if s.closed {
		s.scanMu.Unlock()
		return nil
	}
	s.closed = true
	s.scanMu.Unlock()
	close(s.stop)
	<-s.done
	old := s.cur.Swap(&snapshot{byID: map[string]*version{}})
	for _, v := range old.byID {
		v.unref()
	}
	return nil
}
