package synth

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/vocab"
)

// TestLegendAgesAreICS checks every age name against the ICS chart that
// Outcrop harmonises to: the name parses, and the numeric ages are exactly
// the base of its oldest unit and the top of its youngest.
func TestLegendAgesAreICS(t *testing.T) {
	units, err := Legend()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		older, younger, err := vocab.ParseAge(u.Age)
		if err != nil {
			t.Errorf("%s: age %q: %v", u.Code, u.Age, err)
			continue
		}
		base, _, _ := vocab.AgeRange(older.URI)
		_, top, _ := vocab.AgeRange(younger.URI)
		if u.MaxAgeMa != base || u.MinAgeMa != top {
			t.Errorf("%s (%s): %g–%g Ma, ICS says %g–%g Ma", u.Code, u.Age, u.MaxAgeMa, u.MinAgeMa, base, top)
		}
	}
}

// TestLegendLithologyLeadsWithACGITerm checks that each unit's main
// lithology, the first word a survey writes, is a CGI Simple Lithology term,
// so that harmonising the synthetic map is meaningful; the words after it
// may be a survey's own.
func TestLegendLithologyLeadsWithACGITerm(t *testing.T) {
	lith, ok := vocab.Get("lithology")
	if !ok {
		t.Fatal("vocab has no lithology vocabulary")
	}
	units, err := Legend()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		main, _, _ := strings.Cut(u.Lithology, ",")
		if len(lith.ByLabel(main)) == 0 {
			t.Errorf("%s: main lithology %q is not a CGI Simple Lithology label", u.Code, main)
		}
	}
}

// TestLegendCommoditiesAreCGICodes checks the occurrence profiles against
// the CGI commodity vocabulary and the occurrence types against CGI's.
func TestLegendCommoditiesAreCGICodes(t *testing.T) {
	commodity, ok := vocab.Get("commodity")
	if !ok {
		t.Fatal("vocab has no commodity vocabulary")
	}
	l, err := loadLegend()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range l.Domains {
		for _, p := range d.Occurrences {
			for _, code := range strings.Split(p.Commodities, ", ") {
				if len(commodity.ByNotation(code)) == 0 {
					t.Errorf("%s: %q is not a CGI commodity code", d.Name, code)
				}
			}
		}
	}
	types, ok := vocab.Get("mineral-occurrence-type")
	if !ok {
		t.Fatal("vocab has no mineral-occurrence-type vocabulary")
	}
	g, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range g.OccurrenceTypes {
		if len(types.ByLabel(w.Code)) == 0 {
			t.Errorf("occurrence type %q is not a CGI mineral occurrence type", w.Code)
		}
	}
}

func TestLegendIndexRejectsBrokenLegends(t *testing.T) {
	good := func() *legend {
		return &legend{
			Units: []LegendUnit{
				{Code: "Pr", Name: "n", NameTH: "น", Lithology: "limestone", RockType: "sedimentary", Age: "Permian", MinAgeMa: 251.902, MaxAgeMa: 298.9},
				{Code: "Trgr", Name: "n", NameTH: "น", Lithology: "granite", RockType: "plutonic", Age: "Late Triassic", MinAgeMa: 201.4, MaxAgeMa: 237},
			},
			BasinUnits: []weighted{{"Pr", 1}},
			Domains: []domain{{Name: "d", EastEdge: 1, Units: []weighted{{"Pr", 1}},
				Intrusions: []weighted{{"Trgr", 1}}, Occurrences: []occurrenceProfile{{"Cu", "porphyry", 1}}}},
		}
	}
	if err := good().index(); err != nil {
		t.Fatalf("a sound legend was refused: %v", err)
	}
	for name, breakIt := range map[string]func(*legend){
		"duplicate code":       func(l *legend) { l.Units[1].Code = "Pr" },
		"ages upside down":     func(l *legend) { l.Units[0].MinAgeMa = 300 },
		"unknown code":         func(l *legend) { l.Domains[0].Units[0].Code = "Xx" },
		"zero weight":          func(l *legend) { l.BasinUnits[0].Weight = 0 },
		"intrusion not pluton": func(l *legend) { l.Domains[0].Intrusions[0].Code = "Pr" },
		"missing Thai name":    func(l *legend) { l.Units[0].NameTH = "" },
		"domains out of order": func(l *legend) { l.Domains = append(l.Domains, l.Domains[0]) },
	} {
		l := good()
		breakIt(l)
		if err := l.index(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPickWeightedHonoursWeightsAndExclusions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ws := []weighted{{"a", 1}, {"b", 3}, {"c", 6}}
	counts := map[string]int{}
	for range 10000 {
		code, ok := pickWeighted(rng, ws, func(c string) bool { return c != "c" })
		if !ok {
			t.Fatal("nothing picked")
		}
		counts[code]++
	}
	if counts["c"] != 0 {
		t.Errorf("picked excluded code %d times", counts["c"])
	}
	if r := float64(counts["b"]) / float64(counts["a"]); r < 2.6 || r > 3.4 {
		t.Errorf("b:a picked %.2f:1, want about 3:1", r)
	}
	if _, ok := pickWeighted(rng, ws, func(string) bool { return false }); ok {
		t.Error("picked although every code was excluded")
	}
}
