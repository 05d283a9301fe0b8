package harmonise

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// writeLegendMapping writes a GSWA mapping with the given legend: section
// and, when csv is not empty, a legend file legend.csv beside it.
func writeLegendMapping(t *testing.T, legend, csv string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(mappings + "gswa-geology.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "legend:\n  unit: code\n", legend, 1)
	if s == string(src) && legend != "legend:\n  unit: code\n" {
		t.Fatal("gswa-geology.yaml has no legend: section to replace")
	}
	path := filepath.Join(dir, "gswa.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if csv != "" {
		if err := os.WriteFile(filepath.Join(dir, "legend.csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestLegendOfGSWAUnits: the demo mapping's legend lists the 19 unit codes
// of the 61 Hamersley polygons with their names and ages, none coloured.
func TestLegendOfGSWAUnits(t *testing.T) {
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	m := loadDemo(t, "gswa-geology.yaml", fieldsOf(fs))
	r := m.Apply(fs)
	l := r.Legend
	if l == nil || l.Field != "code" || len(l.Units) != 19 || l.Uncoloured != 19 || l.NoCode != 0 || len(l.Unused) != 0 {
		t.Fatalf("legend %+v; want 19 uncoloured units by code", l)
	}
	total := 0
	for _, u := range l.Units {
		total += u.Features
		if u.Code == "A-HAm-cib" && (u.Name != "Marra Mamba Iron Formation" || u.Age != icsNS+"Neoarchean" || u.Colour != "") {
			t.Errorf("A-HAm-cib: %+v", u)
		}
		if !strings.HasPrefix(u.Age, icsNS) {
			t.Errorf("unit %s has age %q", u.Code, u.Age)
		}
	}
	if total != 61 {
		t.Errorf("units hold %d features, want 61", total)
	}
	tu := r.TilesetUnits()
	if tu.Field != "code" || len(tu.Units) != 19 || tu.Units[0].Code != l.Units[0].Code {
		t.Errorf("tileset units %+v", tu)
	}
	var out bytes.Buffer
	r.Print(&out)
	if !strings.Contains(out.String(), "legend: 19 units by code, 0 coloured by the survey, 19 shaded from their age's colour") {
		t.Errorf("printed report lacks the legend:\n%s", out.String())
	}
}

// TestLegendColoursFromFileAndMapping: a legend file's colours, in either
// case, and the mapping's own, which win; codes on no feature are listed.
func TestLegendColoursFromFileAndMapping(t *testing.T) {
	path := writeLegendMapping(t, "legend:\n  unit: code\n  file: legend.csv\n  colours:\n    A-FO-od: \"#00ff00\"\n",
		"\uFEFFcode,name,colour\nA-HAm-cib,Marra Mamba Iron Formation,#8a6bb0\nA-FO-od,Fortescue dolerite,#123456\n\"X-gone\",\"not, on the map\",#FFFFFF\n")
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(fieldsOf(fs)); err != nil {
		t.Fatal(err)
	}
	l := m.Apply(fs).Legend
	got := map[string]UnitColour{}
	for _, u := range l.Units {
		got[u.Code] = u
	}
	if u := got["A-HAm-cib"]; u.Colour != "#8A6BB0" || !strings.HasSuffix(u.Given, "legend.csv:2") {
		t.Errorf("A-HAm-cib: %+v; want #8A6BB0 from legend.csv:2", u)
	}
	if u := got["A-FO-od"]; u.Colour != "#00FF00" || !strings.HasSuffix(u.Given, "gswa.yaml:18") {
		t.Errorf("A-FO-od: %+v; want the mapping's #00FF00, given at gswa.yaml:18", u)
	}
	if l.File != "legend.csv" || l.Uncoloured != 17 || strings.Join(l.Unused, ",") != "X-gone" {
		t.Errorf("legend file %q, %d uncoloured, unused %v; want legend.csv, 17, [X-gone]", l.File, l.Uncoloured, l.Unused)
	}
}

// TestLegendErrors: each mistake in a legend is one line naming the file,
// the line or unit, and the fix.
func TestLegendErrors(t *testing.T) {
	for _, c := range []struct {
		legend, csv, want string
	}{
		{"legend:\n  unit: code\n  colours:\n    A-HAm-cib: \"#8A6BB\"\n", "",
			`gswa.yaml:17: legend: colours: unit A-HAm-cib: colour "#8A6BB" is not #RRGGBB; write # and six hex digits, as "#8A6BB0"`},
		{"legend:\n  unit: code\n  colours:\n    A-HAm-cib: #8A6BB0\n", "",
			`gswa.yaml:17: legend: colours: unit A-HAm-cib: no colour; give one as "#8A6BB0" (in YAML, quote it: an unquoted # starts a comment)`},
		{"legend:\n  unit: code\n  file: legend.csv\n", "code,colour\nA-HAm-cib,#8A6BB0\nA-FO-od,8a6bb0\n",
			`legend.csv:3: unit A-FO-od: colour "8a6bb0" is not #RRGGBB (did you mean "#8A6BB0"?); write # and six hex digits, as "#8A6BB0"`},
		{"legend:\n  unit: code\n  file: legend.csv\n", "code,colour\nA-HAm-cib,#8A6BB0\nA-HAm-cib,#8A6BB1\n",
			`legend.csv:3: unit A-HAm-cib is listed twice (first at `},
		{"legend:\n  unit: code\n  file: legend.csv\n", "unit,colour\nA-HAm-cib,#8A6BB0\n",
			`legend.csv:1: the header "unit,colour" has no column code; the first line names the columns: code,name,colour`},
		{"legend:\n  unit: code\n  file: nowhere.csv\n", "",
			`nowhere.csv: cannot read the legend file: `},
		{"legend:\n  colours: {A-HAm-cib: \"#8A6BB0\"}\n", "",
			`gswa.yaml:14: legend: has no unit:; add unit: naming the source field that holds each unit's code, e.g. unit: code`},
		{"legend:\n  unit: code\n  colors: {A-HAm-cib: \"#8A6BB0\"}\n", "",
			`gswa.yaml:16: unknown key "colors" in legend:; did you mean colours? use unit, file, colours`},
	} {
		path := writeLegendMapping(t, c.legend, c.csv)
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("legend %q, file %q:\n got %v\nwant %s", c.legend, c.csv, err, c.want)
		}
	}
	// The unit field is checked against the source.
	path := writeLegendMapping(t, "legend:\n  unit: cod\n", "")
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Check(fieldsOf(readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")))
	if err == nil || !strings.Contains(err.Error(), `gswa.yaml:14: legend: unit: the source has no field "cod"; did you mean code?`) {
		t.Errorf("Check with unit: cod: %v", err)
	}
}

// TestLegendKeepsCodesAsStored: the style matches the code as the tiles
// hold it, spaces and all; the legend's colour is found by the tidied code.
func TestLegendKeepsCodesAsStored(t *testing.T) {
	path := writeLegendMapping(t, "legend:\n  unit: code\n  colours: {A-HAm-cib: \"#8A6BB0\"}\n", "")
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Properties["code"] == "A-HAm-cib" {
			f.Properties["code"] = " A-HAm-cib "
		}
	}
	l := m.Apply(fs).Legend
	for _, u := range l.Units {
		if strings.Contains(u.Code, "HAm-cib") && (u.Code != " A-HAm-cib " || u.Colour != "#8A6BB0") {
			t.Errorf("unit %+v; want code %q coloured #8A6BB0", u, " A-HAm-cib ")
		}
	}
	if len(l.Unused) != 0 {
		t.Errorf("unused %v", l.Unused)
	}
}

// TestLegendColoursFromAColourField: a source carrying each feature's
// colour gives its units their colours, in any of the forms attribute
// tables hold; colours: still wins; disagreeing and unreadable values are
// reported, not guessed.
func TestLegendColoursFromAColourField(t *testing.T) {
	path := writeLegendMapping(t, "legend:\n  unit: code\n  colour_field: rgb\n  colours: {A-FO-od: \"#00FF00\"}\n", "")
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	seen := map[string]int{}
	for _, f := range fs {
		code := f.Properties.MustString("code")
		seen[code]++
		switch code {
		case "A-HAm-cib":
			f.Properties["rgb"] = "138,107,176"
		case "A-HAd-kd":
			f.Properties["rgb"] = "c0ffee"
		case "A-FO-od":
			f.Properties["rgb"] = "#123456"
		case "P_-TK-s":
			f.Properties["rgb"] = []string{"#AAAAAA", "#BBBBBB", "#AAAAAA"}[seen[code]%3]
		case "A-s-PRK":
			f.Properties["rgb"] = "pink"
		}
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(fieldsOf(fs)); err != nil {
		t.Fatal(err)
	}
	r := m.Apply(fs)
	got := map[string]string{}
	for _, u := range r.Legend.Units {
		got[u.Code] = u.Colour
	}
	for code, want := range map[string]string{"A-HAm-cib": "#8A6BB0", "A-HAd-kd": "#C0FFEE", "A-FO-od": "#00FF00", "A-s-PRK": "", "A-FOr-b": ""} {
		if got[code] != want {
			t.Errorf("unit %s coloured %q, want %q", code, got[code], want)
		}
	}
	if c := r.Legend.Conflicts; len(c) != 1 || c[0].Code != "P_-TK-s" || strings.Join(c[0].Colours, " ") != "#AAAAAA #BBBBBB" || c[0].Chosen != got["P_-TK-s"] {
		t.Errorf("conflicts %+v", c)
	}
	if b := r.Legend.BadColours; len(b) != 1 || b[0].Code != "A-s-PRK" || b[0].Value != "pink" {
		t.Errorf("bad colours %+v", b)
	}
	var out bytes.Buffer
	r.Print(&out)
	for _, want := range []string{"legend: 19 units by code, 4 coloured by the survey, 15 shaded", `unit A-s-PRK: colour "pink" is not #RRGGBB, RRGGBB or r,g,b`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed report lacks %q:\n%s", want, out.String())
		}
	}
	// The colour field must exist.
	var without []tileset.Field
	for _, f := range fieldsOf(fs) {
		if f.Name != "rgb" {
			without = append(without, f)
		}
	}
	err = m.Check(without)
	if err == nil || !strings.Contains(err.Error(), `legend: colour_field: the source has no field "rgb"`) {
		t.Errorf("Check without rgb: %v", err)
	}
}
