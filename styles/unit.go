package styles

import (
	"slices"
	"sort"

	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// hasUnits reports whether the tileset carries a legend of units whose
// code field it has as text, from which the geology-unit style is made.
func hasUnits(meta *tileset.Metadata) bool {
	u := meta.Units
	if u == nil || len(u.Units) == 0 {
		return false
	}
	return slices.ContainsFunc(meta.Fields, func(f tileset.Field) bool { return f.Name == u.Field && f.Type == "string" })
}

// unitEntries makes one legend entry per map unit, filled with the
// survey's colour or a shade of its age colour (unitColours), listed by
// age as the age legend lists them (youngest at the top, oldest at the
// bottom), then by code; units of no known age come last. Features whose
// code the legend does not list (a blank code) make a fallback entry, so
// that the counts add up to the tileset's features.
func unitEntries(meta *tileset.Metadata, p *palettes) []Entry {
	units := meta.Units.Units
	ages := make([]*vocab.TimeUnit, len(units))
	todo := make([]unitToColour, len(units))
	for i, u := range units {
		family := p.carto.AgeFallback.Colour
		if c, ok := vocab.Lookup(u.Age); ok && c.Time != nil && c.Time.Colour != "" {
			ages[i], family = c.Time, c.Time.Colour
		}
		given := ""
		if _, err := parseHex(u.Colour); err == nil {
			given = u.Colour
		}
		todo[i] = unitToColour{code: u.Code, family: family, given: given}
	}
	colours := unitColours(todo)
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := ages[order[x]], ages[order[y]]
		switch {
		case a == nil || b == nil:
			if (a == nil) != (b == nil) {
				return b == nil
			}
		case a != b:
			return chartBefore(a, b)
		}
		return units[order[x]].Code < units[order[y]].Code
	})
	out := make([]Entry, 0, len(units)+1)
	var listed int64
	for _, i := range order {
		u := units[i]
		label := u.Code
		if u.Name != "" {
			label = u.Name + " (" + u.Code + ")"
		}
		e := Entry{Label: label, Code: u.Code, Colour: colours[u.Code], Count: u.Features, Values: []string{u.Code}}
		if ages[i] != nil {
			if c, ok := vocab.Lookup(u.Age); ok {
				e.URI = c.URI
			}
		}
		out = append(out, e)
		listed += u.Features
	}
	out = finish(out, Entry{}, p.carto.OutlineDarken, true)
	if n := meta.FeatureCount - listed; n > 0 {
		c := p.carto.AgeFallback.Colour
		out = append(out, Entry{Label: p.carto.AgeFallback.Label, Colour: c, Outline: darker(c, p.carto.OutlineDarken), Count: n, Fallback: true})
	}
	return out
}

// units builds the geology-unit style: one fill coloured by unit code.
func (b *builder) units(leg *Legend) []Layer {
	p := b.pal
	leg.Field, leg.Symbol = b.meta.Units.Field, "fill"
	leg.Vocabulary = "ics"
	if v, ok := vocabAttribution(leg.Vocabulary); ok {
		leg.Attribution = v
	}
	leg.Entries = unitEntries(b.meta, p)
	def := Entry{Colour: p.carto.AgeFallback.Colour, Outline: darker(p.carto.AgeFallback.Colour, p.carto.OutlineDarken)}
	def = fallbackOf(leg.Entries, def)
	return []Layer{b.classFill(leg.Field, leg.Entries, def)}
}
