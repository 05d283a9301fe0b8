package harmonise

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/outcrop/outcrop/internal/yamlnode"

	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// legend is a mapping's legend: section: the source field holding each
// feature's unit code, and the survey's own colour of each unit, from the
// mapping's colours: or a CSV legend file beside it.
type legend struct {
	field string // the source field holding the unit code
	line  int    // of legend:
	// colourField is a source field holding each feature's colour, read
	// for the units that colours: and the file leave out; colourLine is
	// its line.
	colourField string
	colourLine  int
	file        string // the legend file's path as resolved, empty without one
	// colours are the survey's "#RRGGBB" per unit code, with where each
	// was given; names are the legend file's unit names.
	colours map[string]givenColour
	names   map[string]string
}

// givenColour is a unit's colour and where the mapping gave it.
type givenColour struct {
	hex   string // upper case #RRGGBB
	where string // "file:line"
}

var legendKeys = []string{"unit", "file", "colours", "colour_field"}

// readLegend reads the legend: section. A legend file's path is relative
// to the mapping file's directory.
func (p *parser) readLegend(key, n *yaml.Node) error {
	if p.m.View.Name != ViewGeologicUnit {
		return p.errf(key.Line, "legend: colours geologic units; it belongs in a %s mapping, not a %s one", ViewGeologicUnit, p.m.View.Name)
	}
	if n.Kind != yaml.MappingNode {
		return p.errf(n.Line, "legend: must be a mapping with unit: (the source field of unit codes) and, optionally, file: or colours:")
	}
	pairs, err := p.Pairs(n, legendKeys, "in legend:")
	if err != nil {
		return err
	}
	u, ok := pairs["unit"]
	if !ok {
		return p.errf(key.Line, "legend: has no unit:; add unit: naming the source field that holds each unit's code, e.g. unit: code")
	}
	l := &legend{line: key.Line, colours: map[string]givenColour{}, names: map[string]string{}}
	if l.field, err = p.Scalar(u.Val, "legend: unit"); err != nil {
		return err
	}
	if f, ok := pairs["colour_field"]; ok {
		if l.colourField, err = p.Scalar(f.Val, "legend: colour_field"); err != nil {
			return err
		}
		l.colourLine = f.Val.Line
	}
	if f, ok := pairs["file"]; ok {
		name, err := p.Scalar(f.Val, "legend: file")
		if err != nil {
			return err
		}
		l.file = name
		if !filepath.IsAbs(name) {
			l.file = filepath.Join(filepath.Dir(p.file), name)
		}
		if err := l.readFile(); err != nil {
			return err
		}
	}
	if c, ok := pairs["colours"]; ok {
		if c.Val.Kind != yaml.MappingNode {
			return p.errf(c.Val.Line, `legend: colours: must map unit codes to colours, e.g. A-HAm-cib: "#8A6BB0"`)
		}
		for i := 0; i+1 < len(c.Val.Content); i += 2 {
			k, v := c.Val.Content[i], yamlnode.Deref(c.Val.Content[i+1])
			code := tidy(k.Value)
			where := fmt.Sprintf("%s:%d", p.file, k.Line)
			if prev, dup := l.colours[code]; dup && !strings.HasPrefix(prev.where, l.file+":") {
				return p.errf(k.Line, "legend: colours: unit %s is given twice (first at %s); keep one", code, prev.where)
			}
			raw := ""
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				raw = v.Value
			}
			hex, err := parseColour(raw)
			if err != nil {
				return p.errf(k.Line, "legend: colours: unit %s: %v", code, err)
			}
			l.colours[code] = givenColour{hex: hex, where: where}
		}
	}
	p.m.legend = l
	return nil
}

// readFile reads a CSV legend file: a header naming the columns code,
// colour (or color) and, optionally, name, in any order; then one unit a
// row.
func (l *legend) readFile() error {
	f, err := os.Open(l.file)
	if err != nil {
		return &Error{File: l.file, Msg: fmt.Sprintf("cannot read the legend file: %v; check legend: file:, which is relative to the mapping file", err)}
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return &Error{File: l.file, Line: 1, Msg: fmt.Sprintf("cannot read the header: %v; the first line names the columns: code,name,colour", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if h == "color" {
			h = "colour"
		}
		col[h] = i
	}
	for _, need := range []string{"code", "colour"} {
		if _, ok := col[need]; !ok {
			return &Error{File: l.file, Line: 1, Msg: fmt.Sprintf("the header %q has no column %s; the first line names the columns: code,name,colour", strings.Join(header, ","), need)}
		}
	}
	cell := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return &Error{File: l.file, Line: line, Msg: fmt.Sprintf("malformed CSV: %v; quote values holding commas", err)}
		}
		code := tidy(cell(rec, "code"))
		if code == "" {
			if strings.TrimSpace(strings.Join(rec, "")) == "" {
				continue
			}
			return &Error{File: l.file, Line: line, Msg: "the row has no unit code; fill the code column or delete the row"}
		}
		where := fmt.Sprintf("%s:%d", l.file, line)
		if prev, dup := l.colours[code]; dup {
			return &Error{File: l.file, Line: line, Msg: fmt.Sprintf("unit %s is listed twice (first at %s); keep one row", code, prev.where)}
		}
		hex, err := parseColour(cell(rec, "colour"))
		if err != nil {
			return &Error{File: l.file, Line: line, Msg: fmt.Sprintf("unit %s: %v", code, err)}
		}
		l.colours[code] = givenColour{hex: hex, where: where}
		if n := cell(rec, "name"); n != "" {
			l.names[code] = n
		}
	}
}

// parseColour reads "#RRGGBB" in either case, the one colour form MapLibre,
// QGIS and SLD all read alike, and returns it in upper case.
func parseColour(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf(`no colour; give one as "#8A6BB0" (in YAML, quote it: an unquoted # starts a comment)`)
	}
	if len(s) == 7 && s[0] == '#' {
		if _, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return strings.ToUpper(s), nil
		}
	}
	hint := ""
	if len(s) == 6 {
		if _, err := strconv.ParseUint(s, 16, 32); err == nil {
			hint = fmt.Sprintf(" (did you mean \"#%s\"?)", strings.ToUpper(s))
		}
	}
	return "", fmt.Errorf("colour %q is not #RRGGBB%s; write # and six hex digits, as \"#8A6BB0\"", s, hint)
}

// storedField is the name the unit field has in the harmonised features:
// its own, unless Apply moves it aside (see Apply).
func (m *Mapping) storedField() string {
	f := m.legend.field
	if s, ok := m.byName[f]; ok && !s.identity() {
		return SourcePrefix + f
	}
	for _, d := range m.defaulted {
		if d.Name == f {
			return SourcePrefix + f
		}
	}
	return f
}

// checkLegend checks that the source has the unit field, as text.
func (m *Mapping) checkLegend(fields []tileset.Field, names []string) error {
	if m.legend == nil {
		return nil
	}
	for _, f := range fields {
		if f.Name == m.legend.field {
			if f.Type != "string" {
				return &Error{File: m.File, Line: m.legend.line, Msg: fmt.Sprintf(
					"legend: unit: the source field %q holds %s values, not text; name a text field of unit codes", f.Name, f.Type)}
			}
			return nil
		}
	}
	return &Error{File: m.File, Line: m.legend.line, Msg: fmt.Sprintf(
		"legend: unit: the source has no field %q; %s", m.legend.field, suggestSource(m.legend.field, names))}
}

// checkColourField checks that the source has the colour field.
func (m *Mapping) checkColourField(names []string) error {
	l := m.legend
	if l == nil || l.colourField == "" || slices.Contains(names, l.colourField) {
		return nil
	}
	return &Error{File: m.File, Line: l.colourLine, Msg: fmt.Sprintf(
		"legend: colour_field: the source has no field %q; %s", l.colourField, suggestSource(l.colourField, names))}
}

// columnColour reads a colour as a survey's attribute table holds it:
// "#RRGGBB" or "RRGGBB" in either case, or red, green and blue from 0 to
// 255 separated by commas, spaces or semicolons ("224,96,96").
func columnColour(v any) (string, bool) {
	s := strings.TrimSpace(fmt.Sprint(v))
	if hex, err := parseColour(s); err == nil {
		return hex, true
	}
	if hex, err := parseColour("#" + s); err == nil && len(s) == 6 {
		return hex, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if len(parts) != 3 {
		return "", false
	}
	var rgb [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return "", false
		}
		rgb[i] = n
	}
	return fmt.Sprintf("#%02X%02X%02X", rgb[0], rgb[1], rgb[2]), true
}

// LegendReport is the map's legend of units as Apply found it: each unit
// code present, its name, age and colour.
type LegendReport struct {
	// Field is the stored field holding the unit code; File the legend
	// file's base name, when the mapping names one.
	Field string `json:"field"`
	File  string `json:"file,omitempty"`
	// Units are the codes present in the data, sorted.
	Units []UnitColour `json:"units"`
	// Uncoloured counts the units the survey gives no colour, which styles
	// colour in their age's family; Unused lists the codes given a colour
	// that no feature carries.
	Uncoloured int      `json:"uncoloured"`
	Unused     []string `json:"unused"`
	// NoCode counts the features with a blank unit code.
	NoCode int `json:"no_code"`
	// Conflicts lists the units whose features' colour field holds more
	// than one colour; BadColours the colour field values that are no
	// colour. Both are drawn as if the survey had given no such colour.
	Conflicts  []UnitConflict `json:"conflicts"`
	BadColours []BadColour    `json:"bad_colours"`
}

// UnitConflict is a unit whose features disagree on its colour: Chosen is
// the most frequent of Colours.
type UnitConflict struct {
	Code    string   `json:"code"`
	Colours []string `json:"colours"`
	Chosen  string   `json:"chosen"`
}

// BadColour is a colour field value that is no colour, on a unit's features.
type BadColour struct {
	Code     string `json:"code"`
	Value    string `json:"value"`
	Features int    `json:"features"`
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// UnitColour is one unit of a legend report.
type UnitColour struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	// Age is the ICS unit most of its features have as representativeAge_uri.
	Age string `json:"age,omitempty"`
	// Colour is the survey's own; Given where the mapping gives it
	// ("file:line"). Both are empty for a unit the survey gives no colour.
	Colour   string `json:"colour,omitempty"`
	Given    string `json:"given,omitempty"`
	Features int    `json:"features"`
}

// unitTally gathers one unit's features during Apply.
type unitTally struct {
	features int
	ages     map[string]int
	names    map[string]int
	colours  map[string]int // from the colour field
	bad      map[string]int // colour field values that are no colour
}

// tallyUnit notes a feature's unit code, with its harmonised age and name.
func (a *applier) tallyUnit(props, vals map[string]any) {
	if a.m.legend == nil {
		return
	}
	// The code as the tiles hold it, which the style matches; the mapping's
	// colours are looked up tidied.
	code := ""
	if v, ok := props[a.m.legend.field]; ok && v != nil {
		code = fmt.Sprint(v)
	}
	if tidy(code) == "" || a.m.blanks[tidy(code)] {
		a.noCode++
		return
	}
	t := a.units[code]
	if t == nil {
		t = &unitTally{ages: map[string]int{}, names: map[string]int{}, colours: map[string]int{}, bad: map[string]int{}}
		a.units[code] = t
	}
	t.features++
	if u, ok := vals[FieldRepresentativeAgeURI].(string); ok {
		if c, ok := vocab.Lookup(u); ok && c.Time != nil {
			t.ages[c.URI]++
		}
	}
	if n, ok := vals[FieldName].(string); ok && n != "" {
		t.names[n]++
	}
	if f := a.m.legend.colourField; f != "" {
		if v, ok := props[f]; ok && v != nil && tidy(fmt.Sprint(v)) != "" {
			if hex, ok := columnColour(v); ok {
				t.colours[hex]++
			} else {
				t.bad[fmt.Sprint(v)]++
			}
		}
	}
}

// legendReport turns the tallies into the report's legend.
func (a *applier) legendReport() *LegendReport {
	l := a.m.legend
	if l == nil {
		return nil
	}
	r := &LegendReport{Field: a.m.storedField(), Units: []UnitColour{}, Unused: []string{}, NoCode: a.noCode,
		Conflicts: []UnitConflict{}, BadColours: []BadColour{}}
	if l.file != "" {
		r.File = filepath.Base(l.file)
	}
	for code, t := range a.units {
		u := UnitColour{Code: code, Age: mostCommon(t.ages), Name: mostCommon(t.names), Features: t.features}
		if n, ok := l.names[tidy(code)]; ok && u.Name == "" {
			u.Name = n
		}
		switch c, ok := l.colours[tidy(code)]; {
		case ok:
			u.Colour, u.Given = c.hex, c.where
		case len(t.colours) > 0:
			u.Colour, u.Given = mostCommon(t.colours), l.colourField
			if len(t.colours) > 1 {
				r.Conflicts = append(r.Conflicts, UnitConflict{Code: code, Colours: sortedKeys(t.colours), Chosen: u.Colour})
			}
		default:
			r.Uncoloured++
		}
		for v, n := range t.bad {
			r.BadColours = append(r.BadColours, BadColour{Code: code, Value: v, Features: n})
		}
		r.Units = append(r.Units, u)
	}
	sort.Slice(r.Units, func(i, j int) bool { return r.Units[i].Code < r.Units[j].Code })
	sort.Slice(r.Conflicts, func(i, j int) bool { return r.Conflicts[i].Code < r.Conflicts[j].Code })
	sort.Slice(r.BadColours, func(i, j int) bool {
		a, b := r.BadColours[i], r.BadColours[j]
		return a.Code < b.Code || a.Code == b.Code && a.Value < b.Value
	})
	present := map[string]bool{}
	for code := range a.units {
		present[tidy(code)] = true
	}
	for code := range l.colours {
		if !present[code] {
			r.Unused = append(r.Unused, code)
		}
	}
	sort.Strings(r.Unused)
	return r
}

// mostCommon is the key with the highest count, ties to the smallest key.
func mostCommon(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// TilesetUnits is the legend as a tileset stores it (tileset.Metadata.Units),
// or nil when the mapping has no legend: section.
func (r *Report) TilesetUnits() *tileset.Units {
	if r == nil || r.Legend == nil {
		return nil
	}
	out := &tileset.Units{Field: r.Legend.Field, Units: make([]tileset.Unit, len(r.Legend.Units))}
	for i, u := range r.Legend.Units {
		out.Units[i] = tileset.Unit{Code: u.Code, Name: u.Name, Age: u.Age, Colour: u.Colour, Features: int64(u.Features)}
	}
	return out
}

// printLegend writes the legend part of the printed report.
func (l *LegendReport) print(w io.Writer) {
	if l == nil {
		return
	}
	from := ""
	if l.File != "" {
		from = " (legend file " + l.File + ")"
	}
	fmt.Fprintf(w, "  legend: %s by %s, %d coloured by the survey%s, %d shaded from their age's colour\n",
		plural(len(l.Units), "unit"), l.Field, len(l.Units)-l.Uncoloured, from, l.Uncoloured)
	if len(l.Unused) > 0 {
		fmt.Fprintf(w, "    given a colour but on no feature: %s\n", strings.Join(l.Unused, ", "))
	}
	if l.NoCode > 0 {
		fmt.Fprintf(w, "    features without a unit code: %d\n", l.NoCode)
	}
	for _, c := range l.Conflicts {
		fmt.Fprintf(w, "    unit %s: its features are coloured %s; drawn %s, the most frequent\n", c.Code, strings.Join(c.Colours, ", "), c.Chosen)
	}
	for _, b := range l.BadColours {
		fmt.Fprintf(w, "    unit %s: colour %q is not #RRGGBB, RRGGBB or r,g,b: %s\n", b.Code, b.Value, plural(b.Features, "feature"))
	}
}
