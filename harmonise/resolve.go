package harmonise

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/outcrop/outcrop/vocab"
)

// The outcomes of making one field of one feature.
const (
	stSet      = iota // a value
	stBlank           // the source has no value
	stUnmapped        // a source value the mapping cannot turn into a target
	stInvalid         // a source value taken as a URI that the vocabulary lacks
)

// outcome is one field's value for one feature, or why there is none.
type outcome struct {
	status int
	value  any    // string or float64, when set
	raw    string // the source text, when unmapped or invalid
	reason string // why, when unmapped or invalid
}

// tidy trims a value and makes each run of spaces and tabs one space, so
// that "20c " matches "20c" and "Agua  Rica" reads "Agua Rica". Line breaks
// are kept: they are a description's paragraphs.
func tidy(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") && !strings.ContainsRune(s, '\t') {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' {
			space = true
			continue
		}
		if space {
			if r != '\n' && r != '\r' {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textOf renders a source property as text: GeoJSON numbers decode as
// float64, ingest gives int64 and float64, and "2629" must read the same
// whichever the source used.
func textOf(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", false
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	case time.Time:
		return x.Format(time.RFC3339), true
	case fmt.Stringer:
		return x.String(), true
	}
	return fmt.Sprint(v), true
}

// field reads one source field as tidied text; ok is false when it is blank.
func (s *spec) read(props map[string]any, name string) (string, bool) {
	t, ok := textOf(props[name])
	if !ok {
		return "", false
	}
	t = tidy(t)
	if t == "" || s.blanks[t] {
		return "", false
	}
	return t, true
}

// featureIDField is the template placeholder for the feature's id, which is
// not one of its properties: {@id}.
const featureIDField = "@id"

// raws returns the source text a spec reads: the first non-blank of its
// from fields, or all of them for an age span, or its rendered template;
// each cut by the pattern, then split. miss is a value the pattern does not
// match, which the field cannot read.
func (s *spec) raws(props map[string]any, id any) (out []string, miss string) {
	if s.template != nil {
		text := func(name string) (string, bool) {
			if name == featureIDField {
				t, ok := textOf(id)
				return t, ok && t != ""
			}
			return s.read(props, name)
		}
		if t, ok := s.template.render(text); ok && t != "" && !s.blanks[t] {
			out = append(out, t)
		}
	} else {
		for _, r := range s.from {
			if t, ok := s.read(props, r.name); ok {
				out = append(out, t)
				if s.age == "" {
					break
				}
			}
		}
	}
	if s.pattern != nil {
		kept := out[:0]
		for _, t := range out {
			part, ok := s.cut(t)
			if !ok {
				return nil, t
			}
			if part != "" && !s.blanks[part] {
				kept = append(kept, part)
			}
		}
		out = kept
	}
	if s.split == "" {
		return out, ""
	}
	// A list: legends put the dominant item first.
	kept := out[:0]
	for _, t := range out {
		for _, item := range strings.Split(t, s.split) {
			if item = tidy(item); item != "" && !s.blanks[item] {
				kept = append(kept, item)
				break
			}
		}
	}
	return kept, ""
}

// cut takes the part of a value the pattern names: its first capture group,
// or the whole match when it has none. ok is false when it does not match.
func (s *spec) cut(t string) (string, bool) {
	m := s.pattern.FindStringSubmatchIndex(t)
	if m == nil {
		return "", false
	}
	if len(m) >= 4 {
		if m[2] < 0 {
			return "", true // the group took no part: nothing to read
		}
		return tidy(t[m[2]:m[3]]), true
	}
	return tidy(t[m[0]:m[1]]), true
}

func (t target) outcome(kind string) outcome {
	switch {
	case t.blank:
		return outcome{status: stBlank}
	case kind == KindReal:
		return outcome{status: stSet, value: t.num}
	}
	return outcome{status: stSet, value: t.text}
}

// resolve turns a spec's source text into its field's value.
func (s *spec) resolve(raws []string) outcome {
	if len(raws) == 0 {
		return outcome{status: stBlank}
	}
	if s.age != "" {
		o := s.resolveAge(raws)
		if o.status == stUnmapped && s.dflt != nil {
			if s.dflt.older != nil {
				return s.ageOf(s.dflt.older, s.dflt.younger, raws)
			}
			return s.dflt.outcome(s.field.Kind)
		}
		return o
	}
	raw := raws[0]
	if t, ok := s.values[raw]; ok {
		return t.outcome(s.field.Kind)
	}
	if s.byNotation {
		if cs := s.vocab.ByNotation(raw); len(cs) > 0 {
			return outcome{status: stSet, value: cs[0].URI}
		}
	}
	if s.byLabel {
		if cs := s.vocab.ByLabel(raw); len(cs) > 0 {
			return outcome{status: stSet, value: cs[0].URI}
		}
	}
	if s.dflt != nil {
		return s.dflt.outcome(s.field.Kind)
	}
	if s.resolves() {
		return outcome{status: stUnmapped, raw: raw, reason: s.unmappedReason()}
	}
	switch s.field.Kind {
	case KindReal:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return outcome{status: stUnmapped, raw: raw, reason: "not a number"}
		}
		return outcome{status: stSet, value: x}
	case KindURI:
		return s.checkURI(raw)
	}
	return outcome{status: stSet, value: raw}
}

// checkURI takes a source value as the URI itself.
func (s *spec) checkURI(raw string) outcome {
	if IsNil(raw) {
		return outcome{status: stSet, value: raw}
	}
	if s.vocab == nil {
		if isAbsoluteURI(raw) {
			return outcome{status: stSet, value: raw}
		}
		return outcome{status: stInvalid, raw: raw, reason: "not an absolute URI"}
	}
	if c, ok := vocab.Lookup(raw); ok && c.Vocabulary == s.vocab.ID {
		return outcome{status: stSet, value: c.URI}
	}
	return outcome{status: stInvalid, raw: raw, reason: "not in the " + s.vocab.ID + " vocabulary"}
}

func (s *spec) unmappedReason() string {
	var ways []string
	if s.values != nil {
		ways = append(ways, "values")
	}
	if s.byNotation {
		ways = append(ways, "the vocabulary's codes")
	}
	if s.byLabel {
		ways = append(ways, "the vocabulary's labels")
	}
	return "not in " + strings.Join(ways, " or ")
}

// resolveAge reads age names (or numbers, with unit_rank) and takes the
// older end, the younger end or the unit spanning both.
func (s *spec) resolveAge(raws []string) outcome {
	var older, younger *vocab.Concept
	for _, raw := range raws {
		o, y, err := s.ageUnits(raw)
		if err != nil {
			return outcome{status: stUnmapped, raw: strings.Join(raws, " / "), reason: err.Error()}
		}
		if o == nil {
			continue // mapped to blank
		}
		// Ties go to the narrower unit, which says more about that end:
		// "Early Jurassic to Jurassic" begins in the Early Jurassic.
		if older == nil || o.Time.Base.Ma > older.Time.Base.Ma || o.Time.Base.Ma == older.Time.Base.Ma && o.Time.Top.Ma > older.Time.Top.Ma {
			older = o
		}
		if younger == nil || y.Time.Top.Ma < younger.Time.Top.Ma || y.Time.Top.Ma == younger.Time.Top.Ma && y.Time.Base.Ma < younger.Time.Base.Ma {
			younger = y
		}
	}
	if older == nil {
		return outcome{status: stBlank}
	}
	return s.ageOf(older, younger, raws)
}

// ageOf gives the field's value for an age from older to younger.
func (s *spec) ageOf(older, younger *vocab.Concept, raws []string) outcome {
	switch {
	case s.field.Kind == KindReal && s.age == ageOlder:
		return outcome{status: stSet, value: older.Time.Base.Ma}
	case s.field.Kind == KindReal:
		return outcome{status: stSet, value: younger.Time.Top.Ma}
	case s.age == ageOlder:
		return outcome{status: stSet, value: older.URI}
	case s.age == ageYounger:
		return outcome{status: stSet, value: younger.URI}
	}
	if c := spanning(older, younger); c != nil {
		return outcome{status: stSet, value: c.URI}
	}
	return outcome{status: stUnmapped, raw: strings.Join(raws, " / "),
		reason: fmt.Sprintf("no single chart unit spans %s to %s; use age: older or younger", older.Label("en"), younger.Label("en"))}
}

// ageUnits reads one age text: a value-map entry, a number of Ma placed in
// the chart at unit_rank, or a name or range for vocab.ParseAge.
func (s *spec) ageUnits(raw string) (older, younger *vocab.Concept, err error) {
	if t, ok := s.values[raw]; ok {
		if t.blank || IsNil(t.text) {
			return nil, nil, nil
		}
		return t.older, t.younger, nil // read at load
	}
	if x, err := strconv.ParseFloat(raw, 64); err == nil {
		if s.unitRanks == nil {
			return nil, nil, fmt.Errorf("a number; add unit_rank: to read numbers as ages in Ma")
		}
		// The finest rank the chart has there: the Archean has no periods.
		for _, r := range s.unitRanks {
			if c, ok := vocab.UnitAt(x, r); ok {
				return c, c, nil
			}
		}
		return nil, nil, fmt.Errorf("the chart has no %s at %g Ma", s.unitRanks[len(s.unitRanks)-1], x)
	}
	o, y, err := vocab.ParseAge(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "vocab: "))
	}
	return o, y, nil
}

// spanning returns the narrowest chart unit holding both units: the unit
// itself when they are one, else the first broader unit of the older that
// also holds the younger. Nil when none does (Proterozoic to Cambrian: the
// chart has no unit above the Precambrian and the Phanerozoic).
func spanning(older, younger *vocab.Concept) *vocab.Concept {
	for c := older; c != nil; {
		t := c.Time
		if t != nil && t.Base.Ma >= older.Time.Base.Ma && t.Top.Ma <= younger.Time.Top.Ma {
			return c
		}
		if len(c.Broader) == 0 {
			return nil
		}
		c, _ = vocab.Lookup(c.Broader[0])
	}
	return nil
}
