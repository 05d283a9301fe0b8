// Package download writes a collection's features as files people take
// away: GeoPackage, GeoJSON, CSV with WKT geometry, and zipped Shapefile.
//
// Every writer takes features one at a time, as the GeoJSON Feature objects
// a tileset stores (WGS 84 longitude, latitude), and keeps its memory
// bounded however many there are: GeoJSON and CSV stream to the output as
// they go; GeoPackage and Shapefile build their files in a temporary
// directory and copy them to the output when closed, then remove them.
package download

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// Format is a file format features can be downloaded in.
type Format struct {
	// Name is the value of the f parameter that asks for it.
	Name string
	// Title names it for people.
	Title string
	// MediaType is its Content-Type.
	MediaType string
	// Ext is the file name extension, without the dot.
	Ext string
}

// The formats, in the order they are offered.
var (
	GeoPackage = Format{Name: "gpkg", Title: "GeoPackage", MediaType: "application/geopackage+sqlite3", Ext: "gpkg"}
	GeoJSON    = Format{Name: "geojson", Title: "GeoJSON", MediaType: "application/geo+json", Ext: "geojson"}
	CSV        = Format{Name: "csv", Title: "CSV (geometry as WKT)", MediaType: "text/csv; charset=utf-8", Ext: "csv"}
	Shapefile  = Format{Name: "shp", Title: "Shapefile (zipped)", MediaType: "application/zip", Ext: "shp.zip"}
)

// Formats lists every format.
var Formats = []Format{GeoPackage, GeoJSON, CSV, Shapefile}

// FormatNamed returns the format whose Name is name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Layer describes the features written.
type Layer struct {
	// Name names the table, layer or file inside the download.
	Name string
	// Title names the data for people, where the format has room for it.
	Title string
	// Fields are the property columns, in order. Properties a feature has
	// beyond them are left out; those it lacks are null.
	Fields []tileset.Field
	// Description, Attribution and License travel with the data where the
	// format has room for them.
	Description, Attribution, License string
}

// Sizer is implemented by an output that wants a file's length before its
// first byte, as an HTTP response does for its Content-Length. Writers that
// build the whole file before sending it (GeoPackage) tell it.
type Sizer interface {
	SetSize(n int64)
}

// Writer writes features to a file. Write takes one stored GeoJSON Feature
// at a time; Close finishes the file and writes whatever remains of it to
// the output; Abort drops it, removing temporary files, when the features
// could not all be read. One of Close or Abort must be called.
type Writer interface {
	Write(feature []byte) error
	Close() error
	Abort()
}

// New returns a writer of f to out. tmpDir holds temporary files ("" for the
// system's).
func New(f Format, out io.Writer, layer Layer, tmpDir string) (Writer, error) {
	switch f.Name {
	case GeoPackage.Name:
		return NewGeoPackage(out, layer, tmpDir)
	case GeoJSON.Name:
		return NewGeoJSON(out, layer), nil
	case CSV.Name:
		return NewCSV(out, layer), nil
	case Shapefile.Name:
		return NewShapefile(out, layer, tmpDir)
	}
	return nil, fmt.Errorf("download: unknown format %q", f.Name)
}

// feature is a stored feature decoded for the tabular formats.
type feature struct {
	id       int64
	hasID    bool
	geometry orb.Geometry // nil for none
	// values are the properties in the layer's field order, nil for null or
	// missing.
	values []any
}

// storedFeature is the wire shape of a stored feature.
type storedFeature struct {
	ID         json.Number                `json:"id"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// decode reads a stored feature. Property values come out as string,
// json.Number, bool or nil; an array or object as its JSON text.
func decode(raw []byte, fields []tileset.Field) (*feature, error) {
	var sf storedFeature
	if err := json.Unmarshal(raw, &sf); err != nil {
		return nil, fmt.Errorf("stored feature is not valid GeoJSON: %w", err)
	}
	f := &feature{values: make([]any, len(fields))}
	if sf.ID != "" {
		id, err := sf.ID.Int64()
		if err == nil {
			f.id, f.hasID = id, true
		}
	}
	if g := bytes.TrimSpace(sf.Geometry); len(g) > 0 && !bytes.Equal(g, []byte("null")) {
		geom, err := geojson.UnmarshalGeometry(g)
		if err != nil {
			return nil, fmt.Errorf("feature %s: geometry: %w", sf.ID, err)
		}
		f.geometry = geom.Geometry()
	}
	for i, fd := range fields {
		rv, ok := sf.Properties[fd.Name]
		if !ok {
			continue
		}
		v, err := decodeValue(rv)
		if err != nil {
			return nil, fmt.Errorf("feature %s: property %q: %w", sf.ID, fd.Name, err)
		}
		f.values[i] = v
	}
	return f, nil
}

// decodeValue reads one property value.
func decodeValue(rv json.RawMessage) (any, error) {
	rv = bytes.TrimSpace(rv)
	if len(rv) == 0 {
		return nil, nil
	}
	switch rv[0] {
	case 'n':
		return nil, nil
	case 't', 'f':
		var b bool
		err := json.Unmarshal(rv, &b)
		return b, err
	case '"':
		var s string
		err := json.Unmarshal(rv, &s)
		return s, err
	case '[', '{':
		return string(rv), nil
	}
	return json.Number(rv), nil
}

// text is a property value as text, "" and false for null.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return fmt.Sprint(v), true
}

// uniqueName returns name, or name with a numeric suffix, such that it is
// not in taken (compared case-insensitively, as SQLite and DBF compare
// column names), and adds it to taken. maxBytes > 0 bounds its length in
// bytes, cutting at a character boundary.
func uniqueName(name string, taken map[string]bool, maxBytes int) string {
	base := truncate(name, maxBytes)
	cand := base
	for n := 1; taken[strings.ToLower(cand)]; n++ {
		suffix := "_" + strconv.Itoa(n)
		cand = truncate(base, maxBytes-len(suffix)) + suffix
		if maxBytes <= 0 {
			cand = base + suffix
		}
	}
	taken[strings.ToLower(cand)] = true
	return cand
}

// truncate cuts s to at most n bytes at a character boundary; n <= 0 leaves
// it whole.
func truncate(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ErrTooBig is wrapped by the error of a Write whose feature would make the
// file larger than its format can hold; the message names the limit and
// what to download instead.
var ErrTooBig = errors.New("download: too big for the format")

// errClosed is returned by a Write after Close or Abort.
var errClosed = errors.New("download: write after close")
