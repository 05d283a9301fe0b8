package e2e

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestBinaryServerOnlyBuild builds cmd/outcrop with CGO_ENABLED=0, as the
// slim server image does: the binary must be static (no libgdal, no dynamic
// loader), serve a store that the cgo binary wrote exactly as the cgo
// binary serves it, and refuse to ingest with one line that says how to get
// a binary that can.
func TestBinaryServerOnlyBuild(t *testing.T) {
	fx := sharedStore(t)
	static := outcropServerBinary(t)

	info, err := buildinfo.ReadFile(static)
	if err != nil {
		t.Fatal(err)
	}
	cgo := ""
	for _, s := range info.Settings {
		if s.Key == "CGO_ENABLED" {
			cgo = s.Value
		}
	}
	if cgo != "0" {
		t.Errorf("build setting CGO_ENABLED=%q, want 0", cgo)
	}
	if libs, interp := dynamicDeps(t, static); len(libs) != 0 || interp {
		t.Errorf("the CGO_ENABLED=0 binary links %q (dynamic loader: %v), want a static executable", libs, interp)
	}
	// The check can fail: the cgo binary does link GDAL.
	if libs, _ := dynamicDeps(t, fx.bin); !strings.Contains(strings.Join(libs, " "), "libgdal") {
		t.Errorf("the cgo binary links %q: no libgdal, so the check above proves nothing", libs)
	}

	t.Run("serves a store the cgo binary wrote", func(t *testing.T) {
		full := startServe(t, fx.bin, fx.dir)
		slim := startServe(t, static, fx.dir)
		tj := getTileJSON(t, slim.url, fx.gswa.id)
		c := orb.Point{tj.Center[0], tj.Center[1]}
		for _, z := range []int{*tj.MaxZoom - 4, *tj.MaxZoom} {
			tile := maptile.At(c, maptile.Zoom(z))
			path := fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", fx.gswa.id, z, tile.X, tile.Y)
			want := getTile(t, full.url, fx.gswa.id, tj.VectorLayers[0].ID, z, int(tile.X), int(tile.Y))
			if len(want.Features) == 0 {
				t.Fatalf("%s: no features at the data's centre; the comparison would be empty", path)
			}
			r1, b1 := get(t, full.url+path, "Accept-Encoding", "gzip")
			r2, b2 := get(t, slim.url+path, "Accept-Encoding", "gzip")
			if r2.StatusCode != http.StatusOK || !bytes.Equal(b1, b2) || r1.Header.Get("ETag") != r2.Header.Get("ETag") {
				t.Errorf("%s: the static binary answers %d with %d bytes, ETag %s; the cgo binary 200 with %d bytes, ETag %s; want the same tile",
					path, r2.StatusCode, len(b2), r2.Header.Get("ETag"), len(b1), r1.Header.Get("ETag"))
			}
		}
		if code := slim.stop(t); code != 0 {
			t.Errorf("the static binary exited %d on SIGTERM, want 0", code)
		}
	})

	t.Run("refuses to ingest", func(t *testing.T) {
		store := filepath.Join(t.TempDir(), "store")
		res := runBinary(t, static, "ingest", "--store", store, "--id", "geology", gswaGeology)
		line := strings.TrimSuffix(res.stderr, "\n")
		if res.code != 1 || line == "" || strings.Contains(line, "\n") {
			t.Errorf("exit status %d, stderr %q; want 1 and one line", res.code, res.stderr)
		}
		for _, w := range []string{"CGO_ENABLED=0", "cgo", "libgdal-dev"} {
			if !strings.Contains(line, w) {
				t.Errorf("stderr %q does not say %q", line, w)
			}
		}
		if _, err := os.Stat(store); !os.IsNotExist(err) {
			t.Errorf("the refused ingest created the store %s (%v)", store, err)
		}
	})
}

// dynamicDeps returns the shared libraries an ELF executable needs and
// whether it asks for a dynamic loader (PT_INTERP), which ldd reports as
// "not a dynamic executable" when both are absent.
func dynamicDeps(t *testing.T, path string) (libs []string, interp bool) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err = f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		interp = interp || p.Type == elf.PT_INTERP
	}
	return libs, interp
}
