package harmonise

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseGivesTheFieldsInViewOrder(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeAge_uri: {from: age, age: span}
		  name: unitname
		  numericOlderAge: max_age
	`)
	var got []string
	for _, f := range m.Fields() {
		got = append(got, f.Name+":"+f.Type)
	}
	// The required _uri fields the file leaves out come too, as nil.
	want := "name:string numericOlderAge:real geologicUnitType_uri:string representativeLithology_uri:string " +
		"representativeAge_uri:string representativeOlderAge_uri:string representativeYoungerAge_uri:string specification_uri:string"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("Fields() = %s\nwant        %s", g, want)
	}
}

func TestParseResolvesShortNamesAndNilReasons(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri:
		    from: lith
		    values:
		      BIF: iron_rich_sedimentary_rock
		      granite: http://resource.geosciml.org/classifier/cgi/lithology/granite
		      n.d.: nil:withheld
		      "?": ""
		  specification_uri: {constant: "https://example.org/units/1"}
	`)
	s := m.byName[FieldRepresentativeLithologyURI]
	for k, want := range map[string]string{
		"BIF":     lithNS + "iron_rich_sedimentary_rock",
		"granite": lithNS + "granite",
		"n.d.":    NilWithheld,
	} {
		if got := s.values[k].text; got != want {
			t.Errorf("values[%q] = %q, want %q", k, got, want)
		}
	}
	if !s.values["?"].blank {
		t.Error(`values["?"] should be blank`)
	}
	if got := m.byName[FieldSpecificationURI].constant.text; got != "https://example.org/units/1" {
		t.Errorf("specification_uri constant = %q", got)
	}
}

// TestLoadErrorsNameTheLineAndTheFix covers every mistake Load catches: each
// error is one line, "test.yaml:LINE: …", naming the fix.
func TestLoadErrorsNameTheLineAndTheFix(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"malformed YAML", `
			view: GeologicUnitView
			fields:
			  name: unitname
			   description: descriptn
		`, 4, "malformed YAML"},
		{"unclosed quote", `
			view: GeologicUnitView
			fields:
			  name: "unitname
		`, 3, "malformed YAML"},
		{"empty file", ``, 1, "the mapping is empty"},
		{"not a mapping", `
			- view
		`, 1, "a mapping file is a YAML mapping"},
		{"no view", `
			fields:
			  name: unitname
		`, 1, "add view:"},
		{"unknown view", `
			view: GeologicUnitsView
			fields:
			  name: unitname
		`, 1, `unknown view "GeologicUnitsView"; use one of GeologicUnitView, ShearDisplacementStructureView, MineralOccurrenceView`},
		{"unknown top-level key", `
			view: GeologicUnitView
			feilds:
			  name: unitname
		`, 2, `unknown key "feilds" at the top level; did you mean fields?`},
		{"no fields", `
			view: GeologicUnitView
		`, 1, "has no fields:"},
		{"unknown view field", `
			view: GeologicUnitView
			fields:
			  name: unitname
			  lithology_uri: lithname1
		`, 4, `GeologicUnitView has no field "lithology_uri"`},
		{"view field in the wrong case", `
			view: GeologicUnitView
			fields:
			  representativeage_uri: {from: age, age: span}
		`, 3, "did you mean representativeAge_uri?"},
		{"field of another view", `
			view: GeologicUnitView
			fields:
			  representativeCommodity_uri: {constant: copper}
		`, 3, "it is a field of MineralOccurrenceView"},
		{"field mapped twice", `
			view: GeologicUnitView
			fields:
			  name: unitname
			  description: descriptn
			  name: code
		`, 5, "field name is mapped twice (first on line 3)"},
		{"URI not in the vocabulary", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri:
			    from: lithname1
			    values:
			      granite: http://resource.geosciml.org/classifier/cgi/lithology/granit
		`, 6, "<http://resource.geosciml.org/classifier/cgi/lithology/granit> is not in the lithology vocabulary (Simple Lithology); did you mean granite (\"granite\")?"},
		{"URI of another vocabulary", `
			view: MineralOccurrenceView
			fields:
			  representativeCommodity_uri: {constant: "http://resource.geosciml.org/classifier/cgi/lithology/granite"}
		`, 3, "is not in the commodity vocabulary"},
		{"short name not in the vocabulary", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri:
			    from: lithname1
			    values: {siltstone/mudstone: mudstone}
		`, 5, `"mudstone" is not a concept of the lithology vocabulary (Simple Lithology); did you mean clastic_mudstone ("mudstone")?`},
		{"unknown vocabulary", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri: {from: lith, by_label: true, vocabulary: rocks}
		`, 3, `unknown vocabulary "rocks"; use one of ics, lithology, geologic-unit-type, contact-type, fault-type, commodity, mineral-occurrence-type`},
		{"no vocabulary for by_label", `
			view: ShearDisplacementStructureView
			fields:
			  movementType_uri:
			    from: movement
			    by_label: true
		`, 5, "Outcrop carries no vocabulary for movementType_uri"},
		{"by_label on a text field", `
			view: GeologicUnitView
			fields:
			  lithology: {from: lith, by_label: true}
		`, 3, "by_label: needs a _uri field"},
		{"short name for a free URI", `
			view: GeologicUnitView
			fields:
			  specification_uri: {constant: unit-1}
		`, 3, "not an absolute URI"},
		{"unknown nil reason", `
			view: GeologicUnitView
			fields:
			  specification_uri: {constant: "nil:absent"}
		`, 3, "not an OGC nil reason"},
		{"unknown spec key", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri:
			    from: lith
			    bylabel: true
		`, 5, `unknown key "bylabel" in the spec of representativeLithology_uri; did you mean by_label?`},
		{"two sources", `
			view: GeologicUnitView
			fields:
			  name: {from: unitname, constant: Unit}
		`, 3, "give exactly one of from, template, constant, parts or label_of (found from and constant)"},
		{"no source", `
			view: GeologicUnitView
			fields:
			  name: {values: {a: b}}
		`, 3, "(found none)"},
		{"empty spec", `
			view: GeologicUnitView
			fields:
			  name:
		`, 3, "the spec is empty"},
		{"list as a spec", `
			view: GeologicUnitView
			fields:
			  name: [unitname, code]
		`, 3, "write from: [a, b]"},
		{"age on a non-age field", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri: {from: lith, age: span}
		`, 3, "age: reads ICS age names"},
		{"bad age mode", `
			view: GeologicUnitView
			fields:
			  representativeAge_uri: {from: age, age: middle}
		`, 3, `age: "middle"; use older, younger or span`},
		{"bad rank", `
			view: GeologicUnitView
			fields:
			  representativeAge_uri: {from: age_ma, age: span, unit_rank: Stage}
		`, 3, `unit_rank "Stage" is not an ICS rank`},
		{"numeric target not a number", `
			view: GeologicUnitView
			fields:
			  numericOlderAge: {from: age, values: {Permian: old}}
		`, 3, `numericOlderAge is numeric; "old" is not a number`},
		{"template brace", `
			view: GeologicUnitView
			fields:
			  identifier: {template: "gswa:{objectid"}
		`, 3, "has a { with no }"},
		{"label_of an unmapped field", `
			view: GeologicUnitView
			fields:
			  geologicUnitType: {label_of: geologicUnitType_uri}
		`, 3, "label_of geologicUnitType_uri names no mapped _uri field"},
		{"parts on a _uri field", `
			view: MineralOccurrenceView
			fields:
			  representativeCommodity_uri:
			    parts: [{constant: copper}]
		`, 4, "parts: joins text"},
		{"value mapped twice", `
			view: GeologicUnitView
			fields:
			  representativeLithology_uri:
			    from: lith
			    values:
			      granite: granite
			      "granite ": granite
		`, 7, `value "granite" is mapped twice (first on line 6)`},
		{"negative tolerance", `
			view: GeologicUnitView
			age_tolerance_ma: -1
			fields:
			  name: unitname
		`, 2, "age_tolerance_ma -1 is negative"},
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
			var e *Error
			if !errors.As(err, &e) || e.File != "test.yaml" {
				t.Errorf("error is not a *harmonise.Error naming the file: %#v", err)
			}
		})
	}
}

func TestLoadNamesAMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") || !strings.Contains(err.Error(), "--mapping") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

// TestMappingDocExamplesLoad keeps MAPPING.md's complete examples working.
func TestMappingDocExamplesLoad(t *testing.T) {
	b, err := os.ReadFile("MAPPING.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	n := 0
	for _, bl := range blocks {
		if !strings.HasPrefix(bl[1], "view:") {
			continue
		}
		n++
		if _, err := Parse("MAPPING.md", []byte(bl[1])); err != nil {
			t.Errorf("example does not load: %v\n%s", err, bl[1])
		}
	}
	if n == 0 {
		t.Error("MAPPING.md has no complete example")
	}
}
