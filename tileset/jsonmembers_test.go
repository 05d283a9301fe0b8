package tileset

import (
	"encoding/json"
	"reflect"
	"testing"
)

// collectMembers returns members' view of obj as key → raw value.
func collectMembers(obj []byte) (map[string]string, error) {
	got := map[string]string{}
	err := members(obj, func(k, v []byte) bool {
		got[string(k)] = string(v)
		return true
	})
	return got, err
}

func TestMembersDelimitsEveryKindOfValue(t *testing.T) {
	obj := []byte(` { "type" : "Feature", "id":17,"bbox":[1.5, -2e-7 ,3,4],
		"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]},
		"properties":{"name":"a \"quoted\" } ] name","n":null,"ok":true,"list":"[1,2]","k\\u00e9y":-0.5}} `)
	got, err := collectMembers(obj)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"type":       `"Feature"`,
		"id":         `17`,
		"bbox":       `[1.5, -2e-7 ,3,4]`,
		"geometry":   `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]}`,
		"properties": `{"name":"a \"quoted\" } ] name","n":null,"ok":true,"list":"[1,2]","k\\u00e9y":-0.5}`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v\nwant %v", got, want)
	}
	props, err := collectMembers([]byte(want["properties"]))
	if err != nil {
		t.Fatal(err)
	}
	if props[`k\\u00e9y`] != "-0.5" || props["n"] != "null" || props["ok"] != "true" || props["name"] != `"a \"quoted\" } ] name"` {
		t.Errorf("properties members = %v", props)
	}
	if v, err := member(obj, "geometry"); err != nil || string(v) != want["geometry"] {
		t.Errorf("member(geometry) = %s, %v", v, err)
	}
	if v, err := member(obj, "absent"); err != nil || v != nil {
		t.Errorf("member(absent) = %s, %v; want nil, nil", v, err)
	}
	if got, err := collectMembers([]byte("{}")); err != nil || len(got) != 0 {
		t.Errorf("empty object: %v, %v", got, err)
	}
}

func TestMembersStopsWhenAsked(t *testing.T) {
	n := 0
	err := members([]byte(`{"a":1,"b":2,"c":3}`), func(k, v []byte) bool {
		n++
		return string(k) != "b"
	})
	if err != nil || n != 2 {
		t.Errorf("visited %d members (%v), want 2", n, err)
	}
}

func TestMembersRejectsMalformedInput(t *testing.T) {
	for _, in := range []string{
		``, `null`, `[1,2]`, `{`, `{"a"`, `{"a":}`, `{"a" 1}`, `{"a":1`, `{"a":1,}`, `{a:1}`,
		`{"a":"unterminated}`, `{"a":[1,2}`, `{"a":{"b":1}`, `{"a":1 "b":2}`, `{"a\"}`,
	} {
		if _, err := collectMembers([]byte(in)); err == nil {
			t.Errorf("members(%q) gave no error", in)
		}
	}
}

// FuzzMembers checks that no input makes members panic or read out of
// range, and that on every object encoding/json accepts it finds the same
// members.
func FuzzMembers(f *testing.F) {
	f.Add([]byte(`{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":"b"}}`))
	f.Add([]byte(`{"a":"\\","b":[{"c":"]"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := collectMembers(in)
		var want map[string]json.RawMessage
		if json.Unmarshal(in, &want) != nil || want == nil {
			return
		}
		if err != nil {
			t.Fatalf("members(%q) failed on valid JSON: %v", in, err)
		}
		for k, v := range want {
			if !hasMember(got, k, v) {
				t.Fatalf("members(%q) misses %q: %s (got %v)", in, k, v, got)
			}
		}
	})
}

// hasMember reports whether the raw members got hold key (after unescaping)
// with a value equal to want.
func hasMember(got map[string]string, key string, want json.RawMessage) bool {
	var w any
	json.Unmarshal(want, &w)
	for raw, val := range got {
		var k string
		var v any
		if json.Unmarshal([]byte(`"`+raw+`"`), &k) == nil && k == key &&
			json.Unmarshal([]byte(val), &v) == nil && reflect.DeepEqual(v, w) {
			return true
		}
	}
	return false
}
