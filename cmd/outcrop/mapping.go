//go:build cgo

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/ingest"
)

func init() {
	register("mapping", command{"write a draft mapping file from a survey file's legend (mapping init)", runMapping})
}

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func runMapping(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("mapping", "mapping init FILE [--field F ...] [--out mapping.yaml]", stderr)
	var o ingest.Options
	var d harmonise.DraftOptions
	var fields stringList
	out := fs.String("out", "", "the draft mapping file to write (default: print it); an existing file is not overwritten")
	fs.Var(&fields, "field", "a source field to draft from; repeat for several (default: every field)")
	fs.StringVar(&d.View, "view", harmonise.ViewGeologicUnit, "the view to map onto: GeologicUnitView, ShearDisplacementStructureView or MineralOccurrenceView")
	fs.StringVar(&o.SourceLayer, "source-layer", "", "layer to read from a multi-layer file, as for ingest")
	fs.StringVar(&o.Encoding, "encoding", "", "character encoding of a legacy shapefile without a .cpg, e.g. CP874, as for ingest")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0 || rest[0] != "init":
		return usageError{"say what to do: outcrop mapping init FILE [--field F ...] [--out mapping.yaml]"}
	case len(rest) != 2:
		return usageError{"mapping init takes one FILE: outcrop mapping init FILE"}
	}
	file := rest[1]
	if *out != "" {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("--out %s exists; the draft would overwrite a mapping: choose another name or remove it", *out)
		}
	}
	d.Fields = fields
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rows []map[string]any
	schema, err := ingest.ReadAttributes(ctx, file, o, func(p map[string]any) { rows = append(rows, p) })
	if err != nil {
		return err
	}
	sample := harmonise.NewSample(file, schema)
	for _, p := range rows {
		sample.Add(p)
	}
	draft, err := harmonise.Draft(sample, d)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(draft)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("cannot create the directory of --out %s: %v", *out, err)
	}
	if err := os.WriteFile(*out, draft, 0o644); err != nil {
		return fmt.Errorf("cannot write --out %s: %v", *out, err)
	}
	fmt.Fprintf(stdout, "wrote %s: a draft mapping of %s; settle its TODOs (harmonise/MAPPING.md), then ingest --mapping %s\n", *out, file, *out)
	return nil
}
