package harmonise

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// A Lao-style legend code carries the age between dashes; one table reads
// it for the three age URIs and both numeric ages.
const codeMapping = `
	view: GeologicUnitView
	tables:
	  ages:
	    CRET: Cretaceous
	    JUR: Jurassic
	    JK: Jurassic-Cretaceous
	    TR: Late Triassic
	fields:
	  representativeAge_uri: {from: code, pattern: '^[A-Z]-([A-Z]+)-', table: ages, age: span}
	  representativeOlderAge_uri: {from: code, pattern: '^[A-Z]-([A-Z]+)-', table: ages, age: older}
	  representativeYoungerAge_uri: {from: code, pattern: '^[A-Z]-([A-Z]+)-', table: ages, age: younger}
	  numericOlderAge: {from: code, pattern: '^[A-Z]-([A-Z]+)-', table: ages, age: older}
	  numericYoungerAge: {from: code, pattern: '^[A-Z]-([A-Z]+)-', table: ages, age: younger}
`

func TestPatternAndTableReadAnAgeCodeForEveryAgeField(t *testing.T) {
	m := parse(t, codeMapping)
	cases := []struct {
		code, span, older, younger string
		base, top                  float64
	}{
		{"L-CRET-GRANIT", "Cretaceous", "Cretaceous", "Cretaceous", 143.1, 66},
		{"S-JK-SDST", "Mesozoic", "Jurassic", "Cretaceous", 201.4, 66},
		{"V-TR-RHY", "UpperTriassic", "UpperTriassic", "UpperTriassic", 237, 201.4},
	}
	for _, c := range cases {
		f := feature(map[string]any{"code": c.code})
		if r := m.Apply([]*geojson.Feature{f}); r.Problems() != 0 {
			t.Fatalf("%s: %d problems: %+v", c.code, r.Problems(), r.Unmapped)
		}
		for field, want := range map[string]string{
			FieldRepresentativeAgeURI: c.span, FieldRepresentativeOlderAgeURI: c.older, FieldRepresentativeYoungerAgeURI: c.younger,
		} {
			if got := f.Properties[field]; got != icsNS+want {
				t.Errorf("%s: %s = %v, want %s", c.code, field, got, icsNS+want)
			}
		}
		if got := f.Properties[FieldNumericOlderAge]; got != c.base {
			t.Errorf("%s: numericOlderAge = %v, want %v", c.code, got, c.base)
		}
		if got := f.Properties[FieldNumericYoungerAge]; got != c.top {
			t.Errorf("%s: numericYoungerAge = %v, want %v", c.code, got, c.top)
		}
	}
	// A code the pattern cannot read, and one the table lacks, are unmapped
	// and named in the report, never guessed.
	fs := []*geojson.Feature{feature(map[string]any{"code": "granite"}), feature(map[string]any{"code": "L-ZZ-LST"})}
	r := m.Apply(fs)
	if fs[0].Properties[FieldRepresentativeAgeURI] != NilUnknown || fs[1].Properties[FieldRepresentativeAgeURI] != NilUnknown {
		t.Errorf("unreadable codes gave %v and %v, want %s", fs[0].Properties[FieldRepresentativeAgeURI], fs[1].Properties[FieldRepresentativeAgeURI], NilUnknown)
	}
	var got []string
	for _, u := range r.Unmapped {
		if u.Field == FieldRepresentativeAgeURI {
			got = append(got, u.Value+": "+u.Reason)
		}
	}
	want := []string{`L-ZZ-LST`, `granite: does not match pattern ^[A-Z]-([A-Z]+)-`}
	if len(got) != 2 || !strings.HasPrefix(got[0], "ZZ: ") || got[1] != want[1] {
		t.Errorf("unmapped = %q, want ZZ (the part read) and %q", got, want[1])
	}
}

func TestPatternReadsTheAgeAndRockOfAThaiUnitName(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri: {from: name_th, pattern: '^(\S+)', by_label: true}
		  representativeAge_uri: {from: name_th, pattern: 'ยุค(\S+)', age: span}
		  geologicHistory: {from: name_th, pattern: 'ยุค\S+'}
	`)
	f := feature(map[string]any{"name_th": "หินแกรนิต  ยุคPermian"})
	if r := m.Apply([]*geojson.Feature{f}); r.Problems() != 0 {
		t.Fatalf("%d problems: %+v", r.Problems(), r.Unmapped)
	}
	for field, want := range map[string]string{
		FieldRepresentativeLithologyURI: lithNS + "granite",
		FieldRepresentativeAgeURI:       icsNS + "Permian",
		FieldGeologicHistory:            "ยุคPermian", // no group: the whole match
	} {
		if got := f.Properties[field]; got != want {
			t.Errorf("%s = %v, want %s", field, got, want)
		}
	}
}

func TestTableEntriesYieldToAFieldsOwnValues(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		tables:
		  rocks: {GR: granite, SST: clastic_sandstone}
		fields:
		  representativeLithology_uri: {from: lith, table: rocks, values: {GR: granodiorite}}
		  lithology: {from: lith, table: rocks}
	`)
	f := feature(map[string]any{"lith": "GR"})
	m.Apply([]*geojson.Feature{f})
	if got := f.Properties[FieldRepresentativeLithologyURI]; got != lithNS+"granodiorite" {
		t.Errorf("own values: %v, want granodiorite", got)
	}
	// On a text field the table's targets are text.
	if got := f.Properties[FieldLithology]; got != "granite" {
		t.Errorf("lithology = %v, want the table's text granite", got)
	}
}

func TestPatternAndTableErrorsNameTheLineAndTheFix(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"bad regex", `
			view: GeologicUnitView
			fields:
			  representativeAge_uri:
			    from: code
			    pattern: '^[A-Z]-([A-Z]+-'
			    age: span
		`, 5, "representativeAge_uri: pattern \"^[A-Z]-([A-Z]+-\" is not a regular expression: missing closing ): `^[A-Z]-([A-Z]+-`; fix it (Go RE2 syntax"},
		{"look-ahead", `
			view: GeologicUnitView
			fields:
			  name: {from: code, pattern: 'a(?=b)'}
		`, 3, "no look-around"},
		{"pattern without a source", `
			view: GeologicUnitView
			fields:
			  name: {constant: x, pattern: 'a'}
		`, 3, "pattern: goes with from: or template:"},
		{"unknown table", `
			view: GeologicUnitView
			tables:
			  ages: {CRET: Cretaceous}
			fields:
			  representativeAge_uri:
			    from: code
			    table: age
			    age: span
		`, 7, `representativeAge_uri: no table named "age"; did you mean ages?`},
		{"no tables at all", `
			view: GeologicUnitView
			fields:
			  representativeAge_uri: {from: code, table: ages, age: span}
		`, 3, `no table named "ages"; define it at the top level: tables: {ages: {source value: target}}`},
		{"bad target in a table, at its line", `
			view: GeologicUnitView
			tables:
			  rocks:
			    GR: granit
			fields:
			  representativeLithology_uri: {from: lith, table: rocks}
		`, 4, `table rocks, used by representativeLithology_uri on line 6: "granit" is not a concept of the lithology vocabulary`},
		{"bad age in a table", `
			view: GeologicUnitView
			tables:
			  ages: {X: Cretacious}
			fields:
			  representativeAge_uri: {from: code, table: ages, age: span}
		`, 3, `"Cretacious" is not a concept of the ics vocabulary`},
		{"bad numeric age in a table", `
			view: GeologicUnitView
			tables:
			  ages: {X: Cretacious}
			fields:
			  numericOlderAge: {from: code, table: ages, age: older}
		`, 3, `used by numericOlderAge on line 5: "Cretacious" is not an age of the ICS chart`},
		{"table defined twice", `
			view: GeologicUnitView
			tables:
			  ages: {X: Cretaceous}
			  ages: {Y: Jurassic}
			fields:
			  name: n
		`, 4, "table ages is defined twice (first on line 3)"},
		{"value twice in a table", `
			view: GeologicUnitView
			tables:
			  ages:
			    X: Cretaceous
			    "X ": Jurassic
			fields:
			  name: n
		`, 5, `table ages: value "X" is mapped twice (first on line 4)`},
	}
	oneLine := regexp.MustCompile(`^test\.yaml:(\d+): [^\n]+$`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(dedent(c.yaml)))
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			sm := oneLine.FindStringSubmatch(msg)
			if sm == nil {
				t.Fatalf("error %q is not one line starting test.yaml:LINE:", msg)
			}
			if sm[1] != strconv.Itoa(c.line) {
				t.Errorf("error names line %s, want %d: %s", sm[1], c.line, msg)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q\nlacks %q", msg, c.want)
			}
		})
	}
}
