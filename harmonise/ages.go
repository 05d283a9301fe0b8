package harmonise

import (
	"fmt"

	"github.com/outcrop/outcrop/vocab"
)

// The kinds of age-logic problem a report lists.
const (
	// AgeOrder: the older age URI is younger than the younger one.
	AgeOrder = "older-after-younger"
	// AgeRepresentative: the representative age lies wholly outside the
	// range from the older to the younger age.
	AgeRepresentative = "representative-outside-range"
	// AgeNumericOrder: numericOlderAge is smaller than numericYoungerAge.
	AgeNumericOrder = "numeric-older-after-younger"
	// AgeNumericChart: a numeric age lies outside the chart interval of its
	// age URI, by more than the tolerance.
	AgeNumericChart = "numeric-outside-chart"
)

// ageIssue is one age-logic problem of one feature.
type ageIssue struct{ kind, msg string }

// checkAges applies the age logic to one feature's harmonised values. The
// chart units are those of the age URIs; where the older or younger URI is
// missing or nil, the representative one stands in for it.
func (m *Mapping) checkAges(vals map[string]any) []ageIssue {
	unit := func(field string) *vocab.Concept {
		u, _ := vals[field].(string)
		if u == "" || IsNil(u) {
			return nil
		}
		if c, ok := vocab.Lookup(u); ok && c.Time != nil {
			return c
		}
		return nil
	}
	rep := unit(FieldRepresentativeAgeURI)
	older, younger := unit(FieldRepresentativeOlderAgeURI), unit(FieldRepresentativeYoungerAgeURI)
	var issues []ageIssue
	swapped := older != nil && younger != nil && older.Time.Base.Ma < younger.Time.Base.Ma
	if swapped {
		issues = append(issues, ageIssue{AgeOrder, fmt.Sprintf("%s %s is younger than %s %s",
			FieldRepresentativeOlderAgeURI, span(older), FieldRepresentativeYoungerAgeURI, span(younger))})
	}
	// A swapped range has no inside to check the representative age against.
	if rep != nil && (older != nil || younger != nil) && !swapped {
		o, y := older, younger
		if o == nil {
			o = rep
		}
		if y == nil {
			y = rep
		}
		if rep.Time.Top.Ma >= o.Time.Base.Ma || rep.Time.Base.Ma <= y.Time.Top.Ma {
			issues = append(issues, ageIssue{AgeRepresentative, fmt.Sprintf("%s %s lies outside %s to %s",
				FieldRepresentativeAgeURI, span(rep), o.Label("en"), y.Label("en"))})
		}
	}
	if older == nil {
		older = rep
	}
	if younger == nil {
		younger = rep
	}
	nOld, hasOld := vals[FieldNumericOlderAge].(float64)
	nYoung, hasYoung := vals[FieldNumericYoungerAge].(float64)
	if hasOld && hasYoung && nOld < nYoung {
		issues = append(issues, ageIssue{AgeNumericOrder, fmt.Sprintf("%s %g Ma is younger than %s %g Ma",
			FieldNumericOlderAge, nOld, FieldNumericYoungerAge, nYoung)})
	}
	check := func(field string, x float64, c *vocab.Concept, uriField string) {
		t := c.Time
		if x > t.Base.Ma+t.Base.UncertaintyMa+m.AgeToleranceMa || x < t.Top.Ma-t.Top.UncertaintyMa-m.AgeToleranceMa {
			issues = append(issues, ageIssue{AgeNumericChart, fmt.Sprintf("%s %g Ma lies outside %s %s",
				field, x, uriField, span(c))})
		}
	}
	if hasOld && older != nil {
		f := FieldRepresentativeOlderAgeURI
		if older == rep && unit(f) == nil {
			f = FieldRepresentativeAgeURI
		}
		check(FieldNumericOlderAge, nOld, older, f)
	}
	if hasYoung && younger != nil {
		f := FieldRepresentativeYoungerAgeURI
		if younger == rep && unit(f) == nil {
			f = FieldRepresentativeAgeURI
		}
		check(FieldNumericYoungerAge, nYoung, younger, f)
	}
	return issues
}

// span names a chart unit with its interval: "Neoarchean (2800–2500 Ma)".
func span(c *vocab.Concept) string {
	return fmt.Sprintf("%s (%g–%g Ma)", c.Label("en"), c.Time.Base.Ma, c.Time.Top.Ma)
}
