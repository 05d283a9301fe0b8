package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestCambrianNumberedUnitsTakeTheChartsWords(t *testing.T) {
	nt := chartNT + `
<` + ischart + `Stage2> <` + skosPrefLabel + `> "Stage 2"@en .
<` + ischart + `Stage2> <` + skosPrefLabel + `> "\u00C9tage 2"@fr .
<` + ischart + `CambrianStage2> <` + rdfType + `> <` + skosConcept + `> .
<` + ischart + `CambrianStage2> <` + skosInScheme + `> <` + testScheme + `> .
`
	v, err := build(t, chartSource, nt)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Concepts[0]
	if c.URI != ischart+"CambrianStage2" {
		t.Fatalf("first concept %s", c.URI)
	}
	if !reflect.DeepEqual(c.PrefLabels, map[string]string{"en": "Stage 2", "fr": "Étage 2"}) {
		t.Errorf("prefLabels %v", c.PrefLabels)
	}
	if !reflect.DeepEqual(c.AltLabels, map[string][]string{"en": {"Cambrian Stage 2"}}) {
		t.Errorf("altLabels %v", c.AltLabels)
	}
}

func TestUnlabelledUnitWithoutRuleIsRefused(t *testing.T) {
	mystery := strings.ReplaceAll(chartNT, "UpperTriassic", "Mystery")
	if _, err := build(t, chartSource, mystery); err == nil || !strings.Contains(err.Error(), "Mystery> has no skos:prefLabel and no rule to compose one") {
		t.Errorf("error = %v", err)
	}
	// "Upper" + a unit it is not narrower than is no rule either.
	orphan := strings.Replace(chartNT, `<`+ischart+`UpperTriassic> <`+skosBroader+`> <`+ischart+`Triassic> .`, "", 1)
	if _, err := build(t, chartSource, orphan); err == nil || !strings.Contains(err.Error(), "is not narrower than a labelled") {
		t.Errorf("error = %v", err)
	}
}
