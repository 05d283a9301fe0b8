package tileset

// Writer builds a new version of a tileset in a temporary file in the store
// directory. Nothing is visible to readers until Commit renames it into place;
// Abort, or a crash, leaves the previous version untouched.
type Writer struct {
	// TODO(tileset helper)
}

// Create starts a new version of tileset id in directory dir. The id must match
// ^[a-z0-9][a-z0-9_-]{0,63}$.
func Create(dir, id string) (*Writer, error) { panic("TODO") }

// PutTiles stores a batch of tiles in one transaction.
func (w *Writer) PutTiles(batch []Tile) error { panic("TODO") }

// Commit writes meta (setting FormatVersion, ID, Version and Created), syncs the
// file, renames it to dir/id.tileset and syncs the directory.
func (w *Writer) Commit(meta *Metadata) error { panic("TODO") }

// Abort discards the unfinished version. It is safe to call after Commit.
func (w *Writer) Abort() error { panic("TODO") }
