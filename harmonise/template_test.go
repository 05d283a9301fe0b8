package harmonise

import "testing"

func TestTemplate(t *testing.T) {
	vals := map[string]string{"code": "Kgr", "name": "Khao  Luang"}
	text := func(f string) (string, bool) { v, ok := vals[f]; return v, ok }
	for _, c := range []struct {
		src, want string
		ok        bool
	}{
		{"{name} ({code})", "Khao Luang (Kgr)", true},
		{"{ code }:{missing}", "Kgr:", true},
		{"{missing} ({nothing})", "()", false}, // every field blank: no value
		{"{{{code}}}", "{Kgr}", true},
		{"constant", "constant", true},
	} {
		tm, err := parseTemplate(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got, ok := tm.render(text)
		if got != c.want || ok != c.ok {
			t.Errorf("%s → %q, %v; want %q, %v", c.src, got, ok, c.want, c.ok)
		}
	}
	for _, bad := range []string{"{code", "code}", "{}", "a {  } b"} {
		if _, err := parseTemplate(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
