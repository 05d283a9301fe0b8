package harmonise

import (
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/vocab"
)

const ageMapping = `
	view: GeologicUnitView
	fields:
	  identifier: id
	  representativeAge_uri: {from: rep, vocabulary: ics}
	  representativeOlderAge_uri: older
	  representativeYoungerAge_uri: younger
	  numericOlderAge: max_ma
	  numericYoungerAge: min_ma
`

// TestAgeLogicCatchesInconsistentFeatures crafts one feature per kind of
// inconsistency beside a consistent one, and expects exactly those.
func TestAgeLogicCatchesInconsistentFeatures(t *testing.T) {
	m := parse(t, ageMapping)
	u := func(name string) string { return icsNS + name }
	fs := []*geojson.Feature{
		feature(map[string]any{"id": "ok", "rep": u("Jurassic"), "older": u("LowerJurassic"), "younger": u("UpperJurassic"), "max_ma": 190.0, "min_ma": "150"}),
		// Permian to Triassic read backwards.
		feature(map[string]any{"id": "swapped", "rep": u("Permian"), "older": u("Triassic"), "younger": u("Permian")}),
		// The representative age is Cambrian, the range Jurassic.
		feature(map[string]any{"id": "outside", "rep": u("Cambrian"), "older": u("LowerJurassic"), "younger": u("UpperJurassic")}),
		feature(map[string]any{"id": "numbers", "max_ma": 150.0, "min_ma": 190.0}),
		// 2445 Ma is Paleoproterozoic, not Neoarchean (2800–2500 Ma).
		feature(map[string]any{"id": "chart", "rep": u("Neoarchean"), "max_ma": "2629", "min_ma": "2445"}),
		// Within the tolerance: 1 Ma plus the chart's ±0.2 Ma on the base of the Jurassic.
		feature(map[string]any{"id": "tolerated", "rep": u("Jurassic"), "max_ma": 202.5}),
		feature(map[string]any{"id": "beyond", "rep": u("Jurassic"), "max_ma": 202.7}),
	}
	r := m.Apply(fs)
	want := []AgeProblem{
		{Kind: AgeNumericOrder, Message: "numericOlderAge 150 Ma is younger than numericYoungerAge 190 Ma", Features: 1, Examples: []string{"numbers"}},
		{Kind: AgeNumericChart, Message: "numericOlderAge 202.7 Ma lies outside representativeAge_uri Jurassic (201.4–143.1 Ma)", Features: 1, Examples: []string{"beyond"}},
		{Kind: AgeNumericChart, Message: "numericYoungerAge 2445 Ma lies outside representativeAge_uri Neoarchean (2800–2500 Ma)", Features: 1, Examples: []string{"chart"}},
		{Kind: AgeOrder, Message: "representativeOlderAge_uri Triassic (251.902–201.4 Ma) is younger than representativeYoungerAge_uri Permian (298.9–251.902 Ma)", Features: 1, Examples: []string{"swapped"}},
		{Kind: AgeRepresentative, Message: "representativeAge_uri Cambrian (538.8–486.85 Ma) lies outside Lower Jurassic to Upper Jurassic", Features: 1, Examples: []string{"outside"}},
	}
	if len(r.AgeProblems) != len(want) {
		t.Fatalf("age problems:\n%s", dumpAges(r.AgeProblems))
	}
	for i, w := range want {
		g := r.AgeProblems[i]
		if g.Kind != w.Kind || g.Message != w.Message || g.Features != w.Features || strings.Join(g.Examples, ",") != strings.Join(w.Examples, ",") {
			t.Errorf("age problem %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	// Besides the five, the features lacking an age URI count as blanks.
	if got, want := r.Problems(), 5+r.blankCount(); got != want || r.blankCount() != 9 {
		t.Errorf("Problems() = %d with %d blanks, want 5 + 9 blanks", got, r.blankCount())
	}
}

func dumpAges(ps []AgeProblem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Kind + ": " + p.Message + "\n")
	}
	return b.String()
}

// TestAgeProblemsAreCountedNotRepeated: a map of one inconsistent unit in a
// thousand polygons is one problem with a count and a few examples.
func TestAgeProblemsAreCountedNotRepeated(t *testing.T) {
	m := parse(t, ageMapping)
	var fs []*geojson.Feature
	for i := range 1000 {
		fs = append(fs, feature(map[string]any{"id": "u" + strconv.Itoa(i), "rep": icsNS + "Permian", "max_ma": 320.0}))
	}
	r := m.Apply(fs)
	if len(r.AgeProblems) != 1 || r.AgeProblems[0].Features != 1000 || len(r.AgeProblems[0].Examples) != maxExamples {
		t.Fatalf("age problems: %+v", r.AgeProblems)
	}
	if got := strings.Join(r.AgeProblems[0].Examples, ","); got != "u0,u1,u2,u3,u4" {
		t.Errorf("examples %s", got)
	}
}

func TestAgeToleranceIsTheMappings(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		age_tolerance_ma: 3
		fields:
		  representativeAge_uri: {from: rep, vocabulary: ics}
		  numericOlderAge: max_ma
	`)
	// A survey keeping an older chart's 145 Ma for the base of the
	// Cretaceous, which the 2024 chart puts at 143.1 ± 0.6 Ma.
	f := feature(map[string]any{"rep": icsNS + "Cretaceous", "max_ma": 145.0})
	if r := m.Apply([]*geojson.Feature{f}); len(r.AgeProblems) != 0 {
		t.Errorf("145 Ma for the Cretaceous with 3 Ma tolerance: %+v", r.AgeProblems)
	}
	m = parse(t, ageMapping)
	if r := m.Apply([]*geojson.Feature{feature(map[string]any{"rep": icsNS + "Cretaceous", "max_ma": 145.0})}); len(r.AgeProblems) != 1 {
		t.Errorf("145 Ma for the Cretaceous with the default tolerance: %+v", r.AgeProblems)
	}
}

// TestAgeSpans checks what age: older, younger and span make of names.
func TestAgeSpans(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeAge_uri: {from: [from, to], age: span}
		  representativeOlderAge_uri: {from: [from, to], age: older}
		  representativeYoungerAge_uri: {from: [from, to], age: younger}
		  numericOlderAge: {from: [from, to], age: older}
		  numericYoungerAge: {from: [from, to], age: younger}
	`)
	for _, c := range []struct {
		from, to             string
		span, older, younger string
		numOlder, numYounger float64
	}{
		{"Neoarchean", "Neoarchean", "Neoarchean", "Neoarchean", "Neoarchean", 2800, 2500},
		{"Jurassic-Cretaceous", "", "Mesozoic", "Jurassic", "Cretaceous", 201.4, 66},
		{"Late Cretaceous", "Early Jurassic", "Mesozoic", "LowerJurassic", "UpperCretaceous", 201.4, 66},
		{"Permian", "Triassic", "Phanerozoic", "Permian", "Triassic", 298.9, 201.4},
		{"Early Jurassic", "Jurassic", "Jurassic", "LowerJurassic", "Jurassic", 201.4, 143.1},
		{"Jurassic", "Early Jurassic", "Jurassic", "LowerJurassic", "Jurassic", 201.4, 143.1},
		{"Palaeoproterozoic", "Neoarchaean", "Precambrian", "Neoarchean", "Paleoproterozoic", 2800, 1600},
	} {
		f := feature(map[string]any{"from": c.from, "to": c.to})
		r := m.Apply([]*geojson.Feature{f})
		if r.Problems() != 0 {
			t.Errorf("%s / %s: problems %+v %+v", c.from, c.to, r.Unmapped, r.AgeProblems)
		}
		for field, want := range map[string]string{FieldRepresentativeAgeURI: c.span, FieldRepresentativeOlderAgeURI: c.older, FieldRepresentativeYoungerAgeURI: c.younger} {
			if got := f.Properties[field]; got != icsNS+want {
				t.Errorf("%s / %s: %s = %v, want %s", c.from, c.to, field, got, want)
			}
		}
		if f.Properties[FieldNumericOlderAge] != c.numOlder || f.Properties[FieldNumericYoungerAge] != c.numYounger {
			t.Errorf("%s / %s: numeric %v–%v, want %v–%v", c.from, c.to, f.Properties[FieldNumericOlderAge], f.Properties[FieldNumericYoungerAge], c.numOlder, c.numYounger)
		}
	}
	// The chart has no unit above the Precambrian and the Phanerozoic.
	f := feature(map[string]any{"from": "Ediacaran", "to": "Cambrian"})
	r := m.Apply([]*geojson.Feature{f})
	if f.Properties[FieldRepresentativeAgeURI] != NilUnknown || f.Properties[FieldRepresentativeOlderAgeURI] != icsNS+"Ediacaran" {
		t.Errorf("Ediacaran to Cambrian: span %v, older %v", f.Properties[FieldRepresentativeAgeURI], f.Properties[FieldRepresentativeOlderAgeURI])
	}
	if len(r.Unmapped) != 1 || !strings.Contains(r.Unmapped[0].Reason, "no single chart unit spans Ediacaran to Cambrian") {
		t.Errorf("unmapped: %+v", r.Unmapped)
	}
}

func TestSpanningNeedsAChartUnit(t *testing.T) {
	p, _ := vocab.Lookup(icsNS + "Permian")
	tr, _ := vocab.Lookup(icsNS + "Triassic")
	if c := spanning(p, tr); c == nil || c.URI != icsNS+"Phanerozoic" {
		t.Errorf("spanning(Permian, Triassic) = %v", c)
	}
}
