//go:build !cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A server-only binary says, in one line, why it cannot ingest and how to
// build one that can; it does not touch the store.
func TestIngestWithoutCgo(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	code, stdout, stderr := runCLI("ingest", "--store", store, "--id", "geology", "map.shp")
	if code != 1 || stdout != "" {
		t.Errorf("exit status %d, stdout %q; want 1 and nothing", code, stdout)
	}
	oneLine(t, stderr, "outcrop ingest: ", "CGO_ENABLED=0", "libgdal-dev", "make build")
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("the store was created (%v)", err)
	}
	_, _, help := runCLI("help")
	if !strings.Contains(help, "not in this build") {
		t.Errorf("the usage does not say ingest is missing from this build:\n%s", help)
	}
}
