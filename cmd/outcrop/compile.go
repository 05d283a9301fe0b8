//go:build cgo

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/outcrop/outcrop/compile"
)

func init() {
	register("compile", command{"compile neighbouring national maps into one, with an edge-matching report", runCompile})
}

func runCompile(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compile", "compile --store DIR --config FILE [flags]", stderr)
	var o compile.Options
	fs.StringVar(&o.Store, "store", "", "directory of tileset files (required; created if missing)")
	config := fs.String("config", "", "the compilation's YAML configuration (required; compile/CONFIG.md)")
	fs.IntVar(&o.MinZoom, "minzoom", 0, "lowest zoom to cut")
	fs.IntVar(&o.MaxZoom, "maxzoom", -1, "highest zoom to cut (default: chosen from the data's detail)")
	quiet := fs.Bool("quiet", false, "print no harmonisation reports and no summary")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usageError{fmt.Sprintf("compile takes no FILE (got %q); name the sources in the --config file", rest[0])}
	case o.Store == "":
		return usageError{"--store is required: the directory 'outcrop serve --store' reads"}
	case *config == "":
		return usageError{"--config is required: the YAML file naming the national maps (compile/CONFIG.md)"}
	}
	cfg, err := compile.LoadConfig(*config)
	if err != nil {
		return err
	}
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if !*quiet {
		o.Report = stdout
	}
	if err := os.MkdirAll(o.Store, 0o755); err != nil {
		return fmt.Errorf("cannot create --store %s: %v", o.Store, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := compile.Run(ctx, cfg, o)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "\ncompiled %s (%d units) and %s-qa (%d border segments, gaps, overlaps and dangling lines)\n", cfg.ID, res.Features, cfg.ID, res.QAFeatures)
		for _, id := range slices.Sorted(maps.Keys(res.Lines)) {
			fmt.Fprintf(stdout, "compiled %s (%d lines)\n", id, res.Lines[id])
		}
		fmt.Fprintln(stdout)
		res.Report.Print(stdout)
	}
	return nil
}
