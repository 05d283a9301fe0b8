package harmonise

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// TestStrict: --strict fails on any unmapped value, URI not in the
// vocabulary, age problem, blank or mandatory text field left out, and not
// on _uri fields the mapping chose to leave out.
func TestStrict(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  identifier: {template: "gs:{@id}"}
		  representativeLithology_uri: {from: lith, by_label: true}
		  representativeAge_uri: {from: age, age: span}
		  numericOlderAge: max_ma
	`)
	clean := feature(map[string]any{"lith": "granite", "age": "Permian", "max_ma": 280.0})
	r := m.Apply([]*geojson.Feature{clean})
	if err := r.Strict(); err != nil {
		t.Errorf("a clean feature, with geologicUnitType_uri and others defaulted to nil: Strict() = %v", err)
	}
	if len(r.Defaulted) != 4 || r.Problems() != 0 {
		t.Errorf("defaulted %v, problems %d", r.Defaulted, r.Problems())
	}
	for _, c := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"lith": "granitoidish", "age": "Permian"}, "1 feature with an unmapped value"},
		{map[string]any{"lith": "granite", "age": "Permian", "max_ma": 400.0}, "1 feature with inconsistent ages"},
		{map[string]any{"lith": "granite"}, "1 feature with a blank set to nil"},
	} {
		r := m.Apply([]*geojson.Feature{feature(c.props)})
		err := r.Strict()
		if err == nil {
			t.Errorf("%v: Strict() passed", c.props)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "harmonise: test.yaml: --strict: "+c.want+"; ") || strings.Contains(msg, "\n") {
			t.Errorf("%v: Strict() = %q, want one line with %q", c.props, msg, c.want)
		}
	}
	if w := r.Warnings(); len(w) != 0 {
		t.Errorf("warnings %q for a mapping with an identifier", w)
	}
	m = parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri: lith_uri
	`)
	r = m.Apply([]*geojson.Feature{feature(map[string]any{"lith_uri": "http://example.org/granite"}), feature(map[string]any{"lith_uri": "x"})})
	if err := r.Strict(); err == nil || !strings.Contains(err.Error(), "2 features with a URI not in the vocabulary, the mapping leaves out identifier, which GeologicUnitView requires;") {
		t.Errorf("Strict() = %v", err)
	}
}

func TestReportJSON(t *testing.T) {
	m := parse(t, unitMapping)
	r := m.Apply([]*geojson.Feature{
		feature(map[string]any{"lith": "basalt", "rank": "Formation", "age_from": "Permian", "code": "P1"}),
		feature(map[string]any{"lith": "basalt", "rank": "Formation", "age_from": "Permian", "code": "P2"}),
		feature(map[string]any{"lith": "komatiite", "rank": "Formation", "age_from": "Permian", "code": "P3"}),
	})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Mapping, View   string
		Features        int
		Unmapped        []Unmapped
		NotInVocabulary []NotInVocabulary `json:"not_in_vocabulary"`
		AgeProblems     []AgeProblem      `json:"age_problems"`
		Blanks          []FieldCount
		Defaulted       []string
		Values          map[string][]ValueCount
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Mapping != "test.yaml" || back.View != ViewGeologicUnit || back.Features != 3 {
		t.Errorf("header: %+v", back)
	}
	if len(back.Unmapped) != 1 || back.Unmapped[0].Value != "komatiite" || back.Unmapped[0].Features != 1 ||
		strings.Join(back.Unmapped[0].Source, ",") != "lith_th,lith" {
		t.Errorf("unmapped: %+v", back.Unmapped)
	}
	if back.NotInVocabulary == nil || back.AgeProblems == nil || back.Defaulted == nil {
		t.Errorf("empty lists should be [] in JSON, not null: %s", b)
	}
	lith := back.Values[FieldRepresentativeLithologyURI]
	want := []ValueCount{{Value: lithNS + "basalt", Label: "basalt", Features: 2}, {Value: NilUnknown, Label: "nil: unknown", Features: 1}}
	if len(lith) != 2 || lith[0] != want[0] || lith[1] != want[1] {
		t.Errorf("values of %s: %+v", FieldRepresentativeLithologyURI, lith)
	}
	if got := back.Values[FieldRepresentativeAgeURI]; len(got) != 1 || got[0] != (ValueCount{Value: icsNS + "Permian", Label: "Permian", Features: 3}) {
		t.Errorf("values of %s: %+v", FieldRepresentativeAgeURI, got)
	}
}

func TestReportPrint(t *testing.T) {
	m := parse(t, unitMapping)
	r := m.Apply([]*geojson.Feature{
		feature(map[string]any{"lith": "komatiite", "rank": "Formation", "age_from": "Permian", "max_ma": 350.0}),
	})
	var b bytes.Buffer
	r.Print(&b)
	for _, want := range []string{
		"harmonisation: test.yaml → GeologicUnitView, 1 feature\n",
		`    representativeLithology_uri ← lith_th|lith "komatiite": 1 feature (not in values or the vocabulary's labels)`,
		"  URIs not in the vocabulary: none\n",
		"    numeric-outside-chart: numericOlderAge 350 Ma lies outside representativeOlderAge_uri Permian (298.9–251.902 Ma): 1 feature, e.g. #0\n",
		"  blanks set to http://www.opengis.net/def/nil/OGC/0/missing: specification_uri 1\n",
		"  representativeAge_uri: Permian 1\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Print lacks %q:\n%s", want, b.String())
		}
	}
}

// TestUnwrittenMandatory: a mapping that leaves out a mandatory text field
// (identifier; ERML-Lite's mineralOccurrenceType and commodity) is
// reported, warned of in one line per field naming the file, the field and
// the fix, and refused by --strict.
func TestUnwrittenMandatory(t *testing.T) {
	m := parse(t, `
		view: MineralOccurrenceView
		fields:
		  name: site
		  commodity: commod
		  representativeCommodity_uri: {from: commod, by_notation: true}
		  mineralOccurrenceType_uri: nil:unknown
	`)
	r := m.Apply([]*geojson.Feature{feature(map[string]any{"site": "A", "commod": "Cu"})})
	if got := strings.Join(r.Unwritten, ","); got != "identifier,mineralOccurrenceType" {
		t.Errorf("unwritten %q", got)
	}
	w := r.Warnings()
	if len(w) != 2 || w[0] != `harmonise: test.yaml: MineralOccurrenceView requires identifier in every feature, and the mapping leaves it out, so the WFS writes each feature's URL on the server there, which changes with the server's address; map it under fields:, e.g. identifier: {template: "SURVEY:DATASET:{SOURCE_ID_FIELD}"}` ||
		!strings.Contains(w[1], "requires mineralOccurrenceType in every feature") || !strings.Contains(w[1], NilMissing) {
		t.Errorf("warnings %q", w)
	}
	if err := r.Strict(); err == nil || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), "the mapping leaves out identifier, mineralOccurrenceType, which MineralOccurrenceView requires;") {
		t.Errorf("Strict() = %v", err)
	}
	var b bytes.Buffer
	r.Print(&b)
	if !strings.Contains(b.String(), "mandatory, not in the mapping (map them; the WFS fills them meanwhile): identifier, mineralOccurrenceType") {
		t.Errorf("report:\n%s", b.String())
	}
}
