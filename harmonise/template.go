package harmonise

import (
	"fmt"
	"strings"
)

// template is text with {field} placeholders; {{ and }} stand for braces.
type template struct {
	src    string
	chunks []chunk
}

// chunk is literal text, or a field to substitute when field is set.
type chunk struct {
	text  string
	field string
}

func parseTemplate(s string) (*template, error) {
	t := &template{src: s}
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return nil, fmt.Errorf("template %q has a { with no }; write {{ for a literal brace", s)
			}
			name := strings.TrimSpace(s[i+1 : i+1+end])
			if name == "" {
				return nil, fmt.Errorf("template %q has an empty {}; put a source field's name inside", s)
			}
			if lit.Len() > 0 {
				t.chunks = append(t.chunks, chunk{text: lit.String()})
				lit.Reset()
			}
			t.chunks = append(t.chunks, chunk{field: name})
			i += end + 1
		case c == '}':
			return nil, fmt.Errorf("template %q has a } with no {; write }} for a literal brace", s)
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t.chunks = append(t.chunks, chunk{text: lit.String()})
	}
	return t, nil
}

// fields returns the source fields the template reads.
func (t *template) fields() []string {
	var out []string
	for _, c := range t.chunks {
		if c.field != "" {
			out = append(out, c.field)
		}
	}
	return out
}

// render substitutes the fields' tidied text. ok is false when every field is
// blank: "{unitname} ({code})" of a feature with neither is no value at all,
// not " ()".
func (t *template) render(text func(field string) (string, bool)) (s string, ok bool) {
	var b strings.Builder
	hasField := false
	for _, c := range t.chunks {
		if c.field == "" {
			b.WriteString(c.text)
			continue
		}
		hasField = true
		if v, set := text(c.field); set {
			b.WriteString(v)
			ok = true
		}
	}
	if !hasField {
		ok = true
	}
	return tidy(b.String()), ok
}
