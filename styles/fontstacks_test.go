package styles

import (
	"slices"
	"strings"
	"testing"
)

// TestLabelFontstacks: the stacks listed are exactly those the symbol
// layers of every generated style name in text-font.
func TestLabelFontstacks(t *testing.T) {
	stacks, err := LabelFontstacks()
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, s := range allStyles(t, Options{Base: testBase, Glyphs: "/fonts/{fontstack}/{range}.pbf"}) {
		for _, l := range decoded(t, s)["layers"].([]any) {
			layout, _ := l.(map[string]any)["layout"].(map[string]any)
			fonts, ok := layout["text-font"].([]any)
			if !ok {
				continue
			}
			var names []string
			for _, f := range fonts {
				names = append(names, f.(string))
			}
			if stack := strings.Join(names, ","); !slices.Contains(named, stack) {
				named = append(named, stack)
			}
		}
	}
	if len(named) == 0 {
		t.Fatal("no style names a text-font")
	}
	slices.Sort(named)
	slices.Sort(stacks)
	if !slices.Equal(stacks, named) {
		t.Errorf("LabelFontstacks() = %q, the styles name %q", stacks, named)
	}
}
