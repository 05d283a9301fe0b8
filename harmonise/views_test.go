package harmonise

import (
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
