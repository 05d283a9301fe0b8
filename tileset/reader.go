package tileset

// Reader serves one version of a tileset file, read-only and in place.
type Reader struct {
	// TODO(tileset helper)
}

// Open opens the tileset file at path read-only.
func Open(path string) (*Reader, error) { panic("TODO") }

// Metadata returns the tileset's metadata. Callers must not modify it.
func (r *Reader) Metadata() *Metadata { panic("TODO") }

// Tile calls fn with the gzip-compressed tile at z/x/y; the slice is valid only
// during fn. It reports false, without calling fn, when no tile is stored there.
func (r *Reader) Tile(z, x, y int, fn func(gz []byte) error) (bool, error) { panic("TODO") }

// Close releases the file.
func (r *Reader) Close() error { panic("TODO") }
