package harmonise

import (
	"fmt"
	"sort"
	"strings"

	"github.com/outcrop/outcrop/vocab"
)

// suggestField says which field was probably meant.
func suggestField(v *View, name string) string {
	names := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		names[i] = f.Name
	}
	if s := closest(name, names); s != "" {
		return "did you mean " + s + "?"
	}
	for _, o := range views {
		if _, ok := o.Field(name); ok && o != v {
			return fmt.Sprintf("it is a field of %s; change view: or the field", o.Name)
		}
	}
	return "its fields are " + strings.Join(names, ", ")
}

// suggestConcept proposes concepts for a name that is not one: by label in
// any language, then by a near spelling of the URI's last segment.
func suggestConcept(v *vocab.Vocabulary, name string) string {
	words := strings.NewReplacer("_", " ", "-", " ").Replace(name)
	var hints []string
	for _, c := range v.ByLabel(words) {
		hints = append(hints, fmt.Sprintf("%s (%q)", strings.TrimPrefix(c.URI, namespace(v)), c.Label("en")))
	}
	if len(hints) == 0 {
		locals := make([]string, len(v.Concepts))
		for i, c := range v.Concepts {
			locals[i] = strings.TrimPrefix(c.URI, namespace(v))
		}
		if s := closest(name, locals); s != "" {
			hints = append(hints, s)
		}
	}
	if len(hints) == 0 {
		return "write a concept's last URI segment or its full URI, or use by_label: true"
	}
	sort.Strings(hints)
	return "did you mean " + strings.Join(hints, " or ") + "?"
}

// closest returns the candidate nearest to s: equal but for case, or within a
// few edits; "" when none is close.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == ls {
			return c
		}
		d := editDistance(ls, lc)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/4) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggestSource names the source field probably meant, or lists them.
func suggestSource(name string, have []string) string {
	if s := closest(name, have); s != "" {
		return "did you mean " + s + "?"
	}
	sorted := append([]string(nil), have...)
	sort.Strings(sorted)
	const show = 12
	if len(sorted) > show {
		return fmt.Sprintf("it has %s … (%d fields); fix the name in the mapping", strings.Join(sorted[:show], ", "), len(sorted))
	}
	if len(sorted) == 0 {
		return "it has no attribute fields"
	}
	return "it has " + strings.Join(sorted, ", ") + "; fix the name in the mapping"
}
