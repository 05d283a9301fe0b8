package harmonise

import (
	"fmt"
	"sort"
	"strings"

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

func suggestSource(name string, have []string) string {
	if s := closest(name, have); s != "" {
		return "did you mean " + s + "?"
	}
	sorted := append([]string(nil), have...)
	sort.Strings(sorted)
	const show = 12
	if len(sorted) > show {
		return fmt.Sprintf("it has %s … (%d fields); fix the name in the mapping", strings.Join(sorted[:show], ", "), len(sorted))
	}
	if len(sorted) == 0 {
		return "it has no attribute fields"
	}
	return "it has " + strings.Join(sorted, ", ") + "; fix the name in the mapping"
}
