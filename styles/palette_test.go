package styles

import (
	"strings"
	"testing"
)

func TestEmbeddedPalettesLoad(t *testing.T) {
	p, err := loadPalettes()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.lithology.Classes) < 10 || len(p.faults.Classes) < 5 || len(p.commodity.Classes) < 8 {
		t.Errorf("classes: %d lithology, %d faults, %d commodity", len(p.lithology.Classes), len(p.faults.Classes), len(p.commodity.Classes))
	}
	// Every lithology of the vocabulary that lies under a top class reaches a class.
	for _, top := range []string{"igneous_material", "sedimentary_material", "metamorphic_rock", "unconsolidated_material"} {
		if i := p.lithology.classify(litho + top); i < 0 {
			t.Errorf("%s is in no class", top)
		}
	}
	for value, want := range map[string]string{
		faultT + "wrench_fault":        "strike_slip_fault", // before high angle
		faultT + "left_normal_fault":   "oblique_slip_fault",
		faultT + "scissor_fault":       "fault",
		faultT + "high_angle_reverse":  "reverse_fault",
		faultT + "thrust_fault":        "thrust_fault",
		commod + "silver":              "precious-metal",
		commod + "iron":                "ferrous-metal",
		commod + "base-metal":          "base-metal", // a class itself
		commod + "diamond-gemstone":    "gemstones",
		litho + "granite":              "acidic_igneous_material",
		litho + "generic_conglomerate": "clastic_sedimentary_material",
	} {
		var pal *palette
		var i int
		switch {
		case strings.HasPrefix(value, faultT):
			pal = p.faults
			i = pal.classify(value)
		case strings.HasPrefix(value, commod):
			pal = p.commodity
			i = pal.classifyCommodity(value)
		default:
			pal = p.lithology
			i = pal.classify(value)
		}
		if i < 0 || !strings.HasSuffix(pal.Classes[i].URI, "/"+want) {
			t.Errorf("%s classified as %d, want %s", value, i, want)
		}
	}
	if i := p.lithology.classify("http://example.org/granite"); i != -1 {
		t.Errorf("an unknown URI was classified as %d", i)
	}
}

// The checks that keep a damaged palette file from drawing a wrong map.
func TestPaletteCheckRejects(t *testing.T) {
	good := func() palette {
		return palette{
			Vocabulary: "fault-type",
			Classes:    []class{{URI: faultT + "thrust_fault", Colour: "#B2182B", Width: 1}},
			Fallback:   class{Label: "other", Colour: "#000000"},
		}
	}
	if err := func() *palette { p := good(); return &p }().check("x.json"); err != nil {
		t.Fatalf("good palette: %v", err)
	}
	cases := map[string]func(*palette){
		"is not in the fault-type vocabulary": func(p *palette) { p.Classes[0].URI = litho + "granite" },
		"unknown vocabulary":                  func(p *palette) { p.Vocabulary = "nope" },
		"appears twice":                       func(p *palette) { p.Classes = append(p.Classes, p.Classes[0]) },
		"is not #RRGGBB":                      func(p *palette) { p.Classes[0].Colour = "red" },
		"even number":                         func(p *palette) { p.Classes[0].Dash = []float64{4, 2, 1} },
		"not positive":                        func(p *palette) { p.Fallback.Dash = []float64{4, 0} },
		"needs a label":                       func(p *palette) { p.Fallback.Label = "" },
		"no classes":                          func(p *palette) { p.Classes = nil },
	}
	for want, spoil := range cases {
		p := good()
		spoil(&p)
		err := p.check("x.json")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "palettes/x.json") {
			t.Errorf("%s: got %v", want, err)
		}
	}
}
