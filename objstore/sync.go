package objstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// syncMarker is in the name of the temporary files a Syncer downloads to,
// ".ID.tileset.sync-…": hidden, so a store never loads them.
const syncMarker = ".sync-"

// Syncer keeps a store directory on the versions published under its
// client's location: each pass reads every tileset's manifest and, for one
// that names a version the directory does not hold, downloads the object
// beside the current file, checks it, and renames it over ID.tileset, as an
// ingest replaces a tileset. The store serves the previous version until
// then, and the requests that began on it until they end.
//
// A manifest saying the tileset is deleted (see Client.Delete) removes
// ID.tileset from the directory. Nothing else does: a folder missing from a
// listing, a manifest that cannot be read, or storage out of reach leaves
// the store as it is.
//
// A version whose object is missing its size or checksum, or is not a sound
// tileset, is refused with one log line naming the object and the reason,
// and is not downloaded again until a new manifest is published. Failures
// to reach the storage are retried at the next pass.
type Syncer struct {
	client *Client
	dir    string
	log    *slog.Logger
	// changed is called after a version was renamed into the directory.
	changed func()
	// mu serialises passes; it guards state and lastPass.
	mu       sync.Mutex
	state    map[string]*syncState
	lastPass time.Time // when the last pass began
}

// syncState is what the Syncer knows of one tileset.
type syncState struct {
	etag  string      // of the manifest last dealt with, for a conditional read
	local os.FileInfo // the file in dir when it was dealt with
	// refused is the SHA-256 of the last manifest refused, so that it is
	// not tried again even where the storage ignores conditional reads.
	refused [sha256.Size]byte
}

// NewSyncer returns a Syncer that pulls into store directory dir. changed,
// if not nil, is called after each new version is in place (a store's
// Refresh, so that it is served at once). It removes the temporary files an
// interrupted download left in dir.
func NewSyncer(c *Client, dir string, log *slog.Logger, changed func()) *Syncer {
	if log == nil {
		log = slog.Default()
	}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if n := e.Name(); strings.HasPrefix(n, ".") && strings.Contains(n, tileset.Ext+syncMarker) {
				os.Remove(filepath.Join(dir, n))
			}
		}
	}
	return &Syncer{client: c, dir: dir, log: log, changed: changed, state: map[string]*syncState{}}
}

// Run calls Once every interval until ctx is done.
func (s *Syncer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Once(ctx)
		}
	}
}

// Once makes one pass over the published tilesets and returns the number of
// changes made: new versions put in place and deleted tilesets removed.
// Each problem is logged.
func (s *Syncer) Once(ctx context.Context) (installed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once(ctx)
}

// Catchup is for a caller with reason to think a version was published
// since the last pass: a request for a version newer than the one served,
// which another replica gave a client. It returns once a pass that began
// after the call has ended, the one it makes or one already under way, so
// that many calls at once make one pass, and passes never overlap.
func (s *Syncer) Catchup(ctx context.Context) {
	asked := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastPass.After(asked) {
		return
	}
	s.once(ctx)
}

func (s *Syncer) once(ctx context.Context) (installed int) {
	s.lastPass = time.Now()
	ids, err := s.client.ids(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("object storage sync: cannot list tilesets; retrying at the next pass", "err", err)
		}
		return 0
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return installed
		}
		if err := tileset.ValidateID(id); err != nil {
			s.log.Debug("object storage sync: folder is not a tileset id", "folder", id, "err", err)
			continue
		}
		ok, err := s.syncOne(ctx, id)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("object storage sync: cannot pull tileset; retrying at the next pass", "id", id, "err", err)
		}
		if ok {
			installed++
		}
	}
	return installed
}

// refusal is a published version that is not taken.
type refusal struct {
	key, reason string
}

func (r *refusal) Error() string { return r.key + ": " + r.reason }

// syncOne brings tileset id up to its manifest. It reports whether a new
// version was put in place or the tileset removed; err is a failure worth
// retrying.
func (s *Syncer) syncOne(ctx context.Context, id string) (bool, error) {
	st := s.state[id]
	if st == nil {
		st = &syncState{}
		s.state[id] = st
	}
	final := filepath.Join(s.dir, id+tileset.Ext)
	local, _ := os.Stat(final)
	etag := st.etag
	if !sameStat(local, st.local) {
		etag = "" // the file changed under us: check it against the manifest again
	}
	body, newETag, err := s.client.get(ctx, s.client.loc.key(id, manifestName), etag)
	switch {
	case errors.Is(err, errNotModified):
		return false, nil
	case errors.Is(err, errNotFound):
		return false, nil // a first version being published: its manifest comes last
	case err != nil:
		return false, err
	}
	data, err := io.ReadAll(io.LimitReader(body, 1<<20))
	body.Close()
	if err != nil {
		return false, fmt.Errorf("cannot read %s: %v", s.client.loc.url(s.client.loc.key(id, manifestName)), err)
	}
	sum := sha256.Sum256(data)
	if sum == st.refused && sameStat(local, st.local) {
		return false, nil
	}
	done := func() { st.etag, st.local = newETag, local }
	refuse := func(r *refusal) {
		s.log.Error("object storage sync: refused a published version, keeping the current one; publish it again to retry", "id", id, "key", r.key, "reason", r.reason)
		st.refused = sum
		done()
	}
	m, err := parseManifest(id, data)
	if err != nil {
		refuse(&refusal{s.client.loc.url(s.client.loc.key(id, manifestName)), err.Error()})
		return false, nil
	}
	if m.Deleted {
		if local == nil {
			done()
			return false, nil
		}
		if err := os.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, fmt.Errorf("cannot remove %s, deleted from object storage: %v", final, err)
		}
		syncDir(s.dir)
		local = nil
		done()
		s.log.Info("object storage sync: tileset deleted from object storage, removed from the store", "id", id, "manifest", s.client.loc.url(s.client.loc.key(id, manifestName)), "path", final)
		if s.changed != nil {
			s.changed()
		}
		return true, nil
	}
	if local != nil && localVersion(final) == m.Version {
		done()
		return false, nil
	}
	start := time.Now()
	if err := s.pull(ctx, m, final); err != nil {
		var r *refusal
		if errors.As(err, &r) {
			refuse(r)
			return false, nil
		}
		return false, err
	}
	local, _ = os.Stat(final)
	done()
	s.log.Info("object storage sync: new version in place", "id", id, "version", m.Version, "key", s.client.ObjectURL(m), "bytes", m.Size, "took", time.Since(start).Round(time.Millisecond))
	if s.changed != nil {
		s.changed()
	}
	return true, nil
}

// pull downloads the object m names beside final, checks it and renames it
// over final. A *refusal error means the object is not fit to serve.
func (s *Syncer) pull(ctx context.Context, m *Manifest, final string) (err error) {
	key := s.client.loc.key(m.ID, m.Object)
	url := s.client.loc.url(key)
	body, _, err := s.client.get(ctx, key, "")
	if errors.Is(err, errNotFound) {
		return &refusal{url, "the manifest names this object, but it does not exist"}
	}
	if err != nil {
		return err
	}
	defer body.Close()
	tmp, err := os.CreateTemp(s.dir, "."+m.ID+tileset.Ext+syncMarker+"*")
	if err != nil {
		return fmt.Errorf("cannot create a file in store directory %s: %v", s.dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// The object is hashed as it is downloaded, not read again for it.
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h), io.LimitReader(body, m.Size+1), make([]byte, copyBuffer))
	if err != nil {
		return fmt.Errorf("cannot download %s to %s: %v", url, tmp.Name(), err)
	}
	if n != m.Size {
		what := "truncated"
		if n > m.Size {
			what = "longer than published"
		}
		return &refusal{url, fmt.Sprintf("%s: it holds %d bytes, the manifest says %d", what, n, m.Size)}
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != m.SHA256 {
		return &refusal{url, fmt.Sprintf("corrupted: its SHA-256 is %s, the manifest says %s", sum, m.SHA256)}
	}
	// The file is flushed to disk while it is checked (from the page
	// cache): both must succeed before the rename.
	synced := make(chan error, 1)
	go func() { synced <- tmp.Sync() }()
	cerr := check(tmp.Name(), m)
	if err := <-synced; err != nil {
		return fmt.Errorf("cannot sync %s: %v", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %v", tmp.Name(), err)
	}
	if cerr != nil {
		return &refusal{url, cerr.Error()}
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("cannot rename %s to %s: %v", tmp.Name(), final, err)
	}
	syncDir(s.dir)
	return nil
}

// copyBuffer is the buffer size of the copies that hash a version object:
// large enough that the hashing, not the system calls, costs the time.
const copyBuffer = 1 << 20

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// check opens the downloaded file as a tileset and verifies every stored
// value against its checksum.
func check(path string, m *Manifest) error {
	r, err := tileset.Open(path)
	if err != nil {
		return fmt.Errorf("not a readable tileset: %v", err)
	}
	defer r.Close()
	if meta := r.Metadata(); meta.ID != m.ID || meta.Version != m.Version {
		return fmt.Errorf("it holds tileset %s version %s, the manifest names %s version %s", meta.ID, meta.Version, m.ID, m.Version)
	}
	return verify(r)
}

// localVersion returns the version of the tileset file at path, or "".
func localVersion(path string) string {
	r, err := tileset.Open(path)
	if err != nil {
		return ""
	}
	defer r.Close()
	return r.Metadata().Version
}

// sameStat reports whether a and b describe the same unchanged file.
func sameStat(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}
