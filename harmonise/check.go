package harmonise

import (
	"fmt"

	"github.com/outcrop/outcrop/tileset"
)

// Check compares the mapping with a source's fields before anything is
// read: every source field it names must exist, and a source field that
// must move aside (see Apply) must not find its new name taken. The error
// names the mapping file's line and the fix; where there are several, the
// first, and how many more.
func (m *Mapping) Check(fields []tileset.Field) error {
	have := map[string]bool{}
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		have[f.Name] = true
		names = append(names, f.Name)
	}
	var errs []error
	seen := map[sourceRef]bool{}
	for _, s := range m.specs {
		for _, r := range s.sources() {
			if have[r.name] || seen[r] {
				continue
			}
			seen[r] = true
			errs = append(errs, &Error{File: m.File, Line: r.line, Msg: fmt.Sprintf(
				"%s: the source has no field %q; %s", s.field.Name, r.name, suggestSource(r.name, names))})
		}
		name := s.field.Name
		if have[name] && !s.identity() && have[SourcePrefix+name] {
			errs = append(errs, &Error{File: m.File, Line: s.line, Msg: fmt.Sprintf(
				"the source has both %s and %s%s, and %s would move aside onto the second; rename one in the source",
				name, SourcePrefix, name, name)})
		}
	}
	for _, d := range m.defaulted {
		if have[d.Name] && have[SourcePrefix+d.Name] {
			errs = append(errs, &Error{File: m.File, Line: m.fieldsLine, Msg: fmt.Sprintf(
				"the source has both %s and %s%s, and %s, which the mapping leaves out and so sets to nil, would move aside onto the second; map %s or rename a source field",
				d.Name, SourcePrefix, d.Name, d.Name, d.Name)})
		}
	}
	if err := m.checkLegend(fields, names); err != nil {
		errs = append(errs, err)
	}
	if err := m.checkColourField(names); err != nil {
		errs = append(errs, err)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return fmt.Errorf("%w (and %d more)", errs[0], len(errs)-1)
}

// Schema returns the fields of the harmonised features: the harmonised
// fields first, in the view's order, then the source's, with those that
// Apply moves aside renamed.
func (m *Mapping) Schema(source []tileset.Field) []tileset.Field {
	out := m.Fields()
	written := map[string]bool{}
	for _, f := range out {
		written[f.Name] = true
	}
	for _, f := range source {
		if !written[f.Name] {
			out = append(out, f)
			continue
		}
		if s, ok := m.byName[f.Name]; ok && s.identity() {
			continue // the harmonised field is this one
		}
		out = append(out, tileset.Field{Name: SourcePrefix + f.Name, Type: f.Type})
	}
	return out
}
