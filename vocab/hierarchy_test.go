package vocab

import "testing"

func TestIsNarrower(t *testing.T) {
	for _, tc := range []struct {
		child, ancestor string
		want            bool
	}{
		{lith + "granite", lith + "granitoid", true},
		{lith + "granite", lith + "igneous_material", true},
		{lith + "granite", lith + "compound_material", true},
		// granitoid has two parents; both lead to igneous material.
		{lith + "acidic_igneous_rock", lith + "igneous_material", true},
		{lith + "phaneritic_igneous_rock", lith + "igneous_material", true},
		{lith + "monzogranite", lith + "granitoid", true},
		{lith + "granite", lith + "sedimentary_material", false},
		{lith + "igneous_material", lith + "granite", false},
		{lith + "granite", lith + "granite", false},
		{lith + "no_such_rock", lith + "igneous_material", false},
		{ics + "Induan", ics + "Triassic", true},
		{ics + "Induan", ics + "Phanerozoic", true},
		{ics + "Induan", ics + "Permian", false},
		{comm + "copper", comm + "metal", true},
		{comm + "copper", comm + "precious-metal", false},
	} {
		if got := IsNarrower(tc.child, tc.ancestor); got != tc.want {
			t.Errorf("IsNarrower(%s, %s) = %v, want %v", tc.child, tc.ancestor, got, tc.want)
		}
	}
}

func TestPolyhierarchy(t *testing.T) {
	g, _ := Lookup(lith + "granitoid")
	if got, want := len(g.Broader), 2; got != want {
		t.Fatalf("granitoid has %d broader concepts, want %d: %v", got, want, g.Broader)
	}
	// broader and narrower are inverses even where the Turtle states only one.
	for _, v := range All() {
		for _, c := range v.Concepts {
			for _, b := range c.Broader {
				p, ok := Lookup(b)
				if !ok {
					t.Fatalf("%s: broader %s unknown", c.URI, b)
				}
				found := false
				for _, n := range p.Narrower {
					found = found || n == c.URI
				}
				if !found {
					t.Errorf("%s is broader than %s but does not list it as narrower", b, c.URI)
				}
			}
		}
	}
}

func TestCommodityByNotationAndGroup(t *testing.T) {
	v, _ := Get("commodity")
	got := v.ByNotation("Cu")
	if len(got) != 1 || got[0].URI != comm+"copper" {
		t.Fatalf(`ByNotation("Cu") = %q`, uris(got))
	}
	if got[0].HierarchyKey != "02.01.01.01" {
		t.Errorf("copper hierarchy key %q", got[0].HierarchyKey)
	}
	if got := v.ByNotation("CU"); len(got) != 0 {
		t.Errorf(`ByNotation("CU") = %q; codes are case-sensitive`, uris(got))
	}
	// The published codes repeat "Mnsd" for two commodities.
	if got, want := uris(v.ByNotation("Mnsd")), comm+"heavy-mineral-sand "+comm+"mineral-sand"; got != want {
		t.Errorf(`ByNotation("Mnsd") = %q, want %q`, got, want)
	}
	// "P" is phosphorous here and the Permian in the chart.
	if got := uris(v.ByNotation("P")); got != comm+"phosphorous" {
		t.Errorf(`commodity ByNotation("P") = %q`, got)
	}
	chart, _ := Get("ics")
	if got := uris(chart.ByNotation("P")); got != ics+"Permian" {
		t.Errorf(`ics ByNotation("P") = %q`, got)
	}

	for uri, want := range map[string]string{
		comm + "copper":    comm + "base-metal",
		comm + "gold":      comm + "precious-metal",
		comm + "aluminium": comm + "metal",
		// Two broader concepts each; the group is the one the hierarchy key
		// descends from, not the first by URI: 01.01.01.01.01 from
		// primary-aggregate (01.01.01.01), not industrial-rock (01.01.04).
		comm + "crushed-rock":    comm + "primary-aggregate",
		comm + "sand-and-gravel": comm + "primary-aggregate",
		comm + "limestone":       comm + "dimension-stone",
		comm + "quartz":          comm + "industrial-mineral",
	} {
		g, ok := CommodityGroup(uri)
		if !ok || g.URI != want {
			t.Errorf("CommodityGroup(%s) = %v, want %s", uri, g, want)
		}
	}
	if g, _ := CommodityGroup(comm + "copper"); g.Label("en") != "base metal" || g.Notation != "BM" {
		t.Errorf("copper's group is %q (%s)", g.Label("en"), g.Notation)
	}
	if _, ok := CommodityGroup(comm + "direct-use-commodity"); ok {
		t.Error("a top concept has a group")
	}
	if _, ok := CommodityGroup(lith + "granite"); ok {
		t.Error("a lithology has a commodity group")
	}
}
