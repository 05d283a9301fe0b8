package server

import (
	"slices"
	"testing"
)

func TestJSONMembers(t *testing.T) {
	doc := ` { "a" : 1.5e3 , "b\"q": "x\\\"}," ,"c":{"d":[1,{"e":"]"}]},"f":null,"g":true, "h":[] } `
	var got []string
	if err := jsonMembers([]byte(doc), func(k, v []byte) { got = append(got, string(k)+"="+string(v)) }); err != nil {
		t.Fatal(err)
	}
	want := []string{`a=1.5e3`, `b\"q="x\\\"},"`, `c={"d":[1,{"e":"]"}]}`, `f=null`, `g=true`, `h=[]`}
	if !slices.Equal(got, want) {
		t.Errorf("members %q, want %q", got, want)
	}
	for _, bad := range []string{``, `[]`, `{`, `{"a"}`, `{"a":}`, `{"a":1`, `{"a":"x}`, `{"a":[1,2}`, `{"a":1 "b":2}`, `{a:1}`} {
		if err := jsonMembers([]byte(bad), func(k, v []byte) {}); err == nil {
			t.Errorf("jsonMembers(%q): no error", bad)
		}
	}
	if err := jsonMembers([]byte(`{}`), func(k, v []byte) { t.Error("a member in {}") }); err != nil {
		t.Error(err)
	}
	// A property key with an escape is matched by its value.
	f := &wfsFeature{props: map[string][]byte{}}
	ty := &wfsType{props: []wfsProp{{name: "caf_", field: "café"}}}
	if err := f.read([]byte(`{"type":"Feature","id":3,"geometry":null,"properties":{"caf\u00e9":"x","other":1}}`), ty); err != nil || string(f.props["café"]) != `"x"` || len(f.props) != 1 || string(f.id) != "3" {
		t.Errorf("read: %v, props %q, id %q", err, f.props, f.id)
	}
}
