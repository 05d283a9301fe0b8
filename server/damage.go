package server

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// readFailureStatus is the status of a request whose read from a tileset
// failed with err: 503 when the file is damaged (a checksum that does not
// match, a page bbolt cannot read, a file truncated or overwritten in place
// under the server), since the tileset is unavailable until its file is
// replaced, and 500 for anything else. The error, logged by the caller
// (logReadError), names the file and the key.
func readFailureStatus(err error) int {
	if errors.Is(err, tileset.ErrDamaged) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// damageLogWindow is how long after a damaged value (or a damaged file, when
// the damage is not in one value) is logged at ERROR the same damage met
// again is logged at DEBUG only: a damaged tile fails every request for it
// until its file is replaced, and one ERROR line a minute tells the operator
// as much as one a request. Each damaged value is named once, so that the
// log lists what is damaged.
const damageLogWindow = time.Minute

// maxDamageEntries is how many damaged values damageLog remembers before it
// forgets those whose window is over.
const maxDamageEntries = 4096

// logReadError logs a failed read from a tileset: msg, then args and err.
// Damage (tileset.ErrDamaged) is logged at ERROR the first time it is met in
// a value (or a file), and again at most once every damageLogWindow, with the number of
// failures logged at DEBUG since (repeats); any other error at ERROR always.
func (s *server) logReadError(msg string, err error, args ...any) {
	args = append(args, "err", err)
	var de *tileset.DamageError
	if !errors.As(err, &de) {
		s.log.Error(msg, args...)
		return
	}
	first, repeats := s.damage.met(de.Path + "\x00" + de.Bucket + "\x00" + string(de.Key))
	if !first {
		s.log.Debug(msg, args...)
		return
	}
	if repeats > 0 {
		args = append(args, "repeats", repeats)
	}
	s.log.Error(msg, args...)
}

// damageLog remembers, for each damaged value or file, when its damage was
// last logged at ERROR and how many failures have been met since.
type damageLog struct {
	mu    sync.Mutex
	files map[string]*damageEpisode
	now   func() time.Time // time.Now; a test's clock
}

type damageEpisode struct {
	logged  time.Time
	repeats int
}

// met records damage met at where (a file, bucket and key). It reports whether to log it
// at ERROR, and then how many failures were not logged at ERROR since the
// last time.
func (d *damageLog) met(where string) (logError bool, repeats int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if d.now != nil {
		now = d.now()
	}
	if d.files == nil {
		d.files = map[string]*damageEpisode{}
	}
	e := d.files[where]
	if e != nil && now.Sub(e.logged) < damageLogWindow {
		e.repeats++
		return false, 0
	}
	if e == nil {
		if len(d.files) >= maxDamageEntries {
			// Forget the episodes that are over, so that a file damaged
			// everywhere cannot grow the map without bound.
			for k, old := range d.files {
				if now.Sub(old.logged) >= damageLogWindow {
					delete(d.files, k)
				}
			}
		}
		d.files[where] = &damageEpisode{logged: now}
		return true, 0
	}
	repeats = e.repeats
	*e = damageEpisode{logged: now}
	return true, repeats
}
