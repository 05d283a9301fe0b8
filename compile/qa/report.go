// Package qa holds the edge-matching report of a compilation (outcrop
// compile): what it measures along each shared border, how it is stored in
// the {id}-qa tileset and how it is written for people and spreadsheets. It is
// pure Go, so that the server can publish the report without cgo.
package qa

import "fmt"

// MetaKey is the "meta" bucket key under which the {id}-qa tileset keeps its
// Report as JSON (tileset/FORMAT.md, "Edge-matching report").
const MetaKey = "edgematch"

// The classes of a border segment, in the order reports list them.
const (
	ClassMatch             = "match"
	ClassCompatible        = "compatible"
	ClassAgeMismatch       = "age_mismatch"
	ClassLithologyMismatch = "lithology_mismatch"
	ClassBothMismatch      = "both_mismatch"
	ClassGap               = "gap"
)

// Classes are the border segment classes in report order.
var Classes = []string{ClassMatch, ClassCompatible, ClassAgeMismatch, ClassLithologyMismatch, ClassBothMismatch, ClassGap}

// The kinds of feature in the {id}-qa tileset (its "kind" property) and of
// report issues.
const (
	KindSegment = "segment" // a stretch of the reference border
	KindGap     = "gap"     // own territory left uncovered at the border
	KindOverlap = "overlap" // a map spilling over the border
	// KindDangling is a line (a fault, a contact) reaching the border with
	// no line of the same layer on the other side within the tolerance.
	KindDangling = "dangling"
)

// Report is the edge-matching report of one compilation: totals over every
// shared border, then per pair of countries.
type Report struct {
	// ID is the compiled tileset's id; the report's tileset is ID + "-qa".
	ID         string  `json:"id"`
	Title      string  `json:"title"`
	ToleranceM float64 `json:"tolerance_m"`
	Totals
	Pairs []Pair `json:"pairs"`
}

// Totals are the measures the report gives for every pair and in all.
type Totals struct {
	BorderKm        float64  `json:"border_km"`
	BorderKmByClass ByClass  `json:"border_km_by_class"`
	BorderShare     ByClass  `json:"border_share_by_class"`
	Gaps            Measured `json:"gaps"`
	Overlaps        Measured `json:"overlaps"`
	// Dangling counts the lines of the line layers reaching the border
	// with no counterpart on the other side.
	Dangling int `json:"dangling"`
	// SnappedLineEnds counts the ends of lines extended to the border to
	// join a line of the same layer across it, within the tolerance.
	SnappedLineEnds int `json:"snapped_line_ends"`
}

// Add adds o's lengths, counts and areas to t; shares are left to SetShares.
func (t *Totals) Add(o *Totals) {
	t.BorderKm += o.BorderKm
	for _, c := range Classes {
		t.BorderKmByClass.Add(c, o.BorderKmByClass.Get(c))
	}
	t.Gaps.Count += o.Gaps.Count
	t.Gaps.AreaKm2 += o.Gaps.AreaKm2
	t.Overlaps.Count += o.Overlaps.Count
	t.Overlaps.AreaKm2 += o.Overlaps.AreaKm2
	t.Dangling += o.Dangling
	t.SnappedLineEnds += o.SnappedLineEnds
}

// SetShares sets each class's share of the border length.
func (t *Totals) SetShares() {
	t.BorderShare = ByClass{}
	if t.BorderKm > 0 {
		for _, c := range Classes {
			t.BorderShare.Add(c, t.BorderKmByClass.Get(c)/t.BorderKm)
		}
	}
}

// ByClass holds one number per segment class.
type ByClass struct {
	Match             float64 `json:"match"`
	Compatible        float64 `json:"compatible"`
	AgeMismatch       float64 `json:"age_mismatch"`
	LithologyMismatch float64 `json:"lithology_mismatch"`
	BothMismatch      float64 `json:"both_mismatch"`
	Gap               float64 `json:"gap"`
}

// Get returns the number of class c.
func (b *ByClass) Get(c string) float64 { return *b.ptr(c) }

// Add adds x to class c.
func (b *ByClass) Add(c string, x float64) { *b.ptr(c) += x }

func (b *ByClass) ptr(c string) *float64 {
	switch c {
	case ClassMatch:
		return &b.Match
	case ClassCompatible:
		return &b.Compatible
	case ClassAgeMismatch:
		return &b.AgeMismatch
	case ClassLithologyMismatch:
		return &b.LithologyMismatch
	case ClassBothMismatch:
		return &b.BothMismatch
	case ClassGap:
		return &b.Gap
	}
	panic("qa: unknown class " + c)
}

// Measured counts polygons and sums their area.
type Measured struct {
	Count   int     `json:"count"`
	AreaKm2 float64 `json:"area_km2"`
}

// Pair is the report of one shared border.
type Pair struct {
	// Countries are the two countries' codes, in byte order.
	Countries [2]string `json:"countries"`
	Totals
	// Issues are every segment that is not a match, every gap, every
	// overlap and every dangling line, in that order.
	Issues []Issue `json:"issues"`
}

// Issue is one disagreement: a border segment, a gap or an overlap.
type Issue struct {
	Kind string `json:"kind"`
	// FeatureID is the feature's id in the {id}-qa tileset.
	FeatureID uint64 `json:"feature_id"`
	// Class is a segment's class; "" for gaps and overlaps.
	Class string `json:"class,omitempty"`
	// Country is the map at fault for a gap or an overlap: the country
	// whose territory is uncovered, or whose map spills onto Onto.
	Country string `json:"country,omitempty"`
	Onto    string `json:"onto,omitempty"`
	// Layer is a dangling line's line layer (faults, contacts).
	Layer string `json:"layer,omitempty"`
	// LengthM is a segment's or a dangling line's length; AreaKm2 a gap's or overlap's area.
	LengthM float64 `json:"length_m,omitempty"`
	AreaKm2 float64 `json:"area_km2,omitempty"`
	// A and B are the units on either side of a segment, A on the side of
	// Countries[0]; nil where that side has none. A dangling line's A is
	// the line: its country, identifier and name.
	A *Unit `json:"a,omitempty"`
	B *Unit `json:"b,omitempty"`
	// Center is a point on the issue (a dangling line's end at the border), longitude and latitude, and Zoom a
	// zoom that shows it whole.
	Center [2]float64 `json:"center"`
	Zoom   int        `json:"zoom"`
	// Viewer opens the viewer there; the server fills it in.
	Viewer string `json:"viewer,omitempty"`
}

// Unit is a map unit on one side of the border.
type Unit struct {
	Country      string `json:"country"`
	Identifier   string `json:"identifier,omitempty"`
	Name         string `json:"name,omitempty"`
	AgeURI       string `json:"age_uri,omitempty"`
	Age          string `json:"age,omitempty"`
	LithologyURI string `json:"lithology_uri,omitempty"`
	Lithology    string `json:"lithology,omitempty"`
}

// ViewerHref is the viewer's address showing the issue, under base.
func (i *Issue) ViewerHref(base string) string {
	return fmt.Sprintf("%s/map#%d/%.5f/%.5f", base, i.Zoom, i.Center[1], i.Center[0])
}
