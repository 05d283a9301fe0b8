package harmonise

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/internal/yamlnode"
	"github.com/outcrop/outcrop/vocab"
)

// table is a named lookup table (top-level tables:), kept as text until a
// field uses it: its targets are read for each field that does, since one
// table may serve fields of different kinds (the three age URIs and the
// numeric ages).
type table struct {
	name    string
	line    int
	entries []tableEntry
}

type tableEntry struct {
	key, val string
	valLine  int
}

// readTables reads tables: name → {source value: target}.
func (p *parser) readTables(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return p.errf(n.Line, "tables: names lookup tables, e.g. tables: {ages: {CRET: Cretaceous}}; a field uses one with table: ages")
	}
	p.tables = map[string]*table{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, tn := n.Content[i], yamlnode.Deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			return p.errf(k.Line, "a table's name is a single word, e.g. ages")
		}
		if first, dup := p.tables[k.Value]; dup {
			return p.errf(k.Line, "table %s is defined twice (first on line %d); keep one", k.Value, first.line)
		}
		if tn.Kind != yaml.MappingNode || len(tn.Content) == 0 {
			return p.errf(tn.Line, "table %s must map source values to targets, e.g. {CRET: Cretaceous}", k.Value)
		}
		t := &table{name: k.Value, line: k.Line}
		seen := map[string]int{}
		for j := 0; j+1 < len(tn.Content); j += 2 {
			ek, ev := tn.Content[j], yamlnode.Deref(tn.Content[j+1])
			if ek.Kind != yaml.ScalarNode {
				return p.errf(ek.Line, "table %s: a key is a source value, not a %s", t.name, yamlnode.KindName(ek))
			}
			key := tidy(ek.Value)
			if first, dup := seen[key]; dup {
				return p.errf(ek.Line, "table %s: value %q is mapped twice (first on line %d); keep one", t.name, key, first)
			}
			seen[key] = ek.Line
			val, err := p.ScalarAllowEmpty(ev, "a table's target")
			if err != nil {
				return err
			}
			t.entries = append(t.entries, tableEntry{key: key, val: val, valLine: ev.Line})
		}
		p.tables[t.name] = t
	}
	return nil
}

// useTables adds the entries of the tables a spec names to its values: the
// spec's own values win, then the tables in the order named.
func (p *parser) useTables(s *spec, n *yaml.Node) error {
	names, lines, err := p.ScalarListLines(n, "table")
	if err != nil {
		return err
	}
	if s.values == nil {
		s.values = map[string]target{}
	}
	for i, name := range names {
		t, ok := p.tables[name]
		if !ok {
			return p.errf(lines[i], "%s: no table named %q; %s", s.field.Name, name, p.suggestTable(name))
		}
		for _, e := range t.entries {
			if _, done := s.values[e.key]; done {
				continue
			}
			tg, err := p.valueTarget(s, e.val, e.valLine)
			if err != nil {
				var me *Error
				if errors.As(err, &me) {
					me.Msg = fmt.Sprintf("table %s, used by %s on line %d: %s", t.name, s.field.Name, lines[i], strings.TrimPrefix(me.Msg, s.field.Name+": "))
				}
				return err
			}
			s.values[e.key] = tg
		}
	}
	return nil
}

func (p *parser) suggestTable(name string) string {
	if len(p.tables) == 0 {
		return "define it at the top level: tables: {" + name + ": {source value: target}}"
	}
	names := make([]string, 0, len(p.tables))
	for n := range p.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	if c := closest(name, names); c != "" {
		return "did you mean " + c + "?"
	}
	return "the file's tables are " + strings.Join(names, ", ") + "; fix the name or add the table under tables:"
}

// pattern reads a field's pattern: a regular expression whose first
// capture group (or, without one, whose match) is the part of each source
// value the field reads.
func (p *parser) pattern(f ViewField, n *yaml.Node) (*regexp.Regexp, error) {
	src, err := p.Scalar(n, "pattern")
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(src)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		return nil, p.errf(n.Line, "%s: pattern %q is not a regular expression: %s; fix it (Go RE2 syntax: no look-around or back-references; put the pattern in single quotes so YAML keeps its backslashes)", f.Name, src, msg)
	}
	return re, nil
}

// valueTarget reads a target of values:, a table or default:. For an age
// field (age:), it is an age as the chart names it: a unit (Permian, a
// short name or URI), a name such as Late Triassic, or a range such as
// Jurassic-Cretaceous, whose ends give the older and younger ages, so that
// one table serves all the age fields.
func (p *parser) valueTarget(s *spec, val string, line int) (target, error) {
	if s.age == "" {
		return p.target(s, val, line)
	}
	val = strings.TrimSpace(val)
	if val == "" {
		return target{blank: true}, nil
	}
	ics, _ := vocab.Get("ics")
	if s.field.Kind == KindURI {
		t, err := p.target(s, val, line)
		if err == nil {
			if c, ok := vocab.Lookup(t.text); ok {
				t.older, t.younger = c, c
			}
			return t, nil
		}
		if o, y, perr := vocab.ParseAge(val); perr == nil {
			return target{text: val, older: o, younger: y}, nil
		}
		return target{}, err
	}
	if c, ok := vocab.Lookup(namespace(ics) + val); ok {
		return target{older: c, younger: c}, nil
	}
	if c, ok := vocab.Lookup(val); ok && c.Vocabulary == ics.ID {
		return target{older: c, younger: c}, nil
	}
	o, y, err := vocab.ParseAge(val)
	if err != nil {
		return target{}, p.errf(line, "%s: %q is not an age of the ICS chart (%s); with age:, a target is a chart unit (Permian, UpperTriassic), a name (Late Triassic) or a range (Jurassic-Cretaceous)",
			s.field.Name, val, strings.TrimPrefix(err.Error(), "vocab: "))
	}
	return target{older: o, younger: y}, nil
}
