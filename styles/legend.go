package styles

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/outcrop/outcrop/vocab"
)

// Counts is how many features carry each value of each field of a tileset:
// field -> value -> features. Thematic styles are built from the values
// present, so that their expressions and legends list only what the data holds.
type Counts map[string]map[string]int64

// Legend is what a style draws, entry by entry, and how many features each
// entry covers. The style's paint expressions are generated from its
// entries, so the two cannot disagree.
type Legend struct {
	// Style is the ID of the style the legend belongs to.
	Style   string `json:"style"`
	Tileset string `json:"tileset"`
	Title   string `json:"title"`
	// Field is the harmonised field the style classifies by; empty for
	// single-symbol styles.
	Field string `json:"field,omitempty"`
	// Vocabulary is the ID of the vocabulary the entries' URIs belong to
	// (package vocab), and Attribution the line its licence asks for.
	Vocabulary  string `json:"vocabulary,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	// Lang is the language of the entries' LocalLabel, when asked for.
	Lang string `json:"lang,omitempty"`
	// Symbol says how to draw an entry's swatch: "fill", "line" or
	// "circle"; "ramp" for a raster's, whose entries are colours along its
	// ramp, low end first.
	Symbol  string  `json:"symbol"`
	Entries []Entry `json:"entries"`
}

// Entry is one symbol of a legend.
type Entry struct {
	// Label is the vocabulary's English label (or the tileset's title for a
	// single-symbol style).
	Label string `json:"label"`
	// LocalLabel is the vocabulary's label in the legend's Lang, where the
	// vocabulary has one.
	LocalLabel string `json:"label_local,omitempty"`
	// Colour is "#RRGGBB": the fill, line or circle colour.
	Colour string `json:"colour"`
	// Outline is the polygon outline colour of fill symbols.
	Outline string `json:"outline,omitempty"`
	// Width (pixels at the reference zoom) and Dash (in line widths) are set
	// for line symbols.
	Width float64   `json:"width,omitempty"`
	Dash  []float64 `json:"dash,omitempty"`
	// URI is the vocabulary concept the entry stands for: the ICS unit, or the
	// palette class the data's values fall in; for a map unit, the ICS unit
	// of its age. Empty for the fallback.
	URI string `json:"uri,omitempty"`
	// Code is a map unit's code, in the geology-unit legend.
	Code string `json:"code,omitempty"`
	// Count is the number of features drawn with this entry.
	Count int64 `json:"count"`
	// Values are the field values in the data drawn with this entry, sorted.
	Values []string `json:"values,omitempty"`
	// Fallback marks the entry for values the vocabulary or the palette does
	// not place (unknown URIs, OGC nil values); it is always last.
	Fallback bool `json:"fallback,omitempty"`
	// Symbol and Field are set where the entry is drawn unlike the rest of
	// its legend: the edge-matching legend lists border lines by "class"
	// and hatched areas by "kind".
	Symbol string `json:"symbol,omitempty"`
	Field  string `json:"field,omitempty"`
	// Opacity is a fill's opacity where it is not opaque.
	Opacity float64 `json:"opacity,omitempty"`
	// Hatch marks a fill the viewer hatches in Colour (gaps and overlaps);
	// clients without the pattern draw the translucent fill and its dashed
	// Outline.
	Hatch bool `json:"hatch,omitempty"`
	// Depth nests an age entry under the coarser units listed above it: the
	// place of its ICS rank among the ranks in the legend, coarse to fine
	// (with eras, periods and epochs: an era 0, a period 1, an epoch 2).
	Depth int `json:"depth,omitempty"`
}

// ageEntries makes one entry per ICS unit present, youngest first as the
// chart and map legends list them, filled with the chart's own colour: by
// the unit's younger boundary, a coarser unit before the finer ones it
// holds (an era, then its youngest period, …), each nested by its rank.
func ageEntries(values map[string]int64, p *palettes, lang string) []Entry {
	byURI := map[string]*Entry{}
	units := map[string]*vocab.TimeUnit{}
	fallback := Entry{Label: p.carto.AgeFallback.Label, Colour: p.carto.AgeFallback.Colour, Fallback: true}
	for v, n := range values {
		c, ok := vocab.Lookup(v)
		if !ok || c.Time == nil || c.Time.Colour == "" {
			fallback.add(v, n)
			continue
		}
		e := byURI[c.URI]
		if e == nil {
			e = &Entry{Label: c.Label("en"), LocalLabel: localLabel(c, lang), Colour: c.Time.Colour, URI: c.URI}
			byURI[c.URI] = e
			units[c.URI] = c.Time
		}
		e.add(v, n)
	}
	out := make([]Entry, 0, len(byURI)+1)
	for _, e := range byURI {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return chartBefore(units[out[i].URI], units[out[j].URI]) })
	var present []int // the ranks in the legend, coarse to fine
	for _, e := range out {
		if d := rankDepth(units[e.URI]); !slices.Contains(present, d) {
			present = append(present, d)
		}
	}
	slices.Sort(present)
	for i := range out {
		out[i].Depth = slices.Index(present, rankDepth(units[out[i].URI]))
	}
	return finish(out, fallback, p.carto.OutlineDarken, true)
}

// chartBefore reports whether the chart lists a above b in a legend,
// youngest at the top: by younger boundary, then a coarser unit before the
// finer ones it holds (the Mesozoic, then the Cretaceous), then by the
// chart's order.
func chartBefore(a, b *vocab.TimeUnit) bool {
	if a.Top.Ma != b.Top.Ma {
		return a.Top.Ma < b.Top.Ma
	}
	if ra, rb := rankDepth(a), rankDepth(b); ra != rb {
		return ra < rb
	}
	return a.Order < b.Order
}

// icsRanks are the ICS ranks, coarse to fine.
var icsRanks = []vocab.Rank{vocab.RankSuperEon, vocab.RankEon, vocab.RankEra, vocab.RankPeriod, vocab.RankSubPeriod, vocab.RankEpoch, vocab.RankAge}

// rankDepth is the position of a unit's coarsest rank among the ICS
// ranks; a unit of no known rank counts as the finest.
func rankDepth(t *vocab.TimeUnit) int {
	if i := slices.Index(icsRanks, t.Rank()); i >= 0 {
		return i
	}
	return len(icsRanks)
}

// classEntries makes one entry per palette class present, in palette order.
func classEntries(values map[string]int64, pal *palette, place func(string) int, lang string, outline float64) []Entry {
	entries := make([]*Entry, len(pal.Classes))
	fallback := pal.Fallback.entry("", lang)
	fallback.Fallback = true
	for v, n := range values {
		i := place(strings.TrimSpace(v))
		if i < 0 {
			fallback.add(v, n)
			continue
		}
		if entries[i] == nil {
			e := pal.Classes[i].entry(pal.Classes[i].URI, lang)
			entries[i] = &e
		}
		entries[i].add(v, n)
	}
	out := make([]Entry, 0, len(entries)+1)
	for _, e := range entries {
		if e != nil {
			out = append(out, *e)
		}
	}
	return finish(out, fallback, outline, outline > 0)
}

func (c class) entry(uri, lang string) Entry {
	e := Entry{Label: c.Label, Colour: c.Colour, Width: c.Width, Dash: c.Dash, URI: uri}
	if k, ok := vocab.Lookup(uri); ok {
		e.Label = k.Label("en")
		e.LocalLabel = localLabel(k, lang)
	}
	if e.Label == "" {
		e.Label = path.Base(uri)
	}
	return e
}

func (e *Entry) add(value string, n int64) {
	e.Values = append(e.Values, value)
	e.Count += n
}

// finish sorts each entry's values, sets fill outlines, and appends the
// fallback when any value fell to it.
func finish(out []Entry, fallback Entry, darken float64, outline bool) []Entry {
	if len(fallback.Values) > 0 {
		out = append(out, fallback)
	}
	for i := range out {
		sort.Strings(out[i].Values)
		if outline {
			out[i].Outline = darker(out[i].Colour, darken)
		}
	}
	return out
}

// localLabel returns the concept's label in lang only where the vocabulary
// has one (Concept.Label would fall back to English, which the entry already
// carries).
func localLabel(c *vocab.Concept, lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for lang != "" && lang != "en" {
		if l, ok := c.PrefLabels[lang]; ok {
			return l
		}
		i := strings.LastIndexByte(lang, '-')
		if i < 0 {
			break
		}
		lang = lang[:i]
	}
	return ""
}

// arms pairs each non-fallback entry's values with an output, for a "match"
// expression.
func arms(entries []Entry, out func(Entry) any) []arm {
	var a []arm
	for _, e := range entries {
		if !e.Fallback && len(e.Values) > 0 {
			a = append(a, arm{values: e.Values, out: out(e)})
		}
	}
	return a
}

// fallbackOf returns the legend's fallback entry, or def when no value fell
// to it (the style still needs a fallback for features without the field).
func fallbackOf(entries []Entry, def Entry) Entry {
	if n := len(entries); n > 0 && entries[n-1].Fallback {
		return entries[n-1]
	}
	return def
}

// vocabAttribution is the attribution line of a vocabulary's licence.
func vocabAttribution(id string) (string, bool) {
	v, ok := vocab.Get(id)
	if !ok || v.Attribution == "" {
		return "", false
	}
	return v.Attribution, true
}
