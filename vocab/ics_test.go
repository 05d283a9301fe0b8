package vocab

import (
	"math"
	"strings"
	"testing"
)

// The chart's official colours and ages, as printed on the 2024-12 chart.
func TestChartColoursAndAges(t *testing.T) {
	for _, tc := range []struct {
		unit      string
		colour    string
		base, top float64
		code      string
		rank      Rank
	}{
		{"Permian", "#F04028", 298.9, 251.902, "P", RankPeriod},
		{"Jurassic", "#34B2C9", 201.4, 143.1, "J", RankPeriod},
		{"Triassic", "#812B92", 251.902, 201.4, "T", RankPeriod},
		{"Cretaceous", "#7FC64E", 143.1, 66, "K", RankPeriod},
		{"Quaternary", "#F9F97F", 2.58, 0, "Q", RankPeriod},
		{"Cambrian", "#7FA056", 538.8, 486.85, "Ep", RankPeriod},
		{"Carboniferous", "#67A599", 358.86, 298.9, "C", RankPeriod},
		{"Neoarchean", "#F99BC1", 2800, 2500, "NA", RankEra},
		{"Paleoproterozoic", "#F74370", 2500, 1600, "PP", RankEra},
		{"UpperTriassic", "#BD8CC3", 237, 201.4, "T3", RankEpoch},
		{"Induan", "#A4469F", 251.902, 249.9, "t1", RankAge},
		{"Precambrian", "#F74370", 4567, 538.8, "PE", RankSuperEon},
		{"Mississippian", "#678F66", 358.86, 323.4, "C1", RankSubPeriod},
	} {
		uri := ics + tc.unit
		colour, ok := ColourOf(uri)
		if !ok || colour != tc.colour {
			t.Errorf("ColourOf(%s) = %q, %v, want %s", tc.unit, colour, ok, tc.colour)
		}
		base, top, ok := AgeRange(uri)
		if !ok || base != tc.base || top != tc.top {
			t.Errorf("AgeRange(%s) = %v, %v, %v, want %v, %v", tc.unit, base, top, ok, tc.base, tc.top)
		}
		c, _ := Lookup(uri)
		if c.Notation != tc.code || c.Time.Rank() != tc.rank {
			t.Errorf("%s: code %q rank %q, want %q %q", tc.unit, c.Notation, c.Time.Rank(), tc.code, tc.rank)
		}
	}
	if _, ok := ColourOf(lith + "granite"); ok {
		t.Error("a lithology has a chart colour")
	}
	if _, _, ok := AgeRange(ics + "Tertiary"); ok {
		t.Error("the Tertiary, not in the chart, has an age range")
	}
}

func TestBoundaryUncertainty(t *testing.T) {
	p, _ := Lookup(ics + "Permian")
	if p.Time.Base != (Boundary{Ma: 298.9, UncertaintyMa: 0.15}) || p.Time.Top != (Boundary{Ma: 251.902, UncertaintyMa: 0.024}) {
		t.Errorf("Permian boundaries %+v %+v", p.Time.Base, p.Time.Top)
	}
	// The chart prints the base of the Upper Triassic as ~237.
	u, _ := Lookup(ics + "UpperTriassic")
	if !u.Time.Base.Approximate || u.Time.Top.Approximate {
		t.Errorf("Upper Triassic boundaries %+v %+v", u.Time.Base, u.Time.Top)
	}
}

// Every unit lies within each unit it is narrower than, and its colour is
// an upper-case #RRGGBB.
func TestChartConsistency(t *testing.T) {
	v, _ := Get("ics")
	for _, c := range v.Concepts {
		if c.Time == nil {
			t.Fatalf("%s has no chart data", c.URI)
		}
		if len(c.Time.Colour) != 7 || c.Time.Colour != strings.ToUpper(c.Time.Colour) {
			t.Errorf("%s: colour %q", c.URI, c.Time.Colour)
		}
		for _, b := range c.Broader {
			p, _ := Lookup(b)
			if c.Time.Base.Ma > p.Time.Base.Ma || c.Time.Top.Ma < p.Time.Top.Ma {
				t.Errorf("%s (%v–%v) is outside %s (%v–%v)", c.URI, c.Time.Base.Ma, c.Time.Top.Ma, b, p.Time.Base.Ma, p.Time.Top.Ma)
			}
		}
	}
	// The Pridoli is both a series and its own stage.
	p, _ := Lookup(ics + "Pridoli")
	if !p.Time.HasRank(RankEpoch) || !p.Time.HasRank(RankAge) || p.Time.Rank() != RankEpoch {
		t.Errorf("Pridoli ranks %v", p.Time.Ranks)
	}
}

func TestUnitAt(t *testing.T) {
	for _, tc := range []struct {
		ma   float64
		rank Rank
		want string // "" for none
	}{
		{250, RankPeriod, "Triassic"},
		{250, RankEpoch, "LowerTriassic"},
		{250, RankAge, "Induan"},
		{250, RankEra, "Mesozoic"},
		{250, RankEon, "Phanerozoic"},
		{251.902, RankPeriod, "Triassic"}, // on the boundary: the younger unit
		{251.91, RankPeriod, "Permian"},
		{66, RankPeriod, "Paleogene"},
		{298.9, RankPeriod, "Permian"},
		{420, RankAge, "Pridoli"},
		{0, RankAge, "Meghalayan"},
		{3000, RankEra, "Mesoarchean"},
		{3000, RankPeriod, ""}, // the Archean has no periods
		{5000, RankEon, ""},
		{-1, RankAge, ""},
		{math.NaN(), RankAge, ""},
	} {
		c, ok := UnitAt(tc.ma, tc.rank)
		got := ""
		if ok {
			got = strings.TrimPrefix(c.URI, ics)
		}
		if got != tc.want {
			t.Errorf("UnitAt(%v, %s) = %q, want %q", tc.ma, tc.rank, got, tc.want)
		}
	}
}

func TestParseAge(t *testing.T) {
	for _, tc := range []struct {
		name, older, younger string
	}{
		{"Late Triassic", "UpperTriassic", "UpperTriassic"},
		{"Upper Triassic", "UpperTriassic", "UpperTriassic"},
		{"late triassic", "UpperTriassic", "UpperTriassic"},
		{"Early Jurassic", "LowerJurassic", "LowerJurassic"},
		{"Mid Jurassic", "MiddleJurassic", "MiddleJurassic"},
		{"Late Pleistocene", "UpperPleistocene", "UpperPleistocene"},
		// No Lower/Upper Permian in the chart: its three series.
		{"Early Permian", "Cisuralian", "Cisuralian"},
		{"Middle Permian", "Guadalupian", "Guadalupian"},
		{"Late Permian", "Lopingian", "Lopingian"},
		{"Late Carboniferous", "Pennsylvanian", "Pennsylvanian"},
		{"Early Proterozoic", "Paleoproterozoic", "Paleoproterozoic"},
		{"Jurassic-Cretaceous", "Jurassic", "Cretaceous"},
		{"Cretaceous – Jurassic", "Jurassic", "Cretaceous"},
		{"Early-Middle Jurassic", "LowerJurassic", "MiddleJurassic"},
		{"Late Permian to Early Triassic", "Lopingian", "LowerTriassic"},
		{"Neoarchean to Paleoproterozoic", "Neoarchean", "Paleoproterozoic"},
		// The GSWA Hamersley legend's age names.
		{"Neoarchean", "Neoarchean", "Neoarchean"},
		{"Paleoproterozoic", "Paleoproterozoic", "Paleoproterozoic"},
		{"Paleoarchean", "Paleoarchean", "Paleoarchean"},
		// British spellings, rank words, other languages, composed names.
		{"Neoarchaean", "Neoarchean", "Neoarchean"},
		{"Palaeozoic", "Paleozoic", "Paleozoic"},
		{"Rhaetian", "Rhaetian", "Rhaetian"},
		{"Jurassic Period", "Jurassic", "Jurassic"},
		{"Trias", "Triassic", "Triassic"},
		{"Cambrian Stage 2", "CambrianStage2", "CambrianStage2"},
	} {
		o, y, err := ParseAge(tc.name)
		if err != nil {
			t.Errorf("ParseAge(%q): %v", tc.name, err)
			continue
		}
		if got, want := strings.TrimPrefix(o.URI, ics)+" "+strings.TrimPrefix(y.URI, ics), tc.older+" "+tc.younger; got != want {
			t.Errorf("ParseAge(%q) = %s, want %s", tc.name, got, want)
		}
	}
}

func TestParseAgeErrors(t *testing.T) {
	for name, wantInErr := range map[string]string{
		"":                          "empty",
		"Tertiary":                  "no ICS chart unit",
		"Early Cambrian":            "Terreneuvian, Series 2, Miaolingian, Furongian",
		"Middle Carboniferous":      "Mississippian, Pennsylvanian",
		"Jurassic-":                 "both sides",
		"Permian-Triassic-Jurassic": "has 3",
		"Late Granite":              "no ICS chart unit",
	} {
		_, _, err := ParseAge(name)
		if err == nil || !strings.Contains(err.Error(), wantInErr) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseAge(%q) error = %v, want one line containing %q", name, err, wantInErr)
		}
	}
}
