package harmonise

import (
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/synth"
)

// draftApply drafts a mapping for features, loads it and applies it to them.
func draftApply(t *testing.T, file string, fs []*geojson.Feature, opts DraftOptions) (string, *Report) {
	t.Helper()
	s := NewSample(file, fieldsOf(fs))
	for _, f := range fs {
		s.Add(f.Properties)
	}
	b, err := Draft(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	draft := string(b)
	m, err := Parse("draft.yaml", b)
	if err != nil {
		t.Fatalf("the draft does not load: %v\n%s", err, draft)
	}
	return draft, m.Apply(fs)
}

// checkGuessesResolve asserts that every value the harmonised features
// leave unmapped is one the draft marked TODO: what it guessed resolves.
func checkGuessesResolve(t *testing.T, draft string, r *Report) {
	t.Helper()
	for _, u := range r.Unmapped {
		if !strings.Contains(draft, "# TODO "+q(u.Value)+": ?") {
			t.Errorf("%s %q (%d features) is unmapped but the draft has no TODO for it:\n%s", u.Field, u.Value, u.Features, draft)
		}
	}
	if len(r.NotInVocabulary) > 0 {
		t.Errorf("not in vocabulary: %+v", r.NotInVocabulary)
	}
}

func TestDraftOfGSWAHamersley(t *testing.T) {
	fs := readGeoJSON(t, "geology/gswa-hamersley/geology.geojson")
	draft, r := draftApply(t, "geology.geojson", fs, DraftOptions{})
	for _, want := range []string{
		"  name: unitname\n",
		"  representativeLithology_uri:\n    from: lithname1\n",
		"  representativeAge_uri:\n    from: [agefrom, ageto]\n    age: span\n",
		"  representativeOlderAge_uri:\n    from: [agefrom, ageto]\n    age: older\n",
		"  numericOlderAge: max_age_ma",
		"  numericYoungerAge: min_age_ma",
		"      # TODO iron formation: ?   # 14 features\n",
		"legend:\n  unit: code   # the map's unit codes",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	checkGuessesResolve(t, draft, r)
	ages := 0
	for _, f := range fs {
		if u, _ := f.Properties[FieldRepresentativeAgeURI].(string); strings.HasPrefix(u, icsNS) {
			ages++
		}
	}
	if ages != len(fs) {
		t.Errorf("%d of %d units have a chart age, want all", ages, len(fs))
	}
}

func TestDraftOfASyntheticThaiLegend(t *testing.T) {
	seq, err := synth.Geology(synth.GeologyOptions{Units: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var fs []*geojson.Feature
	for f := range seq {
		fs = append(fs, f)
	}
	draft, r := draftApply(t, "th-geology.geojson", fs, DraftOptions{})
	for _, want := range []string{
		"  representativeLithology_uri:\n    from: lithology\n    split: \",\"",
		"  representativeAge_uri:\n    from: age\n    age: span\n",
		"  numericOlderAge: max_age_ma",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	checkGuessesResolve(t, draft, r)
	// Every synthetic lithology's first item is a CGI label, every age a
	// chart name: the draft resolves the whole legend.
	if len(r.Unmapped) != 0 || r.Problems() != 0 {
		t.Errorf("%d problems, unmapped %+v", r.Problems(), r.Unmapped)
	}
	for _, f := range fs[:20] {
		if u, _ := f.Properties[FieldRepresentativeLithologyURI].(string); !strings.HasPrefix(u, lithNS) {
			t.Errorf("%v: lithology %q", f.Properties["code"], u)
		}
	}
}

// Values with a near label are drafted as entries to check, which apply;
// the rest stay TODO comments, which stay unmapped.
func TestDraftEntersNearLabelsToCheck(t *testing.T) {
	var fs []*geojson.Feature
	for _, v := range []struct{ lith, age string }{
		{"หินไรโอไลต์", "Permian"}, {"หินไรโอไลต์", "Permian"}, {"หินแกรนิต", "Triassic"},
		{"หินปูน", "Cretacious"}, {"หินทราย", "ZZ"}, {"หินแปลก", "Jurassic"},
	} {
		fs = append(fs, feature(map[string]any{"หิน": v.lith, "ยุค": v.age}))
	}
	draft, r := draftApply(t, "la.geojson", fs, DraftOptions{Fields: []string{"หิน", "ยุค"}})
	for _, want := range []string{
		"tables:\n  ages:",
		"    Cretacious: Cretaceous   # TODO check: near label en \"Cretaceous\", 1 features\n    # TODO ZZ: ?   # 1 features\n",
		"    table: ages\n",
		"      หินไรโอไลต์: rhyolite   # TODO check: near label th \"หินไรโอไรต์\", 2 features\n",
		"      # TODO หินแปลก: ?   # 1 features\n",
	} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	checkGuessesResolve(t, draft, r)
	if got := fs[0].Properties[FieldRepresentativeLithologyURI]; got != lithNS+"rhyolite" {
		t.Errorf("the drafted entry gives %v, want rhyolite", got)
	}
	if got := fs[3].Properties[FieldRepresentativeOlderAgeURI]; got != icsNS+"Cretaceous" {
		t.Errorf("the drafted age table gives %v, want Cretaceous", got)
	}
	if _, err := Draft(NewSample("la.geojson", fieldsOf(fs)), DraftOptions{Fields: []string{"ยุด"}}); err == nil || !strings.Contains(err.Error(), `la.geojson has no field "ยุด"; did you mean ยุค?`) {
		t.Errorf("unknown --field: %v", err)
	}
}

// TestDraftOfPorphyryCopperWritesMandatoryText: a MineralOccurrenceView
// draft writes mineralOccurrenceType and commodity, which the standard
// requires, as the labels of their drafted _uri fields, so that nothing
// mandatory is left out.
func TestDraftOfPorphyryCopperWritesMandatoryText(t *testing.T) {
	fs, _ := readPorphyry(t)
	draft, r := draftApply(t, "porphyry.csv", fs, DraftOptions{View: ViewMineralOccurrence})
	for _, want := range []string{"  identifier: {template:", "  commodity: {label_of: representativeCommodity_uri}\n"} {
		if !strings.Contains(draft, want) {
			t.Errorf("draft lacks %q:\n%s", want, draft)
		}
	}
	if !strings.Contains(draft, "  mineralOccurrenceType: {label_of: mineralOccurrenceType_uri}\n") && !strings.Contains(draft, "  # TODO mineralOccurrenceType: the view requires it") {
		t.Errorf("draft neither maps nor marks mineralOccurrenceType:\n%s", draft)
	}
	if strings.Contains(draft, "  mineralOccurrenceType: {label_of") && len(r.Unwritten) != 0 {
		t.Errorf("unwritten %v", r.Unwritten)
	}
}
