package harmonise

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/vocab"
)

// Apply writes the harmonised fields into each feature's properties, in
// place, and reports what could not be harmonised.
//
//   - A _uri field gets a vocabulary URI; where the source is blank,
//     NilMissing; where the source has a value the mapping cannot turn into a
//     URI, NilUnknown (and the report lists the value). Required _uri fields
//     the mapping leaves out get NilMissing on every feature.
//   - Text and numeric fields are left out where they have no value.
//   - Source fields are kept. Where one has the name of a harmonised field
//     that the mapping makes from something else, it moves to
//     SourcePrefix+name ("src_name"); a plain copy ("name: name") stays put.
//
// Apply assumes Check has passed for the features' schema.
func (m *Mapping) Apply(features []*geojson.Feature) *Report {
	a := &applier{m: m, rep: newReport(m), cache: map[*spec]map[string]outcome{}, units: map[string]*unitTally{}}
	for i, f := range features {
		if f == nil {
			continue
		}
		if f.Properties == nil {
			f.Properties = geojson.Properties{}
		}
		a.feature(i, f)
	}
	a.rep.finish()
	a.rep.Legend = a.legendReport()
	return a.rep
}

// applier holds one Apply's state: the report and a cache of resolved
// values, since a legend repeats a few values over many features.
type applier struct {
	m     *Mapping
	rep   *Report
	cache map[*spec]map[string]outcome
	// units tallies the features of each unit code of the legend: section;
	// noCode those without one.
	units  map[string]*unitTally
	noCode int
}

func (a *applier) feature(index int, f *geojson.Feature) {
	props := map[string]any(f.Properties)
	vals := make(map[string]any, len(a.m.specs)+len(a.m.defaulted))
	for _, s := range a.m.specs {
		if s.labelOf != "" {
			continue
		}
		o := a.eval(s, s.field.Name, f.ID, props)
		switch {
		case o.status == stSet:
			vals[s.field.Name] = o.value
		case s.field.Kind != KindURI:
		case o.status == stBlank:
			vals[s.field.Name] = NilMissing
			a.rep.blank(s.field.Name)
		default:
			vals[s.field.Name] = NilUnknown
		}
	}
	// Labels last: they read the URIs just made.
	for _, s := range a.m.specs {
		if s.labelOf != "" {
			if o := a.eval(s, s.field.Name, f.ID, props, vals); o.status == stSet {
				vals[s.field.Name] = o.value
			}
		}
	}
	for _, d := range a.m.defaulted {
		vals[d.Name] = NilMissing
	}
	a.rep.Features++
	for _, issue := range a.m.checkAges(vals) {
		a.rep.ageProblem(issue, featureName(index, f, vals))
	}
	for _, s := range a.m.specs {
		if s.field.Kind == KindURI {
			a.rep.value(s.field.Name, vals[s.field.Name])
		}
	}
	for _, d := range a.m.defaulted {
		a.rep.value(d.Name, NilMissing)
	}
	a.tallyUnit(props, vals)
	a.write(props, vals)
}

// write puts the harmonised values into the properties, moving aside source
// fields of the same name that the mapping does not copy as they are.
func (a *applier) write(props, vals map[string]any) {
	for _, s := range a.m.specs {
		name := s.field.Name
		if old, ok := props[name]; ok && !s.identity() {
			props[SourcePrefix+name] = old
		}
		if v, ok := vals[name]; ok {
			props[name] = v
		} else {
			delete(props, name)
		}
	}
	for _, d := range a.m.defaulted {
		if old, ok := props[d.Name]; ok {
			props[SourcePrefix+d.Name] = old
		}
		props[d.Name] = NilMissing
	}
}

// eval makes one spec's value for one feature, noting in the report what it
// could not map under the field reportAs. vals holds the harmonised values
// made so far, which label_of reads.
func (a *applier) eval(s *spec, reportAs string, id any, props map[string]any, vals ...map[string]any) outcome {
	switch {
	case s.constant != nil:
		return s.constant.outcome(s.field.Kind)
	case s.labelOf != "":
		return labelOf(s, vals)
	case s.parts != nil:
		return a.join(s, reportAs, id, props, vals...)
	}
	raws, miss := s.raws(props, id)
	var o outcome
	switch {
	case miss != "":
		o = outcome{status: stUnmapped, raw: miss, reason: "does not match pattern " + s.pattern.String()}
	case s.resolves():
		// Worth caching: label and age lookups, over a legend's few values.
		key := strings.Join(raws, "\x1f")
		c := a.cache[s]
		if c == nil {
			c = map[string]outcome{}
			a.cache[s] = c
		}
		var ok bool
		if o, ok = c[key]; !ok {
			o = s.resolve(raws)
			c[key] = o
		}
	default:
		o = s.resolve(raws)
	}
	switch o.status {
	case stUnmapped:
		a.rep.unmapped(reportAs, s.sourceNames(), o.raw, o.reason, s.vocab)
	case stInvalid:
		voc := ""
		if s.vocab != nil {
			voc = s.vocab.ID
		}
		a.rep.notInVocabulary(reportAs, o.raw, voc, o.reason)
	}
	return o
}

// join makes a text field from parts: each part's value once, in order.
func (a *applier) join(s *spec, reportAs string, id any, props map[string]any, vals ...map[string]any) outcome {
	var out []string
	seen := map[string]bool{}
	for _, p := range s.parts {
		o := a.eval(p, reportAs, id, props, vals...)
		if o.status != stSet {
			continue
		}
		t, _ := textOf(o.value)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return outcome{status: stBlank}
	}
	return outcome{status: stSet, value: strings.Join(out, s.separator)}
}

func labelOf(s *spec, vals []map[string]any) outcome {
	if len(vals) == 0 {
		return outcome{status: stBlank}
	}
	u, _ := vals[0][s.labelOf].(string)
	c, ok := vocab.Lookup(u)
	if !ok {
		return outcome{status: stBlank}
	}
	return outcome{status: stSet, value: c.Label(s.language)}
}

// featureName names a feature in the report: its harmonised identifier, else
// its id, else its position.
func featureName(index int, f *geojson.Feature, vals map[string]any) string {
	if id, ok := vals[FieldIdentifier].(string); ok && id != "" {
		return id
	}
	if f.ID != nil {
		return fmt.Sprint(f.ID)
	}
	return fmt.Sprintf("#%d", index)
}
