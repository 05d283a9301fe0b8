package harmonise

import "fmt"

// Error is a problem in a mapping file, at a line. Its message says what is
// wrong and how to fix it, on one line, as a compiler would:
//
//	data/mappings/gswa.yaml:12: GeologicUnitView has no field "lithology_uri"; did you mean representativeLithology_uri?
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}
