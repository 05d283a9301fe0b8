package harmonise

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// A Thai spelling variant is offered as a suggestion, in the JSON and the
// printed report, and never applied.
func TestNearLabelsAreSuggestedNotApplied(t *testing.T) {
	m := parse(t, `
		view: GeologicUnitView
		fields:
		  representativeLithology_uri: {from: lith, by_label: true}
	`)
	fs := []*geojson.Feature{
		feature(map[string]any{"lith": "หินไรโอไลต์"}), // the vocabulary spells it หินไรโอไรต์
		feature(map[string]any{"lith": "หินไรโอไลต์"}),
		feature(map[string]any{"lith": "basallt"}),
		feature(map[string]any{"lith": "หินแกรนิตยุคไทรแอสซิก"}), // granite of the Triassic: no near label
	}
	r := m.Apply(fs)
	if got := fs[0].Properties[FieldRepresentativeLithologyURI]; got != NilUnknown {
		t.Fatalf("near miss applied: %v, want %s", got, NilUnknown)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Unmapped []struct {
			Value       string       `json:"value"`
			Features    int          `json:"features"`
			Suggestions []Suggestion `json:"suggestions"`
		} `json:"unmapped"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got := map[string][]Suggestion{}
	for _, u := range back.Unmapped {
		got[u.Value] = u.Suggestions
	}
	want := Suggestion{Concept: lithNS + "rhyolite", Label: "หินไรโอไรต์", Language: "th", Edits: 1}
	if s := got["หินไรโอไลต์"]; len(s) != 1 || s[0] != want {
		t.Errorf("suggestions for หินไรโอไลต์ = %+v, want [%+v]", s, want)
	}
	if s := got["basallt"]; len(s) == 0 || s[0].Concept != lithNS+"basalt" {
		t.Errorf("suggestions for basallt = %+v, want basalt first", s)
	}
	if s, ok := got["หินแกรนิตยุคไทรแอสซิก"]; !ok || len(s) != 0 {
		t.Errorf("suggestions for a unit name = %+v (listed: %v), want none", s, ok)
	}
	if !strings.Contains(string(b), `"suggestions":[{"concept":"`+lithNS+`rhyolite","label":"หินไรโอไรต์","language":"th","edits":1}]`) {
		t.Errorf("JSON lacks the suggestion: %s", b)
	}
	var text bytes.Buffer
	r.Print(&text)
	if !strings.Contains(text.String(), `"หินไรโอไลต์": 2 features (not in the vocabulary's labels); near label, not applied: did you mean rhyolite (th "หินไรโอไรต์")? add it to values: if so`) {
		t.Errorf("printed report lacks the suggestion:\n%s", text.String())
	}
}
