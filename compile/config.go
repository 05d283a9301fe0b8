package compile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/internal/yamlnode"
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
	p.Reader = yamlnode.Reader{Errorf: p.errf, Suggest: harmonise.Closest}
	return p.parse(data)
}

type configParser struct {
	yamlnode.Reader
	file, dir string
}

func (p *configParser) errf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var (
	topKeys      = []string{"id", "title", "description", "license", "tolerance_m", "boundaries", "sources"}
	boundaryKeys = []string{"file", "field"}
	sourceKeys   = []string{"country", "file", "layer", "mapping", "attribution", "encoding", "s_srs", "lines"}
	lineKeys     = []string{"file", "layer", "mapping", "encoding", "s_srs"}
)

func (p *configParser) parse(data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlnode.SyntaxError(err)
		return nil, p.errf(line, "malformed YAML: %s; fix the syntax there (indent with spaces, quote values holding ': ')", msg)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(1, "the configuration is empty; it needs id:, title: and sources:, see compile/CONFIG.md")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "a compilation configuration is a YAML mapping with id:, title: and sources:, not a %s", yamlnode.KindName(root))
	}
	top, err := p.Pairs(root, topKeys, "at the top level")
	if err != nil {
		return nil, err
	}
	c := &Config{File: p.file, ToleranceM: DefaultToleranceM, Boundaries: Boundaries{Field: DefaultBoundaryField}}
	for _, k := range []string{"id", "title", "sources"} {
		if _, ok := top[k]; !ok {
			return nil, p.errf(root.Line, "the configuration has no %s:; add it (see compile/CONFIG.md)", k)
		}
	}
	if c.ID, err = p.scalar(top["id"].Val, "id"); err != nil {
		return nil, err
	}
	if err := tileset.ValidateID(c.ID + "-qa"); err != nil {
		return nil, p.errf(top["id"].Val.Line, "id %q cannot name the compiled tileset and its %s-qa: use 1 to 61 lower-case letters, digits, '_' or '-', starting with a letter or digit", c.ID, c.ID)
	}
	if c.Title, err = p.scalar(top["title"].Val, "title"); err != nil {
		return nil, err
	}
	if n, ok := top["description"]; ok {
		if c.Description, err = p.scalar(n.Val, "description"); err != nil {
			return nil, err
		}
	}
	if n, ok := top["license"]; ok {
		if c.License, err = p.scalar(n.Val, "license"); err != nil {
			return nil, err
		}
	}
	if n, ok := top["tolerance_m"]; ok {
		s, err := p.scalar(n.Val, "tolerance_m")
		if err != nil {
			return nil, err
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || x < 0 || x > 100000 {
			return nil, p.errf(n.Val.Line, "tolerance_m must be a distance in metres from 0 to 100000, not %q; e.g. tolerance_m: 250", s)
		}
		c.ToleranceM = x
	}
	if n, ok := top["boundaries"]; ok {
		if err := p.boundaries(n, &c.Boundaries); err != nil {
			return nil, err
		}
	}
	if err := p.sources(top["sources"].Val, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *configParser) boundaries(n yamlnode.Pair, b *Boundaries) error {
	b.Line = n.Key.Line
	if n.Val.Kind != yaml.MappingNode {
		return p.errf(n.Val.Line, "boundaries: must be a mapping with file: and field:, e.g. {file: borders.gpkg, field: iso_a3}")
	}
	kv, err := p.Pairs(n.Val, boundaryKeys, "in boundaries")
	if err != nil {
		return err
	}
	if f, ok := kv["file"]; ok {
		if b.File, err = p.path(f.Val, "boundaries file"); err != nil {
			return err
		}
	}
	if f, ok := kv["field"]; ok {
		if b.Field, err = p.scalar(f.Val, "boundaries field"); err != nil {
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
			return p.errf(item.Line, "each source must be a mapping with country:, file: and mapping:, not a %s", yamlnode.KindName(item))
		}
		kv, err := p.Pairs(item, sourceKeys, "in a source")
		if err != nil {
			return err
		}
		for _, k := range []string{"country", "file", "mapping"} {
			if _, ok := kv[k]; !ok {
				return p.errf(item.Line, "this source has no %s:; add it (a source needs country:, file: and mapping:)", k)
			}
		}
		s := Source{Line: item.Line}
		if s.Country, err = p.scalar(kv["country"].Val, "country"); err != nil {
			return err
		}
		if first, dup := seen[s.Country]; dup {
			return p.errf(kv["country"].Val.Line, "country %s has a source already (line %d); give one map per country, merged beforehand", s.Country, first)
		}
		seen[s.Country] = item.Line
		if s.File, err = p.path(kv["file"].Val, "file"); err != nil {
			return err
		}
		if s.Mapping, err = p.path(kv["mapping"].Val, "mapping"); err != nil {
			return err
		}
		if _, err := harmonise.Load(s.Mapping); err != nil {
			return p.errf(kv["mapping"].Val.Line, "mapping: %v", err)
		}
		for key, dst := range map[string]*string{"layer": &s.Layer, "attribution": &s.Attribution, "encoding": &s.Encoding, "s_srs": &s.SrcSRS} {
			if v, ok := kv[key]; ok {
				if *dst, err = p.scalar(v.Val, key); err != nil {
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
func (p *configParser) lines(n yamlnode.Pair, id string) ([]LineSource, error) {
	if n.Val.Kind != yaml.MappingNode || len(n.Val.Content) == 0 {
		return nil, p.errf(n.Val.Line, "lines: must map each line layer's name to its file, e.g. lines: {faults: th/faults.shp}")
	}
	var out []LineSource
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Val.Content); i += 2 {
		k, v := n.Val.Content[i], n.Val.Content[i+1]
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
			return nil, p.errf(v.Line, "line layer %s must be a file name or a mapping with file:, not a %s", ls.Name, yamlnode.KindName(v))
		}
		kv, err := p.Pairs(v, lineKeys, "in line layer "+ls.Name)
		if err != nil {
			return nil, err
		}
		f, ok := kv["file"]
		if !ok {
			return nil, p.errf(v.Line, "line layer %s has no file:; add it", ls.Name)
		}
		if ls.File, err = p.path(f.Val, "lines "+ls.Name+" file"); err != nil {
			return nil, err
		}
		if m, ok := kv["mapping"]; ok {
			if ls.Mapping, err = p.path(m.Val, "lines "+ls.Name+" mapping"); err != nil {
				return nil, err
			}
			if _, err := harmonise.Load(ls.Mapping); err != nil {
				return nil, p.errf(m.Val.Line, "mapping: %v", err)
			}
		}
		for key, dst := range map[string]*string{"layer": &ls.Layer, "encoding": &ls.Encoding, "s_srs": &ls.SrcSRS} {
			if x, ok := kv[key]; ok {
				if *dst, err = p.scalar(x.Val, key); err != nil {
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

// scalar reads a single value, trimmed, refusing an empty one.
func (p *configParser) scalar(n *yaml.Node, what string) (string, error) {
	v, err := p.Scalar(n, what)
	return strings.TrimSpace(v), err
}
