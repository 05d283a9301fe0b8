package styles

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validatorDir holds the npm setup of MapLibre's style validator; only its
// package.json and package-lock.json are committed, node_modules is made
// here by `npm ci` on first use.
const validatorDir = "testdata/validator"

// written is a generated style and the file it was written to.
type written struct {
	path  string
	style Style
}

// writeStyles writes every fixture style, with and without glyphs, as JSON
// files in a temporary directory.
func writeStyles(t *testing.T) []written {
	t.Helper()
	dir := t.TempDir()
	var files []written
	for _, opts := range []Options{{Base: testBase, Lang: "th"}, {Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf", FontFiles: "/fonts/{font}.ttf"}} {
		suffix := ".json"
		if opts.Glyphs != "" {
			suffix = ".glyphs.json"
		}
		for _, s := range allStyles(t, opts) {
			b, err := json.MarshalIndent(s.Document, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, s.ID+suffix)
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, written{f, s})
		}
	}
	return files
}

// TestStylesPassMapLibreValidator runs @maplibre/maplibre-gl-style-spec's
// gl-style-validate, at the version pinned in testdata/validator, on every
// kind of generated style.
func TestStylesPassMapLibreValidator(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian: apt-get install nodejs npm)", tool)
		}
	}
	bin := filepath.Join(validatorDir, "node_modules", ".bin", "gl-style-validate")
	if _, err := os.Stat(bin); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = validatorDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in styles/%s: %v\n%s\nthe npm registry must be reachable once to install the validator", validatorDir, err, out)
		}
	}
	var files []string
	for _, w := range writeStyles(t) {
		files = append(files, w.path)
	}
	out, err := exec.Command(bin, files...).CombinedOutput()
	if err != nil {
		t.Fatalf("gl-style-validate rejected generated styles: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("gl-style-validate printed:\n%s", s)
	}
	t.Logf("%d styles valid", len(files))
}
