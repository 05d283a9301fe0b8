package synth

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
)

// legendJSON holds the legend, the tectonic domains and what each domain
// yields; it is data, not code, so that a geologist can edit it.
//
//go:embed legend.json
var legendJSON []byte

// LegendUnit is one entry of the synthetic map's legend, as a national
// survey's attribute table would carry it. Ages are ICS 2024-12 intervals.
type LegendUnit struct {
	Code      string  `json:"code"`       // map code, e.g. "Trgr"
	Name      string  `json:"name"`       // English unit name
	NameTH    string  `json:"name_th"`    // Thai unit name, in Thai script
	Lithology string  `json:"lithology"`  // lithologies as a survey writes them
	RockType  string  `json:"rock_type"`  // unconsolidated, sedimentary, volcanic, plutonic, metamorphic, ultramafic
	Age       string  `json:"age"`        // ICS name, or "Older-Younger" for a span
	MinAgeMa  float64 `json:"min_age_ma"` // youngest possible age, Ma
	MaxAgeMa  float64 `json:"max_age_ma"` // oldest possible age, Ma
}

// weighted is a code with a relative frequency.
type weighted struct {
	Code   string  `json:"code"`
	Weight float64 `json:"weight"`
}

// occurrenceProfile is a style of mineralisation a domain hosts.
type occurrenceProfile struct {
	Commodities string  `json:"commodities"` // CGI commodity codes, main one first
	DepositType string  `json:"deposit_type"`
	Weight      float64 `json:"weight"`
}

// domain is a north-south tectonic belt with its own stratigraphy,
// intrusions and mineralisation.
type domain struct {
	Name        string              `json:"name"`
	EastEdge    float64             `json:"east_edge"`
	Units       []weighted          `json:"units"`
	Intrusions  []weighted          `json:"intrusions"`
	Occurrences []occurrenceProfile `json:"occurrences"`
}

type legend struct {
	Units      []LegendUnit `json:"units"`
	BasinUnits []weighted   `json:"basin_units"`
	Domains    []domain     `json:"domains"`

	byCode map[string]int
}

// loadLegend parses the embedded legend once.
var loadLegend = sync.OnceValues(func() (*legend, error) {
	var l legend
	if err := json.Unmarshal(legendJSON, &l); err != nil {
		return nil, fmt.Errorf("synth: embedded legend.json: %w", err)
	}
	if err := l.index(); err != nil {
		return nil, fmt.Errorf("synth: embedded legend.json: %w", err)
	}
	return &l, nil
})

// index builds the code lookup and checks every cross-reference, so that a
// mistake in legend.json shows when it is loaded, not as a skewed map.
func (l *legend) index() error {
	l.byCode = make(map[string]int, len(l.Units))
	for i, u := range l.Units {
		if u.Code == "" || u.Name == "" || u.NameTH == "" || u.Lithology == "" || u.Age == "" {
			return fmt.Errorf("unit %d (%q) lacks a field", i, u.Code)
		}
		if _, dup := l.byCode[u.Code]; dup {
			return fmt.Errorf("unit code %q appears twice", u.Code)
		}
		if !(u.MinAgeMa >= 0 && u.MinAgeMa < u.MaxAgeMa) {
			return fmt.Errorf("unit %q: min_age_ma %g must be below max_age_ma %g", u.Code, u.MinAgeMa, u.MaxAgeMa)
		}
		l.byCode[u.Code] = i
	}
	check := func(where string, ws []weighted, plutonic bool) error {
		for _, w := range ws {
			i, ok := l.byCode[w.Code]
			if !ok {
				return fmt.Errorf("%s: unknown code %q", where, w.Code)
			}
			if !(w.Weight > 0) {
				return fmt.Errorf("%s: code %q needs a positive weight", where, w.Code)
			}
			if plutonic && l.Units[i].RockType != "plutonic" {
				return fmt.Errorf("%s: %q is not plutonic", where, w.Code)
			}
		}
		return nil
	}
	if len(l.BasinUnits) == 0 || len(l.Domains) == 0 {
		return fmt.Errorf("needs basin_units and domains")
	}
	if err := check("basin_units", l.BasinUnits, false); err != nil {
		return err
	}
	for i, d := range l.Domains {
		if i > 0 && d.EastEdge <= l.Domains[i-1].EastEdge {
			return fmt.Errorf("domain %q: east_edge must grow from west to east", d.Name)
		}
		if len(d.Units) == 0 || len(d.Occurrences) == 0 {
			return fmt.Errorf("domain %q needs units and occurrences", d.Name)
		}
		if err := check(d.Name+" units", d.Units, false); err != nil {
			return err
		}
		if err := check(d.Name+" intrusions", d.Intrusions, true); err != nil {
			return err
		}
		for _, o := range d.Occurrences {
			if o.Commodities == "" || o.DepositType == "" || !(o.Weight > 0) {
				return fmt.Errorf("domain %q: occurrence profile %q is incomplete", d.Name, o.Commodities)
			}
		}
	}
	return nil
}

// unit returns the legend entry for a code that index has checked.
func (l *legend) unit(code string) *LegendUnit { return &l.Units[l.byCode[code]] }

// Legend returns the legend of the synthetic geological map, oldest-last as
// a survey prints it.
func Legend() ([]LegendUnit, error) {
	l, err := loadLegend()
	if err != nil {
		return nil, err
	}
	return append([]LegendUnit(nil), l.Units...), nil
}

// pickWeighted draws a code by weight among those allowed; ok is false when
// none is allowed.
func pickWeighted(rng *rand.Rand, ws []weighted, allowed func(code string) bool) (code string, ok bool) {
	total := 0.0
	for _, w := range ws {
		if allowed == nil || allowed(w.Code) {
			total += w.Weight
		}
	}
	if total == 0 {
		return "", false
	}
	r := rng.Float64() * total
	for _, w := range ws {
		if allowed != nil && !allowed(w.Code) {
			continue
		}
		if r < w.Weight {
			return w.Code, true
		}
		r -= w.Weight
	}
	// Rounding can leave r a hair above the last allowed weight.
	for i := len(ws) - 1; i >= 0; i-- {
		if allowed == nil || allowed(ws[i].Code) {
			return ws[i].Code, true
		}
	}
	return "", false
}

// cumulative turns weights into a cumulative table for drawing many times.
func cumulative(weights []float64) []float64 {
	c := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		sum += w
		c[i] = sum
	}
	return c
}

// drawCumulative draws an index from a cumulative table.
func drawCumulative(rng *rand.Rand, c []float64) int {
	i := sort.SearchFloat64s(c, rng.Float64()*c[len(c)-1])
	if i >= len(c) {
		i = len(c) - 1
	}
	return i
}
