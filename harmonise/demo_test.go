package harmonise

import (
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/synth"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// The demo's mapping files, each tested on the data it maps.
const mappings = "../data/mappings/"

func loadDemo(t *testing.T, name string, fields []tileset.Field) *Mapping {
	t.Helper()
	m, err := Load(mappings + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(fields); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGSWAGeology: every one of the 61 units gets its age URIs from its
// agefrom/ageto names, and the report lists exactly the unmapped values.
func TestGSWAGeology(t *testing.T) {
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	if len(fs) != 61 {
		t.Fatalf("%d units, want 61", len(fs))
	}
	m := loadDemo(t, "gswa-geology.yaml", fieldsOf(fs))
	type ages struct{ from, to string }
	src := make([]ages, len(fs))
	for i, f := range fs {
		src[i] = ages{f.Properties.MustString("agefrom"), f.Properties.MustString("ageto")}
	}
	r := m.Apply(fs)
	for i, f := range fs {
		older, _, err := vocab.ParseAge(src[i].from)
		if err != nil {
			t.Fatalf("unit %d: agefrom %q: %v", i, src[i].from, err)
		}
		_, younger, err := vocab.ParseAge(src[i].to)
		if err != nil {
			t.Fatalf("unit %d: ageto %q: %v", i, src[i].to, err)
		}
		p := f.Properties
		if p[FieldRepresentativeOlderAgeURI] != older.URI || p[FieldRepresentativeYoungerAgeURI] != younger.URI {
			t.Errorf("%s (%s–%s): older %v, younger %v", p[FieldName], src[i].from, src[i].to,
				p[FieldRepresentativeOlderAgeURI], p[FieldRepresentativeYoungerAgeURI])
		}
		// GSWA names one era at both ends of every unit.
		if rep, _ := p[FieldRepresentativeAgeURI].(string); rep != older.URI {
			t.Errorf("%s: representativeAge_uri %q, want %s", p[FieldName], rep, older.URI)
		}
		if _, ok := vocab.ColourOf(p.MustString(FieldRepresentativeAgeURI)); !ok {
			t.Errorf("%s: representativeAge_uri %v has no chart colour", p[FieldName], p[FieldRepresentativeAgeURI])
		}
	}
	want := []Unmapped{{
		Field: FieldRepresentativeLithologyURI, Source: []string{"lithname1", "rocktype1"},
		Value: "pyroxene spinifex-textured basalt", Reason: "not in values or the vocabulary's labels", Features: 1,
	}}
	if len(r.Unmapped) != len(want) {
		t.Fatalf("unmapped: %+v", r.Unmapped)
	}
	for i := range want {
		g := r.Unmapped[i]
		if g.Field != want[i].Field || g.Value != want[i].Value || g.Reason != want[i].Reason || g.Features != want[i].Features ||
			strings.Join(g.Source, ",") != strings.Join(want[i].Source, ",") {
			t.Errorf("unmapped[%d] = %+v, want %+v", i, g, want[i])
		}
	}
	// GSWA's numeric ages agree with the chart's eras for its age names.
	if len(r.AgeProblems) != 0 || len(r.NotInVocabulary) != 0 || len(r.Blanks) != 0 || len(r.Defaulted) != 0 {
		t.Errorf("report: ages %+v, not in vocabulary %+v, blanks %+v, defaulted %v", r.AgeProblems, r.NotInVocabulary, r.Blanks, r.Defaulted)
	}
	counts := map[string]int{}
	for _, v := range r.Values[FieldRepresentativeAgeURI] {
		counts[strings.TrimPrefix(v.Value, icsNS)] = v.Features
	}
	if counts["Neoarchean"] != 45 || counts["Paleoproterozoic"] != 11 || counts["Paleoarchean"] != 5 || len(counts) != 3 {
		t.Errorf("features per age: %v", counts)
	}
	lith := map[string]int{}
	for _, v := range r.Values[FieldRepresentativeLithologyURI] {
		lith[strings.TrimPrefix(v.Value, lithNS)] = v.Features
	}
	if lith["iron_rich_sedimentary_rock"] != 14 || lith["doleritic_rock"] != 9 || lith["basalt"] != 3 || lith[NilUnknown] != 1 {
		t.Errorf("features per lithology: %v", lith)
	}
	if err := r.Strict(); err == nil || !strings.Contains(err.Error(), "1 feature with an unmapped value") {
		t.Errorf("Strict() = %v", err)
	}
	// Marra Mamba Iron Formation, the first unit, in full.
	p := fs[0].Properties
	for k, v := range map[string]any{
		FieldIdentifier:                 "gswa:geol_500k:15791",
		FieldName:                       "Marra Mamba Iron Formation",
		FieldLithology:                  "banded iron formation",
		FieldRepresentativeLithologyURI: lithNS + "iron_rich_sedimentary_rock",
		FieldGeologicUnitTypeURI:        gutNS + "lithostratigraphic_unit",
		FieldGeologicUnitType:           "lithostratigraphic unit",
		FieldNumericOlderAge:            2629.0,
		FieldNumericYoungerAge:          2597.0,
		FieldSpecificationURI:           NilMissing,
		"code":                          "A-HAm-cib",
		"max_age_ma":                    "2629",
	} {
		if p[k] != v {
			t.Errorf("Marra Mamba: %s = %#v, want %#v", k, p[k], v)
		}
	}
}

func TestGSWAFaults(t *testing.T) {
	fs := readGeoJSON(t, "geology/gswa-hamersley/faults.geojson")
	m := loadDemo(t, "gswa-faults.yaml", fieldsOf(fs))
	r := m.Apply(fs)
	if r.Features != 35 || r.Problems() != 0 {
		t.Fatalf("%d faults, %d problems: %+v", r.Features, r.Problems(), r)
	}
	for _, f := range fs {
		p := f.Properties
		if p[FieldFaultTypeURI] != "http://resource.geosciml.org/classifier/cgi/faulttype/fault" || p[FieldFaultType] != "fault" {
			t.Errorf("%v: fault type %v", p[FieldIdentifier], p[FieldFaultTypeURI])
		}
		// fname is "None" throughout: the name falls back to the legend's.
		if p[FieldName] != p["feature"] || p["fname"] != "None" {
			t.Errorf("%v: name %v", p[FieldIdentifier], p[FieldName])
		}
		for _, k := range []string{FieldMovementTypeURI, FieldDeformationStyleURI, FieldRepresentativeAgeURI, FieldSpecificationURI} {
			if p[k] != NilMissing {
				t.Errorf("%v: %s = %v, want nil missing", p[FieldIdentifier], k, p[k])
			}
		}
	}
	want := "movementType_uri deformationStyle_uri representativeAge_uri representativeOlderAge_uri representativeYoungerAge_uri specification_uri"
	if got := strings.Join(r.Defaulted, " "); got != want {
		t.Errorf("defaulted %s", got)
	}
}

// TestPorphyryCopper: all 690 deposits are copper deposits, with Mo, Au and
// Ag listed where the database gives a grade or a subtype naming them.
func TestPorphyryCopper(t *testing.T) {
	fs, fields := readPorphyry(t)
	if len(fs) != 690 {
		t.Fatalf("%d deposits, want 690", len(fs))
	}
	m := loadDemo(t, "porphyry-copper.yaml", fields)
	r := m.Apply(fs)
	if got := r.Values[FieldRepresentativeCommodityURI]; len(got) != 1 || got[0].Value != comNS+"copper" || got[0].Features != 690 {
		t.Errorf("representativeCommodity_uri: %+v", got)
	}
	if got := r.Values[FieldMineralOccurrenceTypeURI]; len(got) != 1 || got[0].Features != 690 ||
		got[0].Value != "http://resource.geosciml.org/classifier/cgi/mineral-occurrence-type/deposit" {
		t.Errorf("mineralOccurrenceType_uri: %+v", got)
	}
	byName := map[string]geojson.Properties{}
	mo, au := 0, 0
	for _, f := range fs {
		p := f.Properties
		if p[FieldRepresentativeCommodityURI] != comNS+"copper" {
			t.Fatalf("%v: %v", p[FieldName], p[FieldRepresentativeCommodityURI])
		}
		c := p.MustString(FieldCommodity)
		if !strings.HasPrefix(c, "copper") {
			t.Errorf("%v: commodity %q", p[FieldName], c)
		}
		if strings.Contains(c, "molybdenum") {
			mo++
		}
		if strings.Contains(c, "gold") {
			au++
		}
		byName[p.MustString(FieldName)] = p
	}
	// Agua Rica: Cu 0.42 %, Mo 0.033 %, Au 0.18 g/t, Ag 3.2 g/t, subtype 17, 5.5 Ma.
	ar := byName["Agua Rica"] // tidied from "Agua  Rica"
	if ar == nil {
		t.Fatal("no Agua Rica")
	}
	for k, v := range map[string]any{
		FieldCommodity:            "copper, molybdenum, gold, silver",
		FieldMineralDepositModel:  "porphyry Cu",
		FieldIdentifier:           "usgs:ofr-2008-1155:323",
		FieldRepresentativeAgeURI: icsNS + "Miocene",
		FieldGeologicHistory:      "6–5",
	} {
		if ar[k] != v {
			t.Errorf("Agua Rica: %s = %#v, want %#v", k, ar[k], v)
		}
	}
	// 228 deposits report a Mo grade and 256 an Au grade; subtypes add the
	// Cu-Mo (21a) and Cu-Au (20c) deposits that report none.
	wantMo, wantAu := 0, 0
	for _, f := range fs {
		p := f.Properties
		if p["Molybdenum grade"] != "0" && p["Molybdenum grade"] != "" || strings.TrimSpace(p.MustString("Subtype")) == "21a" {
			wantMo++
		}
		if p["Gold grade"] != "0" || strings.TrimSpace(p.MustString("Subtype")) == "20c" {
			wantAu++
		}
	}
	if mo != wantMo || au != wantAu || mo < 228 || au < 256 {
		t.Errorf("%d with molybdenum (want %d), %d with gold (want %d)", mo, wantMo, au, wantAu)
	}
	// AgeMY is empty or 0 for 114 deposits: those are blanks, and nothing
	// else is wrong.
	if len(r.Unmapped) != 0 || len(r.NotInVocabulary) != 0 || len(r.AgeProblems) != 0 ||
		len(r.Blanks) != 1 || r.Blanks[0] != (FieldCount{FieldRepresentativeAgeURI, 114}) {
		t.Errorf("report: %+v", r)
	}
}

// TestSyntheticMaps maps the synthetic map and occurrences as package synth
// makes them, so that a change of its attributes shows here.
func TestSyntheticMaps(t *testing.T) {
	seq, err := synth.Geology(synth.GeologyOptions{Units: 200, VerticesPerEdge: 1})
	if err != nil {
		t.Fatal(err)
	}
	var units []*geojson.Feature
	for f := range seq {
		units = append(units, f)
	}
	m := loadDemo(t, "sea-geology.yaml", fieldsOf(units))
	legend := map[string]string{}
	for _, f := range units {
		legend[f.Properties.MustString("code")] = f.Properties.MustString("age")
	}
	r := m.Apply(units)
	if r.Problems() != 0 {
		var b strings.Builder
		r.Print(&b)
		t.Errorf("synthetic map: %d problems\n%s", r.Problems(), b.String())
	}
	for _, f := range units {
		p := f.Properties
		if !strings.HasPrefix(p.MustString(FieldRepresentativeLithologyURI), lithNS) {
			t.Errorf("%v: lithology %v", p[FieldIdentifier], p[FieldRepresentativeLithologyURI])
		}
		if p[FieldSource] != synth.Source || p[FieldName] != p["name"] {
			t.Errorf("%v: source %v, name %v", p[FieldIdentifier], p[FieldSource], p[FieldName])
		}
		older, younger, err := vocab.ParseAge(legend[p.MustString("code")])
		if err != nil {
			t.Fatal(err)
		}
		if p[FieldRepresentativeOlderAgeURI] != older.URI || p[FieldRepresentativeYoungerAgeURI] != younger.URI {
			t.Errorf("%v: ages %v–%v", p[FieldIdentifier], p[FieldRepresentativeOlderAgeURI], p[FieldRepresentativeYoungerAgeURI])
		}
	}

	occ, err := synth.Occurrences(synth.OccurrenceOptions{Count: 300})
	if err != nil {
		t.Fatal(err)
	}
	var points []*geojson.Feature
	for f := range occ {
		points = append(points, f)
	}
	m = loadDemo(t, "sea-occurrences.yaml", fieldsOf(points))
	r = m.Apply(points)
	if r.Problems() != 0 {
		t.Errorf("synthetic occurrences: %d problems: %+v", r.Problems(), r.Unmapped)
	}
	for _, f := range points {
		p := f.Properties
		code := p.MustString("src_commodity")
		cs, _ := vocab.Get("commodity")
		if hits := cs.ByNotation(code); len(hits) == 0 || p[FieldRepresentativeCommodityURI] != hits[0].URI {
			t.Errorf("%v: %s became %v", p[FieldIdentifier], code, p[FieldRepresentativeCommodityURI])
		}
		if p[FieldCommodity] != p["commodities"] {
			t.Errorf("%v: commodity %v", p[FieldIdentifier], p[FieldCommodity])
		}
	}
}
