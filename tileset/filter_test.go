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
		got, err := matchProperties(props, compileFilters(c.filters, "", nil))
		if err != nil || got != c.want {
			t.Errorf("filters %v: match = %v, %v; want %v", c.filters, got, err, c.want)
		}
	}
	if ok, err := matchProperties([]byte(`null`), compileFilters(map[string]string{"a": "b"}, "", nil)); ok || err != nil {
		t.Errorf("null properties: %v, %v; want no match", ok, err)
	}
	if _, err := matchProperties([]byte(`{"a":`), compileFilters(map[string]string{"a": "b"}, "", nil)); err == nil {
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
	if ok, err := matchProperties(props, compileFilters(filters, "", nil)); !ok || err != nil {
		t.Errorf("70 filters all equal: %v, %v", ok, err)
	}
	filters["p69"] = "0"
	if ok, err := matchProperties(props, compileFilters(filters, "", nil)); ok || err != nil {
		t.Errorf("70 filters, the last unequal: %v, %v", ok, err)
	}
	filters["p69"] = "69"
	filters["p70"] = "70"
	if ok, err := matchProperties(props, compileFilters(filters, "", nil)); ok || err != nil {
		t.Errorf("71 filters, one property missing: %v, %v", ok, err)
	}
}

// The datetime filter holds for a time that overlaps its span and for a
// feature without a time (/req/core/fc-time-response), alone or beside an
// equality filter.
func TestMatchPropertiesDatetime(t *testing.T) {
	span := &Interval{utc("1960-01-01T00:00:00Z"), utc("1969-12-31T23:59:59Z")}
	for _, c := range []struct {
		props   string
		filters map[string]string
		want    bool
	}{
		{`{"found":"1968"}`, nil, true},
		{`{"found":1968}`, nil, true},
		{`{"found":"1968-05-01T10:00:00Z"}`, nil, true},
		{`{"found":"1970"}`, nil, false},
		{`{"found":"1959-12-31"}`, nil, false},
		{`{"found":"n.d."}`, nil, true},
		{`{"found":null}`, nil, true},
		{`{"other":"1970"}`, nil, true},
		{`{}`, nil, true},
		{`null`, nil, true},
		{`{"found":"1968","kind":"a"}`, map[string]string{"kind": "a"}, true},
		{`{"found":"1970","kind":"a"}`, map[string]string{"kind": "a"}, false},
		{`{"found":"1968","kind":"b"}`, map[string]string{"kind": "a"}, false},
		{`null`, map[string]string{"kind": "a"}, false},
		// An equality on the time field itself sits beside the span.
		{`{"found":"1968"}`, map[string]string{"found": "1968"}, true},
		{`{"found":"1967"}`, map[string]string{"found": "1968"}, false},
	} {
		fs := compileFilters(c.filters, "found", span)
		got, err := matchProperties([]byte(c.props), fs)
		if err != nil || got != c.want {
			t.Errorf("%s with %v: got %v, %v; want %v", c.props, c.filters, got, err, c.want)
		}
	}
	// Without a time field the span tests nothing.
	if fs := compileFilters(nil, "", span); len(fs) != 0 {
		t.Errorf("a span without a time field compiles to %d filters", len(fs))
	}
}

// TestMatchFreeText: the free-text filter holds when some string property
// contains the text, whatever its case and escapes, beside the equalities.
func TestMatchFreeText(t *testing.T) {
	props := []byte(`{"name":"Mount Tom Price","unit":"A-HAj","n":42,"note":"caf\u00e9 \"Cu\""}`)
	for _, c := range []struct {
		text    string
		filters map[string]string
		want    bool
	}{
		{"tom pr", nil, true},
		{"a-haj", nil, true},
		{"CAFÉ", nil, true},
		{`"cu"`, nil, true},
		{"42", nil, false}, // a number is not text
		{"gold", nil, false},
		{"tom", map[string]string{"unit": "A-HAj"}, true},
		{"tom", map[string]string{"unit": "other"}, false},
	} {
		fs := withText(compileFilters(c.filters, "", nil), c.text)
		got, err := matchProperties(props, fs)
		slow, errSlow := matchPropertiesSlow(props, fs)
		if err != nil || errSlow != nil || got != c.want || slow != c.want {
			t.Errorf("q=%q %v: %v/%v (%v, %v), want %v", c.text, c.filters, got, slow, err, errSlow, c.want)
		}
	}
	if matchKey(1, nil, withText(nil, "ab")) == matchKey(1, nil, compileFilters(map[string]string{"": "ab"}, "", nil)) {
		t.Error("free text and an equality share a cache key")
	}
}
