package styles

import (
	"fmt"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/text/language"

	"github.com/outcrop/outcrop/tileset"
)

// The basemap's fields, as data/basemap/basemap.vrt gives them.
const (
	// FieldBasemapTheme names a basemap feature's theme: ocean, land, lakes,
	// rivers, coastline, borders or places (the themes of
	// palettes/basemap.json).
	FieldBasemapTheme = "kind"
	// FieldScaleRank is Natural Earth's rank of a feature, 0 the most
	// important: places show by it.
	FieldScaleRank = "scalerank"
	// FieldPlaceName is the name a place label shows: the place's own
	// (Natural Earth's), or FieldPlaceName_{lang} where the style's
	// language has one (placeName).
	FieldPlaceName = "name"
)

// KindBasemap draws a Natural Earth basemap: ocean and lakes blue, land
// neutral, rivers, coastlines, dashed country borders and places, with the
// ocean colour as background. A viewer draws it below every other layer.
const KindBasemap = "basemap"

// isBasemap tells whether a tileset is a basemap: features of several
// themes told apart by FieldBasemapTheme, ranked by FieldScaleRank.
func isBasemap(meta *tileset.Metadata) bool {
	var theme, rank bool
	for _, f := range meta.Fields {
		theme = theme || f.Name == FieldBasemapTheme
		rank = rank || f.Name == FieldScaleRank
	}
	return theme && rank && (meta.GeometryType == "mixed" || meta.GeometryType == "polygon")
}

// basemapPalette is palettes/basemap.json.
type basemapPalette struct {
	About string `json:"about"`
	// Background is the sea's colour, shown wherever no polygon is drawn.
	Background string `json:"background"`
	Themes     []struct {
		Kind   string    `json:"kind"`
		Label  string    `json:"label"`
		Symbol string    `json:"symbol"`
		Colour string    `json:"colour"`
		Width  stops     `json:"width"`
		Dash   []float64 `json:"dash"`
	} `json:"themes"`
	PlaceStroke string `json:"place_stroke"`
	// PlaceBands are [highest scalerank, minzoom] pairs: places of a rank
	// up to the first and above the band before show from the second.
	PlaceBands     [][2]float64 `json:"place_bands"`
	LabelSize      stops        `json:"label_size"`
	LabelColour    string       `json:"label_colour"`
	LabelHalo      string       `json:"label_halo"`
	LabelHaloWidth float64      `json:"label_halo_width"`
	LabelFont      []string     `json:"label_font"`
	// RiverLabelColour and RiverLabelMinZoom are the river names', set
	// along the rivers.
	RiverLabelColour  string  `json:"river_label_colour"`
	RiverLabelMinZoom float64 `json:"river_label_minzoom"`
}

var loadBasemapPalette = sync.OnceValues(func() (*basemapPalette, error) {
	var p basemapPalette
	if err := readJSON("basemap.json", &p); err != nil {
		return nil, err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("styles: embedded palettes/basemap.json: %s; fix the file and rebuild", fmt.Sprintf(format, a...))
	}
	for _, h := range []string{p.Background, p.PlaceStroke, p.LabelColour, p.LabelHalo, p.RiverLabelColour} {
		if _, err := parseHex(h); err != nil {
			return nil, bad("%v", err)
		}
	}
	for _, t := range p.Themes {
		if _, err := parseHex(t.Colour); err != nil {
			return nil, bad("theme %q: %v", t.Kind, err)
		}
		switch t.Symbol {
		case "fill":
		case "line", "circle":
			if err := t.Width.check(t.Kind + ".width"); err != nil {
				return nil, bad("%v", err)
			}
		default:
			return nil, bad("theme %q: symbol %q is not fill, line or circle", t.Kind, t.Symbol)
		}
		if err := checkDash(t.Dash); err != nil {
			return nil, bad("theme %q: %v", t.Kind, err)
		}
	}
	if len(p.Themes) == 0 || len(p.PlaceBands) == 0 || len(p.LabelFont) == 0 {
		return nil, bad("themes, place_bands and label_font must not be empty")
	}
	if err := p.LabelSize.check("label_size"); err != nil {
		return nil, bad("%v", err)
	}
	return &p, nil
})

// basemap draws each theme of palettes/basemap.json, bottom up, and the
// place names (basemapLabels) when the server serves glyphs. Feature counts
// per theme are not stored, so the legend's counts are zero.
func (b *builder) basemap(leg *Legend) ([]Layer, error) {
	p, err := loadBasemapPalette()
	if err != nil {
		return nil, err
	}
	leg.Field, leg.Symbol, leg.Entries = FieldBasemapTheme, "fill", []Entry{}
	var layers []Layer
	for _, t := range p.Themes {
		e := Entry{Label: t.Label, Symbol: t.Symbol, Colour: t.Colour, Values: []string{t.Kind}, Dash: t.Dash}
		theme := []any{"==", []any{"get", FieldBasemapTheme}, t.Kind}
		switch t.Symbol {
		case "fill":
			l := b.layer(t.Kind, "fill")
			l.Filter = all(b.only("Polygon"), theme)
			l.Paint = map[string]any{"fill-color": t.Colour}
			layers = append(layers, l)
		case "line":
			l := b.layer(t.Kind, "line")
			l.Filter = all(b.only("LineString"), theme)
			l.Layout = map[string]any{"line-join": "round"}
			l.Paint = map[string]any{"line-color": t.Colour, "line-width": byZoom(t.Width, 1)}
			if len(t.Dash) > 0 {
				l.Paint["line-dasharray"] = t.Dash
			}
			layers = append(layers, l)
			e.Width = t.Width[len(t.Width)-1][1]
		case "circle":
			for _, band := range placeBands(p, b.only("Point"), theme) {
				l := b.layer(t.Kind+"-"+band.name, "circle")
				l.MinZoom, l.Filter = band.minZoom, band.filter
				l.Paint = map[string]any{
					"circle-color": t.Colour, "circle-radius": byZoom(t.Width, 1),
					"circle-stroke-color": p.PlaceStroke, "circle-stroke-width": 0.8,
				}
				layers = append(layers, l)
			}
		}
		leg.Entries = append(leg.Entries, e)
	}
	return append(layers, b.basemapLabels(p)...), nil
}

// placeBand is the places of one band of scalerank, shown from minZoom.
type placeBand struct {
	name    string
	minZoom float64
	filter  any
}

// placeBands gives each band of palettes/basemap.json's place_bands its
// filter: a "match" on the ranks it holds (integers, as Natural Earth's), a
// form QGIS reads too.
func placeBands(p *basemapPalette, filters ...[]any) []placeBand {
	var out []placeBand
	lo := 0
	for _, bd := range p.PlaceBands {
		var ranks []any
		for r := lo; r <= int(bd[0]); r++ {
			ranks = append(ranks, r)
		}
		rank := []any{"match", []any{"get", FieldScaleRank}, ranks, true, false}
		out = append(out, placeBand{
			name:    "rank" + strconv.Itoa(int(bd[0])),
			minZoom: bd[1],
			filter:  all(append(filters, rank)...),
		})
		lo = int(bd[0]) + 1
	}
	return out
}

// placeName is the text-field of place labels: in a style of language
// xx (Options.Lang) other than English, name_xx where a place has it, else
// its name, when the tileset has a name_xx field (Natural Earth's name_id,
// name_vi, name_zh…); else the name alone. Natural Earth's name is already
// the English one.
func (b *builder) placeName() any {
	name := []any{"get", FieldPlaceName}
	if b.lang == "" {
		return name
	}
	base, conf := language.Make(b.lang).Base()
	if conf == language.No || base.String() == "en" {
		return name
	}
	local := FieldPlaceName + "_" + base.String()
	if !slices.ContainsFunc(b.meta.Fields, func(f tileset.Field) bool { return f.Name == local }) {
		return name
	}
	return []any{"coalesce", []any{"get", local}, name}
}

// basemapLabels is the hook for place names: a symbol layer per scalerank
// band, drawn only when the server serves glyphs (Options.Glyphs), since
// text needs them. Places of a lower rank win where labels collide: within
// a band by symbol-sort-key, across bands by order, the most important
// band last (on top), since a renderer places the top layer's labels
// first. River names, along the rivers, are below them all, so that they
// never hide a place's.
func (b *builder) basemapLabels(p *basemapPalette) []Layer {
	if b.glyphs == "" {
		return nil
	}
	rivers := b.layer("river-labels", "symbol")
	rivers.MinZoom = p.RiverLabelMinZoom
	rivers.Filter = all(b.only("LineString"), []any{"==", []any{"get", FieldBasemapTheme}, "rivers"})
	rivers.Layout = map[string]any{
		"symbol-placement": "line",
		"text-field":       b.placeName(),
		"text-font":        p.LabelFont,
		"text-size":        byZoom(p.LabelSize, 1),
	}
	rivers.Paint = map[string]any{
		"text-color": p.RiverLabelColour, "text-halo-color": p.LabelHalo, "text-halo-width": p.LabelHaloWidth,
	}
	layers := []Layer{rivers}
	theme := []any{"==", []any{"get", FieldBasemapTheme}, "places"}
	bands := placeBands(p, b.only("Point"), theme)
	slices.Reverse(bands)
	for _, band := range bands {
		l := b.layer("place-labels-"+band.name, "symbol")
		l.MinZoom, l.Filter = band.minZoom, band.filter
		l.Layout = map[string]any{
			"text-field":      b.placeName(),
			"text-font":       p.LabelFont,
			"text-size":       byZoom(p.LabelSize, 1),
			"text-anchor":     "top",
			"text-offset":     []any{0, 0.6},
			"symbol-sort-key": []any{"get", FieldScaleRank},
		}
		l.Paint = map[string]any{
			"text-color": p.LabelColour, "text-halo-color": p.LabelHalo, "text-halo-width": p.LabelHaloWidth,
		}
		layers = append(layers, l)
	}
	return layers
}
