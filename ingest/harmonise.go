package ingest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/paulmach/orb/geojson"
	"golang.org/x/text/language"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/tileset"
)

// harmonised carries the harmonisation of one ingest from step to step: the
// mapping loaded before anything is read, then the document to store.
type harmonised struct {
	mapping *harmonise.Mapping // nil without --mapping
	doc     []byte             // the meta bucket's harmonisation document
}

// harmonisationDoc is the stored harmonisation document (tileset/FORMAT.md,
// "Harmonisation"): the report, and the harmonised fields, so that a client
// can tell them from the source's own without knowing the views.
type harmonisationDoc struct {
	*harmonise.Report
	Fields []tileset.Field `json:"fields"`
}

// maxCountedValues bounds the distinct values counted per field. Harmonised
// fields hold vocabulary URIs, a few hundred at most; a source that carries
// such a field of its own may hold anything, and its counts travel in the
// metadata every reader parses.
const maxCountedValues = 1000

// loadHarmonisation checks --mapping, --strict and --lang, and loads the
// mapping, before the source is opened: a mistake in them costs nothing.
func loadHarmonisation(opts *Options) error {
	if opts.Language != "" {
		tag, err := language.Parse(opts.Language)
		if err != nil {
			return flagErr("--lang", "%q is not a BCP 47 language tag; give one such as th, vi or ms", opts.Language)
		}
		opts.Language = tag.String()
		if base, _ := tag.Base(); base.String() == "en" {
			opts.Language = "" // English labels are always shown
		}
	}
	opts.harmonised = &harmonised{}
	if opts.Mapping == "" {
		return nil
	}
	m, err := harmonise.Load(opts.Mapping)
	if err != nil {
		return flagErr("--mapping", "%v", err)
	}
	opts.harmonised.mapping = m
	return nil
}

// checkMapping compares the mapping with the source's fields once the layer
// is open and before any feature is read.
func checkMapping(opts Options, attrs []attribute) error {
	if opts.harmonised == nil || opts.harmonised.mapping == nil {
		return nil
	}
	if err := opts.harmonised.mapping.Check(schemaFields(attrs)); err != nil {
		return flagErr("--mapping", "%v", err)
	}
	return nil
}

// harmoniseInto applies the mapping to the features, prints its report and,
// under --strict, refuses one with problems; then it completes meta with the
// harmonised schema, the language and the value counts that styles are made
// from, and the map's legend of units when the mapping has one. Nothing has
// been written yet when it fails.
func harmoniseInto(opts Options, features []*geojson.Feature, meta *tileset.Metadata, sum *Summary, log *slog.Logger) error {
	meta.Language = opts.Language
	if h := opts.harmonised; h != nil && h.mapping != nil {
		rep := h.mapping.Apply(features)
		if opts.Report != nil {
			rep.Print(opts.Report)
		}
		if opts.Strict {
			if err := rep.Strict(); err != nil {
				return flagErr("--strict", "%v", err)
			}
		}
		for _, w := range rep.Warnings() {
			log.Warn(w)
		}
		meta.Fields = h.mapping.Schema(meta.Fields)
		meta.Units = rep.TilesetUnits()
		doc, err := json.Marshal(harmonisationDoc{Report: rep, Fields: h.mapping.Fields()})
		if err != nil {
			return fmt.Errorf("%s: cannot encode the harmonisation report: %v", opts.Mapping, err)
		}
		h.doc = doc
		sum.Harmonisation = rep
	}
	meta.ValueCounts = valueCounts(features, meta.Fields, log)
	return nil
}

// putHarmonisation stores the harmonisation document in the new version.
func putHarmonisation(w *tileset.Writer, opts Options) error {
	if opts.harmonised == nil || opts.harmonised.doc == nil {
		return nil
	}
	return w.PutMeta(tileset.MetaHarmonisation, opts.harmonised.doc)
}

// countedFields are the fields whose value counts a tileset keeps: the _uri
// fields of the views whose values come from a vocabulary, which are the
// ones styles classify by.
var countedFields = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, v := range harmonise.Views() {
		for _, f := range v.Fields {
			if f.Kind == harmonise.KindURI && f.Vocabulary != "" {
				set[f.Name] = true
			}
		}
	}
	return set
})

// valueCounts counts the features per value of each counted field present
// in fields, or returns nil when there is none.
func valueCounts(features []*geojson.Feature, fields []tileset.Field, log *slog.Logger) map[string]map[string]int64 {
	counts := map[string]map[string]int64{}
	for _, f := range fields {
		if countedFields()[f.Name] && f.Type == typeString {
			counts[f.Name] = map[string]int64{}
		}
	}
	if len(counts) == 0 {
		return nil
	}
	for _, feat := range features {
		for name, c := range counts {
			if v, ok := feat.Properties[name].(string); ok && v != "" {
				c[v]++
			}
		}
	}
	for name, c := range counts {
		if len(c) > maxCountedValues {
			log.Warn("field has too many distinct values for a legend; only the most frequent are kept for styles",
				"field", name, "values", len(c), "kept", maxCountedValues)
			counts[name] = mostFrequent(c, maxCountedValues)
		}
	}
	return counts
}

// mostFrequent keeps the n values carrying the most features, ties broken by
// value so that the result does not depend on map order.
func mostFrequent(c map[string]int64, n int) map[string]int64 {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(c[b], c[a]), cmp.Compare(a, b))
	})
	out := make(map[string]int64, n)
	for _, k := range keys[:n] {
		out[k] = c[k]
	}
	return out
}
