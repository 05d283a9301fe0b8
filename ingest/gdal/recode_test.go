package gdal

import (
	"testing"
)

func TestRecoder(t *testing.T) {
	for _, tc := range []struct {
		enc      string
		in, want string
		stateful bool
	}{
		{"CP874", "\xcb\xd4\xb9\xe1\xa1\xc3\xb9\xd4\xb5", "หินแกรนิต", false},
		// CP1258 spells ệ as ê followed by a combining dot below; the result
		// is composed, and the final "n" must not be lost.
		{"CP1258", "\xd0\xe1 v\xf4i Ngh\xea\xf2 An", "Đá vôi Nghệ An", true},
		{"CP1258", "Ngh\xea\xf2", "Nghệ", true},
	} {
		r, err := NewRecoder(tc.enc)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Stateful(); got != tc.stateful {
			t.Errorf("%s: Stateful = %v, want %v", tc.enc, got, tc.stateful)
		}
		got, err := r.Recode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: Recode(%q) = %q, %v; want %q", tc.enc, tc.in, got, err, tc.want)
		}
		r.Close()
	}

	r, _ := NewRecoder("CP874")
	defer r.Close()
	if _, err := r.Recode("ok \xfc"); err == nil { // 0xFC is unassigned in CP874
		t.Error("Recode accepted a byte CP874 does not define")
	}
	if _, err := NewRecoder("NO-SUCH-ENCODING"); err == nil {
		t.Error("NewRecoder accepted an unknown encoding")
	}
}
