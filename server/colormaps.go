package server

import (
	"fmt"
	"net/http"

	"github.com/outcrop/outcrop/raster"
)

// colormapEntries is how many colours /colormaps gives per ramp: every entry
// of a ramp's lookup table, so that a client's colour bar is the very
// colours the tiles are drawn in.
const colormapEntries = 256

// colormapList is the /colormaps document.
type colormapList struct {
	// Default is the ramp a raster tile is drawn with when colormap= is
	// not given.
	Default   string     `json:"default"`
	Colormaps []colormap `json:"colormaps"`
	Links     []link     `json:"links"`
}

// colormap is one bundled ramp: its name (the colormap= value), what it is
// for, and its colours from the low end (index 0) to the high end, as
// #rrggbb.
type colormap struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Colours     []string `json:"colours"`
}

// handleColormaps serves /colormaps: the ramps raster tiles can be drawn
// with, for a client's ramp switcher and colour bar.
func (s *server) handleColormaps(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(r)
	doc := colormapList{
		Default: raster.DefaultRamp,
		Links:   []link{{Href: base + "/colormaps", Rel: "self", Type: jsonType, Title: "This document"}},
	}
	for _, name := range raster.Ramps() {
		ramp := raster.RampByName(name)
		cm := colormap{Name: name, Description: ramp.Description, Colours: make([]string, colormapEntries)}
		for i := range cm.Colours {
			c := ramp.Colour(float64(i) / (colormapEntries - 1))
			cm.Colours[i] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
		}
		doc.Colormaps = append(doc.Colormaps, cm)
	}
	return s.writeJSON(w, r, docLinked, doc)
}
