package tileset

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// filter is one property equality of a FeatureQuery, with its value parsed
// once for every way a stored value may have to be compared with it, or its
// datetime: a span the time in property key must overlap.
type filter struct {
	key  string
	text string
	// span is set for the datetime filter, whose text is then empty.
	span *Interval
	// contains marks the free-text filter (FeatureQuery.Text): text, in
	// lower case, must be part of some string property, whatever its key.
	contains bool
	// num is the value as a number when text is written as one; integer
	// holds it exactly when it is a whole number that fits int64, so that
	// large identifiers compare exactly rather than through float64.
	num       float64
	isNum     bool
	integer   int64
	isInteger bool
}

// compileFilters prepares a query's filters, in key order so that the work
// done per feature does not depend on map iteration, and its datetime span,
// last, when the tileset has a time field to test it on.
func compileFilters(m map[string]string, timeField string, span *Interval) []filter {
	fs := make([]filter, 0, len(m)+1)
	for k, v := range m {
		f := filter{key: k, text: v}
		if isDecimal(v) {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				f.num, f.isNum = x, true
			}
			if i, err := strconv.ParseInt(v, 10, 64); err == nil {
				f.integer, f.isInteger = i, true
			}
		}
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(a, b filter) int { return strings.Compare(a.key, b.key) })
	if span != nil && timeField != "" {
		fs = append(fs, filter{key: timeField, span: span})
	}
	return fs
}

// withText adds the free-text filter of a FeatureQuery's Text, if any.
func withText(fs []filter, text string) []filter {
	if text == "" {
		return fs
	}
	return append(fs, filter{text: strings.ToLower(text), contains: true})
}

// valueContains reports whether a raw JSON value is a string holding
// lower, whatever its case.
func valueContains(v []byte, lower string) bool {
	if len(v) < 2 || v[0] != '"' {
		return false
	}
	s := string(v[1 : len(v)-1])
	if strings.IndexByte(s, '\\') >= 0 && json.Unmarshal(v, &s) != nil {
		return false
	}
	return strings.Contains(strings.ToLower(s), lower)
}

// isDecimal reports whether s is written as a decimal number (digits, a
// sign, a point, an exponent), which keeps strconv's other spellings ("Inf",
// "0x1p4", "1_000") from matching numbers that read nothing like them.
func isDecimal(s string) bool {
	digits := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-', c == '+', c == '.', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return digits
}

// matchProperties reports whether the JSON object props holds, for every
// filter, a property of that name equal to the filter's value: a string
// exactly, a number numerically, a boolean as "true" or "false". A null, an
// array or an object equals nothing, nor does a missing property. The
// datetime filter holds unless the property holds a time (ParseTime) outside
// its span: a feature without a time matches any datetime, as OGC API -
// Features requires (/req/core/fc-time-response).
func matchProperties(props []byte, fs []filter) (bool, error) {
	if len(fs) == 0 {
		return true, nil
	}
	if len(fs) > 64 {
		return matchPropertiesSlow(props, fs)
	}
	var met uint64 // bit i: filter i is satisfied
	for i := range fs {
		if fs[i].span != nil {
			met |= 1 << i
		}
	}
	all := ^uint64(0) >> (64 - len(fs))
	if len(props) == 0 || bytes.Equal(props, []byte("null")) {
		return met == all, nil
	}
	it := memberIter{obj: props}
	for {
		k, v, ok, err := it.next()
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
		key := k
		if bytes.IndexByte(k, '\\') >= 0 {
			// An escaped name, rare: decode it to compare it.
			var dec string
			if json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &dec) != nil {
				continue
			}
			key = []byte(dec)
		}
		for i := range fs {
			if fs[i].contains {
				if met&(1<<i) == 0 && valueContains(v, fs[i].text) {
					met |= 1 << i
				}
				continue
			}
			if string(key) != fs[i].key {
				continue
			}
			if fs[i].span != nil {
				if !valueInSpan(v, fs[i].span) {
					met &^= 1 << i
				}
			} else if valueEquals(v, &fs[i]) {
				met |= 1 << i
			}
		}
	}
	return met == all, nil
}

// matchPropertiesSlow checks more filters than one bit mask holds, through a
// map; no client sends that many, so it need not be fast.
func matchPropertiesSlow(props []byte, fs []filter) (bool, error) {
	var m map[string]json.RawMessage
	if len(props) > 0 {
		if err := json.Unmarshal(props, &m); err != nil {
			return false, err
		}
	}
	for i := range fs {
		if fs[i].contains {
			if !slices.ContainsFunc(slices.Collect(maps.Values(m)), func(v json.RawMessage) bool { return valueContains(v, fs[i].text) }) {
				return false, nil
			}
			continue
		}
		v, ok := m[fs[i].key]
		if fs[i].span != nil {
			if ok && !valueInSpan(v, fs[i].span) {
				return false, nil
			}
		} else if !ok || !valueEquals(v, &fs[i]) {
			return false, nil
		}
	}
	return true, nil
}

// valueInSpan reports whether one raw JSON property value, read as a time,
// overlaps span; a value that is not a time (a null, "n.d.") does too, since
// a feature without a time matches any datetime. A number is read as its
// text: a year, as a survey's integer column of years holds.
func valueInSpan(v []byte, span *Interval) bool {
	if len(v) == 0 {
		return true
	}
	text := v
	if v[0] == '"' {
		text = v[1 : len(v)-1]
		if bytes.IndexByte(text, '\\') >= 0 {
			var dec string
			if json.Unmarshal(v, &dec) != nil {
				return true
			}
			text = []byte(dec)
		}
	}
	t, ok := ParseTime(string(text))
	return !ok || t.Overlaps(*span)
}

// valueEquals compares one raw JSON property value with a filter.
func valueEquals(v []byte, f *filter) bool {
	if len(v) == 0 {
		return false
	}
	switch c := v[0]; {
	case c == '"':
		s := v[1 : len(v)-1]
		if bytes.IndexByte(s, '\\') < 0 {
			return string(s) == f.text
		}
		var dec string
		return json.Unmarshal(v, &dec) == nil && dec == f.text
	case c == 't' || c == 'f':
		return string(v) == f.text
	case c == '-' || (c >= '0' && c <= '9'):
		if f.isInteger {
			if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				return i == f.integer
			}
		}
		if f.isNum {
			x, err := strconv.ParseFloat(string(v), 64)
			return err == nil && x == f.num
		}
	}
	return false
}
