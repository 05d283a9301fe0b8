package styles

import (
	"fmt"
	"slices"

	"github.com/outcrop/outcrop/compile/qa"
)

// The fields of an {id}-qa tileset the edge-matching style reads (compile
// writes them; compile/CONFIG.md): "kind" is segment, gap or overlap, and a
// segment's "class" one of qa.Classes.
const (
	FieldQAKind  = "kind"
	FieldQAClass = "class"
)

// isEdgeMatching tells an {id}-qa tileset by its schema: the kind and class
// of each feature and the units on either side of a segment.
func isEdgeMatching(has map[string]bool) bool {
	return has[FieldQAKind] && has[FieldQAClass] && has["a_identifier"] && has["b_identifier"]
}

// edgeMatchPalette is palettes/edgematch.json.
type edgeMatchPalette struct {
	About    string `json:"about"`
	Segments []struct {
		Class string `json:"class"`
		class
	} `json:"segments"`
	Areas []struct {
		Kind string `json:"kind"`
		class
	} `json:"areas"`
	AreaOpacity float64 `json:"area_opacity"`
	Hatch       struct {
		Spacing float64 `json:"spacing"`
		Width   float64 `json:"width"`
	} `json:"hatch"`
}

// check holds the palette to the report's contract: one symbol per segment
// class in report order, one per area kind.
func (p *edgeMatchPalette) check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("styles: embedded palettes/edgematch.json: %s; fix the file and rebuild", fmt.Sprintf(format, a...))
	}
	var classes, kinds []string
	for _, s := range p.Segments {
		classes = append(classes, s.Class)
		if err := s.checkSymbol(); err != nil || s.Label == "" || !(s.Width > 0) {
			return bad("segment %q needs a label, a width above 0 and a valid symbol (%v)", s.Class, err)
		}
	}
	for _, a := range p.Areas {
		kinds = append(kinds, a.Kind)
		if err := a.checkSymbol(); err != nil || a.Label == "" || !(a.Width > 0) {
			return bad("area %q needs a label, a width above 0 and a valid symbol (%v)", a.Kind, err)
		}
	}
	if !slices.Equal(classes, qa.Classes) {
		return bad("segments are %q, want the report's classes in its order, %q", classes, qa.Classes)
	}
	if !slices.Equal(kinds, []string{qa.KindGap, qa.KindOverlap}) {
		return bad("areas are %q, want %q and %q", kinds, qa.KindGap, qa.KindOverlap)
	}
	if !(p.AreaOpacity > 0 && p.AreaOpacity < 1) {
		return bad("area_opacity %v must lie between 0 and 1", p.AreaOpacity)
	}
	if !(p.Hatch.Spacing > p.Hatch.Width && p.Hatch.Width > 0) {
		return bad("hatch needs a width above 0 and a spacing above the width")
	}
	return nil
}

// edgeMatching draws an {id}-qa tileset: gaps and overlaps as translucent
// areas with a dashed outline (hatched by the viewer, from the fill
// layer's "outcrop:hatch" metadata), under the border segments, one line
// layer per class so that width and dash stay constants QGIS reads, in
// report order so that mismatches lie over agreement. The legend lists
// every class and kind whether present or not: it is the key to the
// report. Counts of "class" and "kind", where given, fill in its counts.
func (b *builder) edgeMatching(counts Counts, leg *Legend) []Layer {
	p := b.pal.edgeMatch
	scale := b.pal.carto.LineWidthScale
	leg.Field, leg.Symbol = FieldQAClass, "line"
	var areas, lines []Layer
	for _, a := range p.Areas {
		filter := all(geometryIs("Polygon"), in(FieldQAKind, []string{a.Kind}, false))
		fill := b.layer(a.Kind+"-area", "fill")
		fill.Filter = filter
		fill.Paint = map[string]any{"fill-color": a.Colour, "fill-opacity": p.AreaOpacity}
		fill.Metadata = map[string]any{"outcrop:hatch": map[string]any{"colour": a.Colour, "spacing": p.Hatch.Spacing, "width": p.Hatch.Width}}
		outline := b.layer(a.Kind+"-outline", "line")
		outline.Filter = filter
		outline.Paint = map[string]any{"line-color": a.Colour, "line-width": byZoom(scale, a.Width), "line-dasharray": a.Dash}
		areas = append(areas, fill, outline)
		leg.Entries = append(leg.Entries, Entry{
			Label: a.Label, Colour: a.Colour, Outline: a.Colour, Width: a.Width, Dash: a.Dash,
			Count: counts[FieldQAKind][a.Kind], Values: []string{a.Kind},
			Symbol: "fill", Field: FieldQAKind, Opacity: p.AreaOpacity, Hatch: true,
		})
	}
	var segments []Entry
	for _, s := range p.Segments {
		l := b.layer(s.Class, "line")
		l.Filter = all(geometryIs("LineString"), in(FieldQAClass, []string{s.Class}, false))
		l.Layout = map[string]any{"line-join": "round", "line-cap": "butt"}
		l.Paint = map[string]any{"line-color": s.Colour, "line-width": byZoom(scale, s.Width)}
		if len(s.Dash) > 0 {
			l.Paint["line-dasharray"] = s.Dash
		}
		lines = append(lines, l)
		segments = append(segments, Entry{
			Label: s.Label, Colour: s.Colour, Width: s.Width, Dash: s.Dash,
			Count: counts[FieldQAClass][s.Class], Values: []string{s.Class},
		})
	}
	// Segments first in the legend, as in the report.
	leg.Entries = append(segments, leg.Entries...)
	return append(areas, lines...)
}
