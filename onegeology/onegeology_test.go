package onegeology

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParseCountries checks codes in any case, once each, and that a UN
// name, or a word starting one, suggests its code.
func TestParseCountries(t *testing.T) {
	got, err := ParseCountries(" aus, THA,Aus ,lao")
	if err != nil || strings.Join(got, ",") != "AUS,THA,LAO" {
		t.Errorf("ParseCountries: %v %v", got, err)
	}
	for v, hint := range map[string]string{
		"Australia": "give AUS for Australia",
		"Tanzania":  "give TZA for United Republic of Tanzania",
		"viet nam":  "give VNM for Viet Nam",
		"AU":        "give three letters",
		"XYZ":       "give three letters",
		"":          "no country given",
	} {
		_, err := ParseCountries(v)
		if err == nil || !strings.Contains(err.Error(), hint) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseCountries(%q): %v, want one line with %q", v, err, hint)
		}
	}
}

// TestCountries checks the table against UN M49 at a few known places,
// and that every country has a continent.
func TestCountries(t *testing.T) {
	for code, want := range map[string]Country{
		"AUS": {"Australia", "Oceania", "Australia and New Zealand"},
		"THA": {"Thailand", "Asia", "South-eastern Asia"},
		"AFG": {"Afghanistan", "Asia", "Southern Asia"},
		"KEN": {"Kenya", "Africa", "Eastern Africa"},
		"BRA": {"Brazil", "Americas", "South America"},
		"GBR": {"United Kingdom of Great Britain and Northern Ireland", "Europe", "Northern Europe"},
		"VNM": {"Viet Nam", "Asia", "South-eastern Asia"},
		"CIV": {"Côte d’Ivoire", "Africa", "Western Africa"},
		"ATA": {"Antarctica", "Antarctica", ""},
	} {
		if got, ok := LookupCountry(strings.ToLower(code)); !ok || got != want {
			t.Errorf("%s: %+v, want %+v", code, got, want)
		}
	}
	if len(countries) != 249 {
		t.Errorf("%d countries, want ISO 3166-1's 249", len(countries))
	}
	for code, c := range countries {
		if len(code) != 3 || c.Name == "" || c.Continent == "" {
			t.Errorf("%s: %+v", code, c)
		}
	}
}

func TestScale(t *testing.T) {
	for d, want := range map[int][2]string{
		500000: {"1:500k", "500k"}, 1000000: {"1:1M", "1M"}, 1500000: {"1:1.5M", "1500k"},
		625000: {"1:625k", "625k"}, 2500: {"1:2.5k", "2500"}, 0: {"", ""},
	} {
		if got := [2]string{ScaleTitle(d), ScaleName(d)}; got != want {
			t.Errorf("%d: %v, want %v", d, got, want)
		}
	}
}

// TestLayer checks the name, title and keyword forms of OneGeology's
// profile for one country, several, and a layer missing its theme.
func TestLayer(t *testing.T) {
	l := Layer{
		Countries: []string{"AUS"}, Theme: "geology", DataOwner: "GA", DataProvider: "Geoscience Australia",
		ServiceProvider: "Outcrop Survey", Scale: 500000, Date: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Queryable: true,
	}
	if l.Name() != "AUS_GA_500k_GeolUnits" || l.Title() != "AUS GA 1:500k Geology" {
		t.Errorf("name %q, title %q", l.Name(), l.Title())
	}
	want := []string{
		"OneGeology", "Australia", "continent@Oceania", "subcontinent@Australia and New Zealand", "geographicarea@Australia",
		"dataprovider@Geoscience Australia", "serviceprovider@Outcrop Survey", "DS_TOPIC@geoscientificinformation",
		"DS_DATE@2024-03-01", "thematic@Geology", "Geosciml_portrayal_age_or_litho_queryable",
	}
	if got := l.Keywords(); !slices.Equal(got, want) {
		t.Errorf("keywords\n%q, want\n%q", got, want)
	}
	l = Layer{Countries: []string{"THA", "LAO", "VNM"}, Theme: "occurrences", Scale: 1000000}
	if l.Name() != "South-eastern-Asia_1M_MinOcc" || l.Title() != "South-eastern Asia 1:1M Mineral Occurrences" {
		t.Errorf("several countries: name %q, title %q", l.Name(), l.Title())
	}
	if kw := l.Keywords(); !slices.Contains(kw, "DS_TOPIC@economy") || !slices.Contains(kw, "geographicarea@Lao People's Democratic Republic") || slices.Contains(kw, "Geosciml_portrayal_age_or_litho_queryable") {
		t.Errorf("several countries: keywords %q", kw)
	}
	if l := (Layer{Countries: []string{"THA", "AUS"}, Theme: "structure"}); l.Title() != "World Structural Features" {
		t.Errorf("two continents: %q", l.Title())
	}
	if l := (Layer{Countries: []string{"AUS"}}); l.Complete() || l.Name() != "" || l.Title() != "" {
		t.Errorf("no theme: complete %v, name %q, title %q", l.Complete(), l.Name(), l.Title())
	}
}
