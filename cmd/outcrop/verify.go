package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outcrop/outcrop/tileset"
)

func init() {
	register("verify", command{"check every stored tile, feature and index value of a store against its checksum", runVerify})
}

// runVerify checks the tilesets of a store, printing one line per damaged
// value (or per file that cannot be read at all) and failing when there is
// any.
func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "verify --store DIR [--id ID]", stderr)
	dir := fs.String("store", "", "store directory whose tilesets to check (required)")
	id := fs.String("id", "", "check only this tileset (default: every tileset in the store)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q; verify takes only --store and --id", rest[0])}
	}
	if *dir == "" {
		return usageError{"--store is required: the store directory to check"}
	}
	var paths []string
	if *id != "" {
		if err := tileset.ValidateID(*id); err != nil {
			return usageError{fmt.Sprintf("--id %q: %v", *id, err)}
		}
		p := filepath.Join(*dir, *id+tileset.Ext)
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("no tileset %q in store %s (%s does not exist); check --id and --store", *id, *dir, p)
		}
		paths = []string{p}
	} else {
		entries, err := os.ReadDir(*dir)
		if err != nil {
			return fmt.Errorf("cannot read store directory %s: %v; pass the directory outcrop ingest --store writes to", *dir, err)
		}
		for _, e := range entries {
			if name := e.Name(); !strings.HasPrefix(name, ".") && strings.HasSuffix(name, tileset.Ext) {
				paths = append(paths, filepath.Join(*dir, name))
			}
		}
		slices.Sort(paths)
	}
	var damaged, values, unchecked int
	for _, p := range paths {
		n, bad, err := verifyFile(p, stdout)
		values += n
		damaged += bad
		if err != nil {
			fmt.Fprintln(stdout, err)
			damaged++
		} else if n == 0 {
			unchecked++
		}
	}
	fmt.Fprintf(stderr, "outcrop verify: %d tilesets, %d values checked, %d damaged", len(paths), values, damaged)
	if unchecked > 0 {
		fmt.Fprintf(stderr, " (%d without checksums: written before format version 2, or empty)", unchecked)
	}
	fmt.Fprintln(stderr)
	if damaged > 0 {
		return errors.New("damage found; rebuild the damaged tilesets with outcrop ingest, or copy them again from a good copy")
	}
	return nil
}

// verifyFile checks one tileset, printing a line per damaged value.
func verifyFile(path string, stdout io.Writer) (checked, damaged int, err error) {
	r, err := tileset.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	checked, err = r.Verify(func(d *tileset.DamageError) {
		damaged++
		fmt.Fprintln(stdout, d)
	})
	return checked, damaged, err
}
