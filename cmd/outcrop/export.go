package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/outcrop/outcrop/export"
	"github.com/outcrop/outcrop/tileset"
)

func init() {
	register("export", command{"write a tileset as a PMTiles or MBTiles archive for static hosts, QGIS and mobile apps", runExport})
}

// runExport writes one tileset of a store as a single-file archive.
func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export --store DIR --id ID --format pmtiles|mbtiles [--force] FILE", stderr)
	dir := fs.String("store", "", "store directory holding the tileset (required)")
	id := fs.String("id", "", "the tileset to export (required)")
	format := fs.String("format", "", "archive format: pmtiles or mbtiles (default: from FILE's extension)")
	force := fs.Bool("force", false, "replace FILE if it exists")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usageError{"no output FILE given; e.g. outcrop export --store DIR --id ID --format pmtiles ID.pmtiles"}
	case len(rest) > 1:
		return usageError{fmt.Sprintf("unexpected argument %q; export writes one FILE", rest[1])}
	case *dir == "":
		return usageError{"--store is required: the store directory outcrop ingest wrote the tileset to"}
	case *id == "":
		return usageError{"--id is required: the tileset to export"}
	}
	out := rest[0]
	name := *format
	if name == "" {
		name = filepath.Ext(out)
		if name != "" {
			name = name[1:]
		}
	}
	f, err := export.ParseFormat(name)
	if err != nil {
		if *format == "" {
			return usageError{fmt.Sprintf("--format not given and %s does not end in .pmtiles or .mbtiles; pass --format pmtiles or --format mbtiles", out)}
		}
		return usageError{"--format: " + err.Error()}
	}
	if err := tileset.ValidateID(*id); err != nil {
		return usageError{fmt.Sprintf("--id %q: %v", *id, err)}
	}
	p := filepath.Join(*dir, *id+tileset.Ext)
	if _, err := os.Stat(p); err != nil {
		return fmt.Errorf("--id %s: no tileset %q in store %s (%s does not exist); check --id and --store", *id, *id, *dir, p)
	}
	r, err := tileset.Open(p)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := export.Write(r, f, out, *force); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "outcrop export: wrote %s (%s, %d bytes)\n", out, f, fi.Size())
	return nil
}
