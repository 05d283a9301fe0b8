package harmonise

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/vocab"
)

func TestViewsAreWellFormed(t *testing.T) {
	if got := len(Views()); got != 3 {
		t.Fatalf("%d views", got)
	}
	for _, v := range Views() {
		seen := map[string]bool{}
		for _, f := range v.Fields {
			if seen[f.Name] {
				t.Errorf("%s: %s twice", v.Name, f.Name)
			}
			seen[f.Name] = true
			if isURI := strings.HasSuffix(f.Name, "_uri"); isURI != (f.Kind == KindURI) {
				t.Errorf("%s.%s: kind %s", v.Name, f.Name, f.Kind)
			}
			if f.Vocabulary != "" {
				if _, ok := vocab.Get(f.Vocabulary); !ok {
					t.Errorf("%s.%s: no vocabulary %q", v.Name, f.Name, f.Vocabulary)
				}
			}
		}
		for _, f := range []string{FieldIdentifier, FieldName, FieldRepresentativeAgeURI} {
			if !seen[f] {
				t.Errorf("%s lacks %s", v.Name, f)
			}
		}
	}
	gu, _ := ViewByName(ViewGeologicUnit)
	if f, _ := gu.Field(FieldRepresentativeAgeURI); f.Vocabulary != "ics" || !f.Required {
		t.Errorf("GeologicUnitView.representativeAge_uri: %+v", f)
	}
	if f, _ := gu.Field(FieldNumericOlderAge); f.Type() != "real" {
		t.Errorf("numericOlderAge has type %s", f.Type())
	}
	if _, ok := ViewByName("ContactView"); ok {
		t.Error("ContactView is not offered")
	}
}

func TestNilURIs(t *testing.T) {
	if NilMissing != "http://www.opengis.net/def/nil/OGC/0/missing" || NilUnknown != "http://www.opengis.net/def/nil/OGC/0/unknown" {
		t.Errorf("nil URIs %s %s", NilMissing, NilUnknown)
	}
	for _, u := range []string{NilMissing, NilUnknown, NilInapplicable, NilWithheld, NilTemplate} {
		if !IsNil(u) {
			t.Errorf("IsNil(%s) = false", u)
		}
	}
	for _, u := range []string{"http://www.opengis.net/def/nil/OGC/0/absent", lithNS + "basalt", ""} {
		if IsNil(u) {
			t.Errorf("IsNil(%q) = true", u)
		}
	}
}

func TestApplyToleratesEmptyFeatures(t *testing.T) {
	m := parse(t, unitMapping)
	f := geojson.NewFeature(nil)
	f.Properties = nil
	r := m.Apply([]*geojson.Feature{nil, f})
	if r.Features != 1 || f.Properties[FieldRepresentativeLithologyURI] != NilMissing {
		t.Errorf("features %d, %v", r.Features, f.Properties)
	}
}

// TestViewsMatchStandardSchemas checks each view against the standard's
// XML Schema vendored for the e2e tests: the same properties in the same
// order (the geometry, shape, last), and Mandatory exactly where the
// schema has no minOccurs="0".
func TestViewsMatchStandardSchemas(t *testing.T) {
	schemas := map[string]string{
		ViewGeologicUnit:               "../e2e/testdata/xsd/schemas.geosciml.org/geosciml-portrayal/4.0/geosciml-portrayal.xsd",
		ViewShearDisplacementStructure: "../e2e/testdata/xsd/schemas.geosciml.org/geosciml-portrayal/4.0/geosciml-portrayal.xsd",
		ViewMineralOccurrence:          "../e2e/testdata/xsd/schemas.earthresourceml.org/earthresourceml-lite/2.0/erml-lite.xsd",
	}
	element := regexp.MustCompile(`<element ([^>]*)>`)
	name := regexp.MustCompile(`name="([^"]+)"`)
	for _, v := range Views() {
		raw, err := os.ReadFile(schemas[v.Name])
		if err != nil {
			t.Fatal(err)
		}
		s := string(raw)
		start := strings.Index(s, `<complexType name="`+v.Name+`Type">`)
		if start < 0 {
			t.Fatalf("%s: no %sType", schemas[v.Name], v.Name)
		}
		s = s[start:]
		s = s[:strings.Index(s, "</complexType>")]
		var want, got []string
		for _, m := range element.FindAllStringSubmatch(s, -1) {
			n := name.FindStringSubmatch(m[1])[1]
			if n == "shape" {
				continue
			}
			want = append(want, n+map[bool]string{true: " mandatory", false: ""}[!strings.Contains(m[1], `minOccurs="0"`)])
		}
		for _, f := range v.Fields {
			got = append(got, f.Name+map[bool]string{true: " mandatory", false: ""}[f.Mandatory])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s fields\n%v\nwant the schema's\n%v", v.Name, got, want)
		}
	}
}
