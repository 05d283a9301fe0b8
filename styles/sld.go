package styles

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// Media types of the desktop-GIS encodings of a style, as OGC API - Styles
// and QGIS name them.
const (
	// SLDType is Styled Layer Descriptor 1.1 with Symbology Encoding 1.1,
	// which QGIS, GeoServer and OneGeology portals load.
	SLDType = "application/vnd.ogc.sld+xml;version=1.1"
	// QMLType is a QGIS layer style file (.qml).
	QMLType = "application/vnd.qgis.qml"
)

// symbol is how one legend entry is drawn in the desktop encodings, in
// pixels: the same colours as the MapLibre style, with its sizes at the
// deepest zoom of each zoom table.
type symbol struct {
	kind                     string // "fill", "line" or "circle"
	fill, stroke             string // #RRGGBB; stroke empty for none
	opacity                  float64
	strokeWidth, size        float64
	dash                     []float64 // pixels
	label, field             string
	values                   []string
	fallback, singleFeatures bool // fallback: the values no other entry lists; single: no filter at all
}

// symbols turns the style's legend into one symbol per entry. Only a
// tileset's style has one legend; the combined style has no desktop form.
func (st Style) symbols() ([]symbol, error) {
	if len(st.Legends) != 1 {
		return nil, fmt.Errorf("styles: style %q draws %d tilesets; SLD and QML are offered per tileset", st.ID, len(st.Legends))
	}
	if RasterKind(st.Kind) {
		return nil, fmt.Errorf("styles: style %q draws a raster; SLD and QML are offered for vector tilesets (QGIS draws a raster tileset from its XYZ tiles)", st.ID)
	}
	p, err := loadPalettes()
	if err != nil {
		return nil, err
	}
	c := p.carto
	leg := st.Legends[0]
	single := leg.Field == ""
	var out []symbol
	for _, e := range leg.Entries {
		s := symbol{kind: cmp.Or(e.Symbol, leg.Symbol), fill: e.Colour, opacity: 1, label: e.Label, field: cmp.Or(e.Field, leg.Field), values: e.Values, fallback: e.Fallback, singleFeatures: single}
		switch s.kind {
		case "fill":
			s.stroke, s.strokeWidth = e.Outline, 1
			if st.Kind == KindDefault {
				s.opacity = c.Default.FillOpacity
			}
			if e.Opacity > 0 {
				// A translucent area keeps its outline opaque and dashed
				// (the edge-matching gaps and overlaps).
				s.opacity = e.Opacity
				s.strokeWidth = cmp.Or(e.Width, 1) * last(c.LineWidthScale)
				for _, d := range e.Dash {
					s.dash = append(s.dash, d*s.strokeWidth)
				}
			}
		case "line":
			s.stroke, s.fill = e.Colour, ""
			s.strokeWidth = e.Width
			if st.Kind == KindFaultType || st.Kind == KindEdgeMatching {
				s.strokeWidth = e.Width * last(c.LineWidthScale)
			}
			for _, d := range e.Dash {
				s.dash = append(s.dash, d*s.strokeWidth)
			}
		case "circle":
			if st.Kind == KindDefault {
				s.size, s.stroke, s.strokeWidth = 2*last(c.Default.CircleRadius), darker(e.Colour, c.OutlineDarken), c.Default.CircleStroke
			} else {
				s.size, s.stroke, s.strokeWidth = 2*last(c.Occurrences.CircleRadius), c.Occurrences.Stroke, c.Occurrences.StrokeWidth
			}
		default:
			return nil, fmt.Errorf("styles: style %q has symbol %q", st.ID, s.kind)
		}
		if !s.fallback && !single && len(s.values) == 0 {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func last(s stops) float64 {
	if len(s) == 0 {
		return 1
	}
	return s[len(s)-1][1]
}

// SLD encodes a tileset's style as Styled Layer Descriptor 1.1 with
// Symbology Encoding 1.1, for the layer named layer (the collection id for
// an OGC API - Features layer): one rule per legend entry, filtered on the
// entry's values of the legend's field, the fallback as the else rule. The
// colours are the legend's, so they equal the MapLibre style's.
func (st Style) SLD(layer string) ([]byte, error) {
	syms, err := st.symbols()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se" xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">` + "\n")
	fmt.Fprintf(&b, " <NamedLayer>\n  <se:Name>%s</se:Name>\n  <UserStyle>\n   <se:Name>%s</se:Name>\n   <se:Description><se:Title>%s</se:Title></se:Description>\n   <se:FeatureTypeStyle>\n", esc(layer), esc(st.ID), esc(st.Title))
	for _, s := range syms {
		fmt.Fprintf(&b, "    <se:Rule>\n     <se:Name>%s</se:Name>\n     <se:Description><se:Title>%s</se:Title></se:Description>\n", esc(s.label), esc(s.label))
		switch {
		case s.fallback:
			b.WriteString("     <se:ElseFilter/>\n")
		case !s.singleFeatures:
			b.WriteString("     <ogc:Filter>")
			if len(s.values) > 1 {
				b.WriteString("<ogc:Or>")
			}
			for _, v := range s.values {
				fmt.Fprintf(&b, "<ogc:PropertyIsEqualTo><ogc:PropertyName>%s</ogc:PropertyName><ogc:Literal>%s</ogc:Literal></ogc:PropertyIsEqualTo>", esc(s.field), esc(v))
			}
			if len(s.values) > 1 {
				b.WriteString("</ogc:Or>")
			}
			b.WriteString("</ogc:Filter>\n")
		}
		b.WriteString(s.se())
		b.WriteString("    </se:Rule>\n")
	}
	b.WriteString("   </se:FeatureTypeStyle>\n  </UserStyle>\n </NamedLayer>\n</StyledLayerDescriptor>\n")
	return b.Bytes(), nil
}

// se is the symbolizer of one symbol.
func (s symbol) se() string {
	param := func(name, v string) string { return `<se:SvgParameter name="` + name + `">` + v + `</se:SvgParameter>` }
	stroke := func() string {
		if s.stroke == "" {
			return ""
		}
		out := "<se:Stroke>" + param("stroke", s.stroke) + param("stroke-width", num(s.strokeWidth))
		if len(s.dash) > 0 {
			parts := make([]string, len(s.dash))
			for i, d := range s.dash {
				parts[i] = num(d)
			}
			out += param("stroke-dasharray", strings.Join(parts, " "))
		}
		return out + "</se:Stroke>"
	}
	fill := "<se:Fill>" + param("fill", s.fill)
	if s.opacity < 1 {
		fill += param("fill-opacity", num(s.opacity))
	}
	fill += "</se:Fill>"
	switch s.kind {
	case "fill":
		return "     <se:PolygonSymbolizer>" + fill + stroke() + "</se:PolygonSymbolizer>\n"
	case "line":
		return "     <se:LineSymbolizer>" + stroke() + "</se:LineSymbolizer>\n"
	}
	return "     <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>" + fill + stroke() +
		"</se:Mark><se:Size>" + num(s.size) + "</se:Size></se:Graphic></se:PointSymbolizer>\n"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// QML encodes a tileset's style as a QGIS layer style file: a rule-based
// renderer with one rule per legend entry ("field" IN (values…)), the
// fallback as the ELSE rule, and symbols in pixels with the legend's
// colours.
func (st Style) QML() ([]byte, error) {
	syms, err := st.symbols()
	if err != nil {
		return nil, err
	}
	var rules, symbols bytes.Buffer
	for i, s := range syms {
		filter := ""
		switch {
		case s.fallback:
			filter = ` filter="ELSE"`
		case !s.singleFeatures:
			quoted := make([]string, len(s.values))
			for j, v := range s.values {
				quoted[j] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
			}
			filter = ` filter="` + esc(`"`+strings.ReplaceAll(s.field, `"`, `""`)+`" IN (`+strings.Join(quoted, ",")+`)`) + `"`
		}
		fmt.Fprintf(&rules, "   <rule key=\"{rule-%d}\" symbol=\"%d\" label=\"%s\"%s/>\n", i, i, esc(s.label), filter)
		symbols.WriteString(s.qml(strconv.Itoa(i)))
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n")
	b.WriteString(`<qgis version="3.22.0" styleCategories="Symbology">` + "\n")
	b.WriteString(` <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">` + "\n  <rules key=\"{root}\">\n")
	b.Write(rules.Bytes())
	b.WriteString("  </rules>\n  <symbols>\n")
	b.Write(symbols.Bytes())
	b.WriteString("  </symbols>\n </renderer-v2>\n</qgis>\n")
	return b.Bytes(), nil
}

// qml is the QGIS symbol of one symbol, named name.
func (s symbol) qml(name string) string {
	rgba := func(hex string) string {
		c, err := parseHex(hex)
		if err != nil {
			return "0,0,0,0"
		}
		return fmt.Sprintf("%d,%d,%d,255", c[0], c[1], c[2])
	}
	prop := func(k, v string) string { return `     <prop k="` + k + `" v="` + esc(v) + "\"/>\n" }
	var typ, class, props string
	switch s.kind {
	case "fill":
		typ, class = "fill", "SimpleFill"
		outline := "solid"
		if len(s.dash) > 0 {
			outline = "dash" // a SimpleFill outline has no custom dash
		}
		props = prop("color", rgba(s.fill)) + prop("style", "solid") + prop("outline_color", rgba(s.stroke)) +
			prop("outline_style", outline) + prop("outline_width", num(s.strokeWidth)) + prop("outline_width_unit", "Pixel")
	case "line":
		typ, class = "line", "SimpleLine"
		props = prop("line_color", rgba(s.stroke)) + prop("line_style", "solid") + prop("line_width", num(s.strokeWidth)) +
			prop("line_width_unit", "Pixel") + prop("joinstyle", "round") + prop("capstyle", "round")
		if len(s.dash) > 0 {
			parts := make([]string, len(s.dash))
			for i, d := range s.dash {
				parts[i] = num(d)
			}
			props += prop("use_custom_dash", "1") + prop("customdash", strings.Join(parts, ";")) + prop("customdash_unit", "Pixel")
		}
	default:
		typ, class = "marker", "SimpleMarker"
		props = prop("name", "circle") + prop("color", rgba(s.fill)) + prop("outline_color", rgba(s.stroke)) +
			prop("outline_style", "solid") + prop("outline_width", num(s.strokeWidth)) + prop("outline_width_unit", "Pixel") +
			prop("size", num(s.size)) + prop("size_unit", "Pixel")
	}
	return fmt.Sprintf("   <symbol type=\"%s\" name=\"%s\" alpha=\"%s\" clip_to_extent=\"1\" force_rhr=\"0\">\n    <layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\">\n%s    </layer>\n   </symbol>\n",
		typ, name, num(s.opacity), class, props)
}
