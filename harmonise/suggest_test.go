package harmonise

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"lithname1", "rocktype1", "unitname", "representativeAge_uri"}
	for in, want := range map[string]string{
		"LITHNAME1":             "lithname1",
		"rocktype":              "rocktype1",
		"unit_name":             "unitname",
		"representativeage_uri": "representativeAge_uri",
		"geology":               "",
	} {
		if got := closest(in, cands); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := editDistance("đá vôi", "da voi"); d != 3 {
		t.Errorf("editDistance counts runes: %d", d)
	}
}
