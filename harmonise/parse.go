package harmonise

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/vocab"
)

// parser turns a mapping file's YAML nodes into specs, keeping the file name
// and the nodes' lines for errors.
type parser struct {
	file string
	m    *Mapping
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

var topKeys = []string{"view", "description", "blank_values", "age_tolerance_ma", "fields"}

func (p *parser) parse(data []byte) (*Mapping, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 0
		if sm := yamlLine.FindStringSubmatch(msg); sm != nil {
			line, _ = strconv.Atoi(sm[1])
			msg = msg[len(sm[0]):]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		return nil, p.errf(line, "malformed YAML: %s; fix the syntax there (indent with spaces, quote values holding ': ' or starting with '{')", msg)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(1, "the mapping is empty; it needs view: and fields:, see harmonise/MAPPING.md")
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "a mapping file is a YAML mapping with view: and fields:, not a %s", kindName(root))
	}
	p.m = &Mapping{File: p.file, AgeToleranceMa: DefaultAgeToleranceMa, byName: map[string]*spec{}, blanks: map[string]bool{}}
	pairs, err := p.pairs(root, topKeys, "at the top level")
	if err != nil {
		return nil, err
	}
	viewNode, ok := pairs["view"]
	if !ok {
		return nil, p.errf(root.Line, "the mapping has no view:; add view: with one of %s", viewNames())
	}
	name, err := p.scalar(viewNode.val, "view")
	if err != nil {
		return nil, err
	}
	v, ok := ViewByName(name)
	if !ok {
		return nil, p.errf(viewNode.val.Line, "unknown view %q; use one of %s", name, viewNames())
	}
	p.m.View = v
	if n, ok := pairs["description"]; ok {
		if p.m.Description, err = p.scalar(n.val, "description"); err != nil {
			return nil, err
		}
	}
	if n, ok := pairs["age_tolerance_ma"]; ok {
		x, err := p.number(n.val, "age_tolerance_ma")
		if err != nil {
			return nil, err
		}
		if x < 0 {
			return nil, p.errf(n.val.Line, "age_tolerance_ma %g is negative; give a tolerance in Ma, 0 or more", x)
		}
		p.m.AgeToleranceMa = x
	}
	if n, ok := pairs["blank_values"]; ok {
		vals, err := p.scalarList(n.val, "blank_values")
		if err != nil {
			return nil, err
		}
		for _, s := range vals {
			p.m.blanks[tidy(s)] = true
		}
	}
	fieldsNode, ok := pairs["fields"]
	if !ok {
		return nil, p.errf(root.Line, "the mapping has no fields:; add fields: naming which source fields become which %s fields", v.Name)
	}
	if err := p.fields(fieldsNode.val); err != nil {
		return nil, err
	}
	for _, f := range v.Fields {
		if _, mapped := p.m.byName[f.Name]; !mapped && f.Kind == KindURI && f.Required {
			p.m.defaulted = append(p.m.defaulted, f)
		}
	}
	return p.m, nil
}

func (p *parser) fields(n *yaml.Node) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return p.errf(n.Line, "fields: must map %s field names to source fields or specs, e.g. `name: unitname`", p.m.View.Name)
	}
	v := p.m.View
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], deref(n.Content[i+1])
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
	"values", "default", "by_label", "by_notation", "age", "unit_rank", "language", "vocabulary", "blank"}

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
		return nil, p.errf(n.Line, "%s: a spec is a source field's name or a mapping (from:, values: …), not a %s; for several source fields write from: [a, b]", f.Name, kindName(n))
	}
	pairs, err := p.pairs(n, specKeys, "in the spec of "+f.Name)
	if err != nil {
		return nil, err
	}
	// The vocabulary first: value maps are checked against it.
	if kv, ok := pairs["vocabulary"]; ok {
		id, err := p.scalar(kv.val, "vocabulary")
		if err != nil {
			return nil, err
		}
		if f.Kind != KindURI {
			return nil, p.errf(kv.key.Line, "%s is a %s field; vocabulary: applies to _uri fields only", f.Name, f.Kind)
		}
		voc, ok := vocab.Get(id)
		if !ok {
			return nil, p.errf(kv.val.Line, "unknown vocabulary %q; use one of %s", id, vocabIDs())
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
		names, lines, err := p.scalarListLines(kv.val, "from")
		if err != nil {
			return nil, err
		}
		for i, name := range names {
			s.from = append(s.from, sourceRef{name: name, line: lines[i]})
		}
	}
	if kv, ok := pairs["template"]; ok {
		src, err := p.scalar(kv.val, "template")
		if err != nil {
			return nil, err
		}
		if s.template, err = parseTemplate(src); err != nil {
			return nil, p.errf(kv.val.Line, "%s: %v", f.Name, err)
		}
		s.tmplLine = kv.val.Line
	}
	if kv, ok := pairs["constant"]; ok {
		val, err := p.scalar(kv.val, "constant")
		if err != nil {
			return nil, err
		}
		t, err := p.target(s, val, kv.val.Line)
		if err != nil {
			return nil, err
		}
		if t.blank {
			return nil, p.errf(kv.val.Line, "%s: constant is empty; give a value, or leave the field out", f.Name)
		}
		s.constant = &t
	}
	if kv, ok := pairs["parts"]; ok {
		if f.Kind != KindText {
			return nil, p.errf(kv.key.Line, "%s is a %s field; parts: joins text and applies to text fields only", f.Name, f.Kind)
		}
		seq := deref(kv.val)
		if seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
			return nil, p.errf(seq.Line, "%s: parts: is a list of specs, e.g. [{constant: copper}, {from: mo_grade, default: molybdenum}]", f.Name)
		}
		for _, pn := range seq.Content {
			part, err := p.spec(f, pn.Line, deref(pn))
			if err != nil {
				return nil, err
			}
			s.parts = append(s.parts, part)
		}
		s.separator = ", "
	}
	if kv, ok := pairs["separator"]; ok {
		if s.parts == nil {
			return nil, p.errf(kv.key.Line, "%s: separator: goes with parts:", f.Name)
		}
		if s.separator, err = p.scalarAllowEmpty(kv.val, "separator"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["label_of"]; ok {
		if f.Kind != KindText {
			return nil, p.errf(kv.key.Line, "%s is a %s field; label_of: gives text and applies to text fields only", f.Name, f.Kind)
		}
		if s.labelOf, err = p.scalar(kv.val, "label_of"); err != nil {
			return nil, err
		}
		if rf, ok := p.m.View.Field(s.labelOf); !ok || rf.Kind != KindURI {
			return nil, p.errf(kv.val.Line, "%s: label_of %q is not a _uri field of %s", f.Name, s.labelOf, p.m.View.Name)
		}
		s.language = "en"
	}
	if kv, ok := pairs["language"]; ok {
		if s.labelOf == "" {
			return nil, p.errf(kv.key.Line, "%s: language: goes with label_of:", f.Name)
		}
		if s.language, err = p.scalar(kv.val, "language"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["split"]; ok {
		if s.from == nil && s.template == nil {
			return nil, p.errf(kv.key.Line, "%s: split: goes with from: or template:", f.Name)
		}
		if s.split, err = p.scalar(kv.val, "split"); err != nil {
			return nil, err
		}
	}
	if kv, ok := pairs["blank"]; ok {
		vals, err := p.scalarList(kv.val, "blank")
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
		b, err := p.boolean(kv.val, k)
		if err != nil {
			return nil, err
		}
		if b && (f.Kind != KindURI || s.vocab == nil) {
			return nil, p.errf(kv.key.Line, "%s: %s: needs a _uri field with an embedded vocabulary; %s", f.Name, k, noVocabFix(f))
		}
		if b && !reads {
			return nil, p.errf(kv.key.Line, "%s: %s: goes with from: or template:", f.Name, k)
		}
		if k == "by_label" {
			s.byLabel = b
		} else {
			s.byNotation = b
		}
	}
	if kv, ok := pairs["age"]; ok {
		if s.age, err = p.scalar(kv.val, "age"); err != nil {
			return nil, err
		}
		switch {
		case !reads:
			return nil, p.errf(kv.key.Line, "%s: age: goes with from: or template:", f.Name)
		case f.Kind == KindReal && (s.age == ageOlder || s.age == ageYounger):
		case f.Kind == KindReal:
			return nil, p.errf(kv.val.Line, "%s: age: %q; a numeric age takes older (the older unit's base) or younger (the younger unit's top)", f.Name, s.age)
		case f.Kind != KindURI || s.vocab == nil || s.vocab.ID != "ics":
			return nil, p.errf(kv.key.Line, "%s: age: reads ICS age names and applies to the age _uri fields and numeric ages only", f.Name)
		case s.age != ageOlder && s.age != ageYounger && s.age != ageSpan:
			return nil, p.errf(kv.val.Line, "%s: age: %q; use older, younger or span (the narrowest chart unit holding the whole range)", f.Name, s.age)
		}
	}
	if kv, ok := pairs["unit_rank"]; ok {
		if s.age == "" {
			return nil, p.errf(kv.key.Line, "%s: unit_rank: goes with age:", f.Name)
		}
		names, lines, err := p.scalarListLines(kv.val, "unit_rank")
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
			return nil, p.errf(kv.key.Line, "%s: values: goes with from: or template:", f.Name)
		}
		vm := deref(kv.val)
		if vm.Kind != yaml.MappingNode {
			return nil, p.errf(vm.Line, "%s: values: maps source values to targets, e.g. {Fm: lithostratigraphic_unit}", f.Name)
		}
		s.values = map[string]target{}
		seen := map[string]int{}
		for i := 0; i+1 < len(vm.Content); i += 2 {
			k, tv := vm.Content[i], deref(vm.Content[i+1])
			if k.Kind != yaml.ScalarNode {
				return nil, p.errf(k.Line, "%s: a values: key is a source value, not a %s", f.Name, kindName(k))
			}
			key := tidy(k.Value)
			if first, dup := seen[key]; dup {
				return nil, p.errf(k.Line, "%s: value %q is mapped twice (first on line %d); keep one", f.Name, key, first)
			}
			seen[key] = k.Line
			val, err := p.scalarAllowEmpty(tv, "a values: target")
			if err != nil {
				return nil, err
			}
			t, err := p.target(s, val, tv.Line)
			if err != nil {
				return nil, err
			}
			s.values[key] = t
		}
	}
	if kv, ok := pairs["default"]; ok {
		if !reads {
			return nil, p.errf(kv.key.Line, "%s: default: goes with from: or template:", f.Name)
		}
		val, err := p.scalarAllowEmpty(kv.val, "default")
		if err != nil {
			return nil, err
		}
		t, err := p.target(s, val, kv.val.Line)
		if err != nil {
			return nil, err
		}
		s.dflt = &t
	}
	if s.age != "" && f.Kind == KindReal && (s.values != nil || s.dflt != nil) {
		return nil, p.errf(line, "%s: a numeric age with age: reads chart names only; map the source's age words on the age _uri field with values:", f.Name)
	}
	return s, nil
}

// target reads a value-map target, default or constant for the spec's field.
func (p *parser) target(s *spec, val string, line int) (target, error) {
	val = strings.TrimSpace(val)
	if val == "" {
		return target{blank: true}, nil
	}
	f := s.field
	switch f.Kind {
	case KindText:
		return target{text: val}, nil
	case KindReal:
		x, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return target{}, p.errf(line, "%s is numeric; %q is not a number", f.Name, val)
		}
		return target{num: x}, nil
	}
	if u, ok := nilShorthand(val); ok {
		return target{text: u}, nil
	}
	if strings.HasPrefix(val, "nil:") {
		return target{}, p.errf(line, "%s: %q is not an OGC nil reason; use nil:missing, nil:unknown, nil:inapplicable, nil:withheld or nil:template", f.Name, val)
	}
	if isAbsoluteURI(val) {
		if IsNil(val) || s.vocab == nil {
			return target{text: val}, nil
		}
		if c, ok := vocab.Lookup(val); ok && c.Vocabulary == s.vocab.ID {
			return target{text: c.URI}, nil
		}
		local := val[strings.LastIndexAny(val, "/#")+1:]
		return target{}, p.errf(line, "%s: <%s> is not in the %s vocabulary (%s); %s", f.Name, val, s.vocab.ID, s.vocab.Title, suggestConcept(s.vocab, local))
	}
	if s.vocab == nil {
		return target{}, p.errf(line, "%s: %q is not an absolute URI; %s has no embedded vocabulary, so write the full URI (http://…)", f.Name, val, f.Name)
	}
	if c, ok := vocab.Lookup(namespace(s.vocab) + val); ok {
		return target{text: c.URI}, nil
	}
	return target{}, p.errf(line, "%s: %q is not a concept of the %s vocabulary (%s); %s", f.Name, val, s.vocab.ID, s.vocab.Title, suggestConcept(s.vocab, val))
}

// pair is a key and its value node.
type pair struct{ key, val *yaml.Node }

// pairs reads a mapping node's keys, refusing unknown and repeated ones.
func (p *parser) pairs(n *yaml.Node, allowed []string, where string) (map[string]pair, error) {
	out := map[string]pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			hint := ""
			if s := closest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf("did you mean %s? ", s)
			}
			return nil, p.errf(k.Line, "unknown key %q %s; %suse %s", k.Value, where, hint, strings.Join(allowed, ", "))
		}
		if prev, dup := out[k.Value]; dup {
			return nil, p.errf(k.Line, "%s is given twice (first on line %d); keep one", k.Value, prev.key.Line)
		}
		out[k.Value] = pair{key: k, val: deref(n.Content[i+1])}
	}
	return out, nil
}

func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	s, err := p.scalarAllowEmpty(n, what)
	if err == nil && strings.TrimSpace(s) == "" {
		return "", p.errf(n.Line, "%s is empty; give a value", what)
	}
	return s, err
}

func (p *parser) scalarAllowEmpty(n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n.Line, "%s must be a single value, not a %s", what, kindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

func (p *parser) number(n *yaml.Node, what string) (float64, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, p.errf(n.Line, "%s must be a number, not %q", what, s)
	}
	return x, nil
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off":
		return false, nil
	}
	return false, p.errf(n.Line, "%s must be true or false, not %q", what, s)
}

func (p *parser) scalarList(n *yaml.Node, what string) ([]string, error) {
	vals, _, err := p.scalarListLines(n, what)
	return vals, err
}

// scalarListLines reads one value or a list of values, with their lines.
func (p *parser) scalarListLines(n *yaml.Node, what string) ([]string, []int, error) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		s, err := p.scalar(n, what)
		return []string{s}, []int{n.Line}, err
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, nil, p.errf(n.Line, "%s must be a value or a list of values, e.g. [a, b]", what)
	}
	var vals []string
	var lines []int
	for _, c := range n.Content {
		s, err := p.scalarAllowEmpty(c, what)
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, s)
		lines = append(lines, c.Line)
	}
	return vals, lines, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "document"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isAbsoluteURI accepts what a _uri field may hold: a URI with a scheme and,
// for http(s), a host.
func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n") {
		return false
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		return u.Host != ""
	}
	return u.Opaque != "" || u.Path != ""
}

// namespace is the common stem of a vocabulary's concept URIs, to which a
// mapping's short names ("basalt", "Permian") are appended.
func namespace(v *vocab.Vocabulary) string {
	if len(v.Concepts) == 0 {
		return ""
	}
	ns := v.Concepts[0].URI
	for _, c := range v.Concepts[1:] {
		for !strings.HasPrefix(c.URI, ns) {
			ns = ns[:len(ns)-1]
		}
	}
	return ns[:strings.LastIndexAny(ns, "/#")+1]
}

func vocabIDs() string {
	var ids []string
	for _, v := range vocab.All() {
		ids = append(ids, v.ID)
	}
	return strings.Join(ids, ", ")
}

func noVocabFix(f ViewField) string {
	if f.Kind != KindURI {
		return "use values: for text fields"
	}
	return "Outcrop carries no vocabulary for " + f.Name + ": map values to full URIs, or set vocabulary:"
}

func rankNamed(s string) (vocab.Rank, bool) {
	for _, r := range ranks {
		if strings.EqualFold(strings.ReplaceAll(string(r), "-", ""), strings.ReplaceAll(s, "-", "")) {
			return r, true
		}
	}
	return "", false
}

var ranks = []vocab.Rank{vocab.RankSuperEon, vocab.RankEon, vocab.RankEra, vocab.RankPeriod, vocab.RankSubPeriod, vocab.RankEpoch, vocab.RankAge}

func rankNames() string {
	names := make([]string, len(ranks))
	for i, r := range ranks {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// suggestField says which field was probably meant.
func suggestField(v *View, name string) string {
	names := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		names[i] = f.Name
	}
	if s := closest(name, names); s != "" {
		return "did you mean " + s + "?"
	}
	for _, o := range views {
		if _, ok := o.Field(name); ok && o != v {
			return fmt.Sprintf("it is a field of %s; change view: or the field", o.Name)
		}
	}
	return "its fields are " + strings.Join(names, ", ")
}

// suggestConcept proposes concepts for a name that is not one: by label in
// any language, then by a near spelling of the URI's last segment.
func suggestConcept(v *vocab.Vocabulary, name string) string {
	words := strings.NewReplacer("_", " ", "-", " ").Replace(name)
	var hints []string
	for _, c := range v.ByLabel(words) {
		hints = append(hints, fmt.Sprintf("%s (%q)", strings.TrimPrefix(c.URI, namespace(v)), c.Label("en")))
	}
	if len(hints) == 0 {
		locals := make([]string, len(v.Concepts))
		for i, c := range v.Concepts {
			locals[i] = strings.TrimPrefix(c.URI, namespace(v))
		}
		if s := closest(name, locals); s != "" {
			hints = append(hints, s)
		}
	}
	if len(hints) == 0 {
		return "write a concept's last URI segment or its full URI, or use by_label: true"
	}
	sort.Strings(hints)
	return "did you mean " + strings.Join(hints, " or ") + "?"
}

// closest returns the candidate nearest to s: equal but for case, or within a
// few edits; "" when none is close.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == ls {
			return c
		}
		d := editDistance(ls, lc)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/4) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
