package store

import (
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// version is one open version of a tileset, shared by the store and every
// request that acquired it. The store holds one reference while the version is
// current; each Acquire adds one. The file is closed when the count reaches
// zero, which can happen only after the store has let go of it; or when the
// store's grace period after letting go of it ends (see retire), and then the
// requests still reading it fail.
type version struct {
	r    *tileset.Reader
	info os.FileInfo // the file as opened, to notice when its path changes
	refs atomic.Int64
	// release is unref bound once, so that Acquire does not allocate a
	// closure per request.
	release func()
	log     *slog.Logger
	open    *atomic.Int64 // the store's count of open versions
	closing sync.Once
}

func newVersion(r *tileset.Reader, log *slog.Logger, open *atomic.Int64) *version {
	v := &version{r: r, info: r.Stat(), log: log, open: open}
	v.refs.Store(1)
	v.release = v.unref
	open.Add(1)
	return v
}

// acquire takes a reference, unless the version is already closing.
func (v *version) acquire() bool {
	for n := v.refs.Load(); n > 0; n = v.refs.Load() {
		if v.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
	return false
}

func (v *version) unref() {
	switch n := v.refs.Add(-1); {
	case n == 0:
		v.close()
	case n < 0:
		// A caller released twice. The file is already closed; say so
		// rather than hide the bug.
		v.log.Error("tileset version released more often than acquired", "path", v.r.Path(), "version", v.r.Metadata().Version)
	}
}

// retire drops the store's reference to a version that is no longer current.
// Requests that still hold it keep it for at most grace (none if grace is
// negative): then it is closed under them, their reads fail, and the file,
// which may have been replaced or removed on disk, is released. A client
// reading a page very slowly must not keep a replaced file open for ever.
func (v *version) retire(grace time.Duration) {
	v.unref()
	if grace >= 0 && v.refs.Load() > 0 {
		time.AfterFunc(grace, func() {
			if n := v.refs.Load(); n > 0 {
				v.log.Warn("replaced tileset version still held after the grace period; closing it, so the requests still reading it fail", "path", v.r.Path(), "version", v.r.Metadata().Version, "requests", n, "grace", grace)
				v.close()
			}
		})
	}
}

// close closes the Reader, once: after the last release, or when the grace
// period ends, whichever comes first.
func (v *version) close() {
	v.closing.Do(func() {
		v.open.Add(-1)
		if err := v.r.Close(); err != nil {
			v.log.Warn("closing a replaced tileset version failed", "path", v.r.Path(), "err", err)
		}
	})
}

// sameFile reports whether two descriptions are of the same, unchanged file:
// a rename over the path gives a new inode, and an edit in place changes the
// size or the modification time.
func sameFile(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}
