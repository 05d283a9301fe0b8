// Package store serves a directory of tileset files and follows it live: a file
// added or replaced is picked up without a restart, and a reader that holds a
// version keeps it until released, so no request fails or mixes two versions.
// A version replaced by a newer file stays acquirable for a while
// (Options.KeepReplaced, AcquireReplaced), for clients that still name it.
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
	// KeepReplaced is how long a version replaced by a newer file of the
	// same tileset stays acquirable by AcquireReplaced: clients hold the
	// TileJSON that names it for its max-age (60 s), a map page until it is
	// reloaded, so its versioned tile URLs must keep working a while after
	// the replacement. The store keeps the replaced file open, and so its
	// disk blocks allocated (it is unlinked by the rename over it), until
	// then. Zero means DefaultKeepReplaced; a negative value keeps none.
	KeepReplaced time.Duration
	// KeepVersions bounds the replaced versions kept per tileset, newest
	// first (zero means 1): each costs one tileset file of disk and one
	// open file while kept.
	KeepVersions int
}

// DefaultKeepReplaced is Options.KeepReplaced when it is zero: TileJSON's
// and the tileset metadata's max-age (60 s) plus a wide margin for clients
// that read them just before a replacement and pages that keep them longer.
const DefaultKeepReplaced = 5 * time.Minute

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
	keep  time.Duration // Options.KeepReplaced; <= 0 keeps none
	keepN int           // Options.KeepVersions

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
	// kept holds, by id, the versions replaced within Options.KeepReplaced,
	// newest first; they are in neither byID nor ids.
	kept map[string][]keptVersion
}

// keptVersion is a replaced version kept acquirable until a time.
type keptVersion struct {
	v     *version
	until time.Time
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
	s.keep, s.keepN = opts.KeepReplaced, opts.KeepVersions
	if s.keep == 0 {
		s.keep = DefaultKeepReplaced
	}
	if s.keepN <= 0 {
		s.keepN = 1
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

// AcquireReplaced returns the newest version of tileset id that was
// replaced by a newer file within Options.KeepReplaced and for which is
// reports true, as Acquire does; ErrNotFound when there is none. A
// version replaced longer ago, or one of a tileset since removed, is not
// kept.
func (s *Store) AcquireReplaced(id string, is func(*tileset.Metadata) bool) (ts *tileset.Reader, release func(), err error) {
	now := time.Now()
	for _, k := range s.cur.Load().kept[id] {
		if now.Before(k.until) && is(k.v.r.Metadata()) && k.v.acquire() {
			return k.v.r, k.v.release, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no replaced version of %q kept", ErrNotFound, id)
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
	replaced := map[string]bool{} // ids whose file was renamed over by a readable one
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
			replaced[c.id] = true
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
	now := time.Now()
	keptNext, keptChanged := s.pruneKept(old.kept, now, func(id string) bool { return next[id] == nil && broken[id] == nil }, &retired)
	for id, v := range old.byID {
		if next[id] != v {
			switch {
			case replaced[id] && s.keep > 0:
				keptNext[id] = append([]keptVersion{{v, now.Add(s.keep)}}, keptNext[id]...)
				if n := len(keptNext[id]); n > s.keepN {
					for _, k := range keptNext[id][s.keepN:] {
						retired = append(retired, k.v)
					}
					keptNext[id] = keptNext[id][:s.keepN]
				}
				keptChanged = true
				time.AfterFunc(s.keep, s.expireKept)
			default:
				retired = append(retired, v)
			}
			if next[id] == nil && broken[id] == nil {
				s.log.Info("tileset removed", "id", id)
			}
		}
	}
	if len(retired) == 0 && !keptChanged && len(next) == len(old.byID) && maps.EqualFunc(broken, old.broken, func(a, b error) bool { return a == b }) {
		return nil // nothing changed
	}
	ids := make([]string, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	s.cur.Store(&snapshot{byID: next, ids: ids, broken: broken, kept: keptNext})
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
	for _, ks := range old.kept {
		for _, k := range ks {
			k.v.unref()
		}
	}
	return nil
}

// pruneKept copies kept without the versions whose time is up at now and
// those of the ids gone says were removed, appending those to retired, and
// reports whether it dropped any.
func (s *Store) pruneKept(kept map[string][]keptVersion, now time.Time, gone func(id string) bool, retired *[]*version) (_ map[string][]keptVersion, changed bool) {
	out := make(map[string][]keptVersion, len(kept))
	for id, ks := range kept {
		var left []keptVersion
		for _, k := range ks {
			if gone(id) || !now.Before(k.until) {
				*retired = append(*retired, k.v)
				changed = true
				continue
			}
			left = append(left, k)
		}
		if len(left) > 0 {
			out[id] = left
		}
	}
	return out, changed
}

// expireKept lets go of the replaced versions whose time is up, so that
// their files are released even when the directory is not polled.
func (s *Store) expireKept() {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if s.closed {
		return
	}
	old := s.cur.Load()
	var retired []*version
	kept, changed := s.pruneKept(old.kept, time.Now(), func(string) bool { return false }, &retired)
	if !changed {
		return
	}
	s.cur.Store(&snapshot{byID: old.byID, ids: old.ids, broken: old.broken, kept: kept})
	for _, v := range retired {
		v.retire(s.grace)
	}
}
