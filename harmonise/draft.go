package harmonise

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// Sample is what a draft mapping is made from: a source's fields and the
// features per distinct value of each.
type Sample struct {
	// File names the source in the draft's comments.
	File   string
	Fields []tileset.Field
	// Values counts the features per distinct non-blank value (tidied
	// text) of each field.
	Values   map[string]map[string]int
	Features int
}

// NewSample starts a sample of a source with these fields.
func NewSample(file string, fields []tileset.Field) *Sample {
	return &Sample{File: file, Fields: fields, Values: map[string]map[string]int{}}
}

// Add counts one feature's values.
func (s *Sample) Add(props map[string]any) {
	s.Features++
	for _, f := range s.Fields {
		t, ok := textOf(props[f.Name])
		if t = tidy(t); !ok || t == "" || strings.ContainsAny(t, "\n\r") {
			continue
		}
		if s.Values[f.Name] == nil {
			s.Values[f.Name] = map[string]int{}
		}
		s.Values[f.Name][t]++
	}
}

// DraftOptions say what to draft.
type DraftOptions struct {
	// View is the view to map onto; "" for GeologicUnitView.
	View string
	// Fields, when set, are the only source fields the draft reads.
	Fields []string
}

// Draft writes a mapping file for the sample: for each _uri field of the
// view, the source field whose values the vocabulary resolves best (by
// label, label of a list's first item, code, or ICS age name), with every
// value it leaves unresolved listed as a "# TODO" comment, and values with a
// near label entered with a "# TODO check" comment. The draft loads, and
// applying it resolves the values it guessed; a survey edits it rather
// than writing a mapping from scratch.
func Draft(s *Sample, opts DraftOptions) ([]byte, error) {
	if err := vocab.Load(); err != nil {
		return nil, err
	}
	name := opts.View
	if name == "" {
		name = ViewGeologicUnit
	}
	v, ok := ViewByName(name)
	if !ok {
		return nil, fmt.Errorf("unknown view %q; use one of %s", name, viewNames())
	}
	d := &drafter{s: s, view: v, used: map[string]string{}}
	have := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		have[i] = f.Name
	}
	if opts.Fields == nil {
		d.fields = have
	}
	for _, f := range opts.Fields {
		if !slices.Contains(have, f) {
			return nil, fmt.Errorf("%s has no field %q; %s", s.File, f, strings.TrimSuffix(suggestSource(f, have), "; fix the name in the mapping"))
		}
		d.fields = append(d.fields, f)
	}
	return d.write(), nil
}

type drafter struct {
	s      *Sample
	view   *View
	fields []string
	used   map[string]string // view field → source field(s) it was drafted from, for label_of and copies
	b      bytes.Buffer
	tables bytes.Buffer
}

// guess is the best way found to resolve one _uri field.
type guess struct {
	from     []string
	split    bool
	notation bool
	age      bool
	resolved int // features
	todo     []string
	near     map[string]Suggestion
}

func (d *drafter) write() []byte {
	// The fields first: they fill the tables.
	d.text(FieldIdentifier, fmt.Sprintf("{template: %s}", quoted(strings.TrimSuffix(filepath.Base(d.s.File), filepath.Ext(d.s.File))+":{@id}")))
	d.copyNamed(FieldName, "name", "unitname", "unit_name", "nama", "ชื่อ")
	d.copyNamed(FieldDescription, "description", "descriptn", "descr", "desc")
	var ageGuess *guess
	for _, f := range d.view.Fields {
		if f.Kind != KindURI || f.Vocabulary == "" {
			continue
		}
		if f.Vocabulary == "ics" {
			if ageGuess == nil {
				ageGuess = d.bestAge()
			}
			d.uriField(f, ageGuess)
			continue
		}
		voc, _ := vocab.Get(f.Vocabulary)
		d.uriField(f, d.bestLabel(voc))
	}
	// The mandatory text fields of EarthResourceML-Lite: the label of
	// their _uri field's concept, when that was drafted.
	for _, p := range [][2]string{{FieldMineralOccurrenceType, FieldMineralOccurrenceTypeURI}, {FieldCommodity, FieldRepresentativeCommodityURI}} {
		if f, ok := d.view.Field(p[0]); !ok || !f.Mandatory {
			continue
		}
		if strings.Contains(d.b.String(), "\n  "+p[1]+":\n") {
			d.text(p[0], "{label_of: "+p[1]+"}")
		} else {
			fmt.Fprintf(&d.b, "  # TODO %s: the view requires it; map the source field naming it, e.g. {from: FIELD}\n", p[0])
		}
	}
	d.numericAge(FieldNumericOlderAge, []string{"max", "old", "from", "base"})
	d.numericAge(FieldNumericYoungerAge, []string{"min", "young", "to", "top"})
	if _, ok := d.view.Field(FieldSpecificationURI); ok {
		fmt.Fprintf(&d.b, "  # TODO specification_uri: the URI of the map or its legend, e.g. {constant: \"https://…\"}\n")
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "# Draft mapping of %s onto %s, written by `outcrop mapping init`\n", filepath.Base(d.s.File), d.view.Name)
	fmt.Fprintf(&out, "# from its %d features. Check every guess, settle every TODO, then ingest\n", d.s.Features)
	fmt.Fprintf(&out, "# with --mapping; the report lists what is still unmapped. Format: harmonise/MAPPING.md.\n")
	fmt.Fprintf(&out, "view: %s\n", d.view.Name)
	if d.tables.Len() > 0 {
		out.WriteString("tables:\n")
		out.Write(d.tables.Bytes())
	}
	if f := d.unitCodeField(); f != "" {
		fmt.Fprintf(&out, "legend:\n  unit: %s   # the map's unit codes; add file: or colours: with the survey's own unit colours\n", q(f))
	}
	out.WriteString("fields:\n")
	out.Write(d.b.Bytes())
	return out.Bytes()
}

// unitCodeField is the source text field a GeologicUnitView draft takes
// as the map's unit codes, by its name; empty when none is so named.
func (d *drafter) unitCodeField() string {
	if d.view.Name != ViewGeologicUnit {
		return ""
	}
	for _, n := range []string{"code", "unit_code", "unitcode", "map_symbol", "mapsymbol", "map_code", "symbol"} {
		for _, f := range d.s.Fields {
			if strings.EqualFold(f.Name, n) && f.Type == "string" && slices.Contains(d.fields, f.Name) {
				return f.Name
			}
		}
	}
	return ""
}

// text writes a field's spec on one line.
func (d *drafter) text(field, spec string) {
	if _, ok := d.view.Field(field); ok {
		fmt.Fprintf(&d.b, "  %s: %s\n", field, spec)
	}
}

// copyNamed copies the first source field with one of the names, any case.
func (d *drafter) copyNamed(field string, names ...string) {
	for _, n := range names {
		for _, f := range d.fields {
			if strings.EqualFold(f, n) {
				d.text(field, q(f))
				return
			}
		}
	}
}

// numericAge copies a numeric field whose name speaks of ages and one of
// the words.
func (d *drafter) numericAge(field string, words []string) {
	for _, f := range d.s.Fields {
		l := strings.ToLower(f.Name)
		if !slices.Contains(d.fields, f.Name) || (f.Type != "real" && f.Type != "integer" && !d.numeric(f.Name)) ||
			!strings.Contains(l, "age") && !strings.Contains(l, "ma") {
			continue
		}
		for _, w := range words {
			if strings.Contains(l, w) {
				d.text(field, q(f.Name)+"   # in Ma")
				return
			}
		}
	}
}

func (d *drafter) numeric(field string) bool {
	vals := d.s.Values[field]
	for v := range vals {
		if _, err := fmt.Sscanf(v, "%g", new(float64)); err != nil {
			return false
		}
	}
	return len(vals) > 0
}

// bestLabel finds the source field whose values the vocabulary's labels
// (or codes, for commodities) resolve for the most features.
func (d *drafter) bestLabel(voc *vocab.Vocabulary) *guess {
	var best *guess
	for _, f := range d.fields {
		vals := d.s.Values[f]
		for _, mode := range []string{"label", "split", "notation"} {
			if mode == "notation" && voc.ID != "commodity" {
				continue
			}
			g := &guess{from: []string{f}, split: mode == "split", notation: mode == "notation"}
			for v, n := range vals {
				if g.split {
					v = tidy(strings.SplitN(v, ",", 2)[0])
				}
				if len(voc.ByLabel(v)) > 0 || g.notation && len(voc.ByNotation(v)) > 0 {
					g.resolved += n
				}
			}
			if best == nil || g.resolved > best.resolved {
				best = g
			}
		}
	}
	// A field where labels resolve a twentieth of the features is worth a
	// draft: its other values are listed to map.
	if best == nil || best.resolved == 0 || best.resolved*20 < d.s.Features {
		return nil
	}
	d.todos(best, voc)
	return best
}

// bestAge finds the source fields of ICS age names: every field where the
// chart reads half the features' values, at most two (from and to).
func (d *drafter) bestAge() *guess {
	g := &guess{age: true}
	for _, f := range d.fields {
		n, ok := 0, 0
		for v, c := range d.s.Values[f] {
			n += c
			if _, _, err := vocab.ParseAge(v); err == nil && !d.numeric(f) {
				ok += c
			}
		}
		if n > 0 && ok*2 >= n && len(g.from) < 2 {
			g.from = append(g.from, f)
			g.resolved += ok
		}
	}
	if len(g.from) == 0 {
		return nil
	}
	ics, _ := vocab.Get("ics")
	d.todos(g, ics)
	return g
}

func (d *drafter) nonBlank(field string) (n int) {
	for _, c := range d.s.Values[field] {
		n += c
	}
	return n
}

// todos lists the values a guess leaves unresolved, most features first,
// with their near labels.
func (d *drafter) todos(g *guess, voc *vocab.Vocabulary) {
	count := map[string]int{}
	for _, f := range g.from {
		for v, n := range d.s.Values[f] {
			if g.split {
				v = tidy(strings.SplitN(v, ",", 2)[0])
			}
			if g.age {
				if _, _, err := vocab.ParseAge(v); err == nil {
					continue
				}
			} else if len(voc.ByLabel(v)) > 0 || g.notation && len(voc.ByNotation(v)) > 0 {
				continue
			}
			count[v] += n
		}
	}
	g.near = map[string]Suggestion{}
	for v := range count {
		g.todo = append(g.todo, v)
		if ss := nearLabels(voc, v); len(ss) > 0 {
			g.near[v] = ss[0]
		}
	}
	sort.Slice(g.todo, func(i, j int) bool {
		a, b := g.todo[i], g.todo[j]
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		return a < b
	})
	for i, v := range g.todo {
		g.todo[i] = fmt.Sprintf("%s\x00%d", v, count[v])
	}
}

// uriField writes a _uri field's spec from its guess, or a TODO.
func (d *drafter) uriField(f ViewField, g *guess) {
	if g == nil {
		if f.Required {
			fmt.Fprintf(&d.b, "  # TODO %s: no source field's values are %s labels; map one with values:, or it is nil:missing\n", f.Name, f.Vocabulary)
		}
		return
	}
	from := q(g.from[0])
	if len(g.from) > 1 {
		quoted := make([]string, len(g.from))
		for i, s := range g.from {
			quoted[i] = q(s)
		}
		from = "[" + strings.Join(quoted, ", ") + "]"
	}
	fmt.Fprintf(&d.b, "  %s:\n    from: %s\n", f.Name, from)
	if g.age {
		age := map[string]string{FieldRepresentativeAgeURI: ageSpan, FieldRepresentativeOlderAgeURI: ageOlder, FieldRepresentativeYoungerAgeURI: ageYounger}[f.Name]
		fmt.Fprintf(&d.b, "    age: %s\n", age)
		switch {
		case len(g.near) > 0:
			// One table for the three age fields.
			if d.tables.Len() == 0 {
				d.tables.WriteString("  ages:   # read by the age fields: source value → chart unit, name or range (Jurassic-Cretaceous)\n")
				d.entries(&d.tables, "    ", g)
			}
			fmt.Fprintf(&d.b, "    table: ages\n")
		case len(g.todo) > 0 && age == ageSpan:
			fmt.Fprintf(&d.b, "    # The chart does not read these; add tables: {ages: {value: unit or range}} and table: ages to the age fields\n")
			d.entries(&d.b, "    ", g)
		}
		return
	}
	if g.split {
		fmt.Fprintf(&d.b, "    split: \",\"   # a list: the first item leads\n")
	}
	if g.notation {
		fmt.Fprintf(&d.b, "    by_notation: true\n")
	}
	fmt.Fprintf(&d.b, "    by_label: true   # %d of %d features resolve by label\n", g.resolved, d.nonBlank(g.from[0]))
	if len(g.todo) > 0 {
		if len(g.near) == 0 {
			fmt.Fprintf(&d.b, "    values: {}\n")
		} else {
			fmt.Fprintf(&d.b, "    values:\n")
		}
		d.entries(&d.b, "      ", g)
	}
}

// entries writes a guess's near labels as entries to check and its other
// unresolved values as TODO comments.
func (d *drafter) entries(w *bytes.Buffer, indent string, g *guess) {
	for _, t := range g.todo {
		v, n, _ := strings.Cut(t, "\x00")
		if s, ok := g.near[v]; ok {
			fmt.Fprintf(w, "%s%s: %s   # TODO check: near label %s %q, %s features\n", indent, q(v), s.Concept[strings.LastIndexAny(s.Concept, "/#")+1:], s.Language, s.Label, n)
		}
	}
	for _, t := range g.todo {
		v, n, _ := strings.Cut(t, "\x00")
		if _, ok := g.near[v]; !ok {
			fmt.Fprintf(w, "%s# TODO %s: ?   # %s features\n", indent, q(v), n)
		}
	}
}

// quoted writes a double-quoted YAML scalar: JSON's string syntax is YAML's.
func quoted(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// q writes a YAML scalar, quoted where YAML would read it otherwise.
func q(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}
