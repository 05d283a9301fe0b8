package styles

import (
	"cmp"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// sldDoc is what the tests read back from an SLD: each rule's filter
// values, whether it is the else rule, and its colours.
type sldDoc struct {
	XMLName xml.Name `xml:"http://www.opengis.net/sld StyledLayerDescriptor"`
	Version string   `xml:"version,attr"`
	Layer   string   `xml:"NamedLayer>Name"`
	Rules   []struct {
		Name        string     `xml:"Name"`
		Values      []string   `xml:"Filter>Or>PropertyIsEqualTo>Literal"`
		Value       string     `xml:"Filter>PropertyIsEqualTo>Literal"`
		Field       []string   `xml:"Filter>Or>PropertyIsEqualTo>PropertyName"`
		Else        *struct{}  `xml:"ElseFilter"`
		PolygonFill []sldParam `xml:"PolygonSymbolizer>Fill>SvgParameter"`
		LineStroke  []sldParam `xml:"LineSymbolizer>Stroke>SvgParameter"`
		PointFill   []sldParam `xml:"PointSymbolizer>Graphic>Mark>Fill>SvgParameter"`
	} `xml:"NamedLayer>UserStyle>FeatureTypeStyle>Rule"`
}

type sldParam struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

// TestSLDFollowsTheLegend checks every tileset style's SLD against the
// style itself: a rule per drawn legend entry, filtered on exactly the
// entry's values, in the colour the MapLibre style gives those values.
func TestSLDFollowsTheLegend(t *testing.T) {
	for _, st := range allStyles(t, Options{Base: "http://example.com"}) {
		if st.ID == CombinedID || RasterKind(st.Kind) {
			if _, err := st.SLD("x"); err == nil {
				t.Errorf("style %s has an SLD; SLD is for one vector tileset", st.ID)
			}
			continue
		}
		raw, err := st.SLD(st.Tileset)
		if err != nil {
			t.Fatalf("%s: %v", st.ID, err)
		}
		var doc sldDoc
		if err := xml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: the SLD does not parse: %v\n%s", st.ID, err, raw)
		}
		if doc.Version != "1.1.0" || doc.Layer != st.Tileset {
			t.Errorf("%s: SLD version %q layer %q", st.ID, doc.Version, doc.Layer)
		}
		leg := st.Legends[0]
		if len(doc.Rules) != len(leg.Entries) {
			t.Fatalf("%s: %d rules for %d legend entries\n%s", st.ID, len(doc.Rules), len(leg.Entries), raw)
		}
		mapDoc := decoded(t, st)
		for i, r := range doc.Rules {
			e := leg.Entries[i]
			field, sym := cmp.Or(e.Field, leg.Field), cmp.Or(e.Symbol, leg.Symbol)
			values := r.Values
			if r.Value != "" {
				values = []string{r.Value}
			}
			if e.Fallback != (r.Else != nil) || !e.Fallback && field != "" && strings.Join(values, "|") != strings.Join(e.Values, "|") {
				t.Errorf("%s rule %d (%s): else %v, values %v; the legend entry has fallback %v, values %v", st.ID, i, r.Name, r.Else != nil, values, e.Fallback, e.Values)
			}
			colour := ""
			for _, p := range append(append(r.PolygonFill, r.LineStroke...), r.PointFill...) {
				if p.Name == "fill" || sym == "line" && p.Name == "stroke" {
					colour = p.Value
					break
				}
			}
			if colour != e.Colour {
				t.Errorf("%s rule %d (%s): colour %q, the legend's %q", st.ID, i, r.Name, colour, e.Colour)
			}
			// The MapLibre fill colour of the entry's values is the same.
			if sym == "fill" && field != "" && len(e.Values) > 0 {
				name := ".fill"
				switch {
				case e.Hatch:
					name = "." + e.Values[0] + "-area" // edge-matching areas: one layer each
				case st.Kind == KindBasemap:
					name = "." + e.Values[0] // a layer per theme, drawn bottom up
				}
				l := layerNamed(t, mapDoc, name)
				if got := evalMatch(t, l["paint"].(map[string]any)["fill-color"], field, e.Values[0]); got != colour {
					t.Errorf("%s: %s is %v in the MapLibre style, %s in the SLD", st.ID, e.Values[0], got, colour)
				}
			}
		}
	}
}

// TestQMLFollowsTheLegend checks every tileset style's QML: a rule per
// legend entry with its values, the fallback as ELSE, and a symbol in the
// entry's colour.
func TestQMLFollowsTheLegend(t *testing.T) {
	for _, st := range allStyles(t, Options{Base: "http://example.com"}) {
		if st.ID == CombinedID {
			continue
		}
		if RasterKind(st.Kind) {
			if _, err := st.QML(); err == nil {
				t.Errorf("style %s has a QML; QML is for vector tilesets", st.ID)
			}
			continue
		}
		raw, err := st.QML()
		if err != nil {
			t.Fatalf("%s: %v", st.ID, err)
		}
		var doc struct {
			Renderer struct {
				Type  string `xml:"type,attr"`
				Rules []struct {
					Symbol string `xml:"symbol,attr"`
					Filter string `xml:"filter,attr"`
				} `xml:"rules>rule"`
				Symbols []struct {
					Name  string `xml:"name,attr"`
					Props []struct {
						K string `xml:"k,attr"`
						V string `xml:"v,attr"`
					} `xml:"layer>prop"`
				} `xml:"symbols>symbol"`
			} `xml:"renderer-v2"`
		}
		if err := xml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: the QML does not parse: %v\n%s", st.ID, err, raw)
		}
		leg := st.Legends[0]
		if doc.Renderer.Type != "RuleRenderer" || len(doc.Renderer.Rules) != len(leg.Entries) || len(doc.Renderer.Symbols) != len(leg.Entries) {
			t.Fatalf("%s: renderer %q with %d rules and %d symbols for %d entries", st.ID, doc.Renderer.Type, len(doc.Renderer.Rules), len(doc.Renderer.Symbols), len(leg.Entries))
		}
		for i, r := range doc.Renderer.Rules {
			e := leg.Entries[i]
			field, sym := cmp.Or(e.Field, leg.Field), cmp.Or(e.Symbol, leg.Symbol)
			switch {
			case e.Fallback && r.Filter != "ELSE":
				t.Errorf("%s: fallback rule filter %q", st.ID, r.Filter)
			case !e.Fallback && field != "":
				for _, v := range e.Values {
					if !strings.Contains(r.Filter, "'"+v+"'") || !strings.HasPrefix(r.Filter, `"`+field+`" IN (`) {
						t.Errorf("%s: rule %d filter %q misses %q", st.ID, i, r.Filter, v)
					}
				}
			}
			c, _ := parseHex(e.Colour)
			want := strings.Join([]string{itoa(int(c[0])), itoa(int(c[1])), itoa(int(c[2])), "255"}, ",")
			key := map[string]string{"fill": "color", "line": "line_color", "circle": "color"}[sym]
			found := false
			for _, p := range doc.Renderer.Symbols[i].Props {
				found = found || p.K == key && p.V == want
			}
			if !found {
				t.Errorf("%s: symbol %d has no %s %s (entry %s %s)", st.ID, i, key, want, e.Label, e.Colour)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
