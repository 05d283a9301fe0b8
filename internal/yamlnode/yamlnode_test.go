package yamlnode

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func reader() Reader {
	return Reader{
		Errorf: func(line int, format string, args ...any) error {
			return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
		},
		Suggest: func(key string, allowed []string) string {
			for _, a := range allowed {
				if strings.EqualFold(a, key) {
					return a
				}
			}
			return ""
		},
	}
}

func root(t *testing.T, text string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestPairs(t *testing.T) {
	r := reader()
	got, err := r.Pairs(root(t, "a: &x 1\nb: *x\n"), []string{"a", "b"}, "at the top")
	if err != nil || got["b"].Val.Value != "1" || got["b"].Key.Line != 2 {
		t.Errorf("Pairs = %v, %v: want b's alias resolved to 1, its key on line 2", got, err)
	}
	for text, want := range map[string]string{
		"a: 1\nB: 2\n": `line 2: unknown key "B" at the top; did you mean b? use a, b`,
		"a: 1\na: 2\n": "line 2: a is given twice (first on line 1); keep one",
	} {
		if _, err := r.Pairs(root(t, text), []string{"a", "b"}, "at the top"); err == nil || err.Error() != want {
			t.Errorf("Pairs(%q) = %v, want %q", text, err, want)
		}
	}
}

func TestScalars(t *testing.T) {
	r := reader()
	m, err := r.Pairs(root(t, "s: ''\nn: 2.5\nb: Yes\nl: [x, y]\nm: {k: v}\n"), []string{"s", "n", "b", "l", "m"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Scalar(m["s"].Val, "s"); err == nil || !strings.Contains(err.Error(), "s is empty") {
		t.Errorf("Scalar of '' = %v, want empty", err)
	}
	if x, err := r.Number(m["n"].Val, "n"); x != 2.5 || err != nil {
		t.Errorf("Number = %v, %v", x, err)
	}
	if b, err := r.Boolean(m["b"].Val, "b"); !b || err != nil {
		t.Errorf("Boolean = %v, %v", b, err)
	}
	if l, lines, err := r.ScalarListLines(m["l"].Val, "l"); strings.Join(l, ",") != "x,y" || lines[1] != 4 || err != nil {
		t.Errorf("ScalarListLines = %v %v, %v", l, lines, err)
	}
	if _, err := r.Scalar(m["m"].Val, "m"); err == nil || !strings.Contains(err.Error(), "m must be a single value, not a mapping") {
		t.Errorf("Scalar of a mapping = %v", err)
	}
}

func TestSyntaxError(t *testing.T) {
	var doc yaml.Node
	err := yaml.Unmarshal([]byte("a: 1\n b: 2\n"), &doc)
	if err == nil {
		t.Fatal("no syntax error")
	}
	line, msg := SyntaxError(err)
	if line != 2 || strings.HasPrefix(msg, "yaml:") || msg == "" {
		t.Errorf("SyntaxError(%q) = %d, %q", err, line, msg)
	}
}
