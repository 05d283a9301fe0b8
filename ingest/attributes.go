package ingest

import (
	"encoding/json"
	"log/slog"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/outcrop/outcrop/ingest/gdal"
	"github.com/outcrop/outcrop/tileset"
)

// The attribute types of tileset.Field.
const (
	typeInteger  = "integer"
	typeReal     = "real"
	typeString   = "string"
	typeDate     = "date"
	typeDateTime = "datetime"
	typeBoolean  = "boolean"
)

// attribute maps one source field onto a tileset field.
type attribute struct {
	index   int    // the field's position in the layer
	name    string // the field's name in UTF-8, made unique
	ogrType gdal.FieldType
	boolean bool
	kind    string // the tileset.Field type
}

// attributeSchema returns the fields that go into the tiles, in source order.
// Binary fields are left out: a vector tile has no type for them. Fields that
// share a name (a CSV header "name,name", a .dbf with two NAME fields) are
// all kept, the later ones renamed name_2, name_3… with a warning.
func attributeSchema(s *source, log *slog.Logger) ([]attribute, error) {
	var attrs []attribute
	fields := s.layer.Layout().Fields
	names := make([]string, len(fields))
	for i, f := range fields {
		name, err := s.text(f.Name)
		if err != nil || !utf8.ValidString(name) {
			return nil, s.attributeErr(0, &encodingError{value: f.Name, err: err})
		}
		names[i] = name
	}
	unique := uniqueNames(names)
	for i, f := range fields {
		name := unique[i]
		if name != names[i] {
			log.Warn("two fields share a name: the later one is kept renamed", "file", s.file, "field", names[i], "renamed", name)
		}
		a := attribute{index: i, name: name, ogrType: f.Type}
		switch f.Type {
		case gdal.FTInt, gdal.FTInt64:
			a.kind = typeInteger
			if f.SubType == gdal.FSTBoolean {
				a.kind, a.boolean = typeBoolean, true
			}
		case gdal.FTReal:
			a.kind = typeReal
		case gdal.FTDate:
			a.kind = typeDate
		case gdal.FTDateTime:
			a.kind = typeDateTime
		case gdal.FTString, gdal.FTTime, gdal.FTIntList, gdal.FTInt64List, gdal.FTRealList, gdal.FTStringList:
			// Times of day and lists have no MVT type: they travel as text.
			a.kind = typeString
		default:
			log.Warn("binary field left out: vector tiles cannot hold it", "file", s.file, "field", name)
			continue
		}
		attrs = append(attrs, a)
	}
	return attrs, nil
}

// uniqueNames returns names with each repeat of a name suffixed _2, _3…,
// skipping suffixes that are names already; names are compared as MVT
// keys are, exactly.
func uniqueNames(names []string) []string {
	taken := make(map[string]bool, len(names))
	for _, n := range names {
		taken[n] = true
	}
	seen := make(map[string]bool, len(names))
	out := make([]string, len(names))
	for i, n := range names {
		if !seen[n] {
			seen[n] = true
			out[i] = n
			continue
		}
		for k := 2; ; k++ {
			c := n + "_" + strconv.Itoa(k)
			if !taken[c] {
				taken[c] = true
				out[i] = c
				break
			}
		}
	}
	return out
}

// schemaFields returns the tileset's field list.
func schemaFields(attrs []attribute) []tileset.Field {
	fields := make([]tileset.Field, len(attrs))
	for i, a := range attrs {
		fields[i] = tileset.Field{Name: a.name, Type: a.kind}
	}
	return fields
}

// attributeValues returns the feature's attribute values, typed for
// tileset.Field: int64, float64, bool or string. Nulls, unset fields and
// non-finite reals are left out.
func attributeValues(s *source, f *gdal.Feature, attrs []attribute) (map[string]any, error) {
	props := make(map[string]any, len(attrs))
	for _, a := range attrs {
		fld := f.Field(a.index)
		if !fld.IsSet() || fld.IsNull() {
			continue
		}
		var v any
		switch a.ogrType {
		case gdal.FTInt, gdal.FTInt64:
			if a.boolean {
				v = fld.Int() != 0
			} else {
				v = fld.Int()
			}
		case gdal.FTReal:
			x := fld.Float()
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			v = x
		case gdal.FTDate:
			t := fld.DateTime()
			if t == nil {
				continue
			}
			v = t.Format(time.DateOnly)
		case gdal.FTDateTime:
			t := fld.DateTime()
			if t == nil {
				continue
			}
			v = formatDateTime(*t, fld.TZFlag())
		case gdal.FTTime:
			t := fld.DateTime()
			if t == nil {
				continue
			}
			v = t.Format(time.TimeOnly)
		case gdal.FTIntList:
			v = jsonText(fld.IntList())
		case gdal.FTInt64List:
			v = jsonText(fld.IntList())
		case gdal.FTRealList:
			v = jsonText(finiteOnly(fld.FloatList()))
		case gdal.FTStringList:
			l := fld.StringList()
			for i := range l {
				t, err := s.text(l[i])
				if err != nil || !utf8.ValidString(t) {
					return nil, &encodingError{field: a.name, value: l[i], err: err}
				}
				l[i] = t
			}
			v = jsonText(l)
		default:
			t, err := s.text(fld.String())
			if err != nil || !utf8.ValidString(t) {
				return nil, &encodingError{field: a.name, value: fld.String(), err: err}
			}
			v = s.values.text(t)
		}
		props[a.name] = v
	}
	return props, nil
}

// formatDateTime writes RFC 3339 when the time zone is known. A time in an
// unknown or "local" zone is written without an offset (ISO 8601 local time):
// stating one would invent it.
func formatDateTime(t time.Time, tzFlag int) string {
	layout := "2006-01-02T15:04:05.999"
	if tzFlag >= 2 { // 0 unknown, 1 local, 100 UTC, else UTC±n×15min
		layout += "Z07:00"
	}
	return t.Format(layout)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// finiteOnly replaces NaN and infinities, which JSON cannot hold, by nulls.
func finiteOnly(xs []float64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out[i] = x
		}
	}
	return out
}

// encodingError is text that does not decode: the source's encoding is
// undeclared or declared wrongly.
type encodingError struct {
	field, value string // field is "" for a field name
	err          error  // the recoder's complaint, if it was recoded
}

func (e *encodingError) Error() string {
	what := "field " + strconv.Quote(e.field) + " holds text"
	if e.field == "" {
		what = "a field name"
	}
	if e.err != nil {
		return what + " that does not decode (" + e.err.Error() + ")"
	}
	return what + " that is not UTF-8 (" + quoteBytes(e.value) + ")"
}

// quoteBytes shows a short prefix of a string with its invalid bytes escaped.
func quoteBytes(s string) string {
	const max = 24
	if len(s) > max {
		s = s[:max]
	}
	return strconv.Quote(s) // shows invalid bytes as \x escapes
}
