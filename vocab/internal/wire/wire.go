// Package wire is the shape of vocab's embedded vocabularies.json, shared by
// the generator that writes it (vocab/internal/gen) and the vocab package that
// reads it, so that the two cannot drift apart.
package wire

// Format is bumped whenever a field changes meaning, so that a stale
// vocabularies.json is refused at load instead of read wrongly.
const Format = 1

// File is the whole generated document.
type File struct {
	Format       int          `json:"format"`
	Generator    string       `json:"generator"`
	Vocabularies []Vocabulary `json:"vocabularies"`
}

// Vocabulary is one SKOS concept scheme and where it came from.
type Vocabulary struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Scheme      string `json:"scheme"`
	Version     string `json:"version,omitempty"`
	Licence     string `json:"licence"`
	LicenceURL  string `json:"licenceURL"`
	Attribution string `json:"attribution"`
	// Source is the Turtle file name under vocab/ttl and SHA256 its digest,
	// so a test can tell when the Turtle changed without a regeneration.
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	// DroppedLabels counts, per language, labels the generator left out
	// because they are not written in that language's script.
	DroppedLabels map[string]int `json:"droppedLabels,omitempty"`
	Concepts      []Concept      `json:"concepts"`
}

// Concept is one skos:Concept, reduced to what legends and harmonisation use.
type Concept struct {
	URI          string              `json:"uri"`
	Notation     string              `json:"notation,omitempty"`
	HierarchyKey string              `json:"hierarchyKey,omitempty"`
	PrefLabels   map[string]string   `json:"prefLabels"`
	AltLabels    map[string][]string `json:"altLabels,omitempty"`
	Definition   string              `json:"definition,omitempty"`
	Broader      []string            `json:"broader,omitempty"`
	Narrower     []string            `json:"narrower,omitempty"`
	Time         *Time               `json:"time,omitempty"`
}

// Time carries the chart's numeric and visual data for an ICS unit.
type Time struct {
	Ranks  []string  `json:"ranks"`
	Colour string    `json:"colour"`
	Order  int       `json:"order"`
	Base   *Boundary `json:"base"`
	Top    *Boundary `json:"top"`
}

// Boundary is one end of an ICS unit in millions of years before present.
type Boundary struct {
	Ma          float64 `json:"ma"`
	Uncertainty float64 `json:"uncertainty,omitempty"`
	Approximate bool    `json:"approximate,omitempty"`
}
