package compile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/tileset"
)

// DefaultToleranceM is the tolerance when a configuration gives none.
const DefaultToleranceM = 250

// DefaultBoundaryField is the boundaries' country-code field by default.
const DefaultBoundaryField = "iso_a3"

// Config is a compilation configuration file (compile/CONFIG.md). Paths are
// resolved against the configuration file's directory.
type Config struct {
	File        string // the configuration file, for messages
	ID          string
	Title       string
	Description string
	License     string
	// ToleranceM is the misalignment, in metres, below which the maps and
	// the reference border are snapped together rather than reported.
	ToleranceM float64
	Boundaries Boundaries
	Sources    []Source
}

// Boundaries names the reference borders: a polygon file with one feature
// (or several, unioned) per country, keyed by Field.
type Boundaries struct {
	File  string // "" for the bundled data/borders/asean-borders-10m.geojson
	Field string
	Line  int
}

// Source is one national map.
type Source struct {
	Country     string // the code in the boundaries' field, e.g. THA
	File        string
	Layer       string
	Mapping     string
	Attribution string
	Encoding    string // for a shapefile without .cpg
	SrcSRS      string // for a file that declares no CRS
	Line        int    // where the source starts in the configuration
	// Lines are the country's line layers (faults, contacts), by name.
	Lines []LineSource
}

// LineSource is one line layer of a national map. The line layers of one
// Name from every source are compiled into tileset {id}-{Name}.
type LineSource struct {
	Name     string // e.g. faults
	File     string
	Layer    string
	Mapping  string // optional
	Encoding string
	SrcSRS   string
	Line     int
}

// Error is a mistake in a configuration file, at a line, worded as a
// compiler would: what is wrong and how to fix it, on one line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// LoadConfig reads and checks a configuration file: every value, that the
// files it names exist, and that the ids it makes are valid. Nothing is read
// from the sources yet.
func LoadConfig(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &Error{File: file, Msg: "no such file; check the --config path"}
		default:
			return nil, &Error{File: file, Msg: fmt.Sprintf("cannot read it (%v); make it readable", err)}
		}
	}
	p := &configParser{file: file, dir: filepath.Dir(file)}
	return p.parse(data)
}

type configParser struct {
	file, dir string
}

func (p *configParser) errf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var (
	yamlLine     = regexp.MustCompile(`^yaml: line (\d+): `)
	topKeys      = []string{"id", "title", "description", "license", "tolerance_m", "boundaries", "sources"}
	boundaryKeys = []string{"file", "field"}
	sourceKeys   = []string{"country", "file", "layer", "mapping", "attribution", "encoding", "s_srs", "lines"}
	lineKeys     = []string{"file", "layer", "mapping", "encoding", "s_srs"}
)

func (p *configParser) parse(data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := err.Error(), 0
		if sm := yamlLine.FindStringSubmatch(msg); sm != nil {
			line, _ = strconv.Atoi(sm[1])
			msg = msg[len(sm[0]):]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		return nil, p.errf(line, "malformed YAML: %s; fix the syntax there (indent with spaces, quote values holding ': ')", msg)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(1, "the configuration is empty; it needs id:, title: and sources:, see compile/CONFIG.md")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "a compilation configuration is a YAML mapping with id:, title: and sources:, not a %s", kindName(root))
	}
	top, err := p.pairs(root, topKeys, "at the top level")
	if err != nil {
		return nil, err
	}
	c := &Config{File: p.file, ToleranceM: DefaultToleranceM, Boundaries: Boundaries{Field: DefaultBoundaryField}}
	for _, k := range []string{"id", "title", "sources"} {
		if _, ok := top[k]; !ok {
			return nil, p.errf(root.Line, "the configuration has no %s:; add it (see compile/CONFIG.md)", k)
		}
	}
	if c.ID, err = p.scalar(top["id"].val, "id"); err != nil {
		return nil, err
	}
	if err := tileset.ValidateID(c.ID + "-qa"); err != nil {
		return nil, p.errf(top["id"].val.Line, "id %q cannot name the compiled tileset and its %s-qa: use 1 to 61 lower-case letters, digits, '_' or '-', starting with a letter or digit", c.ID, c.ID)
	}
	if c.Title, err = p.scalar(top["title"].val, "title"); err != nil {
		return nil, err
	}
	if n, ok := top["description"]; ok {
		if c.Description, err = p.scalar(n.val, "description"); err != nil {
			return nil, err
		}
	}
	if n, ok := top["license"]; ok {
		if c.License, err = p.scalar(n.val, "license"); err != nil {
			return nil, err
		}
	}
	if n, ok := top["tolerance_m"]; ok {
		s, err := p.scalar(n.val, "tolerance_m")
		if err != nil {
			return nil, err
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || x < 0 || x > 100000 {
			return nil, p.errf(n.val.Line, "tolerance_m must be a distance in metres from 0 to 100000, not %q; e.g. tolerance_m: 250", s)
		}
		c.ToleranceM = x
	}
	if n, ok := top["boundaries"]; ok {
		if err := p.boundaries(n, &c.Boundaries); err != nil {
			return nil, err
		}
	}
	if err := p.sources(top["sources"].val, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *configParser) boundaries(n pair, b *Boundaries) error {
	b.Line = n.key.Line
	if n.val.Kind != yaml.MappingNode {
		return p.errf(n.val.Line, "boundaries: must be a mapping with file: and field:, e.g. {file: borders.gpkg, field: iso_a3}")
	}
	kv, err := p.pairs(n.val, boundaryKeys, "in boundaries")
	if err != nil {
		return err
	}
	if f, ok := kv["file"]; ok {
		if b.File, err = p.path(f.val, "boundaries file"); err != nil {
			return err
		}
	}
	if f, ok := kv["field"]; ok {
		if b.Field, err = p.scalar(f.val, "boundaries field"); err != nil {
			return err
		}
	}
	return nil
}

func (p *configParser) sources(n *yaml.Node, c *Config) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return p.errf(n.Line, "sources: must be a list of national maps, each with country:, file: and mapping:")
	}
	seen := map[string]int{}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			return p.errf(item.Line, "each source must be a mapping with country:, file: and mapping:, not a %s", kindName(item))
		}
		kv, err := p.pairs(item, sourceKeys, "in a source")
		if err != nil {
			return err
		}
		for _, k := range []string{"country", "file", "mapping"} {
			if _, ok := kv[k]; !ok {
				return p.errf(item.Line, "this source has no %s:; add it (a source needs country:, file: and mapping:)", k)
			}
		}
		s := Source{Line: item.Line}
		if s.Country, err = p.scalar(kv["country"].val, "country"); err != nil {
			return err
		}
		if first, dup := seen[s.Country]; dup {
			return p.errf(kv["country"].val.Line, "country %s has a source already (line %d); give one map per country, merged beforehand", s.Country, first)
		}
		seen[s.Country] = item.Line
		if s.File, err = p.path(kv["file"].val, "file"); err != nil {
			return err
		}
		if s.Mapping, err = p.path(kv["mapping"].val, "mapping"); err != nil {
			return err
		}
		if _, err := harmonise.Load(s.Mapping); err != nil {
			return p.errf(kv["mapping"].val.Line, "mapping: %v", err)
		}
		for key, dst := range map[string]*string{"layer": &s.Layer, "attribution": &s.Attribution, "encoding": &s.Encoding, "s_srs": &s.SrcSRS} {
			if v, ok := kv[key]; ok {
				if *dst, err = p.scalar(v.val, key); err != nil {
					return err
				}
			}
		}
		if n, ok := kv["lines"]; ok {
			if s.Lines, err = p.lines(n, c.ID); err != nil {
				return err
			}
		}
		c.Sources = append(c.Sources, s)
	}
	if len(c.Sources) < 2 {
		return p.errf(n.Line, "a compilation needs the maps of at least two neighbouring countries; add another source")
	}
	return nil
}

// lines reads a source's line layers: a mapping from each layer's name to
// its file, or to file:, layer:, mapping:, encoding: and s_srs:.
func (p *configParser) lines(n pair, id string) ([]LineSource, error) {
	if n.val.Kind != yaml.MappingNode || len(n.val.Content) == 0 {
		return nil, p.errf(n.val.Line, "lines: must map each line layer's name to its file, e.g. lines: {faults: th/faults.shp}")
	}
	var out []LineSource
	seen := map[string]int{}
	for i := 0; i+1 < len(n.val.Content); i += 2 {
		k, v := n.val.Content[i], n.val.Content[i+1]
		ls := LineSource{Name: strings.TrimSpace(k.Value), Line: k.Line}
		if first, dup := seen[ls.Name]; dup {
			return nil, p.errf(k.Line, "line layer %s is given twice (first on line %d); keep one", ls.Name, first)
		}
		seen[ls.Name] = k.Line
		if ls.Name == "qa" || tileset.ValidateID(id+"-"+ls.Name) != nil {
			return nil, p.errf(k.Line, "line layer name %q cannot name tileset %s-%s: use lower-case letters, digits, '_' or '-', not qa", ls.Name, id, ls.Name)
		}
		var err error
		if v.Kind == yaml.ScalarNode {
			if ls.File, err = p.path(v, "lines "+ls.Name+" file"); err != nil {
				return nil, err
			}
			out = append(out, ls)
			continue
		}
		if v.Kind != yaml.MappingNode {
			return nil, p.errf(v.Line, "line layer %s must be a file name or a mapping with file:, not a %s", ls.Name, kindName(v))
		}
		kv, err := p.pairs(v, lineKeys, "in line layer "+ls.Name)
		if err != nil {
			return nil, err
		}
		f, ok := kv["file"]
		if !ok {
			return nil, p.errf(v.Line, "line layer %s has no file:; add it", ls.Name)
		}
		if ls.File, err = p.path(f.val, "lines "+ls.Name+" file"); err != nil {
			return nil, err
		}
		if m, ok := kv["mapping"]; ok {
			if ls.Mapping, err = p.path(m.val, "lines "+ls.Name+" mapping"); err != nil {
				return nil, err
			}
			if _, err := harmonise.Load(ls.Mapping); err != nil {
				return nil, p.errf(m.val.Line, "mapping: %v", err)
			}
		}
		for key, dst := range map[string]*string{"layer": &ls.Layer, "encoding": &ls.Encoding, "s_srs": &ls.SrcSRS} {
			if x, ok := kv[key]; ok {
				if *dst, err = p.scalar(x.val, key); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, ls)
	}
	return out, nil
}

// path reads a file name and resolves it against the configuration's
// directory; the file must exist.
func (p *configParser) path(n *yaml.Node, what string) (string, error) {
	s, err := p.scalar(n, what)
	if err != nil {
		return "", err
	}
	full := s
	if !filepath.IsAbs(s) && !strings.HasPrefix(s, "/vsi") {
		full = filepath.Join(p.dir, s)
	}
	if strings.HasPrefix(s, "/vsi") {
		return full, nil
	}
	if _, err := os.Stat(full); err != nil {
		return "", p.errf(n.Line, "%s %s: no such file (looked for %s); paths are relative to the configuration file", what, s, full)
	}
	return full, nil
}

// pair is a key and its value node.
type pair struct{ key, val *yaml.Node }

// pairs reads a mapping node's keys, refusing unknown and repeated ones.
func (p *configParser) pairs(n *yaml.Node, allowed []string, where string) (map[string]pair, error) {
	out := map[string]pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if s := harmonise.Closest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf("did you mean %s? ", s)
			}
			return nil, p.errf(k.Line, "unknown key %q %s; %suse %s", k.Value, where, hint, strings.Join(allowed, ", "))
		}
		if prev, dup := out[k.Value]; dup {
			return nil, p.errf(k.Line, "%s is given twice (first on line %d); keep one", k.Value, prev.key.Line)
		}
		out[k.Value] = pair{key: k, val: n.Content[i+1]}
	}
	return out, nil
}

func (p *configParser) scalar(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n.Line, "%s must be a single value, not a %s", what, kindName(n))
	}
	if n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		return "", p.errf(n.Line, "%s is empty; give a value", what)
	}
	return strings.TrimSpace(n.Value), nil
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
