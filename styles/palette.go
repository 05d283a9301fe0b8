package styles

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/outcrop/outcrop/vocab"
)

// The palettes are data, read from the JSON files beside this code; each
// file's "about" says what it holds and why its classes are ordered as they are.
//
//go:embed palettes/*.json
var paletteFiles embed.FS

// class is one symbol of a palette: the vocabulary concept it stands for and
// how it is drawn.
type class struct {
	URI string `json:"uri"`
	// Also lists further concepts whose narrower values belong to this class.
	Also []string `json:"also"`
	// Label is set for a fallback only; a class is labelled by its concept.
	Label  string    `json:"label"`
	Colour string    `json:"colour"`
	Width  float64   `json:"width"`
	Dash   []float64 `json:"dash"`
}

// palette maps the values of one vocabulary onto an ordered list of classes.
type palette struct {
	About      string  `json:"about"`
	Vocabulary string  `json:"vocabulary"`
	Classes    []class `json:"classes"`
	Fallback   class   `json:"fallback"`
}

// stops is a zoom table: [zoom, value] pairs, zoom ascending.
type stops [][2]float64

type cartography struct {
	About         string  `json:"about"`
	Background    string  `json:"background"`
	OutlineDarken float64 `json:"outline_darken"`
	AgeFallback   class   `json:"age_fallback"`
	// LineWidthScale multiplies a palette's line width by zoom.
	LineWidthScale stops `json:"line_width_scale"`
	Borders        struct {
		Fields []string  `json:"fields"`
		Colour string    `json:"colour"`
		Width  stops     `json:"width"`
		Dash   []float64 `json:"dash"`
	} `json:"borders"`
	Default struct {
		Colours      []string `json:"colours"`
		FillOpacity  float64  `json:"fill_opacity"`
		LineWidth    stops    `json:"line_width"`
		CircleRadius stops    `json:"circle_radius"`
		CircleStroke float64  `json:"circle_stroke_width"`
	} `json:"default"`
	Occurrences struct {
		CircleRadius stops     `json:"circle_radius"`
		Stroke       string    `json:"stroke"`
		StrokeWidth  float64   `json:"stroke_width"`
		LabelMinZoom float64   `json:"label_minzoom"`
		LabelSize    float64   `json:"label_size"`
		LabelOffset  []float64 `json:"label_offset"`
	} `json:"occurrences"`
	Labels struct {
		Font   []string `json:"font"`
		Colour string   `json:"colour"`
		Halo   string   `json:"halo"`
		HaloW  float64  `json:"halo_width"`
		Units  labels   `json:"units"`
		Points labels   `json:"points"`
		// Faces are the fonts of labels.font served as files, with the
		// characters each draws.
		Faces []struct {
			Font         string   `json:"font"`
			UnicodeRange []string `json:"unicode_range"`
		} `json:"faces"`
	} `json:"labels"`
}

// labels is how one kind of feature is labelled: with the first of Fields
// a tileset has, from MinZoom on.
type labels struct {
	Fields  []string  `json:"fields"`
	MinZoom float64   `json:"minzoom"`
	Size    float64   `json:"size"`
	Anchor  string    `json:"anchor"`
	Offset  []float64 `json:"offset"`
}

// palettes is everything read from palettes/.
type palettes struct {
	lithology, faults, commodity *palette
	carto                        *cartography
	edgeMatch                    *edgeMatchPalette
}

var (
	palettesOnce sync.Once
	palettesVal  *palettes
	palettesErr  error
)

// loadPalettes reads and checks the embedded palettes once. A damaged build
// is an error here, not a style that silently draws everything grey.
func loadPalettes() (*palettes, error) {
	palettesOnce.Do(func() { palettesVal, palettesErr = readPalettes() })
	return palettesVal, palettesErr
}

func readPalettes() (*palettes, error) {
	if err := vocab.Load(); err != nil {
		return nil, err
	}
	p := &palettes{}
	for _, f := range []struct {
		name string
		dst  **palette
	}{
		{"lithology.json", &p.lithology},
		{"faults.json", &p.faults},
		{"commodity.json", &p.commodity},
	} {
		var pal palette
		if err := readJSON(f.name, &pal); err != nil {
			return nil, err
		}
		if err := pal.check(f.name); err != nil {
			return nil, err
		}
		*f.dst = &pal
	}
	var c cartography
	if err := readJSON("cartography.json", &c); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	p.carto = &c
	var em edgeMatchPalette
	if err := readJSON("edgematch.json", &em); err != nil {
		return nil, err
	}
	if err := em.check(); err != nil {
		return nil, err
	}
	p.edgeMatch = &em
	return p, nil
}

func readJSON(name string, v any) error {
	b, err := paletteFiles.ReadFile("palettes/" + name)
	if err != nil {
		return fmt.Errorf("styles: embedded palettes/%s: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("styles: embedded palettes/%s: %v; fix the file and rebuild", name, err)
	}
	return nil
}

func (p *palette) check(file string) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("styles: embedded palettes/%s: %s; fix the file and rebuild", file, fmt.Sprintf(format, a...))
	}
	if _, ok := vocab.Get(p.Vocabulary); !ok {
		return bad("unknown vocabulary %q", p.Vocabulary)
	}
	if len(p.Classes) == 0 {
		return bad("no classes")
	}
	seen := map[string]bool{}
	for i, c := range p.Classes {
		for _, u := range append([]string{c.URI}, c.Also...) {
			k, ok := vocab.Lookup(u)
			if !ok || k.Vocabulary != p.Vocabulary {
				return bad("class %d: <%s> is not in the %s vocabulary", i+1, u, p.Vocabulary)
			}
			if seen[u] {
				return bad("class %d: <%s> appears twice", i+1, u)
			}
			seen[u] = true
		}
		if err := c.checkSymbol(); err != nil {
			return bad("class %d <%s>: %v", i+1, c.URI, err)
		}
	}
	if p.Fallback.Label == "" || p.Fallback.URI != "" {
		return bad("the fallback needs a label and no uri")
	}
	if err := p.Fallback.checkSymbol(); err != nil {
		return bad("fallback: %v", err)
	}
	return nil
}

func (c class) checkSymbol() error {
	if _, err := parseHex(c.Colour); err != nil {
		return err
	}
	if c.Width < 0 || math.IsNaN(c.Width) {
		return fmt.Errorf("width %v is negative", c.Width)
	}
	return checkDash(c.Dash)
}

// checkDash accepts no dash, or an even number of positive lengths: QGIS
// pairs dashes with gaps and rewrites odd patterns.
func checkDash(d []float64) error {
	if len(d)%2 != 0 {
		return fmt.Errorf("dash %v needs an even number of lengths", d)
	}
	for _, x := range d {
		if !(x > 0) {
			return fmt.Errorf("dash %v has a length that is not positive", d)
		}
	}
	return nil
}

func (s stops) check(what string) error {
	if len(s) < 2 {
		return fmt.Errorf("%s needs at least two [zoom, value] stops", what)
	}
	for i := range s {
		if s[i][1] < 0 || i > 0 && !(s[i][0] > s[i-1][0]) {
			return fmt.Errorf("%s: stops must have ascending zooms and non-negative values", what)
		}
	}
	return nil
}

func (c *cartography) check() error {
	bad := func(err error) error {
		return fmt.Errorf("styles: embedded palettes/cartography.json: %v; fix the file and rebuild", err)
	}
	colours := []string{c.Background, c.AgeFallback.Colour, c.Borders.Colour, c.Occurrences.Stroke,
		c.Labels.Colour, c.Labels.Halo}
	colours = append(colours, c.Default.Colours...)
	for _, h := range colours {
		if _, err := parseHex(h); err != nil {
			return bad(err)
		}
	}
	if len(c.Default.Colours) == 0 {
		return bad(fmt.Errorf("default.colours is empty"))
	}
	if c.AgeFallback.Label == "" {
		return bad(fmt.Errorf("age_fallback needs a label"))
	}
	if !(c.OutlineDarken > 0 && c.OutlineDarken < 1) {
		return bad(fmt.Errorf("outline_darken %v must lie between 0 and 1", c.OutlineDarken))
	}
	if !(c.Default.FillOpacity > 0 && c.Default.FillOpacity <= 1) {
		return bad(fmt.Errorf("default.fill_opacity %v must lie in (0, 1]", c.Default.FillOpacity))
	}
	if len(c.Borders.Fields) == 0 {
		return bad(fmt.Errorf("borders.fields is empty"))
	}
	if len(c.Labels.Font) == 0 {
		return bad(fmt.Errorf("labels.font is empty"))
	}
	for _, f := range c.Labels.Faces {
		if !slices.Contains(c.Labels.Font, f.Font) || len(f.UnicodeRange) == 0 {
			return bad(fmt.Errorf("labels.faces: %q must be a font of labels.font, with a unicode_range", f.Font))
		}
	}
	for what, l := range map[string]labels{"labels.units": c.Labels.Units, "labels.points": c.Labels.Points} {
		if len(l.Fields) == 0 || !(l.Size > 0) || len(l.Offset) != 2 || l.Anchor == "" {
			return bad(fmt.Errorf("%s needs fields, a size above 0, an anchor and an offset of two numbers", what))
		}
	}
	if len(c.Occurrences.LabelOffset) != 2 || !(c.Occurrences.LabelSize > 0) {
		return bad(fmt.Errorf("occurrences needs a label_size above 0 and a label_offset of two numbers"))
	}
	if err := checkDash(c.Borders.Dash); err != nil {
		return bad(fmt.Errorf("borders: %v", err))
	}
	for what, s := range map[string]stops{
		"line_width_scale": c.LineWidthScale, "borders.width": c.Borders.Width,
		"default.line_width": c.Default.LineWidth, "default.circle_radius": c.Default.CircleRadius,
		"occurrences.circle_radius": c.Occurrences.CircleRadius,
	} {
		if err := s.check(what); err != nil {
			return bad(err)
		}
	}
	return nil
}

// classify returns the index of the first class that value equals or lies
// under, or -1.
func (p *palette) classify(value string) int {
	for i, c := range p.Classes {
		for _, u := range append([]string{c.URI}, c.Also...) {
			if value == u || vocab.IsNarrower(value, u) {
				return i
			}
		}
	}
	return -1
}

// classifyCommodity places a commodity by its CGI group, as the palette's
// "about" describes.
func (p *palette) classifyCommodity(value string) int {
	for i, c := range p.Classes {
		if value == c.URI {
			return i
		}
	}
	if g, ok := vocab.CommodityGroup(value); ok {
		if i := p.classify(g.URI); i >= 0 {
			return i
		}
	}
	return p.classify(value)
}
