package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodMapping = "view: GeologicUnitView\nfields:\n  name: name\n"

// writeConfig writes a configuration and two mappings and data files it
// may name into a temporary directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"th.yaml": goodMapping, "la.yaml": goodMapping,
		"bad.yaml": "view: GeologicUnitView\nfields:\n  lithology_uri: x\n", "th.shp": "", "la.gpkg": "", "faults.shp": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodConfig = `id: th-la
title: T
tolerance_m: 100
sources:
  - country: THA
    file: th.shp
    mapping: th.yaml
    attribution: DMR
  - country: LAO
    file: la.gpkg
    layer: units
    mapping: la.yaml
`

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig(writeConfig(t, goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "th-la" || c.ToleranceM != 100 || len(c.Sources) != 2 || c.Sources[1].Layer != "units" ||
		c.Sources[0].Attribution != "DMR" || c.Sources[0].Line != 5 || c.Boundaries.Field != "iso_a3" || c.Boundaries.File != "" {
		t.Errorf("config = %+v", c)
	}
	c, err = LoadConfig(writeConfig(t, strings.Replace(goodConfig, "attribution: DMR\n", "attribution: DMR\n    lines:\n      faults: faults.shp\n      contacts: {file: faults.shp, layer: contacts, s_srs: EPSG:24047}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if l := c.Sources[0].Lines; len(l) != 2 || l[0].Name != "faults" || !strings.HasSuffix(l[0].File, "faults.shp") || l[0].Line != 10 ||
		l[1].Name != "contacts" || l[1].Layer != "contacts" || l[1].SrcSRS != "EPSG:24047" || len(c.Sources[1].Lines) != 0 {
		t.Errorf("lines = %+v", l)
	}
	if !filepath.IsAbs(c.Sources[0].File) && !strings.HasSuffix(c.Sources[0].File, "th.shp") {
		t.Errorf("file %q not resolved against the configuration", c.Sources[0].File)
	}
}

// TestConfigMistakes checks that every mistake names the file, the line and
// the fix.
func TestConfigMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"syntax", "    file: th.shp", "    file: th.shp: x", `:6: malformed YAML`},
		{"unknown key", "    mapping: la.yaml", "    maping: la.yaml", `:12: unknown key "maping" in a source; did you mean mapping?`},
		{"tolerance", "tolerance_m: 100", "tolerance_m: 100m", `:3: tolerance_m must be a distance in metres`},
		{"missing file", "file: la.gpkg", "file: lao.gpkg", `:10: file lao.gpkg: no such file`},
		{"bad id", "id: th-la", "id: TH LA", `:1: id "TH LA" cannot name`},
		{"no id", "id: th-la\n", "", `:1: the configuration has no id:`},
		{"twice", "country: LAO", "country: THA", `:9: country THA has a source already (line 5)`},
		{"mapping", "mapping: la.yaml", "mapping: bad.yaml", `:12: mapping: `},
		{"one source", "  - country: LAO\n    file: la.gpkg\n    layer: units\n    mapping: la.yaml\n", "", `:5: a compilation needs the maps of at least two`},
		{"no mapping", "    mapping: th.yaml\n", "", `:5: this source has no mapping:`},
		{"boundaries", "sources:", "boundaries: {file: nowhere.gpkg}\nsources:", `:4: boundaries file nowhere.gpkg: no such file`},
		{"lines not a mapping", "attribution: DMR\n", "attribution: DMR\n    lines: faults.shp\n", `:9: lines: must map each line layer's name to its file`},
		{"lines name", "attribution: DMR\n", "attribution: DMR\n    lines:\n      qa: faults.shp\n", `:10: line layer name "qa" cannot name tileset th-la-qa`},
		{"lines key", "attribution: DMR\n", "attribution: DMR\n    lines:\n      faults: {file: faults.shp, maping: th.yaml}\n", `:10: unknown key "maping" in line layer faults; did you mean mapping?`},
		{"lines file", "attribution: DMR\n", "attribution: DMR\n    lines:\n      faults: nowhere.shp\n", `:10: lines faults file nowhere.shp: no such file`},
		{"lines no file", "attribution: DMR\n", "attribution: DMR\n    lines:\n      faults:\n        layer: f\n", `:11: line layer faults has no file:`},
		{"lines mapping", "attribution: DMR\n", "attribution: DMR\n    lines:\n      faults:\n        file: faults.shp\n        mapping: bad.yaml\n", `:12: mapping: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(goodConfig, tc.old, tc.new, 1)
			p := writeConfig(t, text)
			_, err := LoadConfig(p)
			if err == nil || !strings.HasPrefix(err.Error(), p) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %s%s…", err, p, tc.want)
			}
		})
	}
}
