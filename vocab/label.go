package vocab

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// labelHit is one label of a concept under its folded form.
type labelHit struct {
	c    *Concept
	pref bool
}

func (v *Vocabulary) indexLabels(c *Concept) {
	add := func(label string, pref bool) {
		k := foldLabel(label)
		if k == "" {
			return
		}
		for _, h := range v.byLabel[k] {
			if h.c == c {
				return
			}
		}
		v.byLabel[k] = append(v.byLabel[k], labelHit{c: c, pref: pref})
	}
	for _, l := range c.PrefLabels {
		add(l, true)
	}
	for _, ls := range c.AltLabels {
		for _, l := range ls {
			add(l, false)
		}
	}
}

// ByLabel returns the concepts of every vocabulary with a preferred or
// alternative label, in any language, equal to text once both are trimmed,
// case-folded and stripped of accents: " Granite", "da voi" (Vietnamese
// "đá vôi", limestone) and "หินแกรนิต" (Thai, granite) all find their concept. Concepts matched by a preferred
// label come before those matched by an alternative one; otherwise the order
// is vocabulary order, then URI.
func ByLabel(text string) []*Concept {
	return byLabel(cat().vocabs, text)
}

// ByLabel is the package-level ByLabel confined to one vocabulary, since the
// same word names a lithology and a commodity ("granite").
func (v *Vocabulary) ByLabel(text string) []*Concept {
	return byLabel([]*Vocabulary{v}, text)
}

func byLabel(vs []*Vocabulary, text string) []*Concept {
	k := foldLabel(text)
	if k == "" {
		return nil
	}
	var hits []labelHit
	for _, v := range vs {
		hs := append([]labelHit(nil), v.byLabel[k]...)
		sort.Slice(hs, func(i, j int) bool { return hs[i].c.URI < hs[j].c.URI })
		hits = append(hits, hs...)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].pref && !hits[j].pref })
	out := make([]*Concept, 0, len(hits))
	seen := map[*Concept]bool{}
	for _, h := range hits {
		if !seen[h.c] {
			seen[h.c] = true
			out = append(out, h.c)
		}
	}
	return out
}

// foldLabel is the form labels are compared in: case-folded (ß as ss),
// compatibility forms unified (full-width letters), accents removed from
// Latin, Greek and Cyrillic letters only, and runs of space, '_' and dashes
// made one space. Marks in other scripts are letters' parts, not accents (a
// Thai vowel, a Japanese dakuten), and removing them would merge words.
func foldLabel(s string) string {
	s = strings.TrimSpace(s)
	if isASCII(s) {
		return foldASCII(s)
	}
	return foldUnicode(s)
}

func foldUnicode(s string) string {
	s = norm.NFKD.String(cases.Fold().String(s))
	var b strings.Builder
	b.Grow(len(s))
	accented := false // the last base letter takes removable accents
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			if accented {
				continue
			}
		case unicode.IsSpace(r) || r == '_' || unicode.Is(unicode.Pd, r):
			space = b.Len() > 0
			continue
		default:
			accented = unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if x, ok := baseLetter[r]; ok {
			b.WriteString(x)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldASCII is foldLabel for ASCII text, which most labels are, without
// the Unicode machinery that makes up most of the load time otherwise.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '_' || c == '-':
			space = b.Len() > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// baseLetter spells the Latin letters that carry their accent in the letter
// itself, so that NFKD cannot split it off, as their plain-ASCII readers
// type them: "dong" finds Vietnamese "đồng".
var baseLetter = map[rune]string{
	'đ': "d", 'ð': "d", 'ø': "o", 'ł': "l", 'ħ': "h", 'ı': "i", 'æ': "ae", 'œ': "oe", 'þ': "th",
}
