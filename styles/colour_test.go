package styles

import "testing"

func TestParseHex(t *testing.T) {
	c, err := parseHex("#F04028")
	if err != nil || c != (rgb{0xF0, 0x40, 0x28}) || c.hex() != "#F04028" {
		t.Errorf("parseHex(#F04028) = %v, %v", c, err)
	}
	if c, _ := parseHex("#34b2c9"); c.hex() != "#34B2C9" {
		t.Errorf("lower case reads as %s", c.hex())
	}
	for _, bad := range []string{"", "F04028", "#F0402", "#F040288", "#G04028", "rgb(1,2,3)", "#-12345"} {
		if _, err := parseHex(bad); err == nil {
			t.Errorf("parseHex(%q) accepted", bad)
		}
	}
}

func TestDarker(t *testing.T) {
	cases := map[string]string{
		"#F04028": "#9C2A1A", // 240*0.65=156, 64*0.65=41.6, 40*0.65=26
		"#FFFFFF": "#A6A6A6",
		"#000000": "#000000",
	}
	for in, want := range cases {
		if got := darker(in, 0.35); got != want {
			t.Errorf("darker(%s) = %s, want %s", in, got, want)
		}
	}
}
