//go:build cgo

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/outcrop/outcrop/export"
	"github.com/outcrop/outcrop/tileset"
)

// parseExportFormats parses the value of ingest's --also-export: a
// comma-separated list of export formats, each at most once; empty for none.
func parseExportFormats(s string) ([]export.Format, error) {
	var out []export.Format
	for _, name := range splitList(s) {
		f, err := export.ParseFormat(name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// exportBeside writes tileset id of the store in dir as each of formats,
// to dir/ID.pmtiles and dir/ID.mbtiles, for a static host or a download
// page to serve beside the store. It runs after the ingest has renamed the
// tileset into place, reads that file, and replaces any earlier export
// atomically (export.Write writes a temporary file and renames it), so a
// reader of the archive sees the old one or the new one, whole. The store
// and the server ignore these files.
func exportBeside(dir, id string, formats []export.Format, quiet bool, stderr io.Writer) error {
	if len(formats) == 0 {
		return nil
	}
	r, err := tileset.Open(filepath.Join(dir, id+tileset.Ext))
	if err != nil {
		return fmt.Errorf("--also-export: the tileset was written, but could not be reopened to export it: %v", err)
	}
	defer r.Close()
	for _, f := range formats {
		out := filepath.Join(dir, id+"."+string(f))
		if err := export.Write(r, f, out, true); err != nil {
			return fmt.Errorf("--also-export %s: the tileset %s was written, but its export was not: %v; run outcrop export --store %s --id %s %s once the cause is fixed", f, id, err, dir, id, out)
		}
		if !quiet {
			fi, err := os.Stat(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "outcrop ingest: wrote %s (%s, %d bytes)\n", out, f, fi.Size())
		}
	}
	return nil
}
