package styles

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// Style is one generated style with the legends it was built from.
type Style struct {
	// ID is "{tileset}.{kind}" for a tileset's style (see ID), CombinedID
	// for the whole store's.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Tileset is empty for the combined style.
	Tileset string `json:"tileset,omitempty"`
	Title   string `json:"title"`
	// Legends has one legend per tileset drawn: one for a tileset's style,
	// one per tileset for the combined style.
	Legends []Legend `json:"legends"`
	// Document is the MapLibre style; marshal it for /styles/{id}.json.
	Document *Document `json:"-"`
}

// ID returns the ID of a tileset's style of the given kind. Tileset ids
// cannot hold a dot (tileset.IDRule), so the ID splits back unambiguously.
func ID(tilesetID, kind string) string { return tilesetID + "." + kind }

// SplitID is the inverse of ID.
func SplitID(id string) (tilesetID, kind string, ok bool) {
	t, k, found := strings.Cut(id, ".")
	if !found || t == "" {
		return "", "", false
	}
	if _, known := kindTitles[k]; !known {
		return "", "", false
	}
	return t, k, true
}

// Kinds returns the kinds of style a tileset offers, its preferred one
// first: the thematic styles its harmonised fields and geometry allow
// (geology by unit, by age, by lithology), borders for polygons carrying a
// country code, and always the default style last.
func Kinds(meta *tileset.Metadata) []string {
	if meta == nil {
		return nil
	}
	if isRaster(meta) {
		if hasSurface(meta) {
			return []string{KindRaster, KindTerrain}
		}
		return []string{KindRaster}
	}
	has := map[string]bool{}
	for _, f := range meta.Fields {
		has[f.Name] = true
	}
	g := meta.GeometryType
	polygons := g == "polygon" || g == "mixed"
	lines := g == "line" || g == "mixed"
	points := g == "point" || g == "mixed"
	var kinds []string
	if isBasemap(meta) {
		kinds = append(kinds, KindBasemap)
	}
	if isEdgeMatching(has) {
		kinds = append(kinds, KindEdgeMatching)
	}
	// Units first: in the survey's own colours, what its geologists expect,
	// or in shades of their age colours, which still read as the age map
	// at a glance and tell its units apart.
	if polygons && hasUnits(meta) {
		kinds = append(kinds, KindGeologyUnit)
	}
	if polygons && has[FieldAge] {
		kinds = append(kinds, KindGeologyAge)
	}
	if polygons && has[FieldLithology] {
		kinds = append(kinds, KindGeologyLithology)
	}
	if lines && has[FieldFaultType] {
		kinds = append(kinds, KindFaultType)
	}
	if points && has[FieldCommodity] {
		kinds = append(kinds, KindOccurrenceCommodity)
	}
	if g == "polygon" && len(kinds) == 0 && hasBorderField(meta) {
		kinds = append(kinds, KindBorders)
	}
	return append(kinds, KindDefault)
}

func hasBorderField(meta *tileset.Metadata) bool {
	p, err := loadPalettes()
	if err != nil {
		return false
	}
	for _, f := range meta.Fields {
		for _, b := range p.carto.Borders.Fields {
			if strings.EqualFold(f.Name, b) {
				return true
			}
		}
	}
	return false
}

// ForTileset generates every style the tileset offers (see Kinds), its
// preferred one first. counts must hold the value counts of each harmonised
// field a thematic style reads; a tileset with such a field but no counts
// for it is an error, since its style could list no value. meta.ID names
// the tileset in the styles' ids, sources, layers and URLs: a server sets it
// to the id it serves the tileset under, which is not always the one stored
// in the file.
func ForTileset(meta *tileset.Metadata, counts Counts, opts Options) ([]Style, error) {
	b, err := newBuilder(meta, opts)
	if err != nil {
		return nil, err
	}
	var out []Style
	for _, k := range Kinds(meta) {
		s, err := b.build(k, counts)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ForKind generates one of the tileset's styles, as ForTileset would; it is
// an error if the tileset does not offer that kind.
func ForKind(meta *tileset.Metadata, kind string, counts Counts, opts Options) (Style, error) {
	b, err := newBuilder(meta, opts)
	if err != nil {
		return Style{}, err
	}
	for _, k := range Kinds(meta) {
		if k == kind {
			return b.build(k, counts)
		}
	}
	return Style{}, fmt.Errorf("styles: tileset %q has no %q style; it offers %s", meta.ID, kind, strings.Join(Kinds(meta), ", "))
}

// builder makes the styles of one tileset.
type builder struct {
	meta   *tileset.Metadata
	pal    *palettes
	glyphs string // the glyphs URL, empty when the server serves none
	// fontFiles is the URL template of font files ({font}), empty when the
	// server serves none.
	fontFiles string
	lang      string
	mixed     bool // several geometry types: layers filter by geometry
	// sourceID names the tileset's source in a style; prefix starts its
	// layer ids, so that they stay unique in the combined style.
	sourceID, prefix string
	source           Source
	defaultColour    string
}

func newBuilder(meta *tileset.Metadata, opts Options) (*builder, error) {
	if meta == nil {
		return nil, fmt.Errorf("styles: no tileset metadata")
	}
	if err := tileset.ValidateID(meta.ID); err != nil {
		return nil, fmt.Errorf("styles: %v", err)
	}
	switch {
	case isRaster(meta):
	case meta.Layer == "":
		return nil, fmt.Errorf("styles: tileset %q names no vector layer; re-ingest it", meta.ID)
	case meta.GeometryType != "point" && meta.GeometryType != "line" && meta.GeometryType != "polygon" && meta.GeometryType != "mixed":
		return nil, fmt.Errorf("styles: tileset %q has geometry type %q, not point, line, polygon or mixed; re-ingest it", meta.ID, meta.GeometryType)
	}
	pal, err := loadPalettes()
	if err != nil {
		return nil, err
	}
	base, glyphs, fontFiles, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	h := fnv.New32a()
	h.Write([]byte(meta.ID))
	colours := pal.carto.Default.Colours
	source := Source{Type: "vector", URL: base + "/tiles/" + meta.ID + ".json"}
	if isRaster(meta) {
		source.Type, source.TileSize = "raster", meta.Raster.TileSize
	}
	return &builder{
		meta: meta, pal: pal, glyphs: glyphs, fontFiles: fontFiles, lang: opts.Lang,
		mixed:         meta.GeometryType == "mixed",
		sourceID:      meta.ID,
		prefix:        meta.ID + ".",
		source:        source,
		defaultColour: colours[h.Sum32()%uint32(len(colours))],
	}, nil
}

func (b *builder) build(kind string, counts Counts) (Style, error) {
	id := ID(b.meta.ID, kind)
	title := b.title() + " — " + kindTitles[kind]
	leg := Legend{Style: id, Tileset: b.meta.ID, Title: title}
	if b.lang != "" && !strings.EqualFold(b.lang, "en") {
		leg.Lang = b.lang
	}
	var layers []Layer
	var err error
	switch kind {
	case KindGeologyAge, KindGeologyLithology, KindFaultType, KindOccurrenceCommodity:
		layers, err = b.thematic(kind, counts, &leg)
	case KindGeologyUnit:
		layers = b.units(&leg)
	case KindBorders:
		layers = b.borders(&leg)
	case KindEdgeMatching:
		layers = b.edgeMatching(counts, &leg)
	case KindRaster, KindTerrain:
		layers = b.raster(&leg)
	case KindBasemap:
		layers, err = b.basemap(&leg)
	default:
		layers = b.plain(&leg)
	}
	if err != nil {
		return Style{}, err
	}
	layers = append(layers, b.labels(kind)...)
	doc := b.document(title, []Legend{leg}, layers)
	switch kind {
	case KindBasemap:
		p, _ := loadBasemapPalette() // read without error by b.basemap
		doc.Layers[0].Paint["background-color"] = p.Background
	case KindTerrain:
		b.terrain(doc)
	}
	return Style{ID: id, Kind: kind, Tileset: b.meta.ID, Title: title, Legends: []Legend{leg}, Document: doc}, nil
}

func (b *builder) title() string {
	if b.meta.Title != "" {
		return b.meta.Title
	}
	return b.meta.ID
}

// document wraps layers into a style over this tileset's source, with a
// background and the legends in its metadata.
func (b *builder) document(name string, legends []Legend, layers []Layer) *Document {
	d := &Document{
		Version:  8,
		Name:     name,
		Metadata: map[string]any{"outcrop:legends": legends},
		Glyphs:   b.glyphs,
		Sources:  map[string]Source{b.sourceID: b.source},
		Layers:   append([]Layer{b.background()}, layers...),
	}
	if b.fontFiles != "" && slices.ContainsFunc(layers, func(l Layer) bool { return l.Type == "symbol" }) {
		d.FontFaces = map[string][]FontFace{}
		for _, f := range b.pal.carto.Labels.Faces {
			u := strings.ReplaceAll(b.fontFiles, "{font}", url.PathEscape(f.Font))
			d.FontFaces[f.Font] = []FontFace{{URL: u, UnicodeRange: f.UnicodeRange}}
		}
	}
	if c := b.meta.Center; c != [3]float64{} {
		z := c[2]
		d.Center, d.Zoom = []float64{c[0], c[1]}, &z
	}
	return d
}

func (b *builder) background() Layer {
	return Layer{ID: "background", Type: "background", Paint: map[string]any{"background-color": b.pal.carto.Background}}
}

// layer starts a layer of this tileset's source.
func (b *builder) layer(id, typ string) Layer {
	return Layer{ID: b.prefix + id, Type: typ, Source: b.sourceID, SourceLayer: b.meta.Layer}
}

// only restricts a layer to one geometry type in a mixed tileset, where a
// line layer would otherwise also outline polygons and a circle layer mark
// their vertices.
func (b *builder) only(t string) []any {
	if !b.mixed {
		return nil
	}
	return geometryIs(t)
}

// thematic builds the classified styles: first the legend from the counts,
// then the layers from the legend.
func (b *builder) thematic(kind string, counts Counts, leg *Legend) ([]Layer, error) {
	field := map[string]string{
		KindGeologyAge: FieldAge, KindGeologyLithology: FieldLithology,
		KindFaultType: FieldFaultType, KindOccurrenceCommodity: FieldCommodity,
	}[kind]
	values, ok := counts[field]
	if !ok {
		return nil, fmt.Errorf("styles: tileset %q has field %s but no counts of its values; pass them in counts[%q]", b.meta.ID, field, field)
	}
	leg.Field = field
	p := b.pal
	darken := p.carto.OutlineDarken
	var def Entry // drawn for values no entry lists, e.g. features without the field
	switch kind {
	case KindGeologyAge:
		leg.Vocabulary, leg.Symbol = "ics", "fill"
		leg.Entries = ageEntries(values, p, b.lang)
		def = Entry{Colour: p.carto.AgeFallback.Colour, Outline: darker(p.carto.AgeFallback.Colour, darken)}
	case KindGeologyLithology:
		leg.Vocabulary, leg.Symbol = p.lithology.Vocabulary, "fill"
		leg.Entries = classEntries(values, p.lithology, p.lithology.classify, b.lang, darken)
		def = Entry{Colour: p.lithology.Fallback.Colour, Outline: darker(p.lithology.Fallback.Colour, darken)}
	case KindFaultType:
		leg.Vocabulary, leg.Symbol = p.faults.Vocabulary, "line"
		leg.Entries = classEntries(values, p.faults, p.faults.classify, b.lang, 0)
		def = p.faults.Fallback.entry("", "")
	case KindOccurrenceCommodity:
		leg.Vocabulary, leg.Symbol = p.commodity.Vocabulary, "circle"
		leg.Entries = classEntries(values, p.commodity, p.commodity.classifyCommodity, b.lang, 0)
		def = Entry{Colour: p.commodity.Fallback.Colour}
	}
	if v, ok := vocabAttribution(leg.Vocabulary); ok {
		leg.Attribution = v
	}
	def = fallbackOf(leg.Entries, def)
	switch leg.Symbol {
	case "fill":
		return []Layer{b.classFill(field, leg.Entries, def)}, nil
	case "line":
		return b.classLayers(field, "LineString", leg.Entries, def, b.line), nil
	}
	return b.occurrences(field, values, leg.Entries, def), nil
}

func (b *builder) classFill(field string, entries []Entry, def Entry) Layer {
	l := b.layer("fill", "fill")
	l.Paint = map[string]any{
		"fill-color":         match(field, arms(entries, func(e Entry) any { return e.Colour }), def.Colour),
		"fill-outline-color": match(field, arms(entries, func(e Entry) any { return e.Outline }), def.Outline),
	}
	return l
}

// classLayers draws one layer per class, each with constant paint and a
// filter on the class's values: QGIS reads neither a line width nor a dash
// that varies by feature, and QGIS 3.22 drops a circle colour that does.
// The fallback goes at the bottom and the first legend entry on top.
func (b *builder) classLayers(field, geom string, entries []Entry, def Entry, draw func(name string, filter any, e Entry) Layer) []Layer {
	var listed []string
	for _, e := range entries {
		if !e.Fallback {
			listed = append(listed, e.Values...)
		}
	}
	var other []any
	if len(listed) > 0 {
		other = in(field, listed, true)
	}
	layers := []Layer{draw("other", all(b.only(geom), other), def)}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Fallback {
			continue
		}
		name := e.URI[strings.LastIndexAny(e.URI, "/#")+1:]
		layers = append(layers, draw(name, all(b.only(geom), in(field, e.Values, false)), e))
	}
	return layers
}

func (b *builder) line(name string, filter any, e Entry) Layer {
	l := b.layer(name, "line")
	l.Filter = filter
	l.Layout = map[string]any{"line-join": "round"}
	l.Paint = map[string]any{
		"line-color": e.Colour,
		"line-width": byZoom(b.pal.carto.LineWidthScale, e.Width),
	}
	if len(e.Dash) > 0 {
		l.Paint["line-dasharray"] = e.Dash
	}
	return l
}

func (b *builder) circle(name string, filter any, e Entry) Layer {
	o := b.pal.carto.Occurrences
	l := b.layer(name, "circle")
	l.Filter = filter
	l.Paint = map[string]any{
		"circle-color":        e.Colour,
		"circle-radius":       byZoom(o.CircleRadius, 1),
		"circle-stroke-color": o.Stroke,
		"circle-stroke-width": o.StrokeWidth,
	}
	return l
}

// occurrences draws circles by commodity group and, when the server serves
// glyphs, each occurrence's commodity code beside it at high zoom.
func (b *builder) occurrences(field string, values map[string]int64, entries []Entry, def Entry) []Layer {
	layers := b.classLayers(field, "Point", entries, def, b.circle)
	if b.glyphs == "" {
		return layers
	}
	codes := commodityCodes(values)
	if len(codes) == 0 {
		return layers
	}
	o := b.pal.carto.Occurrences
	t := b.text("code", match(field, codes, ""), "Point", labels{MinZoom: o.LabelMinZoom, Size: o.LabelSize, Anchor: "top", Offset: o.LabelOffset})
	return append(layers, t)
}

// labels are a style's text layers, when the server serves glyphs: unit
// codes (or names) on polygons, names on points, from the tileset's first
// string field of those the cartography lists. Faults and borders have
// none.
func (b *builder) labels(kind string) []Layer {
	if b.glyphs == "" {
		return nil
	}
	lb := b.pal.carto.Labels
	g := b.meta.GeometryType
	var out []Layer
	polygons := (kind == KindGeologyAge || kind == KindGeologyUnit || kind == KindGeologyLithology || kind == KindDefault) && (g == "polygon" || g == "mixed")
	if f := b.labelField(lb.Units.Fields); polygons && f != "" {
		out = append(out, b.text("unit-label", []any{"get", f}, "Polygon", lb.Units))
	}
	points := (kind == KindOccurrenceCommodity || kind == KindDefault) && (g == "point" || g == "mixed")
	if f := b.labelField(lb.Points.Fields); points && f != "" {
		out = append(out, b.text("name", []any{"get", f}, "Point", lb.Points))
	}
	return out
}

// labelField is the first of names the tileset has as a string field,
// ignoring case, under its own spelling; empty when it has none.
func (b *builder) labelField(names []string) string {
	for _, n := range names {
		for _, f := range b.meta.Fields {
			if strings.EqualFold(f.Name, n) && f.Type == "string" {
				return f.Name
			}
		}
	}
	return ""
}

// text is a symbol layer drawing field as text on features of geometry
// geom, readable over any fill: a halo, and MapLibre's collision checks
// left on so that labels do not overlap.
func (b *builder) text(id string, field any, geom string, l labels) Layer {
	lb := b.pal.carto.Labels
	t := b.layer(id, "symbol")
	t.MinZoom = l.MinZoom
	t.Filter = all(b.only(geom))
	t.Layout = map[string]any{
		"text-field":     field,
		"text-font":      lb.Font,
		"text-size":      l.Size,
		"text-anchor":    l.Anchor,
		"text-offset":    l.Offset,
		"text-max-width": 8,
		"text-padding":   2,
	}
	t.Paint = map[string]any{
		"text-color":      lb.Colour,
		"text-halo-color": lb.Halo,
		"text-halo-width": lb.HaloW,
	}
	return t
}

// borders draws polygons as outlines only.
func (b *builder) borders(leg *Legend) []Layer {
	bd := b.pal.carto.Borders
	leg.Symbol = "line"
	leg.Entries = []Entry{{Label: b.title(), Colour: bd.Colour, Width: bd.Width[len(bd.Width)-1][1], Dash: bd.Dash, Count: b.meta.FeatureCount}}
	l := b.layer("line", "line")
	l.Layout = map[string]any{"line-join": "round"}
	l.Paint = map[string]any{"line-color": bd.Colour, "line-width": byZoom(bd.Width, 1)}
	if len(bd.Dash) > 0 {
		l.Paint["line-dasharray"] = bd.Dash
	}
	return []Layer{l}
}

// plain draws the tileset in one colour, chosen from the default palette
// by its id so that tilesets differ in the combined style.
func (b *builder) plain(leg *Legend) []Layer {
	d := b.pal.carto.Default
	colour, outline := b.defaultColour, darker(b.defaultColour, b.pal.carto.OutlineDarken)
	e := Entry{Label: b.title(), Colour: colour, Count: b.meta.FeatureCount}
	var layers []Layer
	g := b.meta.GeometryType
	if g == "polygon" || g == "mixed" {
		l := b.layer("fill", "fill")
		l.Filter = all(b.only("Polygon"))
		l.Paint = map[string]any{"fill-color": colour, "fill-opacity": d.FillOpacity, "fill-outline-color": outline}
		layers = append(layers, l)
		leg.Symbol, e.Outline = "fill", outline
	}
	if g == "line" || g == "mixed" {
		l := b.layer("line", "line")
		l.Filter = all(b.only("LineString"))
		l.Layout = map[string]any{"line-join": "round"}
		l.Paint = map[string]any{"line-color": colour, "line-width": byZoom(d.LineWidth, 1)}
		layers = append(layers, l)
		if leg.Symbol == "" {
			leg.Symbol, e.Width = "line", d.LineWidth[len(d.LineWidth)-1][1]
		}
	}
	if g == "point" || g == "mixed" {
		l := b.layer("circle", "circle")
		l.Filter = all(b.only("Point"))
		l.Paint = map[string]any{
			"circle-color": colour, "circle-radius": byZoom(d.CircleRadius, 1),
			"circle-stroke-color": outline, "circle-stroke-width": d.CircleStroke,
		}
		layers = append(layers, l)
		if leg.Symbol == "" {
			leg.Symbol = "circle"
		}
	}
	leg.Entries = []Entry{e}
	return layers
}

// commodityCodes pairs each CGI commodity code with the values that carry
// it, for the label layer's text.
func commodityCodes(values map[string]int64) []arm {
	byCode := map[string][]string{}
	for v := range values {
		if c, ok := vocab.Lookup(v); ok && c.Vocabulary == "commodity" && c.Notation != "" {
			byCode[c.Notation] = append(byCode[c.Notation], v)
		}
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]arm, len(codes))
	for i, c := range codes {
		vs := byCode[c]
		sort.Strings(vs)
		out[i] = arm{values: vs, out: c}
	}
	return out
}
