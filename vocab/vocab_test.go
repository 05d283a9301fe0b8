package vocab

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/vocab/internal/wire"
)

const (
	ics  = "http://resource.geosciml.org/classifier/ics/ischart/"
	lith = "http://resource.geosciml.org/classifier/cgi/lithology/"
	comm = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
)

func TestLoad(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
}

// wantCounts are the skos:Concepts of each file. The data README says 309
// for commodities: that counts the skos:Collection <…/commodity-code>, which
// also declares skos:inScheme; it has 308 concepts.
var wantCounts = map[string]int{
	"ics":                     178,
	"lithology":               265,
	"geologic-unit-type":      20,
	"contact-type":            36,
	"fault-type":              24,
	"commodity":               308,
	"mineral-occurrence-type": 7,
}

func TestConceptCounts(t *testing.T) {
	var ids []string
	for _, v := range All() {
		ids = append(ids, v.ID)
	}
	want := "ics lithology geologic-unit-type contact-type fault-type commodity mineral-occurrence-type"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("All() = %s, want %s", got, want)
	}
	for id, n := range wantCounts {
		v, ok := Get(id)
		if !ok {
			t.Fatalf("Get(%q) found nothing", id)
		}
		if len(v.Concepts) != n {
			t.Errorf("%s: %d concepts, want %d", id, len(v.Concepts), n)
		}
	}
	if _, ok := Get("nope"); ok {
		t.Error(`Get("nope") found something`)
	}
}

// TestCountsMatchTurtle counts "a skos:Concept" in the Turtle text itself,
// independently of rapper and the generator.
func TestCountsMatchTurtle(t *testing.T) {
	typed := regexp.MustCompile(`\ba skos:Concept\s*[;.,]`)
	for _, v := range All() {
		b, err := os.ReadFile(filepath.Join("ttl", v.Source))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(typed.FindAll(b, -1)); n != len(v.Concepts) {
			t.Errorf("%s: the Turtle types %d concepts, the embedded data has %d", v.Source, n, len(v.Concepts))
		}
	}
}

// TestEmbeddedMatchesTurtle catches a Turtle file changed without
// `go generate ./vocab/` being run.
func TestEmbeddedMatchesTurtle(t *testing.T) {
	var f wire.File
	if err := json.Unmarshal(embedded, &f); err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Vocabularies {
		b, err := os.ReadFile(filepath.Join("ttl", v.Source))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != v.SHA256 {
			t.Errorf("ttl/%s changed since vocabularies.json was generated; run `go generate ./vocab/`", v.Source)
		}
	}
}

func TestMetadata(t *testing.T) {
	for _, v := range All() {
		if v.Licence != "CC-BY-4.0" || v.LicenceURL != "https://creativecommons.org/licenses/by/4.0/" {
			t.Errorf("%s: licence %q %q", v.ID, v.Licence, v.LicenceURL)
		}
		want := "IUGS Commission for the Management and Application of Geoscience Information"
		if v.ID == "ics" {
			want = "International Commission on Stratigraphy"
		}
		if !strings.Contains(v.Attribution, want) {
			t.Errorf("%s: attribution %q lacks %q", v.ID, v.Attribution, want)
		}
	}
	titles := map[string]string{
		"ics": "International Chronostratigraphic Chart", "lithology": "Simple Lithology",
		"commodity": "Commodity Code", "fault-type": "Fault Type",
	}
	for id, want := range titles {
		if v, _ := Get(id); v.Title != want {
			t.Errorf("%s: title %q, want %q", id, v.Title, want)
		}
	}
	if v, _ := Get("ics"); v.Version != "2024-12" {
		t.Errorf("ics version %q", v.Version)
	}
}

// Every concept needs a name for legends; the ICS Turtle leaves 26 units
// unlabelled and the generator composes their names.
func TestEveryConceptHasEnglishLabel(t *testing.T) {
	for _, v := range All() {
		for _, c := range v.Concepts {
			if c.PrefLabels["en"] == "" {
				t.Errorf("%s has no English prefLabel", c.URI)
			}
			if c.Vocabulary != v.ID {
				t.Errorf("%s: Vocabulary %q, want %q", c.URI, c.Vocabulary, v.ID)
			}
		}
	}
}

func TestLegacyEncodedLabelsDropped(t *testing.T) {
	v, _ := Get("lithology")
	if v.DroppedLabels["lo"] != 98 || v.DroppedLabels["km"] != 97 {
		t.Errorf("lithology dropped %v, want 98 lo and 97 km", v.DroppedLabels)
	}
	g, _ := Lookup(lith + "granite")
	if _, ok := g.PrefLabels["lo"]; ok {
		t.Errorf("granite keeps its legacy-encoded Lao label %q", g.PrefLabels["lo"])
	}
	if got := g.PrefLabels["th"]; got != "หินแกรนิต" {
		t.Errorf("granite's Thai label %q", got)
	}
}

func TestLookupAndLabel(t *testing.T) {
	c, ok := Lookup(" " + lith + "limestone\n")
	if !ok {
		t.Fatal("limestone not found")
	}
	for lang, want := range map[string]string{"vi": "đá vôi", "vi-VN": "đá vôi", "th": "หินปูน", "ms": "batu kapur", "xx": "limestone", "": "limestone"} {
		if got := c.Label(lang); got != want {
			t.Errorf("Label(%q) = %q, want %q", lang, got, want)
		}
	}
	if _, ok := Lookup(lith + "no_such_rock"); ok {
		t.Error("found an unknown URI")
	}
	if c.Definition == "" || !strings.Contains(c.Definition, "carbonate") {
		t.Errorf("limestone definition %q", c.Definition)
	}
}

func TestDecodeRefusesStaleFormat(t *testing.T) {
	if _, err := decode([]byte(`{"format":0,"vocabularies":[]}`)); err == nil || !strings.Contains(err.Error(), "go generate") {
		t.Errorf("stale format: err = %v", err)
	}
	if _, err := decode([]byte(`{`)); err == nil {
		t.Error("truncated JSON: no error")
	}
}

// BenchmarkLoad measures decoding the embedded vocabularies and building
// every index, which the first lookup pays once, and reports the heap the
// result keeps (retained-B).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(embedded)))
	var before, after runtime.MemStats
	var kept *catalog
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		c, err := decode(embedded)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = c
		b.StartTimer()
	}
	b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "retained-B")
	runtime.KeepAlive(kept)
}

func BenchmarkByLabel(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(ByLabel("Đá vôi")) == 0 {
			b.Fatal("no hit")
		}
	}
}
