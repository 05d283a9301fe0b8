package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/outcrop/outcrop/vocab/internal/wire"
)

// The ICS Turtle gives 26 units no skos:prefLabel: the Lower/Middle/Upper
// series (Upper Triassic …), the Upper Pleistocene stage, and the Cambrian's
// numbered Series 2 and Stages 2, 3, 4 and 10. The chart composes their names
// on screen from words it does label: stratigraphy:Upper with the period's
// name, and ischart:Stage2 ("Stage 2", "Étage 2", "第二阶" …). labelChartUnits
// composes them the same way so that every unit has a name to show and to be
// found by.
const (
	ischartNS = "http://resource.geosciml.org/classifier/ics/ischart/"
	stratNS   = "http://resource.geosciml.org/ontology/stratigraphy/"
)

var positional = regexp.MustCompile(`^(Lower|Middle|Upper)(.+)$`)

// geochronologic is the time-term twin of each rock-term position: the
// Upper Triassic series is the rock laid down in the Late Triassic epoch, and
// both names mean the same chart unit.
var geochronologic = map[string]string{"Lower": "Early", "Middle": "Middle", "Upper": "Late"}

func labelChartUnits(g graph, cs map[string]*wire.Concept) error {
	for uri, c := range cs {
		if len(c.PrefLabels) > 0 {
			continue
		}
		local := strings.TrimPrefix(uri, ischartNS)
		if m := positional.FindStringSubmatch(local); m != nil {
			parent := cs[ischartNS+m[2]]
			if parent == nil || !contains(c.Broader, parent.URI) || parent.PrefLabels["en"] == "" {
				return fmt.Errorf("unlabelled unit <%s> is not narrower than a labelled <%s%s>", uri, ischartNS, m[2])
			}
			rock := wordEN(g, stratNS+m[1])
			timeWord := wordEN(g, stratNS+geochronologic[m[1]])
			if rock == "" || timeWord == "" {
				return fmt.Errorf("unlabelled unit <%s>: the chart has no English word for %s/%s", uri, m[1], geochronologic[m[1]])
			}
			c.PrefLabels = map[string]string{"en": rock + " " + parent.PrefLabels["en"]}
			if timeWord != rock {
				addAlt(c, "en", timeWord+" "+parent.PrefLabels["en"])
			}
			continue
		}
		if rest, ok := strings.CutPrefix(local, "Cambrian"); ok {
			names := langMap(g[Term{Kind: IRI, Value: ischartNS + rest}][skosPrefLabel])
			if len(names["en"]) == 0 {
				return fmt.Errorf("unlabelled unit <%s>: <%s%s> has no English prefLabel", uri, ischartNS, rest)
			}
			c.PrefLabels = map[string]string{}
			for lang, ls := range names {
				c.PrefLabels[lang] = ls[0]
			}
			// "Stage 2" alone is how the chart prints it inside the Cambrian
			// column; in running text it is "Cambrian Stage 2".
			addAlt(c, "en", "Cambrian "+names["en"][0])
			continue
		}
		return fmt.Errorf("unit <%s> has no skos:prefLabel and no rule to compose one", uri)
	}
	return nil
}

func wordEN(g graph, iri string) string {
	if ls := langMap(g[Term{Kind: IRI, Value: iri}][skosPrefLabel])["en"]; len(ls) > 0 {
		return ls[0]
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
