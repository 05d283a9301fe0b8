package harmonise

import "strings"

// The OGC nil-reason register (http://www.opengis.net/def/nil/OGC/0/), which
// GeoSciML-Lite prescribes for a mandatory _uri field that has no value.
const (
	nilBase = "http://www.opengis.net/def/nil/OGC/0/"

	// NilMissing is written where the source has no value: its field is
	// empty, null, or one of the mapping's blank values. "The correct value
	// is not readily available to the sender of this data. Furthermore, a
	// correct value may not exist."
	NilMissing = nilBase + "missing"
	// NilUnknown is written where the source has a value that the mapping
	// cannot turn into a vocabulary URI (an unmapped legend value, a URI not
	// in the vocabulary): "the correct value is not known to, and not
	// computable by, the sender of this data. However, a correct value
	// probably exists."
	NilUnknown = nilBase + "unknown"
	// NilInapplicable, NilWithheld and NilTemplate are not written by
	// Outcrop itself; a mapping may name them (as nil:inapplicable …).
	NilInapplicable = nilBase + "inapplicable"
	NilWithheld     = nilBase + "withheld"
	NilTemplate     = nilBase + "template"
)

var nilReasons = map[string]string{
	"missing": NilMissing, "unknown": NilUnknown, "inapplicable": NilInapplicable,
	"withheld": NilWithheld, "template": NilTemplate,
	"AboveDetectionRange": nilBase + "AboveDetectionRange",
	"BelowDetectionRange": nilBase + "BelowDetectionRange",
}

// IsNil reports whether uri is an OGC nil-reason URI.
func IsNil(uri string) bool {
	r, ok := strings.CutPrefix(uri, nilBase)
	if !ok {
		return false
	}
	_, known := nilReasons[r]
	return known
}

// nilShorthand resolves a mapping's "nil:missing" to its URI.
func nilShorthand(s string) (string, bool) {
	r, ok := strings.CutPrefix(s, "nil:")
	if !ok {
		return "", false
	}
	u, known := nilReasons[r]
	return u, known
}
