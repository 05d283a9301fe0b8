package harmonise

import (
	"testing"

	"github.com/paulmach/orb/geojson"
)

const unitMapping = `
	view: GeologicUnitView
	blank_values: ["None"]
	fields:
	  identifier: {template: "x:{code}:{@id}"}
	  name: name
	  description: {template: "{name} ({code})"}
	  lithology: {from: lith, split: ","}
	  representativeLithology_uri:
	    from: [lith_th, lith]
	    split: ","
	    by_label: true
	    values: {BIF: iron_rich_sedimentary_rock}
	  geologicUnitType_uri: {from: rank, values: {Formation: lithostratigraphic_unit}}
	  geologicUnitType: {label_of: geologicUnitType_uri}
	  representativeAge_uri: {from: [age_from, age_to], age: span}
	  representativeOlderAge_uri: {from: [age_from, age_to], age: older}
	  representativeYoungerAge_uri: {from: [age_from, age_to], age: younger}
	  numericOlderAge: max_ma
	  specification_uri: spec
`

func TestApplyHarmonisesAndKeepsTheSource(t *testing.T) {
	m := parse(t, unitMapping)
	f := feature(map[string]any{
		"code": "Kgr", "name": "  Khao  Luang granite ", "lith": "granite, pegmatite", "rank": "Formation",
		"age_from": "Early Cretaceous", "age_to": "Late Cretaceous", "max_ma": int64(140), "spec": "None",
	})
	f.ID = 7
	r := m.Apply([]*geojson.Feature{f})
	want := map[string]any{
		FieldIdentifier:                  "x:Kgr:7",
		FieldName:                        "Khao Luang granite", // a plain copy, tidied, in place
		FieldDescription:                 "Khao Luang granite (Kgr)",
		FieldLithology:                   "granite",
		FieldRepresentativeLithologyURI:  lithNS + "granite",
		FieldGeologicUnitTypeURI:         gutNS + "lithostratigraphic_unit",
		FieldGeologicUnitType:            "lithostratigraphic unit",
		FieldRepresentativeAgeURI:        icsNS + "Cretaceous",
		FieldRepresentativeOlderAgeURI:   icsNS + "LowerCretaceous",
		FieldRepresentativeYoungerAgeURI: icsNS + "UpperCretaceous",
		FieldNumericOlderAge:             140.0,
		FieldSpecificationURI:            NilMissing, // "None" is blank
		"code":                           "Kgr",      // source fields stay
		"lith":                           "granite, pegmatite",
		"max_ma":                         int64(140),
	}
	for k, v := range want {
		if got := f.Properties[k]; got != v {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
	if _, ok := f.Properties["src_name"]; ok {
		t.Error("a plain copy, name: name, moved the source's name aside")
	}
	if r.Problems() != 1 || len(r.Blanks) != 1 || r.Blanks[0] != (FieldCount{FieldSpecificationURI, 1}) {
		t.Errorf("report: %d problems, blanks %+v; want the one blank specification_uri", r.Problems(), r.Blanks)
	}
}

// TestApplyNilURIs: a blank source value is "missing", a value the mapping
// cannot resolve "unknown"; text fields are left out instead.
func TestApplyNilURIs(t *testing.T) {
	m := parse(t, unitMapping)
	blank := feature(map[string]any{"lith": "", "rank": nil, "age_from": "None"})
	unmapped := feature(map[string]any{"lith": "komatiitic basalt", "rank": "Complex", "age_from": "Jurassic", "age_to": "Late Jurassik"})
	r := m.Apply([]*geojson.Feature{blank, unmapped})
	for _, c := range []struct {
		f     *geojson.Feature
		field string
		want  string
	}{
		{blank, FieldRepresentativeLithologyURI, NilMissing},
		{blank, FieldGeologicUnitTypeURI, NilMissing},
		{blank, FieldRepresentativeAgeURI, NilMissing},
		{blank, FieldRepresentativeOlderAgeURI, NilMissing},
		{blank, FieldSpecificationURI, NilMissing},
		{unmapped, FieldRepresentativeLithologyURI, NilUnknown},
		{unmapped, FieldGeologicUnitTypeURI, NilUnknown},
		{unmapped, FieldRepresentativeAgeURI, NilUnknown},
		{unmapped, FieldRepresentativeYoungerAgeURI, NilUnknown},
	} {
		if got := c.f.Properties[c.field]; got != c.want {
			t.Errorf("%v: %s = %v, want %s", c.f.Properties["lith"], c.field, got, c.want)
		}
	}
	for _, k := range []string{FieldLithology, FieldGeologicUnitType, FieldNumericOlderAge, FieldIdentifier, FieldName} {
		if v, ok := blank.Properties[k]; ok {
			t.Errorf("blank feature: %s = %#v, want it left out", k, v)
		}
	}
	// A template whose fields are all blank is blank, not "x::".
	if _, ok := blank.Properties[FieldDescription]; ok {
		t.Errorf("description of a feature with no name or code = %q", blank.Properties[FieldDescription])
	}
	blanks := map[string]int{}
	for _, b := range r.Blanks {
		blanks[b.Field] = b.Features
	}
	// specification_uri is blank on both.
	want := map[string]int{FieldRepresentativeLithologyURI: 1, FieldGeologicUnitTypeURI: 1, FieldRepresentativeAgeURI: 1,
		FieldRepresentativeOlderAgeURI: 1, FieldRepresentativeYoungerAgeURI: 1, FieldSpecificationURI: 2}
	if len(blanks) != len(want) {
		t.Errorf("blanks %v, want %v", blanks, want)
	}
	for k, n := range want {
		if blanks[k] != n {
			t.Errorf("blanks[%s] = %d, want %d", k, blanks[k], n)
		}
	}
	var got []string
	for _, u := range r.Unmapped {
		got = append(got, u.Field+"="+u.Value)
	}
	wantU := []string{
		"geologicUnitType_uri=Complex",
		"representativeLithology_uri=komatiitic basalt",
		"representativeAge_uri=Jurassic / Late Jurassik",
		"representativeOlderAge_uri=Jurassic / Late Jurassik",
		"representativeYoungerAge_uri=Jurassic / Late Jurassik",
	}
	if len(got) != len(wantU) {
		t.Fatalf("unmapped %q, want %q", got, wantU)
	}
	for i := range got {
		if got[i] != wantU[i] {
			t.Errorf("unmapped[%d] = %q, want %q", i, got[i], wantU[i])
		}
	}
}

// TestApplyMovesCollidingSourceFieldsAside: a source field named like a
// harmonised field made from something else survives as src_<name>.
func TestApplyMovesCollidingSourceFieldsAside(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		fields:
		  commodity: commodities
		  representativeCommodity_uri: {from: commodity, by_notation: true}
		  name: {template: "{name} mine"}
		  source: source
	`)
	f := feature(map[string]any{"commodity": "Sn", "commodities": "Sn, W", "name": "Doi Ngam", "source": "synthetic"})
	m.Apply([]*geojson.Feature{f})
	want := map[string]any{
		FieldCommodity:                  "Sn, W",
		"src_commodity":                 "Sn",
		FieldRepresentativeCommodityURI: comNS + "tin",
		FieldName:                       "Doi Ngam mine",
		"src_name":                      "Doi Ngam",
		FieldSource:                     "synthetic",
	}
	for k, v := range want {
		if got := f.Properties[k]; got != v {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
	if _, ok := f.Properties["src_source"]; ok {
		t.Error("source: source is a plain copy and should stay put")
	}
	if got, want := len(f.Properties), 8; got != want {
		t.Errorf("%d properties, want %d: %v", got, want, f.Properties)
	}
}

func TestApplyResolvesLabelsInAnyLanguageAndCodes(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri: {from: lith, by_label: true}
		  lithology: {label_of: representativeLithology_uri, language: th}
	`)
	for _, c := range []struct{ word, want, thai string }{
		{"หินแกรนิต", "granite", "หินแกรนิต"}, // Thai
		{"đá vôi", "limestone", "หินปูน"},     // Vietnamese
		{"Batu Lumpur", "clastic_mudstone", "หินโคลน"},
		{"GRANITE", "granite", "หินแกรนิต"},
	} {
		f := feature(map[string]any{"lith": c.word})
		if r := m.Apply([]*geojson.Feature{f}); r.Problems() != 0 {
			t.Errorf("%s: %d problems: %+v", c.word, r.Problems(), r.Unmapped)
		}
		if got := f.Properties[FieldRepresentativeLithologyURI]; got != lithNS+c.want {
			t.Errorf("%s → %v, want %s", c.word, got, lithNS+c.want)
		}
		if got := f.Properties[FieldLithology]; got != c.thai {
			t.Errorf("%s: Thai label %v, want %s", c.word, got, c.thai)
		}
	}
}

func TestApplyJoinsPartsOnce(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		blank_values: ["0"]
		fields:
		  commodity:
		    parts:
		      - constant: copper
		      - {from: mo, default: molybdenum}
		      - {from: subtype, values: {21a: molybdenum}, default: ""}
		      - {from: au, default: gold}
		    separator: " + "
	`)
	cases := []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"mo": "0.02", "subtype": "21a", "au": "0"}, "copper + molybdenum"},
		{map[string]any{"mo": "0", "subtype": "21a", "au": 0.3}, "copper + molybdenum + gold"},
		{map[string]any{"mo": "", "subtype": "17"}, "copper"},
	}
	for _, c := range cases {
		f := feature(c.props)
		r := m.Apply([]*geojson.Feature{f})
		if got := f.Properties[FieldCommodity]; got != c.want {
			t.Errorf("%v: commodity %q, want %q", c.props, got, c.want)
		}
		if r.Problems() != 0 {
			t.Errorf("%v: %d problems", c.props, r.Problems())
		}
	}
}

// TestApplyChecksSourceURIs: a _uri field copied from the source keeps only
// what its vocabulary holds.
func TestApplyChecksSourceURIs(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri: lith_uri
		  specification_uri: spec
	`)
	good := feature(map[string]any{"lith_uri": lithNS + "basalt", "spec": "https://example.org/u/1"})
	bad := feature(map[string]any{"lith_uri": lithNS + "basalts", "spec": "unit 1"})
	other := feature(map[string]any{"lith_uri": comNS + "copper", "spec": NilWithheld})
	r := m.Apply([]*geojson.Feature{good, bad, other})
	if got := good.Properties[FieldRepresentativeLithologyURI]; got != lithNS+"basalt" {
		t.Errorf("good lithology URI became %v", got)
	}
	if got := good.Properties[FieldSpecificationURI]; got != "https://example.org/u/1" {
		t.Errorf("good specification_uri became %v", got)
	}
	for _, f := range []*geojson.Feature{bad, other} {
		if got := f.Properties[FieldRepresentativeLithologyURI]; got != NilUnknown {
			t.Errorf("%v became %v, want %s", f.Properties["lith_uri"], got, NilUnknown)
		}
	}
	if got := other.Properties[FieldSpecificationURI]; got != NilWithheld {
		t.Errorf("a nil URI in the source became %v", got)
	}
	want := []NotInVocabulary{
		{Field: FieldRepresentativeLithologyURI, Value: comNS + "copper", Vocabulary: "lithology", Reason: "not in the lithology vocabulary", Features: 1},
		{Field: FieldRepresentativeLithologyURI, Value: lithNS + "basalts", Vocabulary: "lithology", Reason: "not in the lithology vocabulary", Features: 1},
		{Field: FieldSpecificationURI, Value: "unit 1", Reason: "not an absolute URI", Features: 1},
	}
	if len(r.NotInVocabulary) != len(want) {
		t.Fatalf("not in vocabulary: %+v", r.NotInVocabulary)
	}
	for i := range want {
		if r.NotInVocabulary[i] != want[i] {
			t.Errorf("not in vocabulary [%d] = %+v, want %+v", i, r.NotInVocabulary[i], want[i])
		}
	}
}

func TestApplyReadsNumericAgesInMa(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		fields:
		  representativeAge_uri: {from: age_ma, age: span, unit_rank: [Epoch, Era]}
	`)
	for _, c := range []struct {
		ma   any
		want string
	}{
		{5.5, "Miocene"},
		{"66", "Paleocene"}, // a boundary belongs to the younger unit
		{int64(2700), "Neoarchean"},
		{"250", "LowerTriassic"},
	} {
		f := feature(map[string]any{"age_ma": c.ma})
		m.Apply([]*geojson.Feature{f})
		if got := f.Properties[FieldRepresentativeAgeURI]; got != icsNS+c.want {
			t.Errorf("%v Ma → %v, want %s", c.ma, got, icsNS+c.want)
		}
	}
	m = parse(t, `
		view: MineralOccurrenceView
		fields:
		  representativeAge_uri: {from: age_ma, age: span}
	`)
	f := feature(map[string]any{"age_ma": "5.5"})
	r := m.Apply([]*geojson.Feature{f})
	if f.Properties[FieldRepresentativeAgeURI] != NilUnknown || len(r.Unmapped) != 1 || r.Unmapped[0].Reason != "a number; add unit_rank: to read numbers as ages in Ma" {
		t.Errorf("a number without unit_rank: %v, %+v", f.Properties[FieldRepresentativeAgeURI], r.Unmapped)
	}
}
