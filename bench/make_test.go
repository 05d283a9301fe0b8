// Package bench holds the benchmark scripts' checks; the benchmarks
// themselves are the scripts and commands beside this file.
package bench

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// make -n prints what a target would run without running it.
func dryRun(t *testing.T, target string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make not found: install make")
	}
	cmd := exec.Command("make", "-n", target)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "MAKEFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %s: %v\n%s", target, err, out)
	}
	return string(out)
}

// make bench-tiles installs what bench/tiles.sh uses (GDAL, time, the Go
// build's packages) and nothing the test suite alone needs: it ran npm ci
// for three test clients and installed Chromium, QGIS and nginx.
func TestBenchTilesInstallsOnlyWhatItUses(t *testing.T) {
	out := dryRun(t, "bench-tiles")
	for _, want := range []string{"bench/tiles.sh", "gdal-bin", "time"} {
		if !strings.Contains(out, want) {
			t.Errorf("make -n bench-tiles does not mention %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"npm ci", "chromium", "python3-qgis", "nginx"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("make bench-tiles would run or install %q, which bench/tiles.sh does not use", unwanted)
		}
	}
}

// make bench-wms installs MapServer and what serves it (bench/wms.sh runs
// mapserv under spawn-fcgi behind nginx) and runs the script.
func TestBenchWMSInstallsMapServer(t *testing.T) {
	out := dryRun(t, "bench-wms")
	for _, want := range []string{"bench/wms.sh", "cgi-mapserver", "mapserver-bin", "spawn-fcgi", "nginx-light", "wrk", "gdal-bin"} {
		if !strings.Contains(out, want) {
			t.Errorf("make -n bench-wms does not mention %q:\n%s", want, out)
		}
	}
}
