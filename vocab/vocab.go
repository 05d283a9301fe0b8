// Package vocab holds the controlled vocabularies that harmonised geoscience
// data points to: the ICS International Chronostratigraphic Chart (with its
// official colours and numeric ages) and the CGI simple lithology, geologic
// unit type, contact type, fault type, commodity code and mineral occurrence
// type vocabularies, each with its licence and attribution.
//
// The SKOS Turtle published by ICS and CGI is kept under vocab/ttl and
// converted by `go generate ./vocab/` into vocabularies.json, which is
// embedded; see vocab/internal/gen for why and how, and vocab/ttl/SOURCES.md
// for the licences and the quirks of the published data. Everything here is
// pure Go and safe for concurrent use; the vocabularies and concepts returned
// are shared, so callers must not modify them.
package vocab

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/outcrop/outcrop/vocab/internal/wire"
)

//go:generate go run ./internal/gen

//go:embed vocabularies.json
var embedded []byte

// Vocabulary is one SKOS concept scheme.
type Vocabulary struct {
	// ID is Outcrop's short name: "ics", "lithology", "geologic-unit-type",
	// "contact-type", "fault-type", "commodity", "mineral-occurrence-type".
	ID string
	// Title is the scheme's English prefLabel ("Simple Lithology").
	Title string
	// Scheme is the skos:ConceptScheme IRI.
	Scheme string
	// Version is the scheme's owl:versionInfo ("2024-12") or, failing that,
	// its last modification date.
	Version string
	// Licence is an SPDX identifier and LicenceURL the licence text.
	Licence, LicenceURL string
	// Attribution is the line a map or legend using this vocabulary shows.
	Attribution string
	// Source is the Turtle file under vocab/ttl this was generated from.
	Source string
	// DroppedLabels counts, per language, published labels left out because
	// they are not written in that language's script (the CGI files' Lao
	// and Khmer labels are in legacy font encodings).
	DroppedLabels map[string]int
	// Concepts are sorted by URI.
	Concepts []*Concept

	byNotation map[string][]*Concept
	byLabel    map[string][]labelHit
}

// Concept is one skos:Concept.
type Concept struct {
	URI string
	// Vocabulary is the ID of the vocabulary holding the concept.
	Vocabulary string
	// Notation is the concept's code: the CGI abbreviation ("Cu" for
	// copper) or the ICS chart's short code ("P" for Permian).
	Notation string
	// HierarchyKey is the CGI local hierarchy key ("02.01.01.01").
	HierarchyKey string
	// PrefLabels maps a lower-case BCP 47 tag to the preferred label.
	PrefLabels map[string]string
	// AltLabels maps a tag to alternative labels ("Late Triassic" for the
	// Upper Triassic).
	AltLabels map[string][]string
	// Definition is the English definition.
	Definition string
	// Broader and Narrower are concept URIs, sorted, each the inverse of the
	// other. CGI lithology is a polyhierarchy: a concept may have several.
	Broader, Narrower []string
	// Time is set for ICS chart units only.
	Time *TimeUnit
}

// TimeUnit is what the ICS chart says about one of its units.
type TimeUnit struct {
	// Ranks are coarse to fine; most units have one, but the Pridoli is
	// both a series (Epoch) and its own only stage (Age).
	Ranks []Rank
	// Colour is the chart's official CGMW colour as "#RRGGBB", upper case.
	Colour string
	// Order is the unit's position in the chart, youngest first.
	Order int
	// Base is the older boundary, Top the younger.
	Base, Top Boundary
}

// Boundary is one end of an ICS unit.
type Boundary struct {
	// Ma is the age in millions of years before present.
	Ma float64
	// UncertaintyMa is the chart's ± margin of error, 0 where none is given.
	UncertaintyMa float64
	// Approximate marks the ages the chart prints with "~".
	Approximate bool
}

// Rank is an ICS rank, named as the chart's rank IRIs name it.
type Rank string

// The ICS ranks, coarse to fine.
const (
	RankSuperEon  Rank = "Super-Eon"
	RankEon       Rank = "Eon"
	RankEra       Rank = "Era"
	RankPeriod    Rank = "Period"
	RankSubPeriod Rank = "Sub-Period"
	RankEpoch     Rank = "Epoch"
	RankAge       Rank = "Age"
)

// Rank returns the unit's coarsest rank.
func (t *TimeUnit) Rank() Rank {
	if len(t.Ranks) == 0 {
		return ""
	}
	return t.Ranks[0]
}

// HasRank reports whether the unit is of rank r.
func (t *TimeUnit) HasRank(r Rank) bool {
	for _, x := range t.Ranks {
		if x == r {
			return true
		}
	}
	return false
}

// Label returns the preferred label in lang ("vi", or "vi-VN" falling back
// to "vi"), else the English one, else any, so that a legend always has a
// name to show.
func (c *Concept) Label(lang string) string {
	lang = strings.ToLower(lang)
	for lang != "" {
		if l, ok := c.PrefLabels[lang]; ok {
			return l
		}
		i := strings.LastIndexByte(lang, '-')
		if i < 0 {
			break
		}
		lang = lang[:i]
	}
	if l, ok := c.PrefLabels["en"]; ok {
		return l
	}
	langs := make([]string, 0, len(c.PrefLabels))
	for k := range c.PrefLabels {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	if len(langs) == 0 {
		return ""
	}
	return c.PrefLabels[langs[0]]
}

// catalog is every vocabulary with its indexes, built once.
type catalog struct {
	vocabs   []*Vocabulary
	byID     map[string]*Vocabulary
	byURI    map[string]*Concept
	ics      []*Concept            // chart units, youngest first
	icsNames map[string][]*Concept // ICS labels in any language, folded
}

var (
	loadOnce sync.Once
	loaded   *catalog
	loadErr  error
)

// Load decodes the embedded vocabularies on first use and reports whether
// that worked. Every lookup calls it; a server calls it at start-up so that a
// damaged build shows as an error there, rather than as lookups that find
// nothing.
func Load() error {
	_, err := get()
	return err
}

func get() (*catalog, error) {
	loadOnce.Do(func() { loaded, loadErr = decode(embedded) })
	return loaded, loadErr
}

// cat returns the catalog, or an empty one if the embedded data could not be
// read (Load reports why), so that lookups answer "not found" and never panic.
func cat() *catalog {
	if c, err := get(); err == nil {
		return c
	}
	return &catalog{}
}

func decode(b []byte) (*catalog, error) {
	var f wire.File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("vocab: embedded vocabularies.json: %v; run `go generate ./vocab/`", err)
	}
	if f.Format != wire.Format {
		return nil, fmt.Errorf("vocab: embedded vocabularies.json has format %d, this code reads %d; run `go generate ./vocab/`", f.Format, wire.Format)
	}
	c := &catalog{byID: map[string]*Vocabulary{}, byURI: map[string]*Concept{}, icsNames: map[string][]*Concept{}}
	for _, wv := range f.Vocabularies {
		v := &Vocabulary{
			ID: wv.ID, Title: wv.Title, Scheme: wv.Scheme, Version: wv.Version,
			Licence: wv.Licence, LicenceURL: wv.LicenceURL, Attribution: wv.Attribution,
			Source: wv.Source, DroppedLabels: wv.DroppedLabels,
			byNotation: map[string][]*Concept{}, byLabel: map[string][]labelHit{},
		}
		for _, wc := range wv.Concepts {
			k := &Concept{
				URI: wc.URI, Vocabulary: wv.ID, Notation: wc.Notation, HierarchyKey: wc.HierarchyKey,
				PrefLabels: wc.PrefLabels, AltLabels: wc.AltLabels, Definition: wc.Definition,
				Broader: wc.Broader, Narrower: wc.Narrower,
			}
			if t := wc.Time; t != nil {
				if t.Base == nil || t.Top == nil {
					return nil, fmt.Errorf("vocab: embedded vocabularies.json: <%s> lacks a boundary; run `go generate ./vocab/`", wc.URI)
				}
				k.Time = &TimeUnit{Colour: t.Colour, Order: t.Order, Base: boundary(t.Base), Top: boundary(t.Top)}
				for _, r := range t.Ranks {
					k.Time.Ranks = append(k.Time.Ranks, Rank(r))
				}
				c.ics = append(c.ics, k)
			}
			if _, dup := c.byURI[k.URI]; dup {
				return nil, fmt.Errorf("vocab: embedded vocabularies.json: <%s> is in two vocabularies", k.URI)
			}
			c.byURI[k.URI] = k
			v.Concepts = append(v.Concepts, k)
			if k.Notation != "" {
				v.byNotation[k.Notation] = append(v.byNotation[k.Notation], k)
			}
			v.indexLabels(k)
		}
		c.vocabs = append(c.vocabs, v)
		c.byID[v.ID] = v
	}
	sort.SliceStable(c.ics, func(i, j int) bool { return c.ics[i].Time.Order < c.ics[j].Time.Order })
	for _, k := range c.ics {
		c.indexICSName(k)
	}
	return c, nil
}

func boundary(b *wire.Boundary) Boundary {
	return Boundary{Ma: b.Ma, UncertaintyMa: b.Uncertainty, Approximate: b.Approximate}
}

// All returns every vocabulary: ICS first, then the CGI ones.
func All() []*Vocabulary {
	return append([]*Vocabulary(nil), cat().vocabs...)
}

// Get returns the vocabulary with the given ID.
func Get(id string) (*Vocabulary, bool) {
	v, ok := cat().byID[id]
	return v, ok
}

// Lookup returns the concept with the given URI, in any vocabulary.
func Lookup(uri string) (*Concept, bool) {
	c, ok := cat().byURI[strings.TrimSpace(uri)]
	return c, ok
}

// ByNotation returns the concepts whose code is exactly code ("Cu"). Codes
// are case-sensitive, as the ICS short codes are ("T1" is the Lower Triassic,
// "t1" the Induan); a slice, since the CGI commodity codes repeat one code.
func (v *Vocabulary) ByNotation(code string) []*Concept {
	return append([]*Concept(nil), v.byNotation[strings.TrimSpace(code)]...)
}
