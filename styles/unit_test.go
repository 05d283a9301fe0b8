package styles

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lucasb-eyer/go-colorful"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/synth"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// hamersley harmonises the GSWA Hamersley map (61 polygons, 19 units) with
// the demo's mapping, or with mapping when given, and returns its metadata
// as ingest writes it.
func hamersley(t testing.TB, mapping string) *tileset.Metadata {
	t.Helper()
	b, err := os.ReadFile("../data/geology/gswa-hamersley/geology.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if mapping == "" {
		mapping = "../data/mappings/gswa-geology.yaml"
	}
	m, err := harmonise.Load(mapping)
	if err != nil {
		t.Fatal(err)
	}
	var src []tileset.Field
	for k := range fc.Features[0].Properties {
		src = append(src, tileset.Field{Name: k, Type: "string"})
	}
	if err := m.Check(src); err != nil {
		t.Fatal(err)
	}
	rep := m.Apply(fc.Features)
	meta := geologyMeta()
	meta.Fields = m.Schema(src)
	meta.Units = rep.TilesetUnits()
	meta.FeatureCount = int64(len(fc.Features))
	return meta
}

// unitFills returns the fill colour the decoded geology-unit style gives
// each unit of meta.
func unitFills(t *testing.T, meta *tileset.Metadata, counts Counts) (Style, map[string]string) {
	t.Helper()
	st, err := ForKind(meta, KindGeologyUnit, counts, Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	fill := layerNamed(t, decoded(t, st), ".fill")["paint"].(map[string]any)["fill-color"]
	out := map[string]string{}
	for _, u := range meta.Units.Units {
		out[u.Code] = evalMatch(t, fill, meta.Units.Field, u.Code).(string)
	}
	return st, out
}

func dE(t *testing.T, a, b string) float64 {
	t.Helper()
	ca, err := colorful.Hex(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := colorful.Hex(b)
	if err != nil {
		t.Fatal(err)
	}
	return labOf(ca).deltaE(labOf(cb))
}

// TestUnitColoursShadeTheAgeColour: without the survey's colours, the 19
// units of the Hamersley map get 19 distinct colours, each within the family
// bound of its age's chart colour, and the units of one age at least
// unitMinDeltaE apart.
func TestUnitColoursShadeTheAgeColour(t *testing.T) {
	meta := hamersley(t, "")
	if len(meta.Units.Units) != 19 {
		t.Fatalf("%d units, want 19", len(meta.Units.Units))
	}
	st, fills := unitFills(t, meta, geologyCounts())
	byColour := map[string]string{}
	minSame, minOther := math.Inf(1), math.Inf(1)
	for _, u := range meta.Units.Units {
		c := fills[u.Code]
		if prev, dup := byColour[c]; dup {
			t.Errorf("units %s and %s share colour %s", prev, u.Code, c)
		}
		byColour[c] = u.Code
		age, ok := vocab.Lookup(u.Age)
		if !ok || age.Time == nil {
			t.Fatalf("unit %s: age %q", u.Code, u.Age)
		}
		if d := dE(t, c, age.Time.Colour); d > unitLightness+1 {
			t.Errorf("unit %s (%s) is %s, ΔE %.1f from the %s colour %s; want at most %g", u.Code, age.Label("en"), c, d, age.Label("en"), age.Time.Colour, unitLightness+1)
		}
		for _, v := range meta.Units.Units {
			if v.Code <= u.Code {
				continue
			}
			d := dE(t, c, fills[v.Code])
			if v.Age != u.Age {
				minOther = min(minOther, d)
				continue
			}
			minSame = min(minSame, d)
			if d < unitMinDeltaE {
				t.Errorf("units %s %s and %s %s of one age are ΔE %.1f apart; want at least %g", u.Code, c, v.Code, fills[v.Code], d, unitMinDeltaE)
			}
		}
	}
	t.Logf("least ΔE between units of one age %.1f, of different ages %.1f", minSame, minOther)
	// The style is deterministic.
	_, again := unitFills(t, hamersley(t, ""), geologyCounts())
	for code, c := range fills {
		if again[code] != c {
			t.Errorf("unit %s: %s, then %s", code, c, again[code])
		}
	}
	// The legend lists the units by age, youngest at the top, then by code,
	// with counts adding up to the features.
	var got []string
	var n int64
	for _, e := range st.Legends[0].Entries {
		got = append(got, e.Code)
		n += e.Count
		if e.Colour != fills[e.Code] || len(e.Values) != 1 || e.Values[0] != e.Code {
			t.Errorf("legend entry %+v; want colour %s and values [%s]", e, fills[e.Code], e.Code)
		}
	}
	want := "P_-HAb-cib P_-HAj-xci-od P_-HAo-ci P_-HAw-fr P_-TK-s " +
		"A-FO-od A-FO-xo-a A-FOh-xs-f A-FOj-xs-b A-FOo-bbo A-FOp-bs A-FOr-b A-FOu-bbo A-HAd-kd A-HAm-cib A-HAu-xsl-ci " +
		"A-b-PRK A-mgn-PRK A-s-PRK"
	if strings.Join(got, " ") != want {
		t.Errorf("legend order:\n%s\nwant (Paleoproterozoic, Neoarchean, Paleoarchean):\n%s", strings.Join(got, " "), want)
	}
	if n != 61 {
		t.Errorf("legend counts add up to %d, want 61", n)
	}
	if e := st.Legends[0].Entries[14]; e.Label != "Marra Mamba Iron Formation (A-HAm-cib)" || e.URI != ics+"Neoarchean" {
		t.Errorf("entry of A-HAm-cib: %q %q", e.Label, e.URI)
	}
	// The units are the preferred style, then ages.
	if k := Kinds(meta); strings.Join(k, " ") != "geology-unit geology-age geology-lithology default" {
		t.Errorf("kinds %v", k)
	}
}

// TestUnitColoursFromTheSurveyLegend: with a legend file, a unit's fill is
// exactly the survey's colour; units the file leaves out are shaded, apart
// from the given colours of their age.
func TestUnitColoursFromTheSurveyLegend(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../data/mappings/gswa-geology.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mapping := strings.Replace(string(src), "legend:\n  unit: code\n", "legend:\n  unit: code\n  file: legend.csv\n", 1)
	path := filepath.Join(dir, "gswa.yaml")
	csv := "code,name,colour\nA-HAm-cib,Marra Mamba Iron Formation,#8a6bb0\nA-FO-od,Fortescue Group dolerite,#F99BC2\n"
	for name, text := range map[string]string{path: mapping, filepath.Join(dir, "legend.csv"): csv} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	meta := hamersley(t, path)
	_, fills := unitFills(t, meta, geologyCounts())
	if fills["A-HAm-cib"] != "#8A6BB0" || fills["A-FO-od"] != "#F99BC2" {
		t.Errorf("A-HAm-cib %s, A-FO-od %s; want the legend file's #8A6BB0, #F99BC2", fills["A-HAm-cib"], fills["A-FO-od"])
	}
	for _, u := range meta.Units.Units {
		if u.Age != ics+"Neoarchean" || u.Code == "A-FO-od" || u.Code == "A-HAm-cib" {
			continue
		}
		for _, given := range []string{"#8A6BB0", "#F99BC2"} {
			if d := dE(t, fills[u.Code], given); d < unitMinDeltaE {
				t.Errorf("unit %s %s is ΔE %.1f from the given %s", u.Code, fills[u.Code], d, given)
			}
		}
	}
	// Every unit coloured by the survey.
	for i := range meta.Units.Units {
		meta.Units.Units[i].Colour = fmt.Sprintf("#%06X", i*0x0A0B0C)
	}
	_, fills = unitFills(t, meta, geologyCounts())
	if fills["A-FO-od"] != "#000000" || fills[meta.Units.Units[18].Code] != fmt.Sprintf("#%06X", 18*0x0A0B0C) {
		t.Errorf("fills %v", fills)
	}
}

// TestUnitStyleInSLD: the desktop encodings draw each unit in its colour.
func TestUnitStyleInSLD(t *testing.T) {
	meta := hamersley(t, "")
	st, fills := unitFills(t, meta, geologyCounts())
	sld, err := st.SLD("geology")
	if err != nil {
		t.Fatal(err)
	}
	qml, err := st.QML()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"A-HAm-cib", "P_-TK-s"} {
		c, err := parseHex(fills[code])
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{"SLD": fills[code], "QML": fmt.Sprintf("%d,%d,%d,255", c[0], c[1], c[2])} {
			doc := map[string]string{"SLD": string(sld), "QML": string(qml)}[name]
			if !strings.Contains(doc, code) || !strings.Contains(doc, want) {
				t.Errorf("%s lacks unit %s or its colour %s", name, code, want)
			}
		}
	}
}

// unitsMeta is a small tileset with a legend of units, two coloured by the
// survey, for the fixtures every style test runs.
func unitsMeta() *tileset.Metadata {
	m := geologyMeta()
	m.ID, m.FeatureCount = "units", 9
	m.Units = &tileset.Units{Field: "code", Units: []tileset.Unit{
		{Code: "Pgr", Name: "Granite", Age: ics + "Permian", Colour: "#E06060", Features: 3},
		{Code: "Prh", Name: "Rhyolite", Age: ics + "Permian", Features: 2},
		{Code: "Jls", Name: "Limestone", Age: ics + "Jurassic", Colour: "#34B2C9", Features: 2},
		{Code: "X", Features: 1},
	}}
	return m
}

// TestUnitLegendFallback: units of no known age come last, and features of
// no listed unit make the fallback entry.
func TestUnitLegendFallback(t *testing.T) {
	st, err := ForKind(unitsMeta(), KindGeologyUnit, geologyCounts(), Options{Base: testBase})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range st.Legends[0].Entries {
		got = append(got, fmt.Sprintf("%s %d %v", e.Code, e.Count, e.Fallback))
	}
	if strings.Join(got, ", ") != "Jls 2 false, Pgr 3 false, Prh 2 false, X 1 false,  1 true" {
		t.Errorf("legend %v", got)
	}
}

// TestUnitColoursOfTheSyntheticMap: the demo's synthetic map, harmonised by
// its mapping, gets a distinct colour per unit, the units of one age at
// least unitMinDeltaE apart.
func TestUnitColoursOfTheSyntheticMap(t *testing.T) {
	seq, err := synth.Geology(synth.GeologyOptions{Units: 200, VerticesPerEdge: 1})
	if err != nil {
		t.Fatal(err)
	}
	var fs []*geojson.Feature
	for f := range seq {
		fs = append(fs, f)
	}
	m, err := harmonise.Load("../data/mappings/sea-geology.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var src []tileset.Field
	for k := range fs[0].Properties {
		src = append(src, tileset.Field{Name: k, Type: "string"})
	}
	if err := m.Check(src); err != nil {
		t.Fatal(err)
	}
	rep := m.Apply(fs)
	meta := geologyMeta()
	meta.Fields, meta.Units, meta.FeatureCount = m.Schema(src), rep.TilesetUnits(), int64(len(fs))
	_, fills := unitFills(t, meta, geologyCounts())
	perAge := map[string]int{}
	seen := map[string]string{}
	minSame := math.Inf(1)
	for i, u := range meta.Units.Units {
		perAge[u.Age]++
		if prev, dup := seen[fills[u.Code]]; dup {
			t.Errorf("units %s and %s share %s", prev, u.Code, fills[u.Code])
		}
		seen[fills[u.Code]] = u.Code
		for _, v := range meta.Units.Units[i+1:] {
			if v.Age == u.Age {
				minSame = min(minSame, dE(t, fills[u.Code], fills[v.Code]))
			}
		}
	}
	most := 0
	for _, n := range perAge {
		most = max(most, n)
	}
	t.Logf("%d units, %d ages, at most %d of one age; least ΔE within an age %.1f", len(meta.Units.Units), len(perAge), most, minSame)
	if minSame < unitMinDeltaE {
		t.Errorf("units of one age as close as ΔE %.1f; want at least %g", minSame, unitMinDeltaE)
	}
}
