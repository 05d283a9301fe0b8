package styles

import (
	"slices"
	"strings"
)

// LabelFontstacks returns the fontstacks the labels of the generated
// styles name in "text-font" (those of data layers and of the basemap's
// place names), each as MapLibre puts it in a glyph URL: the font names
// joined by commas. A server may draw their common ranges before the
// first map asks for them.
func LabelFontstacks() ([]string, error) {
	p, err := loadPalettes()
	if err != nil {
		return nil, err
	}
	b, err := loadBasemapPalette()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, fonts := range [][]string{p.carto.Labels.Font, b.LabelFont} {
		if s := strings.Join(fonts, ","); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}
