// Package export writes a tileset as a single-file tile archive that other
// tools read without Outcrop: PMTiles v3 (MapLibre's pmtiles protocol, the
// pmtiles tools, static hosts) and MBTiles 1.3 (QGIS, GDAL, mobile apps).
//
// An export holds every stored tile of every zoom byte for byte (the
// gzip-compressed Mapbox Vector Tiles of the tileset), and the tileset's
// name, description, attribution, licence, bounds, center, zoom range and
// vector_layers. Archives are written beside the destination and renamed
// into place only when complete, so a failed export leaves no partial file.
package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/outcrop/outcrop/tileset"
)

// Format is an archive format an export writes.
type Format string

// The formats Write knows.
const (
	PMTiles Format = "pmtiles"
	MBTiles Format = "mbtiles"
)

// Formats lists the formats in the order help texts name them.
var Formats = []Format{PMTiles, MBTiles}

// ParseFormat returns the format named s, or an error listing the known ones.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q; use pmtiles or mbtiles", s)
}

// ErrExists is returned by Write when the destination exists and overwrite
// was not asked for.
var ErrExists = errors.New("file exists")

// Write exports the vector tileset r as an archive of format f at path. It
// refuses an existing path unless overwrite is set, and a raster tileset,
// whose data tiles are not images a map client could draw. The archive is
// written to a temporary file in path's directory, synced and renamed onto
// path, so path holds either its old content or the complete export.
func Write(r *tileset.Reader, f Format, path string, overwrite bool) (err error) {
	m := r.Metadata()
	if m.Kind == tileset.KindRaster {
		return fmt.Errorf("tileset %q is a raster tileset (float data tiles, not images): only vector tilesets can be exported; serve it with outcrop serve for its PNG tiles", m.ID)
	}
	write, ok := writers[f]
	if !ok {
		_, err := ParseFormat(string(f))
		return err
	}
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s: %w; pass --force to replace it", path, ErrExists)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %v", path, err)
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write beside %s: %v; check the directory exists and is writable", path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(r, tmp); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot sync %s: %v", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot close %s: %v", name, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return fmt.Errorf("cannot make %s readable: %v", name, err)
	}
	if !overwrite {
		// Link fails if path appeared meanwhile, where Rename would replace it.
		if err := os.Link(name, path); err == nil {
			return os.Remove(name)
		} else if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w; pass --force to replace it", path, ErrExists)
		}
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("cannot rename %s to %s: %v", name, path, err)
	}
	return nil
}

// writers write an archive of their format to an open, empty file.
var writers = map[Format]func(*tileset.Reader, *os.File) error{
	PMTiles: writePMTiles,
	MBTiles: writeMBTiles,
}
