package main

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/outcrop/outcrop/vocab/internal/wire"
)

// The predicates read. Everything else in the Turtle (citations, exactMatch
// to INSPIRE, change notes, the chart's page layout) is left out of the
// compact form because nothing in Outcrop uses it.
const (
	rdfType       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	skosNS        = "http://www.w3.org/2004/02/skos/core#"
	skosConcept   = skosNS + "Concept"
	skosScheme    = skosNS + "ConceptScheme"
	skosInScheme  = skosNS + "inScheme"
	skosPrefLabel = skosNS + "prefLabel"
	skosAltLabel  = skosNS + "altLabel"
	skosDef       = skosNS + "definition"
	skosBroader   = skosNS + "broader"
	skosNarrower  = skosNS + "narrower"
	skosNotation  = skosNS + "notation"
	skosNote      = skosNS + "note"
	owlVersion    = "http://www.w3.org/2002/07/owl#versionInfo"
	schemaModDate = "https://schema.org/dateModified"

	// ICS chart: rank, colour, order and the two boundaries, each a blank
	// node holding ischart:inMYA, an optional schema:marginOfError and an
	// optional skos:note "uncertain" (the chart's "~" ages).
	gtsRank      = "http://resource.geosciml.org/ontology/timescale/gts#rank"
	rankNS       = "http://resource.geosciml.org/ontology/timescale/rank/"
	schemaColor  = "https://schema.org/color"
	shOrder      = "http://www.w3.org/ns/shacl#order"
	hasBeginning = "http://www.w3.org/2006/time#hasBeginning"
	hasEnd       = "http://www.w3.org/2006/time#hasEnd"
	inMYA        = "http://resource.geosciml.org/classifier/ics/ischart/inMYA"
	marginOfErr  = "https://schema.org/marginOfError"

	// The CGI files give a concept two notations told apart by datatype:
	// a code ("Cu") and a position in the local hierarchy ("02.01.01.01").
	hierarchyKeyType = "http://resource.geosciml.org/datatype/LocalHierarchyKey"
)

var hexColour = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// graph indexes triples by subject then predicate.
type graph map[Term]map[string][]Term

func newGraph(ts []Triple) graph {
	g := graph{}
	for _, t := range ts {
		m := g[t.S]
		if m == nil {
			m = map[string][]Term{}
			g[t.S] = m
		}
		m[t.P.Value] = append(m[t.P.Value], t.O)
	}
	return g
}

func (g graph) has(s Term, p, o string) bool {
	for _, t := range g[s][p] {
		if t.Kind == IRI && t.Value == o {
			return true
		}
	}
	return false
}

// buildVocabulary turns one file's triples into the compact form.
func buildVocabulary(src source, ts []Triple) (wire.Vocabulary, error) {
	g := newGraph(ts)
	v := wire.Vocabulary{
		ID: src.ID, Scheme: src.Scheme, Licence: src.Licence, LicenceURL: src.LicenceURL,
		Attribution: src.Attribution, Source: src.File,
	}
	scheme := Term{Kind: IRI, Value: src.Scheme}
	if !g.has(scheme, rdfType, skosScheme) {
		return v, fmt.Errorf("%s: no skos:ConceptScheme <%s>; fix the Scheme in vocab/internal/gen/sources.go", src.File, src.Scheme)
	}
	v.Title = src.Title
	if l := langMap(g[scheme][skosPrefLabel]); len(l["en"]) > 0 {
		v.Title = l["en"][0]
	}
	if v.Title == "" {
		return v, fmt.Errorf("%s: the scheme has no English prefLabel; give a Title in vocab/internal/gen/sources.go", src.File)
	}
	if s := literals(g[scheme][owlVersion]); len(s) > 0 {
		v.Version = s[0]
	} else if s := literals(g[scheme][schemaModDate]); len(s) > 0 {
		v.Version = s[0]
	}

	concepts := map[string]*wire.Concept{}
	dropped := map[string]int{}
	for s := range g {
		if s.Kind != IRI || !g.has(s, rdfType, skosConcept) {
			continue
		}
		if !g.has(s, skosInScheme, src.Scheme) {
			return v, fmt.Errorf("%s: concept <%s> is not skos:inScheme <%s>", src.File, s.Value, src.Scheme)
		}
		c, err := buildConcept(g, s, dropped)
		if err != nil {
			return v, fmt.Errorf("%s: concept <%s>: %w", src.File, s.Value, err)
		}
		concepts[c.URI] = c
	}
	if len(concepts) == 0 {
		return v, fmt.Errorf("%s: no skos:Concept found", src.File)
	}
	if len(dropped) > 0 {
		v.DroppedLabels = dropped
	}
	if err := closeHierarchy(concepts); err != nil {
		return v, fmt.Errorf("%s: %w", src.File, err)
	}
	if err := labelChartUnits(g, concepts); err != nil {
		return v, fmt.Errorf("%s: %w", src.File, err)
	}
	uris := make([]string, 0, len(concepts))
	for u := range concepts {
		uris = append(uris, u)
	}
	sort.Strings(uris)
	for _, u := range uris {
		v.Concepts = append(v.Concepts, *concepts[u])
	}
	return v, nil
}

func buildConcept(g graph, s Term, dropped map[string]int) (*wire.Concept, error) {
	po := g[s]
	c := &wire.Concept{URI: s.Value}

	// A concept without prefLabels is given them by labelChartUnits or
	// refused there.
	pref := scriptLabels(langMap(po[skosPrefLabel]), dropped)
	c.PrefLabels = map[string]string{}
	for lang, ls := range pref {
		// SKOS allows one prefLabel per language; a second one is kept as
		// an altLabel so that label lookup still finds it.
		c.PrefLabels[lang] = ls[0]
		for _, extra := range ls[1:] {
			addAlt(c, lang, extra)
		}
	}
	for lang, ls := range scriptLabels(langMap(po[skosAltLabel]), dropped) {
		for _, l := range ls {
			addAlt(c, lang, l)
		}
	}
	defs := langMap(po[skosDef])
	if d := defs["en"]; len(d) > 0 {
		c.Definition = d[0]
	} else if d := defs[""]; len(d) > 0 {
		c.Definition = d[0]
	}

	for _, n := range po[skosNotation] {
		if n.Kind != Literal {
			return nil, fmt.Errorf("skos:notation is not a literal")
		}
		if n.Datatype == hierarchyKeyType {
			if c.HierarchyKey != "" {
				return nil, fmt.Errorf("two hierarchy keys %q and %q", c.HierarchyKey, n.Value)
			}
			c.HierarchyKey = n.Value
			continue
		}
		if c.Notation != "" {
			return nil, fmt.Errorf("two notations %q and %q", c.Notation, n.Value)
		}
		c.Notation = n.Value
	}
	c.Broader = iris(po[skosBroader])
	c.Narrower = iris(po[skosNarrower])

	if len(po[gtsRank]) > 0 {
		t, err := buildTime(g, po)
		if err != nil {
			return nil, err
		}
		c.Time = t
	}
	return c, nil
}

// rankOrder sorts a unit's ranks from coarse to fine: the Pridoli is both a
// series (Epoch) and its own only stage (Age).
var rankOrder = map[string]int{"Super-Eon": 0, "Eon": 1, "Era": 2, "Period": 3, "Sub-Period": 4, "Epoch": 5, "Age": 6}

func buildTime(g graph, po map[string][]Term) (*wire.Time, error) {
	t := &wire.Time{}
	for _, r := range iris(po[gtsRank]) {
		name, ok := strings.CutPrefix(r, rankNS)
		if _, known := rankOrder[name]; !ok || !known {
			return nil, fmt.Errorf("unknown rank <%s>", r)
		}
		t.Ranks = append(t.Ranks, name)
	}
	sort.Slice(t.Ranks, func(i, j int) bool { return rankOrder[t.Ranks[i]] < rankOrder[t.Ranks[j]] })

	colours := literals(po[schemaColor])
	if len(colours) != 1 || !hexColour.MatchString(colours[0]) {
		return nil, fmt.Errorf("want one #RRGGBB schema:color, have %q", colours)
	}
	t.Colour = strings.ToUpper(colours[0])

	if o := literals(po[shOrder]); len(o) == 1 {
		n, err := strconv.Atoi(o[0])
		if err != nil {
			return nil, fmt.Errorf("sh:order %q: %w", o[0], err)
		}
		t.Order = n
	}
	var err error
	if t.Base, err = boundary(g, po[hasBeginning]); err != nil {
		return nil, fmt.Errorf("time:hasBeginning: %w", err)
	}
	if t.Top, err = boundary(g, po[hasEnd]); err != nil {
		return nil, fmt.Errorf("time:hasEnd: %w", err)
	}
	if t.Base.Ma < t.Top.Ma {
		return nil, fmt.Errorf("base %v Ma is younger than top %v Ma", t.Base.Ma, t.Top.Ma)
	}
	return t, nil
}

func boundary(g graph, objs []Term) (*wire.Boundary, error) {
	if len(objs) != 1 || objs[0].Kind != Blank {
		return nil, fmt.Errorf("want one blank node, have %d objects", len(objs))
	}
	po := g[objs[0]]
	ma := literals(po[inMYA])
	if len(ma) != 1 {
		return nil, fmt.Errorf("want one ischart:inMYA, have %d", len(ma))
	}
	b := &wire.Boundary{}
	var err error
	if b.Ma, err = strconv.ParseFloat(ma[0], 64); err != nil {
		return nil, fmt.Errorf("ischart:inMYA %q: %w", ma[0], err)
	}
	if e := literals(po[marginOfErr]); len(e) == 1 {
		if b.Uncertainty, err = strconv.ParseFloat(e[0], 64); err != nil {
			return nil, fmt.Errorf("schema:marginOfError %q: %w", e[0], err)
		}
	}
	for _, n := range literals(po[skosNote]) {
		if n == "uncertain" {
			b.Approximate = true
		}
	}
	return b, nil
}

// ownScript names the languages whose labels must be written in their own
// script. The CGI files' Lao and Khmer labels were digitised in legacy font
// encodings ("¹ó­¡ë¾Ä­ª" for granite; the lithology scheme's change note of
// 2021-12-17 says so of Lao): shown to a reader they are gibberish and typed
// by one they never match, so they are left out and counted.
var ownScript = map[string]*unicode.RangeTable{"lo": unicode.Lao, "km": unicode.Khmer, "th": unicode.Thai}

func scriptLabels(m map[string][]string, dropped map[string]int) map[string][]string {
	for lang, ls := range m {
		table := ownScript[lang]
		if table == nil {
			continue
		}
		kept := ls[:0]
		for _, l := range ls {
			if strings.IndexFunc(l, func(r rune) bool { return unicode.Is(table, r) }) >= 0 {
				kept = append(kept, l)
			} else {
				dropped[lang]++
			}
		}
		if len(kept) == 0 {
			delete(m, lang)
		} else {
			m[lang] = kept
		}
	}
	return m
}

// closeHierarchy makes broader and narrower mutual inverses, as SKOS defines
// them, since the files state some links in one direction only, and refuses
// links to concepts outside the scheme.
func closeHierarchy(cs map[string]*wire.Concept) error {
	broader := map[string]map[string]bool{}
	narrower := map[string]map[string]bool{}
	link := func(child, parent string) error {
		if cs[child] == nil || cs[parent] == nil {
			return fmt.Errorf("hierarchy link <%s> → <%s> leaves the scheme", child, parent)
		}
		if broader[child] == nil {
			broader[child] = map[string]bool{}
		}
		if narrower[parent] == nil {
			narrower[parent] = map[string]bool{}
		}
		broader[child][parent] = true
		narrower[parent][child] = true
		return nil
	}
	for u, c := range cs {
		for _, b := range c.Broader {
			if err := link(u, b); err != nil {
				return err
			}
		}
		for _, n := range c.Narrower {
			if err := link(n, u); err != nil {
				return err
			}
		}
	}
	for u, c := range cs {
		c.Broader = sortedKeys(broader[u])
		c.Narrower = sortedKeys(narrower[u])
	}
	return nil
}

func addAlt(c *wire.Concept, lang, label string) {
	if c.AltLabels == nil {
		c.AltLabels = map[string][]string{}
	}
	for _, l := range c.AltLabels[lang] {
		if l == label {
			return
		}
	}
	c.AltLabels[lang] = append(c.AltLabels[lang], label)
}

// langMap groups literal objects by language tag, each group sorted so the
// output does not depend on triple order.
func langMap(objs []Term) map[string][]string {
	m := map[string][]string{}
	for _, o := range objs {
		if o.Kind == Literal {
			m[o.Lang] = append(m[o.Lang], o.Value)
		}
	}
	for _, v := range m {
		sort.Strings(v)
	}
	return m
}

func literals(objs []Term) []string {
	var out []string
	for _, o := range objs {
		if o.Kind == Literal {
			out = append(out, o.Value)
		}
	}
	sort.Strings(out)
	return out
}

func iris(objs []Term) []string {
	var out []string
	for _, o := range objs {
		if o.Kind == IRI {
			out = append(out, o.Value)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
