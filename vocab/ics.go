package vocab

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// ColourOf returns the official chart colour ("#F04028" for the Permian) of
// an ICS unit.
func ColourOf(uri string) (string, bool) {
	c, ok := Lookup(uri)
	if !ok || c.Time == nil {
		return "", false
	}
	return c.Time.Colour, true
}

// AgeRange returns an ICS unit's base and top in Ma (298.9 and 251.902 for
// the Permian).
func AgeRange(uri string) (base, top float64, ok bool) {
	c, found := Lookup(uri)
	if !found || c.Time == nil {
		return 0, 0, false
	}
	return c.Time.Base.Ma, c.Time.Top.Ma, true
}

// UnitAt returns the ICS unit of the given rank that contains the age ma
// (250 Ma at RankPeriod is the Triassic, at RankAge the Induan). An age on a
// boundary belongs to the younger unit, whose base the boundary defines.
// Not every age has a unit at every rank: the Archean has no periods.
func UnitAt(ma float64, rank Rank) (*Concept, bool) {
	if math.IsNaN(ma) || ma < 0 {
		return nil, false
	}
	var best *Concept
	for _, c := range cat().ics {
		t := c.Time
		if !t.HasRank(rank) || ma < t.Top.Ma || ma > t.Base.Ma {
			continue
		}
		if best == nil || t.Base.Ma < best.Time.Base.Ma {
			best = c
		}
	}
	return best, best != nil
}

// ParseAge reads an age name as survey legends write it and returns the ICS
// units it spans, older first; a single name gives the same unit twice.
//
//   - Any label of the chart, in any of its languages, with the usual
//     British spellings ("Palaeozoic", "Neoarchaean") and an optional rank
//     word ("Jurassic Period").
//   - Early, Middle and Late (or Lower, Mid, Upper) before a unit name: the
//     chart's own Lower/Middle/Upper subdivision where it has one ("Late
//     Triassic" is the Upper Triassic); otherwise, where the unit has
//     exactly three subdivisions, the first, second or third ("Early
//     Permian" is the Cisuralian), and where it has two, the first for Early
//     and the second for Late ("Late Carboniferous" is the Pennsylvanian).
//     Anything else is an error naming the subdivisions to choose from.
//   - Two such names joined by "-", "–", "—" or "to" ("Jurassic-Cretaceous",
//     "Early-Middle Jurassic", "Neoarchean to Paleoproterozoic"); the order
//     returned is by age whichever way the name gives them.
func ParseAge(name string) (older, younger *Concept, err error) {
	s := strings.TrimSpace(name)
	if s == "" {
		return nil, nil, fmt.Errorf("vocab: empty age name")
	}
	if strings.TrimFunc(s, isDash) != s {
		return nil, nil, fmt.Errorf("vocab: age %q: a range needs a name on both sides", name)
	}
	// A whole name first: some languages' labels hold a dash.
	c, err := resolveAge(s)
	if err == nil {
		return c, c, nil
	}
	parts := rangeSep.Split(s, -1)
	switch len(parts) {
	case 1:
		return nil, nil, fmt.Errorf("vocab: age %q: %v", name, err)
	case 2:
		left, right := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if left == "" || right == "" {
			return nil, nil, fmt.Errorf("vocab: age %q: a range needs a name on both sides", name)
		}
		// "Early-Middle Jurassic": the left end borrows the right's unit.
		if position[strings.ToLower(left)] != "" {
			if _, unit, ok := splitPosition(right); ok {
				left += " " + unit
			}
		}
		a, err := resolveAge(left)
		if err != nil {
			return nil, nil, fmt.Errorf("vocab: age %q: %v", name, err)
		}
		b, err := resolveAge(right)
		if err != nil {
			return nil, nil, fmt.Errorf("vocab: age %q: %v", name, err)
		}
		if b.Time.Base.Ma > a.Time.Base.Ma || b.Time.Base.Ma == a.Time.Base.Ma && b.Time.Top.Ma > a.Time.Top.Ma {
			a, b = b, a
		}
		return a, b, nil
	}
	return nil, nil, fmt.Errorf("vocab: age %q: a range joins two names, this has %d", name, len(parts))
}

var (
	rangeSep = regexp.MustCompile(`(?i)\s*[-–—‒]\s*|\s+to\s+`)
	rankWord = regexp.MustCompile(`(?i)\s+(super-?eon|eonothem|eon|erathem|era|sub-?period|sub-?system|period|system|epoch|series|age|stage)$`)
	// position maps the words legends put before a unit to the chart's
	// rock-term word (the chart names series Lower/Middle/Upper).
	position = map[string]string{
		"early": "Lower", "lower": "Lower",
		"middle": "Middle", "mid": "Middle",
		"late": "Upper", "upper": "Upper",
	}
	positionIndex = map[string]int{"Lower": 0, "Middle": 1, "Upper": 2}
)

func isDash(r rune) bool { return unicode.Is(unicode.Pd, r) }

func splitPosition(s string) (pos, unit string, ok bool) {
	word, rest, found := strings.Cut(strings.TrimSpace(s), " ")
	if !found {
		return "", "", false
	}
	p := position[strings.ToLower(word)]
	return p, strings.TrimSpace(rest), p != ""
}

func resolveAge(s string) (*Concept, error) {
	c := cat()
	if k, ok := c.icsName(s); ok {
		return k, nil
	}
	if t := rankWord.ReplaceAllString(s, ""); t != s {
		if k, ok := c.icsName(t); ok {
			return k, nil
		}
	}
	pos, unitName, ok := splitPosition(s)
	if !ok {
		return nil, fmt.Errorf("no ICS chart unit has that name")
	}
	unit, err := resolveAge(unitName)
	if err != nil {
		return nil, err
	}
	if k, ok := c.icsName(pos + " " + unit.Label("en")); ok {
		return k, nil
	}
	subs := c.subdivisions(unit)
	i := positionIndex[pos]
	switch {
	case len(subs) == 3:
		return subs[i], nil
	case len(subs) == 2 && i != 1:
		return subs[i/2], nil
	}
	names := make([]string, len(subs))
	for j, k := range subs {
		names[j] = k.Label("en")
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("the chart does not divide the %s", unit.Label("en"))
	}
	return nil, fmt.Errorf("the chart divides the %s into %s; name one of them", unit.Label("en"), strings.Join(names, ", "))
}

// subdivisions returns a unit's narrower units, oldest first.
func (c *catalog) subdivisions(u *Concept) []*Concept {
	var out []*Concept
	for _, n := range u.Narrower {
		if k, ok := c.byURI[n]; ok && k.Time != nil {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.Base.Ma > out[j].Time.Base.Ma })
	return out
}

func (c *catalog) indexICSName(k *Concept) {
	add := func(l string) {
		key := icsKey(l)
		for _, x := range c.icsNames[key] {
			if x == k {
				return
			}
		}
		c.icsNames[key] = append(c.icsNames[key], k)
	}
	// English first, so that where another language's word for one unit is
	// spelled like an English name of another, the English reading wins.
	if l, ok := k.PrefLabels["en"]; ok {
		add(l)
	}
	for _, l := range k.AltLabels["en"] {
		add(l)
	}
	for _, l := range k.PrefLabels {
		add(l)
	}
	for _, ls := range k.AltLabels {
		for _, l := range ls {
			add(l)
		}
	}
}

func (c *catalog) icsName(s string) (*Concept, bool) {
	ks := c.icsNames[icsKey(s)]
	if len(ks) == 0 {
		return nil, false
	}
	return ks[0], true
}

// icsKey folds a chart name, and also "ae" to "e", so that British
// spellings (Palaeozoic, Archaean, Palaeogene) find the chart's American ones;
// applied to both sides, it leaves names with a real "ae" (Rhaetian) intact.
func icsKey(s string) string {
	return strings.ReplaceAll(foldLabel(s), "ae", "e")
}
