// Command outcrop ingests survey files into tilesets and serves them.
//
//	outcrop ingest --store DIR --id ID [flags] FILE
//	outcrop compile --store DIR --config FILE
//	outcrop mapping init FILE [--field F ...] [--out mapping.yaml]
//	outcrop serve  --store DIR [--addr HOST:PORT]
//	outcrop verify --store DIR [--id ID]
//	outcrop export --store DIR --id ID --format pmtiles|mbtiles FILE
//	outcrop publish --store DIR --id ID s3://BUCKET/PREFIX
//	outcrop synth  geology|occurrences --out FILE [flags]
//
// Each command declares its flags in its own file; this file only dispatches.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// command is one subcommand: its flags are declared in run, next to their use.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// order fixes the order commands are listed in the usage text.
var order = []string{"ingest", "compile", "mapping", "serve", "verify", "export", "publish", "synth", "version"}

func register(name string, c command) { commands[name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	register("version", command{"print the version", func([]string, io.Writer, io.Writer) error {
		fmt.Fprintln(stdout, "outcrop", version)
		return nil
	}})
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "outcrop: unknown command %q; run 'outcrop help' for the list\n", args[0])
		return 2
	}
	if err := c.run(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "outcrop %s: %s\n", args[0], u.msg)
			return 2
		}
		fmt.Fprintf(stderr, "outcrop %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Outcrop publishes geoscience survey data as tiles and OGC APIs.")
	fmt.Fprintln(w, "\nUsage: outcrop COMMAND [flags]\n\nCommands:")
	for _, name := range order {
		if c, ok := commands[name]; ok {
			fmt.Fprintf(w, "  %-8s %s\n", name, c.summary)
		}
	}
	fmt.Fprintln(w, "\nRun 'outcrop COMMAND -h' for a command's flags.")
}

// usageError is a mistake in the command line, reported with exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// captureFlagSet, when set by a test, receives each command's flag set, so
// the CLI reference can be checked against the flags actually declared.
var captureFlagSet func(*flag.FlagSet)

// newFlagSet returns a flag set that reports errors to stderr and does not exit.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if captureFlagSet != nil {
		defer captureFlagSet(fs)
	}
	// Parse errors are reported once, by run, as a one-line usageError.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: outcrop %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (outcrop ingest FILE --id x), which the standard flag package does not.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	// The flag package calls Usage on every parse error; only -h should print
	// the flag list, a mistake gets run's single line.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, err
			}
			return nil, usageError{fmt.Sprintf("%v; run 'outcrop %s -h' for the flags", err, fs.Name())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
