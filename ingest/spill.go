package ingest

import (
	"cmp"
	"fmt"
	"os"
	"slices"

	"github.com/outcrop/outcrop/tileset"
)

// tileSpill holds encoded tiles in an unlinked temporary file, to hand them
// on in key order (zoom, column, row) once all are made. A raster pyramid
// is cut depth first, every zoom interleaved; given to a tileset.Writer in
// that order, each batch would land among the tiles before it and the file
// would be compacted at commit, a second copy of it. Through the spill the
// Writer only appends. The file is gone when closed, or if the process
// dies.
type tileSpill struct {
	f     *os.File
	size  int64
	index []spilled
}

// spilled is where one tile's bytes are in the spill file.
type spilled struct {
	z, x, y int
	off     int64
	n       int
}

// newTileSpill creates the spill file in dir, named as the tileset's own
// temporary files are so that a store never takes it for a tileset.
func newTileSpill(dir, id string) (*tileSpill, error) {
	f, err := os.CreateTemp(dir, "."+id+tileset.Ext+tileset.TempMarker+"spill-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a temporary file in store directory %s: %v; check that it is writable", dir, err)
	}
	os.Remove(f.Name())
	return &tileSpill{f: f}, nil
}

// add appends a tile.
func (s *tileSpill) add(t tileset.Tile) error {
	if _, err := s.f.Write(t.Data); err != nil {
		return fmt.Errorf("writing a tile to temporary file %s: %v", s.f.Name(), err)
	}
	s.index = append(s.index, spilled{t.Z, t.X, t.Y, s.size, len(t.Data)})
	s.size += int64(len(t.Data))
	return nil
}

// replay hands every tile to put in key order, each in its own slice.
func (s *tileSpill) replay(put func(tileset.Tile) error) error {
	slices.SortFunc(s.index, func(a, b spilled) int {
		return cmp.Or(cmp.Compare(a.z, b.z), cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y))
	})
	for _, e := range s.index {
		data := make([]byte, e.n)
		if _, err := s.f.ReadAt(data, e.off); err != nil {
			return fmt.Errorf("reading a tile back from temporary file %s: %v", s.f.Name(), err)
		}
		if err := put(tileset.Tile{Z: e.z, X: e.x, Y: e.y, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the spill file.
func (s *tileSpill) Close() error { return s.f.Close() }
