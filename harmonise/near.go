package harmonise

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/outcrop/outcrop/vocab"
)

// Suggestion is a concept with a label that nearly spells an unmapped value
// (Thai หินไรโอไลต์ for the vocabulary's หินไรโอไรต์, rhyolite). It is
// offered in the report and never applied: a near spelling may be another
// rock.
type Suggestion struct {
	// Concept is the concept's URI.
	Concept string `json:"concept"`
	// Label is the near label, as the vocabulary spells it, in Language.
	Label    string `json:"label"`
	Language string `json:"language"`
	// Edits is the number of letters to change, add or remove.
	Edits int `json:"edits"`
}

// maxSuggestions is how many near labels the report offers per value.
const maxSuggestions = 3

// nearLabels returns the concepts of v with a label a few edits from text,
// but not equal to it, nearest first: at most one edit in five letters, and
// at least one. Case and runs of spaces are ignored.
func nearLabels(v *vocab.Vocabulary, text string) []Suggestion {
	if v == nil {
		return nil
	}
	key := strings.ToLower(tidy(text))
	n := utf8.RuneCountInString(key)
	limit := max(1, n/5)
	best := map[*vocab.Concept]Suggestion{}
	consider := func(c *vocab.Concept, lang, label string) {
		l := strings.ToLower(tidy(label))
		ln := utf8.RuneCountInString(l)
		if ln-n > limit || n-ln > limit {
			return
		}
		d := editDistance(key, l)
		if d == 0 || d > limit {
			return
		}
		if s, ok := best[c]; !ok || d < s.Edits || d == s.Edits && lang < s.Language {
			best[c] = Suggestion{Concept: c.URI, Label: label, Language: lang, Edits: d}
		}
	}
	for _, c := range v.Concepts {
		for lang, l := range c.PrefLabels {
			consider(c, lang, l)
		}
		for lang, ls := range c.AltLabels {
			for _, l := range ls {
				consider(c, lang, l)
			}
		}
	}
	out := make([]Suggestion, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Edits != out[j].Edits {
			return out[i].Edits < out[j].Edits
		}
		return out[i].Concept < out[j].Concept
	})
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}
