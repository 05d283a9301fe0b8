package styles

import "testing"

// TestSymbolsAreTheMapLibreColours checks that every value a thematic
// style lists gets, through Symbols, the colour the MapLibre style paints
// it with: the WMS draws what the viewer draws.
func TestSymbolsAreTheMapLibreColours(t *testing.T) {
	cases := []struct {
		style      Style
		paint, key string
	}{
		{styleOf(t, mustStyles(t, geologyMeta(), geologyCounts(), Options{Base: testBase}), KindGeologyAge), "fill-color", "fill"},
		{styleOf(t, mustStyles(t, geologyMeta(), geologyCounts(), Options{Base: testBase}), KindGeologyLithology), "fill-color", "fill"},
		{styleOf(t, mustStyles(t, faultsMeta(), faultsCounts(), Options{Base: testBase}), KindFaultType), "line-color", "line"},
		{styleOf(t, mustStyles(t, occurrencesMeta(), occurrencesCounts(), Options{Base: testBase}), KindOccurrenceCommodity), "circle-color", "circle"},
	}
	for _, c := range cases {
		syms, err := c.style.Symbols()
		if err != nil {
			t.Fatalf("%s: %v", c.style.ID, err)
		}
		if len(syms) != len(c.style.Legends[0].Entries) {
			t.Errorf("%s: %d symbols for %d legend entries", c.style.ID, len(syms), len(c.style.Legends[0].Entries))
		}
		doc := decoded(t, c.style)
		field := c.style.Legends[0].Field
		n := 0
		for _, s := range syms {
			if s.Kind != c.key || s.Field != field {
				t.Errorf("%s: symbol %q is a %s of %q, want a %s of %q", c.style.ID, s.Label, s.Kind, s.Field, c.key, field)
			}
			colour := s.Fill
			if s.Kind == "line" {
				colour = s.Stroke
			}
			for _, v := range s.Values {
				l := drawnBy(t, doc, field, v)
				if c.key == "fill" {
					l = layerNamed(t, doc, ".fill")
				}
				if got := evalMatch(t, l["paint"].(map[string]any)[c.paint], field, v); got != colour {
					t.Errorf("%s: %s = %q: symbol colour %s, MapLibre %s %v", c.style.ID, field, v, colour, c.paint, got)
				}
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no values checked", c.style.ID)
		}
	}
}

// TestSymbolsOfARasterStyle checks the error for a style with no
// per-feature symbols.
func TestSymbolsOfARasterStyle(t *testing.T) {
	st := mustStyles(t, rasterMeta(), nil, Options{Base: testBase})[0]
	if _, err := st.Symbols(); err == nil {
		t.Fatal("Symbols of a raster style: no error")
	}
}
