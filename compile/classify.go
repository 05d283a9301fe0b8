package compile

import (
	"github.com/outcrop/outcrop/compile/qa"
	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/vocab"
)

// relation is how two vocabulary values compare.
type relation int

const (
	same      relation = iota
	related            // one is the broader concept of the other
	unrelated          // neither
)

// relate compares two concept URIs through the vocabularies' skos:broader
// hierarchy: the ICS chart for ages (the Cisuralian inside the Permian), CGI
// Simple Lithology for lithologies (granite under granitoid).
func relate(a, b string) relation {
	switch {
	case a == "" || b == "" || harmonise.IsNil(a) || harmonise.IsNil(b):
		return unrelated // an unknown value agrees with nothing
	case a == b:
		return same
	case vocab.IsNarrower(a, b) || vocab.IsNarrower(b, a):
		return related
	}
	return unrelated
}

// classify names the class of a border segment between units a and b; a nil
// unit is a side with no map at the border.
func classify(a, b *qa.Unit) string {
	if a == nil || b == nil {
		return qa.ClassGap
	}
	age, lith := relate(a.AgeURI, b.AgeURI), relate(a.LithologyURI, b.LithologyURI)
	switch {
	case age == same && lith == same:
		return qa.ClassMatch
	case age != unrelated && lith != unrelated:
		return qa.ClassCompatible
	case age == unrelated && lith == unrelated:
		return qa.ClassBothMismatch
	case age == unrelated:
		return qa.ClassAgeMismatch
	}
	return qa.ClassLithologyMismatch
}
