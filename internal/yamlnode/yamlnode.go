// Package yamlnode reads the nodes of a YAML configuration file (a
// harmonisation mapping, a compilation configuration) so that every refusal
// names the line at fault and says what to write instead. Each file's
// package keeps its own error type: a Reader makes errors with its Errorf.
package yamlnode

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Reader reads the nodes of one file.
type Reader struct {
	// Errorf makes the error for a line of the file (0 when none).
	Errorf func(line int, format string, args ...any) error
	// Suggest returns the allowed key a misspelt one most probably meant,
	// or ""; nil suggests none.
	Suggest func(key string, allowed []string) string
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// SyntaxError splits an error of yaml.Unmarshal into the line it names (0
// when it names none) and its message without the "yaml: line N: " prefix.
func SyntaxError(err error) (line int, msg string) {
	msg = err.Error()
	if sm := yamlLine.FindStringSubmatch(msg); sm != nil {
		line, _ = strconv.Atoi(sm[1])
		return line, msg[len(sm[0]):]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// Pair is a key of a mapping and its value node, aliases resolved.
type Pair struct{ Key, Val *yaml.Node }

// Pairs reads a mapping node's keys, refusing unknown and repeated ones;
// where says which mapping, e.g. "in a source".
func (r Reader) Pairs(n *yaml.Node, allowed []string, where string) (map[string]Pair, error) {
	out := map[string]Pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if r.Suggest != nil {
				if s := r.Suggest(k.Value, allowed); s != "" {
					hint = fmt.Sprintf("did you mean %s? ", s)
				}
			}
			return nil, r.Errorf(k.Line, "unknown key %q %s; %suse %s", k.Value, where, hint, strings.Join(allowed, ", "))
		}
		if prev, dup := out[k.Value]; dup {
			return nil, r.Errorf(k.Line, "%s is given twice (first on line %d); keep one", k.Value, prev.Key.Line)
		}
		out[k.Value] = Pair{Key: k, Val: Deref(n.Content[i+1])}
	}
	return out, nil
}

// Scalar reads a single value, refusing an empty one; what names it in
// errors.
func (r Reader) Scalar(n *yaml.Node, what string) (string, error) {
	s, err := r.ScalarAllowEmpty(n, what)
	if err == nil && strings.TrimSpace(s) == "" {
		return "", r.Errorf(n.Line, "%s is empty; give a value", what)
	}
	return s, err
}

// ScalarAllowEmpty reads a single value; null is "".
func (r Reader) ScalarAllowEmpty(n *yaml.Node, what string) (string, error) {
	n = Deref(n)
	if n.Kind != yaml.ScalarNode {
		return "", r.Errorf(n.Line, "%s must be a single value, not a %s", what, KindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

// Number reads a single value that is a number.
func (r Reader) Number(n *yaml.Node, what string) (float64, error) {
	s, err := r.Scalar(n, what)
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, r.Errorf(n.Line, "%s must be a number, not %q", what, s)
	}
	return x, nil
}

// Boolean reads true or false (also yes/no, on/off, in any case).
func (r Reader) Boolean(n *yaml.Node, what string) (bool, error) {
	s, err := r.Scalar(n, what)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off":
		return false, nil
	}
	return false, r.Errorf(n.Line, "%s must be true or false, not %q", what, s)
}

// ScalarList reads one value or a non-empty list of values.
func (r Reader) ScalarList(n *yaml.Node, what string) ([]string, error) {
	vals, _, err := r.ScalarListLines(n, what)
	return vals, err
}

// ScalarListLines reads one value or a list of values, with their lines.
func (r Reader) ScalarListLines(n *yaml.Node, what string) ([]string, []int, error) {
	n = Deref(n)
	if n.Kind == yaml.ScalarNode {
		s, err := r.Scalar(n, what)
		return []string{s}, []int{n.Line}, err
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, nil, r.Errorf(n.Line, "%s must be a value or a list of values, e.g. [a, b]", what)
	}
	var vals []string
	var lines []int
	for _, c := range n.Content {
		s, err := r.ScalarAllowEmpty(c, what)
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, s)
		lines = append(lines, c.Line)
	}
	return vals, lines, nil
}

// Deref follows aliases (*name) to the node they stand for.
func Deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// KindName names a node's kind as a user would: mapping, list, single value.
func KindName(n *yaml.Node) string {
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
