package server

import (
	"fmt"
	"strings"

	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
)

// wmsStyle is a layer's style made ready to draw: its symbols, their
// classifier and its labels. It is read-only once made, so requests share
// it.
type wmsStyle struct {
	style styles.Style
	syms  []styles.Symbol
	class *render.Classifier
	// texts are the style's labels.
	texts []styles.TextSymbol
}

// wmsStyleKey names a wmsStyle: the version of a collection by its
// Metadata pointer (which the cache keeps alive, so a new version is never
// taken for an old one at a reused address), the STYLES value asked for
// and the base URL the style's links follow.
type wmsStyleKey struct {
	id          string
	meta        *tileset.Metadata
	style, base string
}

// maxWMSStyles is how many wmsStyles the server keeps made.
const maxWMSStyles = 256

// maxLabelPoles and maxLabelTexts bound the label cache: an area's pole
// costs about 150 bytes, a label's raster a few kilobytes.
const (
	maxLabelPoles = 1 << 16
	maxLabelTexts = 4096
)

// wmsStyleOf returns the style named style (a kind, the style id, or ""
// for the preferred one) of the version meta of collection id, made once
// per version rather than on every map: generating a style, its symbols
// and classifier costs more than a small map's drawing.
func (s *server) wmsStyleOf(id string, meta *tileset.Metadata, style, base string) (*wmsStyle, error) {
	return s.wmsStyles.get(wmsStyleKey{id, meta, style, base}, func() (*wmsStyle, int, error) {
		all := s.stylesOf(id, meta, base, "")
		if len(all) == 0 {
			return nil, 0, fmt.Errorf("collection %q has no style", id)
		}
		st := all[0]
		if style != "" {
			var ok bool
			if st, ok = findStyle(all, strings.TrimPrefix(style, id+".")); !ok {
				return nil, 0, wmsError("StyleNotDefined", "styles", "layer %q has no style %q; give one of %s", id, style, strings.Join(kindsOf(all), ", "))
			}
		}
		syms, err := st.Symbols()
		if err != nil {
			return nil, 0, err
		}
		return &wmsStyle{style: st, syms: syms, class: render.NewClassifier(syms), texts: st.TextSymbols()}, 1, nil
	})
}
