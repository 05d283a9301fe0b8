package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/outcrop/outcrop/synth"
)

func init() {
	register("synth", command{"generate a SYNTHETIC geological map or occurrence set (demo, tests, benchmarks)", runSynth})
}

func runSynth(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", "synth geology|occurrences --out FILE [flags]", stderr)
	out := fs.String("out", "", "GeoJSON file to write, in Indian 1975 / UTM 47N (EPSG:24047) (required)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and flags give a byte-identical file")
	units := fs.Int("units", 0, "geology: number of map units (default 400)")
	detail := fs.Int("vertices-per-edge", 0, "geology: vertices per contact between two cells (default: scaled to the unit count)")
	count := fs.Int("count", 0, "occurrences: number of points (default 2000)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "geology" && rest[0] != "occurrences") {
		return usageError{"say what to generate: outcrop synth geology|occurrences --out FILE"}
	}
	if *out == "" {
		return usageError{"--out is required: the GeoJSON file to write"}
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("cannot create the directory of --out %s: %v", *out, err)
	}
	// Write aside and rename, so an interrupted run never leaves a truncated file
	// that a later ingest would read.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write --out %s: %v", *out, err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if rest[0] == "geology" {
		err = synth.WriteGeology(w, synth.GeologyOptions{Units: *units, VerticesPerEdge: *detail, Seed: *seed})
	} else {
		err = synth.WriteOccurrences(w, synth.OccurrenceOptions{Count: *count, Seed: *seed})
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %v", *out, err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (SYNTHETIC %s, seed %d)\n", *out, rest[0], *seed)
	return nil
}
