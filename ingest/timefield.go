package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/tileset"
)

// timeFieldTypes are the field types whose values can be times: dates and
// date-times, text holding them, and integers holding years.
var timeFieldTypes = []string{typeDate, typeDateTime, typeString, typeInteger}

// DateCounts says how the values of the --time-field read as times.
type DateCounts struct {
	Field   string
	Dated   int64  // features whose value is a time (tileset.ParseTime)
	Missing int64  // features without a value
	Invalid int64  // features whose value is not a time
	Example string // one of the invalid values, for the summary
}

// timeField makes field, one of fields, the features' temporal property:
// it checks that the field exists and holds times, and measures their span.
// Features without a valid time are counted, not refused: OGC API -
// Features' datetime selects them always.
func timeField(field string, features []*geojson.Feature, fields []tileset.Field) (*tileset.Temporal, *DateCounts, error) {
	var typ string
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
		if f.Name == field {
			typ = f.Type
		}
	}
	if typ == "" {
		if len(names) > 12 {
			names = append(names[:12:12], "…")
		}
		return nil, nil, flagErr("--time-field", "the features have no field %q; give one of %s", field, strings.Join(names, ", "))
	}
	ok := false
	for _, t := range timeFieldTypes {
		ok = ok || t == typ
	}
	if !ok {
		return nil, nil, flagErr("--time-field", "field %q holds %s values, not times; give a field of dates, date-times or years", field, typ)
	}
	tm := &tileset.Temporal{Field: field}
	c := &DateCounts{Field: field}
	for _, f := range features {
		var text string
		switch v := f.Properties[field].(type) {
		case nil:
			c.Missing++
			continue
		case string:
			text = v
		case int64:
			text = strconv.FormatInt(v, 10)
		case int:
			text = strconv.Itoa(v)
		default:
			text = fmt.Sprint(v)
		}
		iv, ok := tileset.ParseTime(text)
		if !ok {
			if c.Invalid == 0 {
				c.Example = text
			}
			c.Invalid++
			continue
		}
		if c.Dated == 0 {
			tm.Extent = iv
		} else {
			tm.Extent = tm.Extent.Union(iv)
		}
		c.Dated++
	}
	if c.Dated == 0 {
		what := fmt.Sprintf("all %d are empty", c.Missing)
		if c.Invalid > 0 {
			what = fmt.Sprintf("%d are not times, such as %q, and %d are empty", c.Invalid, c.Example, c.Missing)
		}
		return nil, nil, flagErr("--time-field", "field %q holds no time in any feature (%s); give a field of dates (2018-02-12), RFC 3339 date-times or years (1968)", field, what)
	}
	tm.Undated = c.Missing + c.Invalid
	return tm, c, nil
}
