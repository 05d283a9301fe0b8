package styles

import (
	"fmt"
	"strings"
	"testing"
)

// TestAgeLegendNestsRanks lists ages as the chart does, youngest at the top,
// an era before the periods it holds and a period before its epochs, each
// nested by rank: the Paleozoic comes after the whole Mesozoic, not between
// it and the Triassic.
func TestAgeLegendNestsRanks(t *testing.T) {
	p, err := loadPalettes()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]int64{}
	for _, u := range []string{"Permian", "LowerTriassic", "Paleozoic", "Triassic", "Mesozoic", "Cretaceous"} {
		values[ics+u] = 1
	}
	var got []string
	for _, e := range ageEntries(values, p, "") {
		got = append(got, fmt.Sprintf("%s%s", strings.Repeat("  ", e.Depth), e.Label))
	}
	want := []string{"Mesozoic", "  Cretaceous", "  Triassic", "    Lower Triassic", "Paleozoic", "  Permian"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("age legend:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAgeLegendFollowsTheChart: a legend across eons and eras lists them
// as the chart does, oldest at the bottom, never alphabetically: the
// Triassic above the Permian above the Paleozoic's other periods, each era
// above the periods it holds, and the Precambrian eras below the Paleozoic.
func TestAgeLegendFollowsTheChart(t *testing.T) {
	p, err := loadPalettes()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]int64{}
	for _, u := range []string{"Cambrian", "Paleoproterozoic", "Carboniferous", "Jurassic", "Neoarchean", "Triassic",
		"Paleozoic", "Permian", "Mesozoic", "Paleoarchean", "Devonian", "UpperTriassic"} {
		values[ics+u] = 1
	}
	var got []string
	for _, e := range ageEntries(values, p, "") {
		got = append(got, fmt.Sprintf("%s%s", strings.Repeat("  ", e.Depth), e.Label))
	}
	want := []string{"Mesozoic", "  Jurassic", "  Triassic", "    Upper Triassic", "Paleozoic", "  Permian",
		"  Carboniferous", "  Devonian", "  Cambrian", "Paleoproterozoic", "Neoarchean", "Paleoarchean"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("age legend:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
