// Package harmonise maps a survey's own legend onto the common vocabulary of
// geoscience maps: the GeoSciML-Lite views GeologicUnitView and
// ShearDisplacementStructureView and the EarthResourceML-Lite
// MineralOccurrenceView, whose _uri fields hold concepts of the ICS chart and
// the CGI vocabularies (package vocab).
//
// A mapping file (YAML, documented in MAPPING.md beside this file) says, for
// one source, which source fields, templates or constants become which view
// fields, and how source codes and words become vocabulary URIs: exact value
// maps, labels in any language the vocabulary carries, codes, and ICS age
// names and ranges. Load checks the file against the views and the
// vocabularies and names the line of every mistake; Check compares it with a
// source's fields before anything is read; Apply writes the harmonised fields
// into the features, beside the source's own, and returns a Report of what
// could not be harmonised. The package is pure Go.
package harmonise

import (
	"fmt"
	"os"
	"regexp"

	"github.com/outcrop/outcrop/internal/yamlnode"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// DefaultAgeToleranceMa is how far, in Ma, a numeric age may lie outside the
// chart interval of its age URI, beyond the chart's own stated uncertainty
// of that boundary, before the report calls it inconsistent. Surveys round
// ages and keep the figures of older editions of the chart (145 Ma for the
// base of the Cretaceous, which the 2024 chart puts at 143.1 ± 0.6 Ma); a
// mapping sets its own with age_tolerance_ma.
const DefaultAgeToleranceMa = 1.0

// Mapping is a loaded mapping file. It is not modified by Apply and may be
// used by several goroutines at once.
type Mapping struct {
	// File is the path the mapping was loaded from, as given.
	File string
	// View is the view the mapping writes.
	View *View
	// Description is the file's free-text description.
	Description string
	// AgeToleranceMa is the tolerance of the numeric-age checks.
	AgeToleranceMa float64

	specs      []*spec // in view order
	byName     map[string]*spec
	fieldsLine int // of fields:, where the defaulted fields are missed
	blanks     map[string]bool
	defaulted  []ViewField // required _uri fields the file leaves out
	unwritten  []ViewField // mandatory text fields the file leaves out
	legend     *legend     // nil without a legend: section
}

// spec says how one view field (or one part of a joined text field) is made.
type spec struct {
	field ViewField
	line  int // of the field's key in the file

	// Exactly one source: from, template, constant, parts or labelOf.
	from     []sourceRef
	template *template
	tmplLine int
	constant *target
	parts    []*spec
	labelOf  string

	separator  string
	split      string
	pattern    *regexp.Regexp // the part of each value read: its first group, or the match
	values     map[string]target
	dflt       *target
	byLabel    bool
	byNotation bool
	age        string       // "", ageOlder, ageYounger, ageSpan
	unitRanks  []vocab.Rank // finest first
	language   string
	vocab      *vocab.Vocabulary
	blanks     map[string]bool // the mapping's blank values plus the field's own
}

// sourceRef is a source field named in the file.
type sourceRef struct {
	name string
	line int
}

// target is what a value map, default or constant gives: text for text
// fields, a URI for _uri fields, a number for numeric ones. A blank target
// makes the value blank.
type target struct {
	blank bool
	text  string
	num   float64
	// older and younger are the chart units an age field's target names
	// (one unit, or the ends of a range such as Jurassic-Cretaceous).
	older, younger *vocab.Concept
}

// The ways an age field reads a span of age names.
const (
	ageOlder   = "older"
	ageYounger = "younger"
	ageSpan    = "span"
)

// Load reads and checks a mapping file: its YAML, its view and fields, and
// every URI and vocabulary it names. Each error names the file and line and
// says how to fix it.
func Load(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("harmonise: cannot read mapping file %s: %v; check the --mapping path", path, err)
	}
	return Parse(path, b)
}

// Parse is Load for a mapping already in memory; name stands for the file
// in errors.
func Parse(name string, data []byte) (*Mapping, error) {
	if err := vocab.Load(); err != nil {
		return nil, err
	}
	p := &parser{file: name}
	p.Reader = yamlnode.Reader{Errorf: p.errf, Suggest: closest}
	return p.parse(data)
}

// Fields returns the harmonised fields the mapping writes, in the view's
// order, typed for the tileset schema.
func (m *Mapping) Fields() []tileset.Field {
	var out []tileset.Field
	for _, f := range m.View.Fields {
		if m.writes(f.Name) {
			out = append(out, tileset.Field{Name: f.Name, Type: f.Type()})
		}
	}
	return out
}

// writes reports whether the mapping writes the view field name, mapped or
// defaulted to nil.
func (m *Mapping) writes(name string) bool {
	if _, ok := m.byName[name]; ok {
		return true
	}
	for _, f := range m.defaulted {
		if f.Name == name {
			return true
		}
	}
	return false
}

// identity reports whether the field is a plain copy of the source field of
// the same name ("name: name"), which then needs no renaming.
func (s *spec) identity() bool {
	return len(s.from) == 1 && s.from[0].name == s.field.Name && s.template == nil &&
		s.split == "" && s.pattern == nil && s.values == nil && s.dflt == nil && !s.byLabel && !s.byNotation && s.age == ""
}

// resolves reports whether the spec turns source values into something else,
// so that a value it cannot turn is unmapped rather than passed through.
func (s *spec) resolves() bool {
	return s.values != nil || s.dflt != nil || s.byLabel || s.byNotation || s.age != ""
}

// sources lists the source fields a spec reads, parts included.
func (s *spec) sources() []sourceRef {
	var out []sourceRef
	out = append(out, s.from...)
	if s.template != nil {
		for _, f := range s.template.fields() {
			if f != featureIDField {
				out = append(out, sourceRef{name: f, line: s.tmplLine})
			}
		}
	}
	for _, p := range s.parts {
		out = append(out, p.sources()...)
	}
	return out
}

// sourceNames names what a spec reads, for the report.
func (s *spec) sourceNames() []string {
	if s.template != nil {
		return []string{s.template.src}
	}
	names := make([]string, len(s.from))
	for i, r := range s.from {
		names[i] = r.name
	}
	return names
}
