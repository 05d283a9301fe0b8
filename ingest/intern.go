package ingest

// Attribute text repeats: a survey layer of 200,000 occurrences holds a few
// dozen commodities, deposit types and domains, and a unit's lithology and age
// repeat across its polygons. Each value read from GDAL is a fresh Go string,
// boxed again into the feature's property map, so without sharing the same
// words are held once per feature until the tiles are cut, which for points
// is most of an ingest's memory. values hands out one boxed copy per distinct
// text instead; the features only read their properties, so sharing is safe.

const (
	// internMaxLen is the longest text shared: longer text is mostly
	// descriptions, which seldom repeat.
	internMaxLen = 256
	// internMaxValues bounds the table, so that a field of unique values
	// (names, codes) does not make it as large as the data.
	internMaxValues = 1 << 16
)

// values shares repeated attribute text among the features of one read.
type values struct {
	m map[string]any
}

// text returns t boxed, the same box for the same text while the table has
// room.
func (v *values) text(t string) any {
	if len(t) > internMaxLen {
		return t
	}
	if b, ok := v.m[t]; ok {
		return b
	}
	if v.m == nil {
		v.m = make(map[string]any)
	}
	if len(v.m) >= internMaxValues {
		return t
	}
	var b any = t
	v.m[t] = b
	return b
}
