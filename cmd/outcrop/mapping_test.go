//go:build cgo

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/harmonise"
)

const gswaGeology = "../../data/geology/gswa-hamersley/geology.geojson"

// mappingInit drafts a mapping of file with the CLI and checks it loads.
func mappingInit(t *testing.T, file string, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "drafts", "draft.yaml")
	code, stdout, stderr := runCLI(append([]string{"mapping", "init", file, "--out", out}, extra...)...)
	if code != 0 {
		t.Fatalf("mapping init: exit status %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+out) {
		t.Errorf("stdout: %q", stdout)
	}
	if _, err := harmonise.Load(out); err != nil {
		b, _ := os.ReadFile(out)
		t.Fatalf("the draft does not load: %v\n%s", err, b)
	}
	return out
}

func TestMappingInitDraftsGSWAAndIngestResolvesItsGuesses(t *testing.T) {
	draft := mappingInit(t, gswaGeology)
	b, _ := os.ReadFile(draft)
	for _, want := range []string{"from: [agefrom, ageto]", "from: lithname1", "# TODO iron formation: ?"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("draft lacks %q:\n%s", want, b)
		}
	}
	code, stdout, stderr := runCLI("ingest", gswaGeology, "--store", t.TempDir(), "--id", "geology", "--mapping", draft)
	if code != 0 {
		t.Fatalf("ingest --mapping draft: exit status %d: %s", code, stderr)
	}
	// What the draft guessed resolves; what it marked TODO is unmapped.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, " ← ") && !strings.Contains(line, "lithname1") {
			t.Errorf("unmapped outside the lithology TODOs: %s", line)
		}
	}
	if !strings.Contains(stdout, `representativeLithology_uri ← lithname1 "iron formation": 14 features`) {
		t.Errorf("report does not list the TODO value iron formation:\n%s", stdout)
	}
}

func TestMappingInitDraftsTheSyntheticThaiLegendWhole(t *testing.T) {
	src := filepath.Join(t.TempDir(), "th.geojson")
	if code, _, stderr := runCLI("synth", "geology", "--out", src, "--units", "150"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	draft := mappingInit(t, src, "--field", "name", "--field", "lithology", "--field", "age", "--field", "max_age_ma", "--field", "min_age_ma")
	// The synthetic legend resolves whole: --strict passes.
	code, stdout, stderr := runCLI("ingest", src, "--store", t.TempDir(), "--id", "th", "--mapping", draft, "--strict")
	if code != 0 {
		t.Fatalf("ingest --strict --mapping draft: exit status %d: %s\n%s", code, stderr, stdout)
	}
}

func TestMappingInitRefusesBadInvocations(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "m.yaml")
	os.WriteFile(existing, []byte("keep"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"mapping", gswaGeology}, 2, "say what to do: outcrop mapping init FILE"},
		{[]string{"mapping", "init"}, 2, "mapping init takes one FILE"},
		{[]string{"mapping", "init", gswaGeology, "--out", existing}, 1, "exists; the draft would overwrite a mapping"},
		{[]string{"mapping", "init", gswaGeology, "--field", "unit_name"}, 1, `has no field "unit_name"; did you mean unitname?`},
		{[]string{"mapping", "init", gswaGeology, "--view", "Units"}, 1, `unknown view "Units"`},
		{[]string{"mapping", "init", "nope.shp"}, 1, "nope.shp"},
	} {
		code, _, stderr := runCLI(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and one line with %q", c.args, code, stderr, c.code, c.want)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Error("an existing --out was overwritten")
	}
}
