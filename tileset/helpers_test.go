package tileset

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// gzipWriters recycles gzip writers for the tens of thousands of tiles the
// tests make. They store without compressing: the tests need valid gzip, not
// small tiles, and skipping the compressor's tables keeps -race runs quick.
var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.NoCompression); return w }}

// gz compresses payload as a stored tile would be.
func gz(t testing.TB, payload []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(payload); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gunzip decompresses a stored tile.
func gunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// payload is the uncompressed content the tests store at z/x/y: it names the
// tile and the label of the version, so a read proves where it came from.
func payload(label string, z, x, y int) []byte {
	return fmt.Appendf(nil, "%s %d/%d/%d", label, z, x, y)
}

// pyramid returns the tiles of zooms 0..maxZoom, every tile of each zoom.
func pyramid(t testing.TB, label string, maxZoom int) []Tile {
	var tiles []Tile
	for z := 0; z <= maxZoom; z++ {
		for x := 0; x < 1<<z; x++ {
			for y := 0; y < 1<<z; y++ {
				tiles = append(tiles, Tile{Z: z, X: x, Y: y, Data: gz(t, payload(label, z, x, y))})
			}
		}
	}
	return tiles
}

// write commits tiles as a new version of id in dir, in batches of batch.
func write(t testing.TB, dir, id string, tiles []Tile, batch int, meta *Metadata) *Metadata {
	t.Helper()
	w, err := Create(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(tiles); i += batch {
		if err := w.PutTiles(tiles[i:min(i+batch, len(tiles))]); err != nil {
			t.Fatal(err)
		}
	}
	if meta == nil {
		meta = &Metadata{Title: "test " + id, Layer: id, GeometryType: "polygon", MinZoom: 0, MaxZoom: 3}
	}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
	return meta
}

// dirNames lists the names in dir.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tilesetPath(dir, id string) string { return filepath.Join(dir, id+Ext) }
