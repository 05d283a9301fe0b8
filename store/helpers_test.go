package store

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outcrop/outcrop/tileset"
)

// label marks every tile and the metadata of one written version, so a
// reader can tell which version a tile came from.
func tileBody(label string, z, x, y int) string { return fmt.Sprintf("%s %d/%d/%d", label, z, x, y) }

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gunzip(t testing.TB, data []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Error(err)
		return ""
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Error(err)
	}
	return string(b)
}

// maxZoom is the deepest zoom of the tilesets the tests write; every tile of
// every zoom up to it is stored.
const maxZoom = 3

// writeVersion commits a version of id labelled label: its title is the
// label and each tile's body starts with it. It returns the version string.
func writeVersion(t testing.TB, dir, id, label string) string {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	var tiles []tileset.Tile
	for z := 0; z <= maxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				tiles = append(tiles, tileset.Tile{Z: z, X: x, Y: y, Data: gz(t, tileBody(label, z, x, y))})
			}
		}
	}
	if err := w.PutTiles(tiles); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{Title: label, Layer: id, MaxZoom: maxZoom}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta.Version
}

// readTile acquires id, reads tile z/x/y and its title, and releases it.
func readTile(t testing.TB, s *Store, id string, z, x, y int) (body, title string, err error) {
	r, release, err := s.Acquire(id)
	if err != nil {
		return "", "", err
	}
	defer release()
	title = r.Metadata().Title
	found, err := r.Tile(z, x, y, func(b []byte) error {
		body = gunzip(t, b)
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("tile %d/%d/%d of %s not found", z, x, y, id)
	}
	return body, title, err
}

// logBuffer collects a store's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines returns the log lines containing all of words.
func (l *logBuffer) lines(words ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		all := line != ""
		for _, w := range words {
			all = all && strings.Contains(line, w)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

// open opens a store over dir with polling off unless poll is set, logging
// into the returned buffer, and closes it when the test ends. It keeps no
// replaced version (see keep_test.go), so that one no request holds is
// closed at once.
func open(t testing.TB, dir string, poll time.Duration) (*Store, *logBuffer) {
	t.Helper()
	return openWith(t, dir, Options{PollInterval: poll, KeepReplaced: -1})
}

// openWith is open with opts, whose Logger it sets.
func openWith(t testing.TB, dir string, opts Options) (*Store, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
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
