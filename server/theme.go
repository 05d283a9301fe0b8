package server

import (
	"regexp"
	"slices"
	"strings"

	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// Themes group collections in the catalogue and in the viewer's layer tree,
// in the order both list them.
var themes = []string{"geology", "structure", "occurrences", "geophysics", "basemap"}

// Words in a tileset's title, keywords or description that place it in a
// theme its fields and geometry do not settle, tried in this order.
var themeWords = []struct {
	theme string
	re    *regexp.Regexp
}{
	{"basemap", regexp.MustCompile(`(?i)\b(basemap|base map|natural earth|coastlines?|countries|boundaries|rivers|lakes|places)\b`)},
	{"geophysics", regexp.MustCompile(`(?i)\b(geophysic\w*|magnetic\w*|gravity|radiometric\w*|elevation|dem|bathymetry|aeromagnetic\w*)\b`)},
	{"occurrences", regexp.MustCompile(`(?i)\b(occurrences?|minerali[sz]ation|deposits?|mines?|prospects?|commodit\w*)\b`)},
	{"structure", regexp.MustCompile(`(?i)\b(faults?|structur\w*|lineaments?|dykes?|shear zones?|folds?)\b`)},
	{"geology", regexp.MustCompile(`(?i)\b(geolog\w*|litholog\w*|stratigraph\w*|units?|formations?)\b`)},
}

// themeByWords is the first theme whose words text holds, or "".
func themeByWords(text string) string {
	for _, tw := range themeWords {
		if tw.re.MatchString(text) {
			return tw.theme
		}
	}
	return ""
}

// themeOf is the theme of a tileset: the one ingest --theme gave (which
// may be a OneGeology theme the catalogue does not group by, such as
// hydrogeology); else a keyword naming a theme; then
// what its styles show (ages and lithologies: geology; fault types:
// structure; commodities: occurrences; borders: basemap; a raster:
// geophysics unless its words say basemap); then words in its title, its
// keywords, its description, in that order; then its geometry (lines:
// structure, points: occurrences); geology otherwise.
func themeOf(m *tileset.Metadata) string {
	if m.Theme != "" {
		return m.Theme // ingest --theme
	}
	for _, k := range m.Keywords {
		if t := strings.ToLower(strings.TrimSpace(k)); slices.Contains(themes, t) {
			return t
		}
	}
	texts := []string{m.Title, strings.Join(m.Keywords, ", "), m.Description}
	kinds := styles.Kinds(m)
	switch {
	case m.Kind == tileset.KindRaster:
		for _, text := range texts {
			if t := themeByWords(text); t == "basemap" || t == "geophysics" {
				return t
			}
		}
		return "geophysics"
	case slices.Contains(kinds, styles.KindGeologyAge), slices.Contains(kinds, styles.KindGeologyLithology),
		slices.Contains(kinds, styles.KindEdgeMatching):
		return "geology"
	case slices.Contains(kinds, styles.KindFaultType):
		return "structure"
	case slices.Contains(kinds, styles.KindOccurrenceCommodity):
		return "occurrences"
	case slices.Contains(kinds, styles.KindBorders):
		return "basemap"
	}
	for _, text := range texts {
		if t := themeByWords(text); t != "" {
			return t
		}
	}
	switch m.GeometryType {
	case "line":
		return "structure"
	case "point":
		return "occurrences"
	}
	return "geology"
}
