// Package storetest holds what the tests of package store and package
// objstore share: tileset versions whose every tile says which version it
// came from, and a log sink the tests can read while the store writes it.
package storetest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// MaxZoom is the deepest zoom of the tilesets WriteVersion writes; every
// tile of every zoom up to it is stored.
const MaxZoom = 3

// TileBody is the body of tile z/x/y of the version labelled label.
func TileBody(label string, z, x, y int) string { return fmt.Sprintf("%s %d/%d/%d", label, z, x, y) }

// Gzip returns s gzip-compressed, as tiles are stored.
func Gzip(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Gunzip returns the text of a stored tile, failing t (and returning "")
// when it is not gzip.
func Gunzip(t testing.TB, data []byte) string {
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

// WriteVersion commits a version of tileset id into dir labelled label:
// its title is the label and each tile's body is TileBody(label, z, x, y).
// It returns the version string.
func WriteVersion(t testing.TB, dir, id, label string) string {
	t.Helper()
	w, err := tileset.Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	var tiles []tileset.Tile
	for z := 0; z <= MaxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				tiles = append(tiles, tileset.Tile{Z: z, X: x, Y: y, Data: Gzip(t, TileBody(label, z, x, y))})
			}
		}
	}
	if err := w.PutTiles(tiles); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{Title: label, Layer: id, MaxZoom: MaxZoom}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta.Version
}

// LogBuffer collects log lines; it is safe for concurrent use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Lines returns the log lines containing all of words.
func (l *LogBuffer) Lines(words ...string) []string {
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
