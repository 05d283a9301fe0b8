package harmonise

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/internal/yamlnode"
	"github.com/outcrop/outcrop/vocab"
)

// parser turns a mapping file's YAML nodes into specs, keeping the file name
// and the nodes' lines for errors.
type parser struct {
	yamlnode.Reader
	file   string
	m      *Mapping
	tables map[string]*table
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var topKeys = []string{"view", "description", "blank_values", "age_tolerance_ma", "tables", "fields", "legend"}

func (p *parser) parse(data []byte) (*Mapping, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlnode.SyntaxError(err)
		return nil, p.errf(line, "malformed YAML: %s; fix the syntax there (indent with spaces, quote values holding ': ' or starting with '{')", msg)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(1, "the mapping is empty; it needs view: and fields:, see harmonise/MAPPING.md")
	}
	root := yamlnode.Deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "a mapping file is a YAML mapping with view: and fields:, not a %s", yamlnode.KindName(root))
	}
	p.m = &Mapping{File: p.file, AgeToleranceMa: DefaultAgeToleranceMa, byName: map[string]*spec{}, blanks: map[string]bool{}}
	pairs, err := p.Pairs(root, topKeys, "at the top level")
	if err != nil {
		return nil, err
	}
	viewNode, ok := pairs["view"]
	if !ok {
		return nil, p.errf(root.Line, "the mapping has no view:; add view: with one of %s", viewNames())
	}
	name, err := p.Scalar(viewNode.Val, "view")
	if err != nil {
		return nil, err
	}
	v, ok := ViewByName(name)
	if !ok {
		return nil, p.errf(viewNode.Val.Line, "unknown view %q; use one of %s", name, viewNames())
	}
	p.m.View = v
	if n, ok := pairs["description"]; ok {
		if p.m.Description, err = p.Scalar(n.Val, "description"); err != nil {
			return nil, err
		}
	}
	if n, ok := pairs["age_tolerance_ma"]; ok {
		x, err := p.Number(n.Val, "age_tolerance_ma")
		if err != nil {
			return nil, err
		}
		if x < 0 {
			return nil, p.errf(n.Val.Line, "age_tolerance_ma %g is negative; give a tolerance in Ma, 0 or more", x)
		}
		p.m.AgeToleranceMa = x
	}
	if n, ok := pairs["blank_values"]; ok {
		vals, err := p.ScalarList(n.Val, "blank_values")
		if err != nil {
			return nil, err
		}
		for _, s := range vals {
			p.m.blanks[tidy(s)] = true
		}
	}
	if n, ok := pairs["tables"]; ok {
		if err := p.readTables(n.Val); err != nil {
			return nil, err
		}
	}
	if n, ok := pairs["legend"]; ok {
		if err := p.readLegend(n.Key, n.Val); err != nil {
			return nil, err
		}
	}
	fieldsNode, ok := pairs["fields"]
	if !ok {
		return nil, p.errf(root.Line, "the mapping has no fields:; add fields: naming which source fields become which %s fields", v.Name)
	}
	p.m.fieldsLine = fieldsNode.Key.Line
	if err := p.fields(fieldsNode.Val); err != nil {
		return nil, err
	}
	for _, f := range v.Fields {
		_, mapped := p.m.byName[f.Name]
		switch {
		case mapped:
		case f.Kind == KindURI && f.Required:
			p.m.defaulted = append(p.m.defaulted, f)
		case f.Mandatory:
			p.m.unwritten = append(p.m.unwritten, f)
		}
	}
	return p.m, nil
}

func (p *parser) fields(n *yaml.Node) error {
	n = yamlnode.Deref(n)
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return p.errf(n.Line, "fields: must map %s field names to source fields or specs, e.g. `name: unitname`", p.m.View.Name)
	}
	v := p.m.View
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], yamlnode.Deref(n.Content[i+1])
		f, ok := v.Field(k.Value)
		if !ok {
			return p.errf(k.Line, "%s has no field %q; %s", v.Name, k.Value, suggestField(v, k.Value))
		}
		if first, dup := lines[f.Name]; dup {
			return p.errf(k.Line, "field %s is mapped twice (first on line %d); keep one", f.Name, first)
		}
		lines[f.Name] = k.Line
		s, err := p.spec(f, k.Line, val)
		if err != nil {
			return err
		}
		p.m.byName[f.Name] = s
	}
	// Specs in view order, and label_of checked now that every field is known.
	for _, f := range v.Fields {
		s, ok := p.m.byName[f.Name]
		if !ok {
			continue
		}
		p.m.specs = append(p.m.specs, s)
		if err := p.checkLabelOf(s); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) checkLabelOf(s *spec) error {
	if s.labelOf != "" {
		ref, ok := p.m.byName[s.labelOf]
		if !ok || ref.vocab == nil {
			return p.errf(s.line, "%s: label_of %s names no mapped _uri field with a vocabulary; map %s first or use from:", s.field.Name, s.labelOf, s.labelOf)
		}
	}
	for _, part := range s.parts {
		if err := p.checkLabelOf(part); err != nil {
			return err
		}
	}
	return nil
}

var specKeys = []string{"from", "template", "constant", "parts", "label_of", "separator", "split",
	"pattern", "values", "table", "default", "by_label", "by_notation", "age", "unit_rank", "language", "vocabulary", "blank"}

// spec reads one field's spec: a source field's name, or a mapping of the
// keys in specKeys.
func (p *parser) spec(f ViewField, line int, n *yaml.Node) (*spec, error) {
	s := &spec{field: f, line: line, blanks: p.m.blanks}
	if f.Kind == KindURI && f.Vocabulary != "" {
		s.vocab, _ = vocab.Get(f.Vocabulary)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "" {
			return nil, p.errf(n.Line, "%s: the spec is empty; name a source field, or give from:, template:, constant: …", f.Name)
		}
		s.from = []sourceRef{{name: n.Value, line: n.Line}}
		return s, nil
	case yaml.MappingNode:
	default:
		return nil, p.errf(n.Line, "%s: a spec is a source field's name or a mapping (from:, values: …), not a %s; for several source fields write from: [a, b]", f.Name, yamlnode.KindName(n))
	}
	pairs, err := p.Pairs(n, specKeys, "in the spec of "+f.Name)
	if err != nil {
		return nil, err
	}
	// The vocabulary first: value maps are checked against it.
	if kv, ok := pairs["vocabulary"]; ok {
		id, err := p.Scalar(kv.Val, "vocabulary")
		if err != nil {
			return nil, err
		}
		if f.Kind != KindURI {
			return nil, p.errf(kv.Key.Line, "%s is a %s field; vocabulary: applies to _uri fields only", f.Name, f.Kind)
		}
		voc, ok := vocab.Get(id)
		if !ok {
			return nil, p.errf(kv.Val.Line, "unknown vocabulary %q; use one of %s", id, vocabIDs())
		}
		s.vocab = voc
	}
	var sources []string
	for _, k := range []string{"from", "template", "constant", "parts", "label_of"} {
		if _, ok := pairs[k]; ok {
			sources = append(sources, k)
		}
	}
	if len(sources) != 1 {
		what := "none"
		if len(sources) > 1 {
			what = strings.Join(sources, " and ")
		}
		return nil, p.errf(n.Line, "%s: give exactly one of from, template, constant, parts or label_of (found %s)", f.Name, what)
	}
	if kv, ok := pairs["from"]; ok {
		names, lines, err := p.ScalarListLines(kv.Val, "from")
		if err != nil {
			return nil, err
		}
		for i, name := range names {
			s.from = append(s.from, sourceRef{name: name, line: lines[i]})
		}
	}
	if kv, ok := pairs["template"]; ok {
		src, err := p.Scalar(kv.Val, "template")
		if err != nil {
			return nil, err
		}
		if s.template, err = parseTemplate(src); err != nil {
			return nil, p.errf(kv.Val.Line, "%s: %v", f.Name, err)
		}
		s.tmplLine = kv.Val.Line
	}
	if kv, ok := pairs["constant"]; ok {
		val, err := p.Scalar(kv.Val, "constant")
		if err != nil {
			return nil, err
		}
		t, err := p.target(s, val, kv.Val.Line)
		if err != nil {
			return nil, err
		}
		if t.blank {
			return nil, p.errf(kv.Val.Line, "%s: constant is empty; give a value, or leave the field out", f.Name)
		}
		s.constant = &t
	}
	if kv, ok := pairs["parts"]; ok {
		if f.Kind != KindText {
			return nil, p.errf(kv.Key.Line, "%s is a %s field; parts: joins text and applies to text fields only", f.Name, f.Kind)
		}
		seq := yamlnode.Deref(kv.Val)
		if seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
			return nil, p.errf(seq.Line, "%s: parts: is a list of specs, e.g. [{constant: copper}, {from: mo_grade, default: molybdenum}]", f.Name)
		}
		for _, pn := range seq.Content {
			part, err := p.spec(f, pn.Line, yamlnode.Deref(pn))
			if err != nil {
				return nil, err
			}
			s.parts = append(s.parts, part)
		}
		s.separator = ", "
	}
	if kv, ok := pairs["separator"]; ok {
		if s.parts == nil {
			return nil, p.errf(kv.Key.Line, "%s: separator: goes with parts:", f.Name)
		}
		if s.separator, err = p.ScalarAllowEmpty(kv.Val, "separator"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["label_of"]; ok {
		if f.Kind != KindText {
			return nil, p.errf(kv.Key.Line, "%s is a %s field; label_of: gives text and applies to text fields only", f.Name, f.Kind)
		}
		if s.labelOf, err = p.Scalar(kv.Val, "label_of"); err != nil {
			return nil, err
		}
		if rf, ok := p.m.View.Field(s.labelOf); !ok || rf.Kind != KindURI {
			return nil, p.errf(kv.Val.Line, "%s: label_of %q is not a _uri field of %s", f.Name, s.labelOf, p.m.View.Name)
		}
		s.language = "en"
	}
	if kv, ok := pairs["language"]; ok {
		if s.labelOf == "" {
			return nil, p.errf(kv.Key.Line, "%s: language: goes with label_of:", f.Name)
		}
		if s.language, err = p.Scalar(kv.Val, "language"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["split"]; ok {
		if s.from == nil && s.template == nil {
			return nil, p.errf(kv.Key.Line, "%s: split: goes with from: or template:", f.Name)
		}
		if s.split, err = p.Scalar(kv.Val, "split"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["pattern"]; ok {
		if s.from == nil && s.template == nil {
			return nil, p.errf(kv.Key.Line, "%s: pattern: goes with from: or template:", f.Name)
		}
		if s.pattern, err = p.pattern(f, kv.Val); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["blank"]; ok {
		vals, err := p.ScalarList(kv.Val, "blank")
		if err != nil {
			return nil, err
		}
		s.blanks = map[string]bool{}
		for k := range p.m.blanks {
			s.blanks[k] = true
		}
		for _, v := range vals {
			s.blanks[tidy(v)] = true
		}
	}
	reads := s.from != nil || s.template != nil
	for _, k := range []string{"by_label", "by_notation"} {
		kv, ok := pairs[k]
		if !ok {
			continue
		}
		b, err := p.Boolean(kv.Val, k)
		if err != nil {
			return nil, err
		}
		if b && (f.Kind != KindURI || s.vocab == nil) {
			return nil, p.errf(kv.Key.Line, "%s: %s: needs a _uri field with an embedded vocabulary; %s", f.Name, k, noVocabFix(f))
		}
		if b && !reads {
			return nil, p.errf(kv.Key.Line, "%s: %s: goes with from: or template:", f.Name, k)
		}
		if k == "by_label" {
			s.byLabel = b
		} else {
			s.byNotation = b
		}
	}
	if kv, ok := pairs["age"]; ok {
		if s.age, err = p.Scalar(kv.Val, "age"); err != nil {
			return nil, err
		}
		switch {
		case !reads:
			return nil, p.errf(kv.Key.Line, "%s: age: goes with from: or template:", f.Name)
		case f.Kind == KindReal && (s.age == ageOlder || s.age == ageYounger):
		case f.Kind == KindReal:
			return nil, p.errf(kv.Val.Line, "%s: age: %q; a numeric age takes older (the older unit's base) or younger (the younger unit's top)", f.Name, s.age)
		case f.Kind != KindURI || s.vocab == nil || s.vocab.ID != "ics":
			return nil, p.errf(kv.Key.Line, "%s: age: reads ICS age names and applies to the age _uri fields and numeric ages only", f.Name)
		case s.age != ageOlder && s.age != ageYounger && s.age != ageSpan:
			return nil, p.errf(kv.Val.Line, "%s: age: %q; use older, younger or span (the narrowest chart unit holding the whole range)", f.Name, s.age)
		}
	}
	if kv, ok := pairs["unit_rank"]; ok {
		if s.age == "" {
			return nil, p.errf(kv.Key.Line, "%s: unit_rank: goes with age:", f.Name)
		}
		names, lines, err := p.ScalarListLines(kv.Val, "unit_rank")
		if err != nil {
			return nil, err
		}
		for i, r := range names {
			rank, ok := rankNamed(r)
			if !ok {
				return nil, p.errf(lines[i], "%s: unit_rank %q is not an ICS rank; use one of %s", f.Name, r, rankNames())
			}
			s.unitRanks = append(s.unitRanks, rank)
		}
	}
	if kv, ok := pairs["values"]; ok {
		if !reads {
			return nil, p.errf(kv.Key.Line, "%s: values: goes with from: or template:", f.Name)
		}
		vm := yamlnode.Deref(kv.Val)
		if vm.Kind != yaml.MappingNode {
			return nil, p.errf(vm.Line, "%s: values: maps source values to targets, e.g. {Fm: lithostratigraphic_unit}", f.Name)
		}
		s.values = map[string]target{}
		seen := map[string]int{}
		for i := 0; i+1 < len(vm.Content); i += 2 {
			k, tv := vm.Content[i], yamlnode.Deref(vm.Content[i+1])
			if k.Kind != yaml.ScalarNode {
				return nil, p.errf(k.Line, "%s: a values: key is a source value, not a %s", f.Name, yamlnode.KindName(k))
			}
			key := tidy(k.Value)
			if first, dup := seen[key]; dup {
				return nil, p.errf(k.Line, "%s: value %q is mapped twice (first on line %d); keep one", f.Name, key, first)
			}
			seen[key] = k.Line
			val, err := p.ScalarAllowEmpty(tv, "a values: target")
			if err != nil {
				return nil, err
			}
			t, err := p.valueTarget(s, val, tv.Line)
			if err != nil {
				return nil, err
			}
			s.values[key] = t
		}
	}
	if kv, ok := pairs["table"]; ok {
		if !reads {
			return nil, p.errf(kv.Key.Line, "%s: table: goes with from: or template:", f.Name)
		}
		if err := p.useTables(s, kv.Val); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["default"]; ok {
		if !reads {
			return nil, p.errf(kv.Key.Line, "%s: default: goes with from: or template:", f.Name)
		}
		val, err := p.ScalarAllowEmpty(kv.Val, "default")
		if err != nil {
			return nil, err
		}
		t, err := p.valueTarget(s, val, kv.Val.Line)
		if err != nil {
			return nil, err
		}
		s.dflt = &t
	}
	return s, nil
}
