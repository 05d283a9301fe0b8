package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/outcrop/outcrop/synth"
)

func init() {
	register("synth", command{"generate a SYNTHETIC geological map, occurrence set or magnetic grid (demo, tests, benchmarks)", runSynth})
}

func runSynth(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", "synth geology|occurrences|magnetics --out FILE [flags]", stderr)
	out := fs.String("out", "", "file to write, in Indian 1975 / UTM 47N (EPSG:24047): GeoJSON, or for magnetics an ESRI ASCII grid FILE.asc with FILE.prj beside it (required)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and flags give a byte-identical file")
	units := fs.Int("units", 0, "geology: number of map units (default 400)")
	detail := fs.Int("vertices-per-edge", 0, "geology: vertices per contact between two cells (default: scaled to the unit count)")
	count := fs.Int("count", 0, "occurrences: number of points (default 2000)")
	cells := fs.String("cells", "", "magnetics: grid size COLSxROWS of 200 m cells (default 600x450)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "geology" && rest[0] != "occurrences" && rest[0] != "magnetics") {
		return usageError{"say what to generate: outcrop synth geology|occurrences|magnetics --out FILE"}
	}
	if *out == "" {
		return usageError{"--out is required: the file to write"}
	}
	var mag synth.MagneticsOptions
	if rest[0] == "magnetics" {
		if filepath.Ext(*out) != ".asc" {
			return usageError{"--out " + *out + ": a magnetics grid is an ESRI ASCII grid; name it FILE.asc (FILE.prj is written beside it)"}
		}
		if *cells != "" {
			if n, err := fmt.Sscanf(*cells, "%dx%d", &mag.Cols, &mag.Rows); n != 2 || err != nil || mag.Cols < 2 || mag.Rows < 2 {
				return usageError{fmt.Sprintf("--cells %q: give COLSxROWS, each at least 2, e.g. --cells 8000x8000", *cells)}
			}
		}
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
	switch rest[0] {
	case "magnetics":
		mag.Seed = *seed
		err = synth.WriteMagnetics(w, mag)
		if err == nil {
			prj := strings.TrimSuffix(*out, ".asc") + ".prj"
			if perr := os.WriteFile(prj, []byte(synth.MagneticsPRJ), 0o644); perr != nil {
				err = fmt.Errorf("cannot write %s: %v", prj, perr)
			}
		}
	case "geology":
		err = synth.WriteGeology(w, synth.GeologyOptions{Units: *units, VerticesPerEdge: *detail, Seed: *seed})
	default:
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
