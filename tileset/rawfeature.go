package tileset

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// Geometry decodes the feature's geometry in lon/lat (nil for a null
// geometry), with the fast decoder the bbox queries use rather than orb's
// geojson package.
func (f RawFeature) Geometry() (orb.Geometry, error) {
	raw, err := member(f.JSON, "geometry")
	if err != nil || raw == nil {
		return nil, err
	}
	g, err := decodeGeometry(raw)
	if err != nil {
		return nil, fmt.Errorf("feature %d: %v", f.ID, err)
	}
	return g, nil
}

// Properties returns the raw JSON object of the feature's properties, or
// nil when it has none; it lies in the file's memory map like JSON.
func (f RawFeature) Properties() ([]byte, error) {
	raw, err := member(f.JSON, "properties")
	if err != nil || raw == nil || string(raw) == "null" {
		return nil, err
	}
	return raw, nil
}

// PropertyText returns a property's value as text: a string as it is, a
// number or boolean as written; ok is false when the feature has no such
// property or it is null, an object or an array.
func PropertyText(props []byte, name string) (value string, ok bool) {
	raw, err := member(props, name)
	if err != nil || len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		if s, err := strconv.Unquote(string(raw)); err == nil {
			return s, true
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, true
		}
		return "", false
	case 'n', '{', '[':
		return "", false
	}
	return string(raw), true
}
