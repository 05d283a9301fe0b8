package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/vocab/internal/wire"
)

const (
	testScheme = "http://resource.geosciml.org/classifier/ics/ischart"
	ischart    = "http://resource.geosciml.org/classifier/ics/ischart/"
)

// chartNT is a two-unit chart written as rapper writes N-Triples: the Upper
// Triassic, unlabelled as in the real file, and a Triassic that states no
// narrower link.
var chartNT = `
<` + testScheme + `> <` + rdfType + `> <` + skosScheme + `> .
<` + testScheme + `> <` + owlVersion + `> "2024-12" .
<` + stratNS + `Upper> <` + skosPrefLabel + `> "Upper"@en .
<` + stratNS + `Late> <` + skosPrefLabel + `> "Late"@en .
<` + ischart + `Triassic> <` + rdfType + `> <` + skosConcept + `> .
<` + ischart + `Triassic> <` + skosInScheme + `> <` + testScheme + `> .
<` + ischart + `Triassic> <` + skosPrefLabel + `> "Triassic"@en .
<` + ischart + `Triassic> <` + skosPrefLabel + `> "Trias"@FR .
<` + ischart + `Triassic> <` + skosDef + `> "Une période"@fr .
<` + ischart + `Triassic> <` + skosDef + `> "A time period"@en .
<` + ischart + `Triassic> <` + skosNotation + `> "T"^^<` + ischart + `ccgmShortCode> .
<` + ischart + `Triassic> <` + gtsRank + `> <` + rankNS + `Period> .
<` + ischart + `Triassic> <` + schemaColor + `> "#812b92"^^<` + ischart + `RGBHex> .
<` + ischart + `Triassic> <` + shOrder + `> "78"^^<http://www.w3.org/2001/XMLSchema#integer> .
<` + ischart + `Triassic> <` + hasBeginning + `> _:b1 .
<` + ischart + `Triassic> <` + hasEnd + `> _:b2 .
_:b1 <` + inMYA + `> "251.902"^^<http://www.w3.org/2001/XMLSchema#decimal> .
_:b1 <` + marginOfErr + `> "0.024"^^<http://www.w3.org/2001/XMLSchema#decimal> .
_:b2 <` + inMYA + `> "201.4"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<` + ischart + `UpperTriassic> <` + rdfType + `> <` + skosConcept + `> .
<` + ischart + `UpperTriassic> <` + skosInScheme + `> <` + testScheme + `> .
<` + ischart + `UpperTriassic> <` + skosBroader + `> <` + ischart + `Triassic> .
<` + ischart + `UpperTriassic> <` + gtsRank + `> <` + rankNS + `Epoch> .
<` + ischart + `UpperTriassic> <` + schemaColor + `> "#BD8CC3" .
<` + ischart + `UpperTriassic> <` + hasBeginning + `> _:b3 .
<` + ischart + `UpperTriassic> <` + hasEnd + `> _:b4 .
_:b3 <` + inMYA + `> "237"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:b3 <` + skosNote + `> "uncertain" .
_:b4 <` + inMYA + `> "201.4"^^<http://www.w3.org/2001/XMLSchema#decimal> .
`

var chartSource = source{ID: "ics", File: "chart.ttl", Scheme: testScheme, Title: "Chart", Licence: ccBy4, LicenceURL: ccBy4URL, Attribution: "ICS"}

func build(t *testing.T, src source, nt string) (wire.Vocabulary, error) {
	t.Helper()
	ts, err := ParseNTriples(strings.NewReader(nt))
	if err != nil {
		t.Fatal(err)
	}
	return buildVocabulary(src, ts)
}

func TestBuildChart(t *testing.T) {
	v, err := build(t, chartSource, chartNT)
	if err != nil {
		t.Fatal(err)
	}
	if v.Title != "Chart" || v.Version != "2024-12" || len(v.Concepts) != 2 {
		t.Fatalf("title %q version %q, %d concepts", v.Title, v.Version, len(v.Concepts))
	}
	tri, upper := v.Concepts[0], v.Concepts[1]
	if tri.URI != ischart+"Triassic" || upper.URI != ischart+"UpperTriassic" {
		t.Fatalf("concepts %s, %s", tri.URI, upper.URI)
	}
	wantTri := wire.Concept{
		URI: ischart + "Triassic", Notation: "T",
		PrefLabels: map[string]string{"en": "Triassic", "fr": "Trias"},
		Definition: "A time period",
		Narrower:   []string{ischart + "UpperTriassic"},
		Time: &wire.Time{
			Ranks: []string{"Period"}, Colour: "#812B92", Order: 78,
			Base: &wire.Boundary{Ma: 251.902, Uncertainty: 0.024},
			Top:  &wire.Boundary{Ma: 201.4},
		},
	}
	if !reflect.DeepEqual(tri, wantTri) {
		t.Errorf("Triassic =\n%+v\nwant\n%+v", tri, wantTri)
	}
	if upper.PrefLabels["en"] != "Upper Triassic" || !reflect.DeepEqual(upper.AltLabels["en"], []string{"Late Triassic"}) {
		t.Errorf("composed labels %v %v", upper.PrefLabels, upper.AltLabels)
	}
	if !upper.Time.Base.Approximate || upper.Time.Base.Ma != 237 {
		t.Errorf("Upper Triassic base %+v", upper.Time.Base)
	}
}

func TestBuildCGI(t *testing.T) {
	const scheme = "http://resource.geosciml.org/classifierscheme/cgi/2016.01/commodity-code"
	const cc = "http://resource.geosciml.org/classifier/cgi/commodity-code/"
	nt := `
<` + scheme + `> <` + rdfType + `> <` + skosScheme + `> .
<` + scheme + `> <` + skosPrefLabel + `> "Commodity Code"@en .
<` + cc + `copper> <` + rdfType + `> <` + skosConcept + `> .
<` + cc + `copper> <` + skosInScheme + `> <` + scheme + `> .
<` + cc + `copper> <` + skosPrefLabel + `> "copper"@en .
<` + cc + `copper> <` + skosPrefLabel + `> "\u0E17\u0E2D\u0E07\u0E41\u0E14\u0E07"@th .
<` + cc + `copper> <` + skosPrefLabel + `> "\u00EA\u00BE\u00A9\u00EA\u00BA\u00A4"@lo .
<` + cc + `copper> <` + skosPrefLabel + `> "Tg;Edg"@km .
<` + cc + `copper> <` + skosAltLabel + `> "kuprum"@ms .
<` + cc + `copper> <` + skosNotation + `> "Cu"^^<http://resource.geosciml.org/datatype/AbbreviatedLabel> .
<` + cc + `copper> <` + skosNotation + `> "02.01.01.01"^^<` + hierarchyKeyType + `> .
`
	v, err := build(t, source{ID: "commodity", File: "c.ttl", Scheme: scheme}, nt)
	if err != nil {
		t.Fatal(err)
	}
	c := v.Concepts[0]
	if v.Title != "Commodity Code" || c.Notation != "Cu" || c.HierarchyKey != "02.01.01.01" {
		t.Errorf("title %q notation %q key %q", v.Title, c.Notation, c.HierarchyKey)
	}
	if !reflect.DeepEqual(c.PrefLabels, map[string]string{"en": "copper", "th": "ทองแดง"}) {
		t.Errorf("prefLabels %v: the legacy-encoded lo and km labels must go, th stay", c.PrefLabels)
	}
	if !reflect.DeepEqual(v.DroppedLabels, map[string]int{"lo": 1, "km": 1}) {
		t.Errorf("dropped %v", v.DroppedLabels)
	}
	if !reflect.DeepEqual(c.AltLabels, map[string][]string{"ms": {"kuprum"}}) {
		t.Errorf("altLabels %v", c.AltLabels)
	}
}

func TestBuildErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		src       source
		nt        string
		wantInErr string
	}{
		"scheme missing": {
			source{ID: "ics", File: "chart.ttl", Scheme: "http://elsewhere/scheme"}, chartNT,
			"no skos:ConceptScheme <http://elsewhere/scheme>",
		},
		"link leaving the scheme": {
			chartSource, chartNT + `<` + ischart + `Triassic> <` + skosBroader + `> <http://elsewhere/Mesozoic> .` + "\n",
			"leaves the scheme",
		},
		"bad colour": {
			chartSource, strings.Replace(chartNT, `"#812b92"`, `"red"`, 1),
			"#RRGGBB",
		},
		"not in scheme": {
			chartSource, strings.Replace(chartNT, `<`+ischart+`UpperTriassic> <`+skosInScheme+`> <`+testScheme+`> .`, "", 1),
			"is not skos:inScheme",
		},
	} {
		_, err := build(t, tc.src, tc.nt)
		if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("%s: error = %v, want %q", name, err, tc.wantInErr)
		}
	}

}
