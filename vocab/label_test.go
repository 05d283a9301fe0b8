package vocab

import (
	"strings"
	"testing"
)

func uris(cs []*Concept) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.URI)
	}
	return strings.Join(s, " ")
}

func TestByLabel(t *testing.T) {
	for _, tc := range []struct {
		vocab, text, want string
	}{
		{"lithology", "granite", lith + "granite"},
		{"lithology", "  GRANITE\t", lith + "granite"},
		{"lithology", "หินแกรนิต", lith + "granite"},         // Thai
		{"lithology", "đá vôi", lith + "limestone"},          // Vietnamese
		{"lithology", "Da Voi", lith + "limestone"},          // Vietnamese typed without its accents
		{"lithology", "cát kết", lith + "clastic_sandstone"}, // Vietnamese
		{"lithology", "batu kapur", lith + "limestone"},      // Malay
		{"lithology", "granitic rock", lith + "granitoid"},   // an altLabel
		{"lithology", "igneous_material", lith + "igneous_material"},
		{"ics", "Permian", ics + "Permian"},
		{"ics", "pérmico", ics + "Permian"}, // Spanish
		{"ics", "PERMICO", ics + "Permian"},
		{"ics", "ペルム系／紀", ics + "Permian"}, // Japanese, full-width solidus
		{"ics", "Late Triassic", ics + "UpperTriassic"},
		{"ics", "Upper Triassic", ics + "UpperTriassic"},
		{"commodity", "copper", comm + "copper"},
		{"commodity", "ทองแดง", comm + "copper"}, // Thai
		{"commodity", "dong", comm + "copper"},   // Vietnamese "đồng" without accents
	} {
		v, _ := Get(tc.vocab)
		if got := uris(v.ByLabel(tc.text)); got != tc.want {
			t.Errorf("%s.ByLabel(%q) = %q, want %q", tc.vocab, tc.text, got, tc.want)
		}
	}
}

func TestByLabelAcrossVocabularies(t *testing.T) {
	// "granite" is both a rock and a commodity (dimension stone).
	if got, want := uris(ByLabel("Granite")), lith+"granite "+comm+"granite"; got != want {
		t.Errorf("ByLabel(Granite) = %q, want %q", got, want)
	}
	if got := ByLabel("no such rock"); len(got) != 0 {
		t.Errorf("ByLabel(no such rock) = %q", uris(got))
	}
	if got := ByLabel("   "); len(got) != 0 {
		t.Errorf("ByLabel(blank) = %q", uris(got))
	}
	// The Lao label published for granite is legacy-font mojibake; it is
	// not indexed, so it cannot make a false match.
	if got := ByLabel("¹ó­¡ë¾Ä­ª"); len(got) != 0 {
		t.Errorf("mojibake matched %q", uris(got))
	}
}

// A concept found by its preferred label comes before one found only by an
// alternative label, against URI order: "kalium" is the Malay and
// Indonesian preferred label of potassium and a Malay alternative label of
// potash.
func TestByLabelPrefersPrefLabel(t *testing.T) {
	v, _ := Get("commodity")
	if got, want := uris(v.ByLabel("kalium")), comm+"potassium "+comm+"potash"; got != want {
		t.Errorf("ByLabel(kalium) = %q, want %q", got, want)
	}
}

func TestFoldLabel(t *testing.T) {
	for in, want := range map[string]string{
		" Straße ":             "strasse",
		"Pérmico":              "permico",
		"đồng":                 "dong",
		"İstanbul":             "istanbul",
		"Ørsted":               "orsted",
		"tremolite-actinolite": "tremolite actinolite",
		"igneous__material":    "igneous material",
		"ＧＲＡＮＩＴＥ":              "granite", // full-width
	} {
		if got := foldLabel(in); got != want {
			t.Errorf("foldLabel(%q) = %q, want %q", in, got, want)
		}
	}
	// Marks that are part of a letter in other scripts are kept: the Thai
	// vowel sign and the Japanese voicing mark change the word.
	if foldLabel("ガ") == foldLabel("カ") {
		t.Error("dakuten removed from Japanese")
	}
	if foldLabel("หินแกรนิต") == foldLabel("หนแกรนต") {
		t.Error("vowel signs removed from Thai")
	}
}

// The ASCII shortcut must fold exactly as the general path does.
func TestFoldASCIIMatchesUnicodePath(t *testing.T) {
	n := 0
	for _, v := range All() {
		for _, c := range v.Concepts {
			for _, l := range c.PrefLabels {
				if isASCII(l) {
					n++
					if a, u := foldASCII(strings.TrimSpace(l)), foldUnicode(strings.TrimSpace(l)); a != u {
						t.Errorf("%q: ASCII fold %q, Unicode fold %q", l, a, u)
					}
				}
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d ASCII labels compared", n)
	}
	for _, s := range []string{"A-B_c\tD", "  Upper--Triassic  "} {
		if a, u := foldASCII(strings.TrimSpace(s)), foldUnicode(strings.TrimSpace(s)); a != u {
			t.Errorf("%q: ASCII fold %q, Unicode fold %q", s, a, u)
		}
	}
}
