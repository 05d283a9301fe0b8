package harmonise

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/outcrop/outcrop/vocab"
)

// maxExamples is how many features an age problem names; the count says how
// many there are.
const maxExamples = 5

// Report is what Apply could not harmonise, and what it made. It is stored
// with the tileset and served as JSON at /collections/{id}/harmonisation.
type Report struct {
	// Mapping is the mapping file's base name; View the view it writes.
	Mapping string `json:"mapping"`
	View    string `json:"view"`
	// Features counts the features harmonised.
	Features int `json:"features"`
	// Unmapped lists the source values the mapping has no target for, with
	// the number of features carrying each. Their _uri fields hold
	// NilUnknown.
	Unmapped []Unmapped `json:"unmapped"`
	// NotInVocabulary lists source values taken as URIs (a _uri field copied
	// from a source field) that the field's vocabulary lacks, or that are
	// not URIs. Their fields hold NilUnknown.
	NotInVocabulary []NotInVocabulary `json:"not_in_vocabulary"`
	// AgeProblems lists inconsistent ages (see the Age… kinds).
	AgeProblems []AgeProblem `json:"age_problems"`
	// Blanks counts, per _uri field, the features whose source value was
	// blank and which were given NilMissing.
	Blanks []FieldCount `json:"blanks"`
	// Defaulted names the required _uri fields the mapping leaves out:
	// NilMissing on every feature, by the mapping's choice, so not counted
	// as problems.
	Defaulted []string `json:"defaulted"`
	// Unwritten names the mandatory text fields the mapping leaves out
	// (identifier; EarthResourceML-Lite's mineralOccurrenceType and
	// commodity): the WFS writes the feature's URL as its identifier and
	// NilMissing for the others, and --strict refuses them.
	Unwritten []string `json:"unwritten,omitempty"`
	// Values counts the features per value of each _uri field, most
	// frequent first, with the value's English label.
	Values map[string][]ValueCount `json:"values"`
	// AgeToleranceMa is the tolerance the numeric-age checks used.
	AgeToleranceMa float64 `json:"age_tolerance_ma"`
	// Legend is the map's legend of units, when the mapping has a legend:
	// section: each unit code present with its name, age and the survey's
	// colour.
	Legend *LegendReport `json:"legend,omitempty"`

	fieldOrder map[string]int
	unmappedAt map[[2]string]int
	invalidAt  map[[2]string]int
	ageAt      map[[2]string]int
	blankAt    map[string]int
	valueAt    map[string]map[string]int
}

// Unmapped is a source value with no mapping.
type Unmapped struct {
	// Field is the harmonised field; Source the source fields (or the
	// template) it was read from.
	Field  string   `json:"field"`
	Source []string `json:"source"`
	Value  string   `json:"value"`
	// Reason says why no target was found.
	Reason   string `json:"reason"`
	Features int    `json:"features"`
	// Suggestions are concepts whose labels nearly spell the value: a
	// spelling variant to confirm in values:, never applied by Outcrop.
	Suggestions []Suggestion `json:"suggestions,omitempty"`
}

// NotInVocabulary is a value that should have been a vocabulary URI.
type NotInVocabulary struct {
	Field      string `json:"field"`
	Value      string `json:"value"`
	Vocabulary string `json:"vocabulary,omitempty"`
	Reason     string `json:"reason"`
	Features   int    `json:"features"`
}

// AgeProblem is one age inconsistency and the features that have it.
type AgeProblem struct {
	Kind     string   `json:"kind"`
	Message  string   `json:"message"`
	Features int      `json:"features"`
	Examples []string `json:"examples"`
}

// FieldCount is a number of features for one field.
type FieldCount struct {
	Field    string `json:"field"`
	Features int    `json:"features"`
}

// ValueCount is a number of features for one value of a field.
type ValueCount struct {
	Value    string `json:"value"`
	Label    string `json:"label,omitempty"`
	Features int    `json:"features"`
}

func newReport(m *Mapping) *Report {
	r := &Report{
		Mapping: filepath.Base(m.File), View: m.View.Name, AgeToleranceMa: m.AgeToleranceMa,
		Unmapped: []Unmapped{}, NotInVocabulary: []NotInVocabulary{}, AgeProblems: []AgeProblem{},
		Blanks: []FieldCount{}, Defaulted: []string{}, Values: map[string][]ValueCount{},
		fieldOrder: map[string]int{}, unmappedAt: map[[2]string]int{}, invalidAt: map[[2]string]int{},
		ageAt: map[[2]string]int{}, blankAt: map[string]int{}, valueAt: map[string]map[string]int{},
	}
	for i, f := range m.View.Fields {
		r.fieldOrder[f.Name] = i
	}
	for _, d := range m.defaulted {
		r.Defaulted = append(r.Defaulted, d.Name)
	}
	for _, u := range m.unwritten {
		r.Unwritten = append(r.Unwritten, u.Name)
	}
	return r
}

// unmapped counts a value with no target; voc, when set, is searched once
// per value for labels that nearly spell it.
func (r *Report) unmapped(field string, source []string, value, reason string, voc *vocab.Vocabulary) {
	k := [2]string{field, value}
	if i, ok := r.unmappedAt[k]; ok {
		r.Unmapped[i].Features++
		return
	}
	r.unmappedAt[k] = len(r.Unmapped)
	r.Unmapped = append(r.Unmapped, Unmapped{Field: field, Source: source, Value: value, Reason: reason, Features: 1,
		Suggestions: nearLabels(voc, value)})
}

func (r *Report) notInVocabulary(field, value, voc, reason string) {
	k := [2]string{field, value}
	if i, ok := r.invalidAt[k]; ok {
		r.NotInVocabulary[i].Features++
		return
	}
	r.invalidAt[k] = len(r.NotInVocabulary)
	r.NotInVocabulary = append(r.NotInVocabulary, NotInVocabulary{Field: field, Value: value, Vocabulary: voc, Reason: reason, Features: 1})
}

func (r *Report) ageProblem(issue ageIssue, feature string) {
	k := [2]string{issue.kind, issue.msg}
	i, ok := r.ageAt[k]
	if !ok {
		i = len(r.AgeProblems)
		r.ageAt[k] = i
		r.AgeProblems = append(r.AgeProblems, AgeProblem{Kind: issue.kind, Message: issue.msg, Examples: []string{}})
	}
	p := &r.AgeProblems[i]
	p.Features++
	if len(p.Examples) < maxExamples {
		p.Examples = append(p.Examples, feature)
	}
}

func (r *Report) blank(field string) { r.blankAt[field]++ }

func (r *Report) value(field string, v any) {
	s, _ := v.(string)
	if r.valueAt[field] == nil {
		r.valueAt[field] = map[string]int{}
	}
	r.valueAt[field][s]++
}

// finish sorts the lists into a stable order: by field in the view's order,
// then most features first.
func (r *Report) finish() {
	byField := func(a, b string) int { return r.fieldOrder[a] - r.fieldOrder[b] }
	sort.SliceStable(r.Unmapped, func(i, j int) bool {
		a, b := r.Unmapped[i], r.Unmapped[j]
		if d := byField(a.Field, b.Field); d != 0 {
			return d < 0
		}
		if a.Features != b.Features {
			return a.Features > b.Features
		}
		return a.Value < b.Value
	})
	sort.SliceStable(r.NotInVocabulary, func(i, j int) bool {
		a, b := r.NotInVocabulary[i], r.NotInVocabulary[j]
		if d := byField(a.Field, b.Field); d != 0 {
			return d < 0
		}
		if a.Features != b.Features {
			return a.Features > b.Features
		}
		return a.Value < b.Value
	})
	sort.SliceStable(r.AgeProblems, func(i, j int) bool {
		a, b := r.AgeProblems[i], r.AgeProblems[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Features != b.Features {
			return a.Features > b.Features
		}
		return a.Message < b.Message
	})
	r.Blanks = r.Blanks[:0]
	for f, n := range r.blankAt {
		r.Blanks = append(r.Blanks, FieldCount{Field: f, Features: n})
	}
	sort.Slice(r.Blanks, func(i, j int) bool { return byField(r.Blanks[i].Field, r.Blanks[j].Field) < 0 })
	for f, counts := range r.valueAt {
		vc := make([]ValueCount, 0, len(counts))
		for v, n := range counts {
			label := ""
			if c, ok := vocab.Lookup(v); ok {
				label = c.Label("en")
			} else if IsNil(v) {
				label = "nil: " + v[len(nilBase):]
			}
			vc = append(vc, ValueCount{Value: v, Label: label, Features: n})
		}
		sort.Slice(vc, func(i, j int) bool {
			if vc[i].Features != vc[j].Features {
				return vc[i].Features > vc[j].Features
			}
			return vc[i].Value < vc[j].Value
		})
		r.Values[f] = vc
	}
}

// The problem counts by category, each the number of features (a feature
// with two unmapped fields counts twice).
func (r *Report) unmappedCount() (n int) {
	for _, u := range r.Unmapped {
		n += u.Features
	}
	return n
}

func (r *Report) invalidCount() (n int) {
	for _, u := range r.NotInVocabulary {
		n += u.Features
	}
	return n
}

func (r *Report) ageCount() (n int) {
	for _, p := range r.AgeProblems {
		n += p.Features
	}
	return n
}

func (r *Report) blankCount() (n int) {
	for _, b := range r.Blanks {
		n += b.Features
	}
	return n
}

// Problems counts the features --strict refuses: features with an
// unmapped value, a URI not in the vocabulary, an age problem, or a blank
// given a nil URI, once per field and problem. Defaulted fields are the
// mapping's choice and do not count; Unwritten ones are the mapping's
// problem, not the features', and Strict refuses them apart.
func (r *Report) Problems() int {
	return r.unmappedCount() + r.invalidCount() + r.ageCount() + r.blankCount()
}

// Warnings are the one-line warnings ingest logs: one per mandatory text
// field the mapping leaves out, naming the mapping file, the field and the
// fix.
func (r *Report) Warnings() []string {
	var ws []string
	for _, f := range r.Unwritten {
		then := "the WFS writes " + NilMissing + " there"
		example := f + `: {from: SOURCE_FIELD}`
		if f == FieldIdentifier {
			then = "the WFS writes each feature's URL on the server there, which changes with the server's address"
			example = `identifier: {template: "SURVEY:DATASET:{SOURCE_ID_FIELD}"}`
		}
		ws = append(ws, fmt.Sprintf("harmonise: %s: %s requires %s in every feature, and the mapping leaves it out, so %s; map it under fields:, e.g. %s",
			r.Mapping, r.View, f, then, example))
	}
	return ws
}

// Strict returns nil when the report has no problems, else the one-line error
// that `outcrop ingest --strict` fails with.
func (r *Report) Strict() error {
	if r.Problems() == 0 && len(r.Unwritten) == 0 {
		return nil
	}
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, plural(n, "feature")+" "+what)
		}
	}
	add(r.unmappedCount(), "with an unmapped value")
	add(r.invalidCount(), "with a URI not in the vocabulary")
	add(r.ageCount(), "with inconsistent ages")
	add(r.blankCount(), "with a blank set to nil")
	if len(r.Unwritten) > 0 {
		parts = append(parts, fmt.Sprintf("the mapping leaves out %s, which %s requires", strings.Join(r.Unwritten, ", "), r.View))
	}
	return fmt.Errorf("harmonise: %s: --strict: %s; see the harmonisation report, then extend the mapping or drop --strict",
		r.Mapping, strings.Join(parts, ", "))
}

// Print writes a summary for a person at a terminal.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "harmonisation: %s → %s, %s\n", r.Mapping, r.View, plural(r.Features, "feature"))
	if len(r.Unmapped) == 0 {
		fmt.Fprintln(w, "  unmapped values: none")
	} else {
		fmt.Fprintf(w, "  unmapped values (%s; their _uri fields are %s):\n", plural(r.unmappedCount(), "feature"), NilUnknown)
		for _, u := range r.Unmapped {
			fmt.Fprintf(w, "    %s ← %s %q: %s (%s)%s\n", u.Field, strings.Join(u.Source, "|"), u.Value, plural(u.Features, "feature"), u.Reason, suggestionText(u.Suggestions))
		}
	}
	if len(r.NotInVocabulary) == 0 {
		fmt.Fprintln(w, "  URIs not in the vocabulary: none")
	} else {
		fmt.Fprintf(w, "  URIs not in the vocabulary (%s):\n", plural(r.invalidCount(), "feature"))
		for _, u := range r.NotInVocabulary {
			fmt.Fprintf(w, "    %s %q: %s (%s)\n", u.Field, u.Value, plural(u.Features, "feature"), u.Reason)
		}
	}
	if len(r.AgeProblems) == 0 {
		fmt.Fprintln(w, "  age logic: consistent")
	} else {
		fmt.Fprintf(w, "  age logic (%s, tolerance %g Ma):\n", plural(r.ageCount(), "feature"), r.AgeToleranceMa)
		for _, p := range r.AgeProblems {
			fmt.Fprintf(w, "    %s: %s: %s, e.g. %s\n", p.Kind, p.Message, plural(p.Features, "feature"), strings.Join(p.Examples, ", "))
		}
	}
	if len(r.Blanks) == 0 {
		fmt.Fprintln(w, "  blanks set to nil: none")
	} else {
		var bs []string
		for _, b := range r.Blanks {
			bs = append(bs, fmt.Sprintf("%s %d", b.Field, b.Features))
		}
		fmt.Fprintf(w, "  blanks set to %s: %s\n", NilMissing, strings.Join(bs, ", "))
	}
	if len(r.Defaulted) > 0 {
		fmt.Fprintf(w, "  not in the mapping, %s on every feature: %s\n", NilMissing, strings.Join(r.Defaulted, ", "))
	}
	if len(r.Unwritten) > 0 {
		fmt.Fprintf(w, "  mandatory, not in the mapping (map them; the WFS fills them meanwhile): %s\n", strings.Join(r.Unwritten, ", "))
	}
	fields := make([]string, 0, len(r.Values))
	for f := range r.Values {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return r.fieldOrder[fields[i]] < r.fieldOrder[fields[j]] })
	for _, f := range fields {
		var vs []string
		for _, v := range r.Values[f] {
			name := v.Label
			if name == "" {
				name = v.Value
			}
			vs = append(vs, fmt.Sprintf("%s %d", name, v.Features))
		}
		fmt.Fprintf(w, "  %s: %s\n", f, strings.Join(vs, ", "))
	}
	r.Legend.print(w)
}

// suggestionText offers near labels after an unmapped value.
func suggestionText(ss []Suggestion) string {
	if len(ss) == 0 {
		return ""
	}
	var hints []string
	for _, s := range ss {
		name := s.Concept[strings.LastIndexAny(s.Concept, "/#")+1:]
		hints = append(hints, fmt.Sprintf("%s (%s %q)", name, s.Language, s.Label))
	}
	return "; near label, not applied: did you mean " + strings.Join(hints, " or ") + "? add it to values: if so"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
