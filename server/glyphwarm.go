package server

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/outcrop/outcrop/tileset"
)

// labelScanFeatures is the most features of one tileset whose label texts
// warmGlyphs reads for the characters they use: all of a survey's map, and
// of a larger one a sample (its first features, by id), read in well
// under a second.
const labelScanFeatures = 100_000

// glyphWarmDataBytes bounds the glyph ranges drawn ahead for the data's
// labels (dataRanges): a quarter of the glyph cache, so that drawing them
// cannot push out the common ranges, and at most about 40 ranges of
// Chinese characters (about 200 KB each). A font is read whole the first
// time it draws (Noto Sans CJK, 19 MB), as it would be at the first map
// that asked for the range; ranges the data does not use are not drawn,
// so a store without CJK text never reads it.
const glyphWarmDataBytes = glyphCacheBytes / 4

// rangeUse is how many characters of the served labels fall in the glyph
// range from start of a fontstack.
type rangeUse struct {
	fontstack string
	start     rune
	chars     int
}

// dataRanges returns the glyph ranges the labels of the served tilesets use
// beyond warmRanges, most used first: the characters of the fields their
// styles label (in every interface language and the tileset's own, and
// the basemap's place names among them) and of the codes they label with.
// Rasters have no labels.
func (s *server) dataRanges() []rangeUse {
	counts := map[glyphKey]int{}
	for _, id := range s.catalog.IDs() {
		ts, release, err := s.catalog.Acquire(id)
		if err != nil {
			continue
		}
		s.countLabelRanges(id, ts, counts)
		release()
	}
	var out []rangeUse
	for k, n := range counts {
		if !slices.Contains(warmRanges, k.start) {
			out = append(out, rangeUse{k.fontstack, k.start, n})
		}
	}
	slices.SortFunc(out, func(a, b rangeUse) int {
		return cmp.Or(cmp.Compare(b.chars, a.chars), strings.Compare(a.fontstack, b.fontstack), cmp.Compare(a.start, b.start))
	})
	return out
}

// countLabelRanges adds the characters of tileset id's labels to counts,
// by fontstack and range.
func (s *server) countLabelRanges(id string, ts *tileset.Reader, counts map[glyphKey]int) {
	meta := ts.Metadata()
	if meta.Raster != nil {
		return
	}
	fields := map[string][]string{} // label field → fontstacks
	add := func(fontstack, text string) {
		for _, r := range text {
			if r < 0x10000 {
				counts[glyphKey{fontstack, r &^ 0xff}]++
			}
		}
	}
	for _, lang := range append([]string{""}, uiLanguages...) {
		for _, st := range s.stylesOf(id, meta, "http://outcrop.invalid", lang) { // the base is not used
			for _, t := range st.TextSymbols() {
				stack := strings.Join(t.Fonts, ",")
				for _, f := range []string{t.Field, t.Fallback} {
					if f != "" && !slices.Contains(fields[f], stack) {
						fields[f] = append(fields[f], stack)
					}
				}
				for _, code := range t.Codes {
					add(stack, code)
				}
			}
		}
	}
	if len(fields) == 0 {
		return
	}
	names := slices.Sorted(maps.Keys(fields))
	var doc struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_, err := ts.Features(tileset.FeatureQuery{Limit: labelScanFeatures}, func(f tileset.RawFeature) error {
		doc.Properties = nil
		if json.Unmarshal(f.JSON, &doc) != nil {
			return nil
		}
		for _, name := range names {
			raw, ok := doc.Properties[name]
			if !ok {
				continue
			}
			var text string
			if json.Unmarshal(raw, &text) != nil {
				continue
			}
			for _, stack := range fields[name] {
				add(stack, text)
			}
		}
		return nil
	})
	if err != nil {
		s.log.Warn("reading label texts to draw their glyphs ahead", "tileset", id, "err", err)
	}
}
