package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"

	"github.com/outcrop/outcrop/harmonise"
)

// wfsFeature is a stored feature's members a feature type shows.
type wfsFeature struct {
	id, geometry []byte
	// props holds the values of the type's properties the feature has.
	props map[string][]byte
}

// read fills f from a stored GeoJSON feature with the properties t shows.
// It scans rather than decodes: encoding/json would allocate every one of
// a feature's properties (the porphyry copper deposits have over 80) to
// pick out the few a type shows, and took 90% of a GetFeature's time.
func (f *wfsFeature) read(raw []byte, t *wfsType) error {
	f.id, f.geometry = nil, nil
	clear(f.props)
	var props []byte
	err := jsonMembers(raw, func(key, value []byte) {
		switch string(key) {
		case "id":
			f.id = value
		case "geometry":
			f.geometry = value
		case "properties":
			props = value
		}
	})
	if err != nil || f.id == nil {
		return errors.New("stored feature is not a GeoJSON feature")
	}
	if len(props) == 0 || props[0] != '{' {
		return nil // null properties
	}
	err = jsonMembers(props, func(key, value []byte) {
		name := string(key)
		if bytes.IndexByte(key, '\\') >= 0 {
			json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &name)
		}
		if t.has(name) {
			f.props[name] = value
		}
	})
	if err != nil {
		return errors.New("stored feature has bad properties")
	}
	return nil
}

// fillMandatory gives each mandatory property of t that f has no value
// for (absent, null or "") the value the standard asks for then: identifier,
// a globally unique URI, becomes the feature's URL on this server (base,
// collection coll, feature fid); any other the OGC nil URI for a missing
// value, as GeoSciML-Lite and EarthResourceML-Lite prescribe for a
// mandatory property without one.
func (f *wfsFeature) fillMandatory(t *wfsType, base, coll string, fid uint64) {
	for _, p := range t.props {
		if !p.mandatory {
			continue
		}
		if v, ok := f.props[p.field]; ok && string(v) != "null" && string(v) != `""` {
			continue
		}
		value := harmonise.NilMissing
		if p.field == harmonise.FieldIdentifier {
			value = base + "/collections/" + url.PathEscape(coll) + "/items/" + strconv.FormatUint(fid, 10)
		}
		f.props[p.field], _ = json.Marshal(value)
	}
}

// eachValue calls fn with each property of t that f has a value for
// (null is none), in t's order, with the value's JSON; it stops at fn's
// first error.
func (t *wfsType) eachValue(f *wfsFeature, fn func(p wfsProp, raw []byte) error) error {
	for _, p := range t.props {
		raw, ok := f.props[p.field]
		if !ok || len(raw) == 0 || string(raw) == "null" {
			continue
		}
		if err := fn(p, raw); err != nil {
			return err
		}
	}
	return nil
}

// appendProperties appends the GeoJSON properties object of f as t shows
// it: the properties eachValue gives, keyed by their GeoJSON names.
func appendProperties(dst []byte, t *wfsType, f *wfsFeature) []byte {
	dst = append(dst, '{')
	n := 0
	t.eachValue(f, func(p wfsProp, raw []byte) error {
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		key, _ := json.Marshal(p.field)
		dst = append(dst, key...)
		dst = append(dst, ':')
		dst = append(dst, raw...)
		return nil
	})
	return append(dst, '}')
}

// propText is a property's JSON value as text: a string's content;
// numbers and booleans as JSON writes them; objects and arrays as JSON
// text.
func propText(raw []byte) (string, error) {
	switch {
	case len(raw) > 1 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0:
		return string(raw[1 : len(raw)-1]), nil
	case len(raw) > 0 && raw[0] == '"':
		var text string
		if err := json.Unmarshal(raw, &text); err != nil {
			return "", errors.New("stored feature has a bad string")
		}
		return text, nil
	}
	return string(raw), nil
}

var errBadJSON = errors.New("bad JSON")

// jsonMembers calls fn with each member of the JSON object obj: its key
// as written, without the quotes, and its value's bytes. It checks only as
// much of the syntax as it needs to find them.
func jsonMembers(obj []byte, fn func(key, value []byte)) error {
	i := skipJSONSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return errBadJSON
	}
	if i = skipJSONSpace(obj, i+1); i < len(obj) && obj[i] == '}' {
		return nil
	}
	for {
		if i >= len(obj) || obj[i] != '"' {
			return errBadJSON
		}
		end, err := skipJSONString(obj, i)
		if err != nil {
			return err
		}
		key := obj[i+1 : end-1]
		if i = skipJSONSpace(obj, end); i >= len(obj) || obj[i] != ':' {
			return errBadJSON
		}
		i = skipJSONSpace(obj, i+1)
		vend, err := skipJSONValue(obj, i)
		if err != nil {
			return err
		}
		fn(key, obj[i:vend])
		if i = skipJSONSpace(obj, vend); i >= len(obj) {
			return errBadJSON
		}
		switch obj[i] {
		case ',':
			i = skipJSONSpace(obj, i+1)
		case '}':
			return nil
		default:
			return errBadJSON
		}
	}
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipJSONString returns the index after the string that opens at b[i].
func skipJSONString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errBadJSON
}

// skipJSONValue returns the index after the value that starts at b[i].
func skipJSONValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errBadJSON
	}
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipJSONString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errBadJSON
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
		j++
	}
	if j == i {
		return 0, errBadJSON
	}
	return j, nil
}
