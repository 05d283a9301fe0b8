package store

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outcrop/outcrop/internal/storetest"
)

// readTile acquires id, reads tile z/x/y and its title, and releases it.
func readTile(t testing.TB, s *Store, id string, z, x, y int) (body, title string, err error) {
	r, release, err := s.Acquire(id)
	if err != nil {
		return "", "", err
	}
	defer release()
	title = r.Metadata().Title
	found, err := r.Tile(z, x, y, func(b []byte) error {
		body = storetest.Gunzip(t, b)
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("tile %d/%d/%d of %s not found", z, x, y, id)
	}
	return body, title, err
}

// open opens a store over dir with polling off unless poll is set, logging
// into the returned buffer, and closes it when the test ends. It keeps no
// replaced version (see keep_test.go), so that one no request holds is
// closed at once.
func open(t testing.TB, dir string, poll time.Duration) (*Store, *storetest.LogBuffer) {
	t.Helper()
	return openWith(t, dir, Options{PollInterval: poll, KeepReplaced: -1})
}

// openWith is open with opts, whose Logger it sets.
func openWith(t testing.TB, dir string, opts Options) (*Store, *storetest.LogBuffer) {
	t.Helper()
	logs := &storetest.LogBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, logs
}

func replaceFile(t testing.TB, dir, name string, data []byte) {
	t.Helper()
	tmp := filepath.Join(dir, ".hand-copy")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}
