package render

import "github.com/outcrop/outcrop/styles"

// Classifier picks the symbol of a feature from a style's symbols, as the
// style's filters do: the first symbol whose field holds one of its values,
// else the fallback, else nothing (the feature is not drawn).
type Classifier struct {
	syms   []styles.Symbol
	fields []string
	// byField maps field -> value -> index of the first symbol listing it.
	byField  map[string]map[string]int
	fallback int // -1 for none
	all      int // -1 unless a single-symbol style
}

// NewClassifier returns the classifier of a style's symbols
// (styles.Style.Symbols).
func NewClassifier(syms []styles.Symbol) *Classifier {
	c := &Classifier{syms: syms, byField: map[string]map[string]int{}, fallback: -1, all: -1}
	for i, s := range syms {
		switch {
		case s.All:
			if c.all < 0 {
				c.all = i
			}
		case s.Fallback:
			if c.fallback < 0 {
				c.fallback = i
			}
		}
		if s.Field == "" || s.All {
			continue
		}
		m := c.byField[s.Field]
		if m == nil {
			m = map[string]int{}
			c.byField[s.Field] = m
			c.fields = append(c.fields, s.Field)
		}
		for _, v := range s.Values {
			if _, seen := m[v]; !seen {
				m[v] = i
			}
		}
	}
	return c
}

// Fields returns the fields the classifier reads, in the order of their
// first symbol.
func (c *Classifier) Fields() []string { return c.fields }

// Symbol returns the symbol of a feature whose value of each field is given
// by value (ok false when it has none), or nil when the style draws no such
// feature.
func (c *Classifier) Symbol(value func(field string) (v string, ok bool)) *styles.Symbol {
	if c.all >= 0 {
		return &c.syms[c.all]
	}
	best := -1
	for _, f := range c.fields {
		v, ok := value(f)
		if !ok {
			continue
		}
		if i, ok := c.byField[f][v]; ok && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		best = c.fallback
	}
	if best < 0 {
		return nil
	}
	return &c.syms[best]
}
