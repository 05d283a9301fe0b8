package vocab

import (
	"strconv"
	"strings"
)

// IsNarrower reports whether child lies below ancestor along any chain of
// skos:broader links, however long: granite is narrower than igneous
// material through granitoid, acidic and phaneritic igneous rock alike. A
// concept is not narrower than itself, so "everything granitoid" is
// uri == g || IsNarrower(uri, g).
func IsNarrower(child, ancestor string) bool {
	c := cat()
	start, ok := c.byURI[strings.TrimSpace(child)]
	if !ok {
		return false
	}
	ancestor = strings.TrimSpace(ancestor)
	seen := map[string]bool{start.URI: true}
	queue := append([]string(nil), start.Broader...)
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if u == ancestor {
			return true
		}
		if seen[u] {
			continue // the published hierarchies have had cycles
		}
		seen[u] = true
		if k, ok := c.byURI[u]; ok {
			queue = append(queue, k.Broader...)
		}
	}
	return false
}

// CommodityGroup returns the group a CGI commodity belongs to: copper's is
// base metal, gold's precious metal. Where a commodity has several broader
// concepts (sand is an industrial material and a sand-and-gravel), the group
// is the one its hierarchy key descends from ("01.01.06" from "01.01").
// Top concepts have none.
func CommodityGroup(uri string) (*Concept, bool) {
	c, ok := Lookup(uri)
	if !ok || c.Vocabulary != "commodity" || len(c.Broader) == 0 {
		return nil, false
	}
	key := keyPath(c.HierarchyKey)
	var first *Concept
	for _, b := range c.Broader {
		p, ok := Lookup(b)
		if !ok {
			continue
		}
		if first == nil {
			first = p
		}
		if pk := keyPath(p.HierarchyKey); len(pk) > 0 && len(pk) == len(key)-1 && isPrefix(pk, key) {
			return p, true
		}
	}
	return first, first != nil
}

// keyPath reads a hierarchy key as numbers, since the published keys mix
// "01.02" and "1.02" for the same branch.
func keyPath(key string) []int {
	if key == "" {
		return nil
	}
	parts := strings.Split(key, ".")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

func isPrefix(p, of []int) bool {
	if len(p) > len(of) {
		return false
	}
	for i := range p {
		if p[i] != of[i] {
			return false
		}
	}
	return true
}
