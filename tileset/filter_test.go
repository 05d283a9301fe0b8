package tileset

import (
	"strconv"
	"testing"
)

func TestMatchProperties(t *testing.T) {
	props := []byte(`{"name":"Mount Bruce \"Supergroup\"","code":42,"big":9007199254740993,` +
		`"age_ma":2450.5,"active":true,"closed":false,"note":null,"unit":"Fortescue","n_str":"42",` +
		`"caf\u00e9":"oui","tiny":1e-7}`)
	for _, c := range []struct {
		filters map[string]string
		want    bool
	}{
		{nil, true},
		{map[string]string{"unit": "Fortescue"}, true},
		{map[string]string{"unit": "fortescue"}, false},  // strings exactly
		{map[string]string{"unit": "Fortescue "}, false}, // exactly
		{map[string]string{"name": `Mount Bruce "Supergroup"`}, true},
		{map[string]string{"café": "oui"}, true}, // an escaped key
		{map[string]string{"code": "42"}, true},
		{map[string]string{"code": "42.0"}, true}, // numerically
		{map[string]string{"code": "4.2e1"}, true},
		{map[string]string{"code": "43"}, false},
		{map[string]string{"code": "0x2a"}, false}, // not a decimal
		{map[string]string{"code": "forty-two"}, false},
		{map[string]string{"big": "9007199254740993"}, true},
		{map[string]string{"big": "9007199254740992"}, false}, // exact beyond 2^53
		{map[string]string{"age_ma": "2450.5"}, true},
		{map[string]string{"age_ma": "2450.50"}, true},
		{map[string]string{"age_ma": "2450"}, false},
		{map[string]string{"tiny": "0.0000001"}, true},
		{map[string]string{"n_str": "42"}, true}, // a string compared as text
		{map[string]string{"n_str": "42.0"}, false},
		{map[string]string{"active": "true"}, true},
		{map[string]string{"active": "false"}, false},
		{map[string]string{"closed": "false"}, true},
		{map[string]string{"active": "1"}, false},
		{map[string]string{"note": "null"}, false}, // null equals nothing
		{map[string]string{"note": ""}, false},
		{map[string]string{"missing": ""}, false},
		{map[string]string{"unit": "Fortescue", "code": "42", "active": "true"}, true},
		{map[string]string{"unit": "Fortescue", "code": "41"}, false},
	} {
		got, err := matchProperties(props, compileFilters(c.filters))
		if err != nil || got != c.want {
			t.Errorf("filters %v: match = %v, %v; want %v", c.filters, got, err, c.want)
		}
	}
	if ok, err := matchProperties([]byte(`null`), compileFilters(map[string]string{"a": "b"})); ok || err != nil {
		t.Errorf("null properties: %v, %v; want no match", ok, err)
	}
	if _, err := matchProperties([]byte(`{"a":`), compileFilters(map[string]string{"a": "b"})); err == nil {
		t.Error("malformed properties gave no error")
	}
}

// TestMatchPropertiesManyFilters covers the path for more filters than one
// bit mask holds: 70 properties, all required.
func TestMatchPropertiesManyFilters(t *testing.T) {
	props := []byte("{")
	filters := map[string]string{}
	for i := range 70 {
		if i > 0 {
			props = append(props, ',')
		}
		props = append(props, `"p`+strconv.Itoa(i)+`":`+strconv.Itoa(i)...)
		filters["p"+strconv.Itoa(i)] = strconv.Itoa(i)
	}
	props = append(props, '}')
	if ok, err := matchProperties(props, compileFilters(filters)); !ok || err != nil {
		t.Errorf("70 filters all equal: %v, %v", ok, err)
	}
	filters["p69"] = "0"
	if ok, err := matchProperties(props, compileFilters(filters)); ok || err != nil {
		t.Errorf("70 filters, the last unequal: %v, %v", ok, err)
	}
	filters["p69"] = "69"
	filters["p70"] = "70"
	if ok, err := matchProperties(props, compileFilters(filters)); ok || err != nil {
		t.Errorf("71 filters, one property missing: %v, %v", ok, err)
	}
}
