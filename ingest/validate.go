package ingest

import (
	"errors"
	"io/fs"
	"os"

	"github.com/outcrop/outcrop/ingest/gdal"
	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// MaxZoomLimit is the deepest zoom Outcrop cuts tiles for.
const MaxZoomLimit = 22

// MinTileBytes is the smallest --max-tile-bytes taken: a tile of a few
// polygons with their attributes takes some hundreds of bytes compressed, so
// a limit below this could only fail.
const MinTileBytes = 1024

// validate checks the options before anything is read or written, so that a
// mistake in them costs nothing.
func validate(opts *Options) error {
	if err := tileset.ValidateID(opts.ID); err != nil {
		return flagErr("--id", "%v", err)
	}
	if opts.MinZoom < 0 || opts.MinZoom > MaxZoomLimit {
		return flagErr("--minzoom", "%d is out of range; give a zoom from 0 to %d", opts.MinZoom, MaxZoomLimit)
	}
	switch {
	case opts.MaxZoom < -1 || opts.MaxZoom > MaxZoomLimit:
		return flagErr("--maxzoom", "%d is out of range; give a zoom from 0 to %d, or leave it out to choose it from the data", opts.MaxZoom, MaxZoomLimit)
	case opts.MaxZoom >= 0 && opts.MaxZoom < opts.MinZoom:
		return flagErr("--maxzoom", "%d is below --minzoom %d; give a --maxzoom of at least %d", opts.MaxZoom, opts.MinZoom, opts.MinZoom)
	}
	if opts.Scale < 0 {
		return flagErr("--scale", "1:%d is not a map scale; give it as 1:N, e.g. --scale 1:250000", opts.Scale)
	}
	if opts.Encoding != "" {
		r, err := gdal.NewRecoder(opts.Encoding)
		if err != nil {
			return flagErr("--encoding", "%v; give an iconv encoding name such as CP874 or CP1258", err)
		}
		r.Close()
	}
	if opts.MaxTileBytes < 0 {
		return flagErr("--max-tile-bytes", "%d is negative; give a size in bytes, or 0 for the default", opts.MaxTileBytes)
	}
	if opts.MaxTileBytes > 0 && opts.MaxTileBytes < MinTileBytes {
		return flagErr("--max-tile-bytes", "%d bytes is too small to hold a tile; give at least %d (the default is %d)", opts.MaxTileBytes, MinTileBytes, tiles.DefaultMaxTileBytes)
	}
	if opts.MaxTileFeatures < 0 {
		return flagErr("--max-tile-features", "%d is negative; give a number of features, or 0 for the default", opts.MaxTileFeatures)
	}
	if opts.Precision < 0 || opts.Precision > MaxPrecision {
		return flagErr("--precision", "%d is out of range; give 1 to %d decimal places (%d, about 1 cm, is the default)", opts.Precision, MaxPrecision, DefaultPrecision)
	}
	if opts.DropRate != 0 && !(opts.DropRate >= 1) {
		return flagErr("--drop-rate", "%g is below 1; give 1 to keep every point, or more (2.5, tippecanoe's, is the default) to thin", opts.DropRate)
	}
	return checkStore(opts.Store)
}

// checkStore makes sure the store directory exists and takes new files.
func checkStore(dir string) error {
	if dir == "" {
		return flagErr("--store", "no store directory given; name the directory that holds the tilesets")
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return flagErr("--store", "%s does not exist; create it first (mkdir -p %s)", dir, dir)
	case err != nil:
		return flagErr("--store", "cannot use %s (%v); give a readable, writable directory", dir, err)
	case !fi.IsDir():
		return flagErr("--store", "%s is not a directory; give the directory that holds the tilesets", dir)
	}
	// Writing a file is the only sure test: permissions, ACLs, read-only
	// mounts and quotas all have their say.
	f, err := os.CreateTemp(dir, ".outcrop-probe"+tileset.TempMarker+"*")
	if err != nil {
		return flagErr("--store", "%s is not writable (%v); fix its permissions or choose another directory", dir, pathErrCause(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// pathErrCause drops the path a *fs.PathError repeats.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
