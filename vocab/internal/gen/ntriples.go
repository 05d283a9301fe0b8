package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TermKind tells an IRI from a blank node from a literal.
type TermKind uint8

// The kinds of RDF term.
const (
	IRI TermKind = iota
	Blank
	Literal
)

// Term is one RDF term as N-Triples writes it: Value is the IRI, the blank
// node label or the literal's lexical form, already unescaped.
type Term struct {
	Kind     TermKind
	Value    string
	Lang     string // literals only, lower-cased (BCP 47 tags are case-insensitive)
	Datatype string // literals only; empty for plain and language-tagged ones
}

// Triple is one N-Triples statement.
type Triple struct {
	S, P, O Term
}

// ParseNTriples reads the N-Triples that rapper writes. Turtle itself is left
// to rapper (Raptor, the reference RDF parser): N-Triples has one statement a
// line and no abbreviations, so this reader stays small and exact.
func ParseNTriples(r io.Reader) ([]Triple, error) {
	var out []Triple
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		t, err := parseStatement(text)
		if err != nil {
			return nil, fmt.Errorf("N-Triples line %d: %w", line, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("N-Triples line %d: %w", line+1, err)
	}
	return out, nil
}

func parseStatement(s string) (Triple, error) {
	p := &ntParser{s: s}
	var t Triple
	var err error
	if t.S, err = p.term(); err != nil {
		return t, fmt.Errorf("subject: %w", err)
	}
	if t.S.Kind == Literal {
		return t, fmt.Errorf("subject is a literal")
	}
	if t.P, err = p.term(); err != nil {
		return t, fmt.Errorf("predicate: %w", err)
	}
	if t.P.Kind != IRI {
		return t, fmt.Errorf("predicate is not an IRI")
	}
	if t.O, err = p.term(); err != nil {
		return t, fmt.Errorf("object: %w", err)
	}
	p.space()
	if !strings.HasPrefix(p.s[p.i:], ".") {
		return t, fmt.Errorf("missing final '.'")
	}
	p.i++
	p.space()
	if p.i != len(p.s) && p.s[p.i] != '#' {
		return t, fmt.Errorf("unexpected %q after '.'", p.s[p.i:])
	}
	return t, nil
}

type ntParser struct {
	s string
	i int
}

func (p *ntParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *ntParser) term() (Term, error) {
	p.space()
	if p.i >= len(p.s) {
		return Term{}, fmt.Errorf("unexpected end of line")
	}
	switch {
	case p.s[p.i] == '<':
		v, err := p.iri()
		return Term{Kind: IRI, Value: v}, err
	case strings.HasPrefix(p.s[p.i:], "_:"):
		start := p.i + 2
		p.i = start
		for p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		if p.i == start {
			return Term{}, fmt.Errorf("empty blank node label")
		}
		return Term{Kind: Blank, Value: p.s[start:p.i]}, nil
	case p.s[p.i] == '"':
		return p.literal()
	}
	return Term{}, fmt.Errorf("unexpected %q", p.s[p.i:])
}

func (p *ntParser) iri() (string, error) {
	p.i++ // '<'
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '>':
			p.i++
			return b.String(), nil
		case '\\':
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", fmt.Errorf("unterminated IRI")
}

func (p *ntParser) literal() (Term, error) {
	p.i++ // '"'
	var b strings.Builder
	closed := false
	for p.i < len(p.s) && !closed {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			closed = true
		case '\\':
			if p.i+1 >= len(p.s) {
				return Term{}, fmt.Errorf("dangling backslash")
			}
			if e, ok := echar[p.s[p.i+1]]; ok {
				b.WriteByte(e)
				p.i += 2
				continue
			}
			r, err := p.uchar()
			if err != nil {
				return Term{}, err
			}
			b.WriteRune(r)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	if !closed {
		return Term{}, fmt.Errorf("unterminated literal")
	}
	lex := b.String()
	if !utf8.ValidString(lex) {
		return Term{}, fmt.Errorf("literal %q is not UTF-8", lex)
	}
	t := Term{Kind: Literal, Value: lex}
	switch {
	case strings.HasPrefix(p.s[p.i:], "@"):
		start := p.i + 1
		p.i = start
		for p.i < len(p.s) && (isAlnum(p.s[p.i]) || p.s[p.i] == '-') {
			p.i++
		}
		if p.i == start {
			return Term{}, fmt.Errorf("empty language tag")
		}
		t.Lang = strings.ToLower(p.s[start:p.i])
	case strings.HasPrefix(p.s[p.i:], "^^"):
		p.i += 2
		if p.i >= len(p.s) || p.s[p.i] != '<' {
			return Term{}, fmt.Errorf("datatype is not an IRI")
		}
		dt, err := p.iri()
		if err != nil {
			return Term{}, err
		}
		t.Datatype = dt
	}
	return t, nil
}

var echar = map[byte]byte{'t': '\t', 'b': '\b', 'n': '\n', 'r': '\r', 'f': '\f', '"': '"', '\'': '\'', '\\': '\\'}

// uchar decodes \uXXXX or \UXXXXXXXX at p.i, which rapper uses for every
// non-ASCII character (Thai, Lao, Vietnamese labels arrive this way).
func (p *ntParser) uchar() (rune, error) {
	if p.i+1 >= len(p.s) {
		return 0, fmt.Errorf("dangling backslash")
	}
	n := 0
	switch p.s[p.i+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, fmt.Errorf("unknown escape \\%c", p.s[p.i+1])
	}
	if p.i+2+n > len(p.s) {
		return 0, fmt.Errorf("short \\%c escape", p.s[p.i+1])
	}
	v, err := strconv.ParseUint(p.s[p.i+2:p.i+2+n], 16, 32)
	if err != nil || !utf8.ValidRune(rune(v)) {
		return 0, fmt.Errorf("bad escape %q", p.s[p.i:p.i+2+n])
	}
	p.i += 2 + n
	return rune(v), nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
