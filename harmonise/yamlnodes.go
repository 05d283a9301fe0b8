package harmonise

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// pair is a key and its value node.
type pair struct{ key, val *yaml.Node }

// pairs reads a mapping node's keys, refusing unknown and repeated ones.
func (p *parser) pairs(n *yaml.Node, allowed []string, where string) (map[string]pair, error) {
	out := map[string]pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if s := closest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf("did you mean %s? ", s)
			}
			return nil, p.errf(k.Line, "unknown key %q %s; %suse %s", k.Value, where, hint, strings.Join(allowed, ", "))
		}
		if prev, dup := out[k.Value]; dup {
			return nil, p.errf(k.Line, "%s is given twice (first on line %d); keep one", k.Value, prev.key.Line)
		}
		out[k.Value] = pair{key: k, val: deref(n.Content[i+1])}
	}
	return out, nil
}

func (p *parser) scalar(n *yaml.Node, what string) (string, error) {
	s, err := p.scalarAllowEmpty(n, what)
	if err == nil && strings.TrimSpace(s) == "" {
		return "", p.errf(n.Line, "%s is empty; give a value", what)
	}
	return s, err
}

func (p *parser) scalarAllowEmpty(n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n.Line, "%s must be a single value, not a %s", what, kindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

func (p *parser) number(n *yaml.Node, what string) (float64, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, p.errf(n.Line, "%s must be a number, not %q", what, s)
	}
	return x, nil
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off":
		return false, nil
	}
	return false, p.errf(n.Line, "%s must be true or false, not %q", what, s)
}

func (p *parser) scalarList(n *yaml.Node, what string) ([]string, error) {
	vals, _, err := p.scalarListLines(n, what)
	return vals, err
}

// scalarListLines reads one value or a list of values, with their lines.
func (p *parser) scalarListLines(n *yaml.Node, what string) ([]string, []int, error) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		s, err := p.scalar(n, what)
		return []string{s}, []int{n.Line}, err
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, nil, p.errf(n.Line, "%s must be a value or a list of values, e.g. [a, b]", what)
	}
	var vals []string
	var lines []int
	for _, c := range n.Content {
		s, err := p.scalarAllowEmpty(c, what)
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, s)
		lines = append(lines, c.Line)
	}
	return vals, lines, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "document"
}
