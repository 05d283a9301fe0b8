package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"
)

// TestCLIReferenceDocumentsEveryFlag keeps docs/CLI.md from drifting: every
// flag a command declares must appear there as `--name`.
func TestCLIReferenceDocumentsEveryFlag(t *testing.T) {
	doc, err := os.ReadFile("../../docs/CLI.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ingest", "compile", "mapping", "serve", "verify", "export", "publish", "synth"} {
		if (name == "ingest" || name == "compile" || name == "mapping") && !ingestBuilt {
			continue // a CGO_ENABLED=0 build's GDAL commands declare no flags
		}
		c, ok := commands[name]
		if !ok {
			t.Fatalf("command %s is not registered", name)
		}
		// -h makes the command declare its flags and print them; capture the names.
		var fs *flag.FlagSet
		captureFlagSet = func(f *flag.FlagSet) { fs = f }
		c.run([]string{"-h"}, io.Discard, io.Discard)
		captureFlagSet = nil
		if fs == nil {
			t.Fatalf("%s: no flag set captured", name)
		}
		section := sectionOf(string(doc), "## outcrop "+name)
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(section, "`--"+f.Name) {
				t.Errorf("docs/CLI.md, section outcrop %s, does not document --%s", name, f.Name)
			}
		})
	}
}

// sectionOf returns the text from heading to the next heading of its level.
func sectionOf(doc, heading string) string {
	i := strings.Index(doc, heading+"\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+len(heading)+1:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
