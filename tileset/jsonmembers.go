package tileset

import "errors"

// errMalformedJSON reports a stored feature whose bytes are not the JSON
// object the format promises.
var errMalformedJSON = errors.New("not a well-formed JSON object")

// members calls fn with the raw key (between its quotes, escapes left as they
// are) and the raw value of each member of the JSON object obj, in order,
// until fn returns false.
//
// It exists so that a query can reach one member of a stored feature, its
// "properties" or its "geometry", without decoding the others: encoding/json
// would validate and walk a polygon's every coordinate to find the properties
// after it. It only delimits values; whoever decodes a value validates it.
// Malformed input gives an error, never a panic or an out-of-range read.
func members(obj []byte, fn func(key, val []byte) bool) error {
	it := memberIter{obj: obj}
	for {
		key, val, ok, err := it.next()
		if !ok || err != nil {
			return err
		}
		if !fn(key, val) {
			return nil
		}
	}
}

// member returns the raw value of the member named key (a key written
// without escapes), or nil when obj has none.
func member(obj []byte, key string) ([]byte, error) {
	it := memberIter{obj: obj}
	for {
		k, v, ok, err := it.next()
		if !ok || err != nil {
			return nil, err
		}
		if string(k) == key {
			return v, nil
		}
	}
}

// memberIter walks the members of a JSON object; a loop rather than a
// callback, so that member's result does not escape to the heap per call.
type memberIter struct {
	obj     []byte
	i       int
	started bool
	done    bool
}

// next returns the next member; ok is false after the last one.
func (it *memberIter) next() (key, val []byte, ok bool, err error) {
	obj, i := it.obj, it.i
	if it.done {
		return nil, nil, false, nil
	}
	if !it.started {
		it.started = true
		i = skipSpace(obj, 0)
		if i >= len(obj) || obj[i] != '{' {
			return it.fail()
		}
		i = skipSpace(obj, i+1)
		if i < len(obj) && obj[i] == '}' {
			it.done = true
			return nil, nil, false, nil
		}
	}
	if i >= len(obj) || obj[i] != '"' {
		return it.fail()
	}
	end, ok := stringEnd(obj, i)
	if !ok {
		return it.fail()
	}
	key = obj[i+1 : end-1]
	i = skipSpace(obj, end)
	if i >= len(obj) || obj[i] != ':' {
		return it.fail()
	}
	i = skipSpace(obj, i+1)
	vend, ok := valueEnd(obj, i)
	if !ok {
		return it.fail()
	}
	val = obj[i:vend]
	i = skipSpace(obj, vend)
	if i >= len(obj) {
		return it.fail()
	}
	switch obj[i] {
	case ',':
		it.i = skipSpace(obj, i+1)
	case '}':
		it.done = true
	default:
		return it.fail()
	}
	return key, val, true, nil
}

func (it *memberIter) fail() ([]byte, []byte, bool, error) {
	it.done = true
	return nil, nil, false, errMalformedJSON
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) (int, bool) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++ // the escaped byte cannot end the string
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// valueEnd returns the index just past the value starting at b[i]. Objects
// and arrays are delimited by counting brackets outside strings.
func valueEnd(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, ok := stringEnd(b, j)
				if !ok {
					return 0, false
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	}
	j := i // a number, true, false or null
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if j == i {
				return 0, false
			}
			return j, true
		}
		j++
	}
	return 0, false // a scalar cannot end the object
}
