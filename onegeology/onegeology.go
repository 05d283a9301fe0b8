// Package onegeology holds what the OneGeology profile of WMS asks of a
// layer (docs/providingdata/onegeology_profile.rst in OneGeology's
// documentation): the countries it covers, with their UN M49 continent and
// sub-continent; the theme it is of; and the layer name, title and
// cataloguing keywords made of them, its data owner and its scale.
package onegeology

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Country is an ISO 3166-1 country.
type Country struct {
	Name string // UN M49 English name: "Australia", "Viet Nam"
	// Continent and Subcontinent are its UN M49 region and sub-region
	// ("Oceania", "Australia and New Zealand"); Subcontinent is empty for
	// Antarctica.
	Continent, Subcontinent string
}

// LookupCountry returns the country of an ISO 3166-1 alpha-3 code, in any
// case.
func LookupCountry(code string) (Country, bool) {
	c, ok := countries[strings.ToUpper(strings.TrimSpace(code))]
	return c, ok
}

// ParseCountries reads ISO 3166-1 alpha-3 codes separated by commas, in any
// case, and returns them upper case, each once, in the order given. The
// error names the first value that is not such a code and, where it is a
// country's name or a two-letter code, the code to give.
func ParseCountries(s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		code := strings.ToUpper(v)
		if _, ok := countries[code]; !ok {
			return nil, fmt.Errorf("%q is not an ISO 3166-1 alpha-3 country code; %s", v, countryHint(v))
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no country given; give ISO 3166-1 alpha-3 codes, e.g. AUS or THA,LAO")
	}
	return out, nil
}

// countryHint suggests the code for v: a country's UN name, or the start
// of one of its words ("Tanzania" for the United Republic of Tanzania),
// gives its code.
func countryHint(v string) string {
	l := strings.ToLower(v)
	var found []string
	for code, c := range countries {
		n := strings.ToLower(c.Name)
		if n == l || (len(l) >= 3 && (strings.HasPrefix(n, l) || strings.Contains(n, " "+l))) {
			found = append(found, code+" for "+c.Name)
		}
	}
	slices.Sort(found)
	if len(found) > 0 && len(found) <= 3 {
		return "give " + strings.Join(found, ", or ")
	}
	return "give three letters, e.g. AUS for Australia, THA for Thailand"
}

// Theme is what a layer shows, as OneGeology names it.
type Theme struct {
	// Name is the ingest --theme value: "geology".
	Name string
	// Title is the theme in layer titles: "Geology".
	Title string
	// Code is the theme in layer names: "GeolUnits".
	Code string
	// Thematic are its thematic@ keywords, from OneGeology's English
	// keyword picklist.
	Thematic []string
	// Topics are its ISO 19115 topic categories, for DS_TOPIC@.
	Topics []string
}

// themes are the themes a collection can be of, in the order listed.
var themes = []Theme{
	{"geology", "Geology", "GeolUnits", []string{"Geology"}, []string{"geoscientificInformation"}},
	{"structure", "Structural Features", "MSF", []string{"Structural geology", "Fault"}, []string{"geoscientificInformation"}},
	{"occurrences", "Mineral Occurrences", "MinOcc", []string{"Economic geology", "Minerals"}, []string{"geoscientificInformation", "economy"}},
	{"geophysics", "Geophysics", "Geophysics", []string{"Geophysics"}, []string{"geoscientificInformation"}},
	{"geochemistry", "Geochemistry", "Geochem", []string{"Geochemistry"}, []string{"geoscientificInformation"}},
	{"hydrogeology", "Hydrogeology", "Hydrogeol", []string{"Hydrogeology"}, []string{"geoscientificInformation", "inlandWaters"}},
	{"hazards", "Geological Hazards", "Hazards", []string{"Environmental geology", "Geologic hazards"}, []string{"geoscientificInformation"}},
	{"engineering", "Engineering Geology", "EngGeol", []string{"Engineering geology"}, []string{"geoscientificInformation"}},
	{"boreholes", "Boreholes", "Boreholes", []string{"Borehole"}, []string{"geoscientificInformation"}},
}

// LookupTheme returns the theme named name (any case).
func LookupTheme(name string) (Theme, bool) {
	for _, t := range themes {
		if strings.EqualFold(t.Name, strings.TrimSpace(name)) {
			return t, true
		}
	}
	return Theme{}, false
}

// ThemeNames lists the themes' names.
func ThemeNames() []string {
	out := make([]string, len(themes))
	for i, t := range themes {
		out[i] = t.Name
	}
	return out
}

// ScaleTitle writes a scale denominator as OneGeology's layer titles do:
// 1:1M, 1:625k, 1:1.5M; "" for 0.
func ScaleTitle(d int) string {
	switch {
	case d <= 0:
		return ""
	case d >= 1_000_000:
		return "1:" + strconv.FormatFloat(float64(d)/1e6, 'f', -1, 64) + "M"
	case d >= 1000:
		return "1:" + strconv.FormatFloat(float64(d)/1e3, 'f', -1, 64) + "k"
	}
	return "1:" + strconv.Itoa(d)
}

// ScaleName writes a scale denominator as OneGeology's layer names do:
// 1M, 625k, 1500k (no decimal point in a name); "" for 0.
func ScaleName(d int) string {
	switch {
	case d <= 0:
		return ""
	case d >= 1_000_000 && d%1_000_000 == 0:
		return strconv.Itoa(d/1_000_000) + "M"
	case d >= 1000 && d%1000 == 0:
		return strconv.Itoa(d/1000) + "k"
	}
	return strconv.Itoa(d)
}

// Layer is what a OneGeology layer's name, title and keywords are made
// of; every field may be empty.
type Layer struct {
	Countries []string // ISO 3166-1 alpha-3 codes, as ParseCountries returns
	Theme     string   // a Theme's Name
	// DataOwner is the data owner's short name ("GA"); DataProvider its
	// full name ("Geoscience Australia").
	DataOwner, DataProvider string
	// ServiceProvider is the full name of the organisation serving it.
	ServiceProvider string
	Scale           int       // the source map's scale denominator
	Date            time.Time // the data set's date, for DS_DATE@
	// Queryable marks a layer whose GetFeatureInfo and WFS give
	// GeoSciML-Lite (GeoSciML-Portrayal) features.
	Queryable bool
}

// Complete reports whether the layer has what OneGeology's name and
// title forms need: its countries and its theme.
func (l Layer) Complete() bool {
	_, ok := LookupTheme(l.Theme)
	return len(l.Countries) > 0 && ok
}

// extent is the layer's geographic extent in titles and names: the
// country's code for one country; for several, the UN sub-region or
// region holding them all, else "World".
func (l Layer) extent() (title, name string) {
	if len(l.Countries) == 1 {
		return l.Countries[0], l.Countries[0]
	}
	sub, cont := "", ""
	for i, code := range l.Countries {
		c := countries[code]
		if i == 0 {
			sub, cont = c.Subcontinent, c.Continent
			continue
		}
		if c.Subcontinent != sub {
			sub = ""
		}
		if c.Continent != cont {
			cont = ""
		}
	}
	title = cmpOr(sub, cont, "World")
	return title, strings.ReplaceAll(title, " ", "-")
}

func cmpOr(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// Title is the layer title in OneGeology's form, "AUS GA 1:500k Geology":
// the geographic extent, the data owner, the scale and the theme, each
// left out when unknown; "" unless the layer is Complete.
func (l Layer) Title() string {
	if !l.Complete() {
		return ""
	}
	t, _ := LookupTheme(l.Theme)
	ext, _ := l.extent()
	return joinNonEmpty(" ", ext, l.DataOwner, ScaleTitle(l.Scale), t.Title)
}

// Name is the layer name in OneGeology's form, "AUS_GA_500k_GeolUnits";
// "" unless the layer is Complete.
func (l Layer) Name() string {
	if !l.Complete() {
		return ""
	}
	t, _ := LookupTheme(l.Theme)
	_, ext := l.extent()
	owner := strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' {
			return '-'
		}
		return r
	}, l.DataOwner)
	return joinNonEmpty("_", ext, owner, ScaleName(l.Scale), t.Code)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Keywords are the layer's OneGeology keywords: OneGeology; each country's
// name; the cataloguing keywords continent@, subcontinent@,
// geographicarea@, dataprovider@ and serviceprovider@; the metadata
// keywords DS_TOPIC@ and DS_DATE@; thematic@ keywords; and
// Geosciml_portrayal_age_or_litho_queryable for a Queryable layer. Those
// whose value is unknown are left out.
func (l Layer) Keywords() []string {
	kw := []string{"OneGeology"}
	add := func(k string) {
		if !slices.Contains(kw, k) {
			kw = append(kw, k)
		}
	}
	for _, code := range l.Countries {
		if c, ok := countries[code]; ok {
			add(c.Name)
		}
	}
	for _, code := range l.Countries {
		c, ok := countries[code]
		if !ok {
			continue
		}
		add("continent@" + c.Continent)
		if c.Subcontinent != "" {
			add("subcontinent@" + c.Subcontinent)
		}
		add("geographicarea@" + c.Name)
	}
	if p := cmpOr(l.DataProvider, l.DataOwner); p != "" {
		add("dataprovider@" + p)
	}
	if l.ServiceProvider != "" {
		add("serviceprovider@" + l.ServiceProvider)
	}
	t, ok := LookupTheme(l.Theme)
	topics := []string{"geoscientificInformation"}
	if ok {
		topics = t.Topics
	}
	for _, tp := range topics {
		add("DS_TOPIC@" + strings.ToLower(tp))
	}
	if !l.Date.IsZero() {
		add("DS_DATE@" + l.Date.UTC().Format(time.DateOnly))
	}
	for _, th := range t.Thematic {
		add("thematic@" + th)
	}
	if l.Queryable {
		add("Geosciml_portrayal_age_or_litho_queryable")
	}
	return kw
}
