package main

import (
	"strings"
	"testing"
)

func TestParseNTriples(t *testing.T) {
	in := `# a comment
<http://x/copper> <http://www.w3.org/2004/02/skos/core#prefLabel> "\u0E17\u0E2D\u0E07\u0E41\u0E14\u0E07"@TH .
<http://x/copper> <http://www.w3.org/2004/02/skos/core#prefLabel> "\u0111\u1ED3ng"@vi .
<http://x/copper> <http://www.w3.org/2004/02/skos/core#notation> "Cu"^^<http://resource.geosciml.org/datatype/AbbreviatedLabel> .
<http://x/Permian> <http://www.w3.org/2006/time#hasBeginning> _:genid315 .
_:genid315 <http://x/inMYA> "298.9"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<http://x/s> <http://x/p> "line\none \"quoted\" tab\t back\\slash \U0001F30B" .

<http://x/caf\u00E9> <http://x/p> <http://x/o> . # trailing comment
`
	ts, err := ParseNTriples(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 7 {
		t.Fatalf("%d triples, want 7", len(ts))
	}
	want := []Triple{
		{Term{IRI, "http://x/copper", "", ""}, Term{IRI, "http://www.w3.org/2004/02/skos/core#prefLabel", "", ""}, Term{Literal, "ทองแดง", "th", ""}},
		{Term{IRI, "http://x/copper", "", ""}, Term{IRI, "http://www.w3.org/2004/02/skos/core#prefLabel", "", ""}, Term{Literal, "đồng", "vi", ""}},
		{Term{IRI, "http://x/copper", "", ""}, Term{IRI, "http://www.w3.org/2004/02/skos/core#notation", "", ""}, Term{Literal, "Cu", "", "http://resource.geosciml.org/datatype/AbbreviatedLabel"}},
		{Term{IRI, "http://x/Permian", "", ""}, Term{IRI, "http://www.w3.org/2006/time#hasBeginning", "", ""}, Term{Blank, "genid315", "", ""}},
		{Term{Blank, "genid315", "", ""}, Term{IRI, "http://x/inMYA", "", ""}, Term{Literal, "298.9", "", "http://www.w3.org/2001/XMLSchema#decimal"}},
		{Term{IRI, "http://x/s", "", ""}, Term{IRI, "http://x/p", "", ""}, Term{Literal, "line\none \"quoted\" tab\t back\\slash 🌋", "", ""}},
		{Term{IRI, "http://x/café", "", ""}, Term{IRI, "http://x/p", "", ""}, Term{IRI, "http://x/o", "", ""}},
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Errorf("triple %d = %+v, want %+v", i, ts[i], want[i])
		}
	}
}

func TestParseNTriplesErrors(t *testing.T) {
	for in, wantInErr := range map[string]string{
		`<http://s> <http://p> "o"`:                "line 1: missing final '.'",
		`<http://s> <http://p> "o .`:               "unterminated literal",
		`<http://s> <http://p> "\q" .`:             `unknown escape \q`,
		`<http://s> <http://p> "\u00G1" .`:         "bad escape",
		`"s" <http://p> <http://o> .`:              "subject is a literal",
		`<http://s> _:b <http://o> .`:              "predicate is not an IRI",
		`<http://s> <http://p> <http://o> . extra`: "unexpected",
		`<http://s> <http://p> "o"^^"dt" .`:        "datatype is not an IRI",
		"\n<http://s> <http://p> <http://o .":      "line 2: object: unterminated IRI",
	} {
		_, err := ParseNTriples(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), wantInErr) {
			t.Errorf("ParseNTriples(%q) error = %v, want %q", in, err, wantInErr)
		}
	}
}
