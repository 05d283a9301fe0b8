package viewer

import (
	"regexp"
	"slices"
	"testing"
)

// TestStringTablesAreComplete: each language's table has exactly the keys
// of the English one, none empty, with the same {placeholders}.
func TestStringTablesAreComplete(t *testing.T) {
	langs := Languages()
	if len(langs) < 2 || langs[0] != "en" || !slices.Contains(langs, "id") {
		t.Fatalf("languages %q, want English first and Indonesian", langs)
	}
	holes := regexp.MustCompile(`\{[a-z]+\}`)
	en := tables()["en"]
	for _, lang := range langs {
		table := tables()[lang]
		for k, v := range en {
			got, ok := table[k]
			if !ok || got == "" {
				t.Errorf("%s.json: %q is missing or empty", lang, k)
				continue
			}
			if a, b := holes.FindAllString(v, -1), holes.FindAllString(got, -1); !slices.Equal(a, b) {
				t.Errorf("%s.json: %q has placeholders %q, English has %q", lang, k, b, a)
			}
		}
		for k := range table {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json: %q is not a key of en.json", lang, k)
			}
		}
	}
	if s := Strings("id"); s["layers"] != "Lapisan" || Strings("xx") != nil {
		t.Errorf("Strings(id)[layers] = %q, Strings(xx) = %v; want Lapisan and nil", s["layers"], Strings("xx"))
	}
}
