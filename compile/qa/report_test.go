package qa

import (
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"testing"
)

// sampleReport is one border with a segment of each kind of issue, its
// totals set as compile sets them.
func sampleReport() *Report {
	p := Pair{Countries: [2]string{"LAO", "THA"}}
	p.BorderKm = 10
	p.BorderKmByClass = ByClass{Match: 6, AgeMismatch: 2.5, Gap: 1.5}
	p.Gaps = Measured{Count: 1, AreaKm2: 1.25}
	p.Overlaps = Measured{Count: 2, AreaKm2: 0.5}
	p.Dangling = 1
	p.SnappedLineEnds = 2
	p.SetShares()
	lao := &Unit{Country: "LAO", Identifier: "dgm:LA1", Name: "ໜ່ວຍ", AgeURI: "http://resource.geosciml.org/classifier/ics/ischart/Permian", Age: "Permian",
		LithologyURI: "http://resource.geosciml.org/classifier/cgi/lithology/granite", Lithology: "granite"}
	tha := &Unit{Country: "THA", Identifier: "dmr:TH1", Name: "หน่วยหิน, \"ก\"", AgeURI: "http://resource.geosciml.org/classifier/ics/ischart/Jurassic", Age: "Jurassic",
		LithologyURI: lao.LithologyURI, Lithology: "granite"}
	p.Issues = []Issue{
		{Kind: KindSegment, FeatureID: 2, Class: ClassAgeMismatch, LengthM: 2500, A: lao, B: tha, Center: [2]float64{101.5, 17.25}, Zoom: 11},
		{Kind: KindSegment, FeatureID: 3, Class: ClassGap, LengthM: 1500, A: lao, Center: [2]float64{101.6, 17.3}, Zoom: 12},
		{Kind: KindGap, FeatureID: 4, Country: "THA", AreaKm2: 1.25, Center: [2]float64{101.61, 17.31}, Zoom: 12},
		{Kind: KindOverlap, FeatureID: 5, Country: "LAO", Onto: "THA", AreaKm2: 0.5, Center: [2]float64{101.7, 17.4}, Zoom: 13},
		{Kind: KindDangling, FeatureID: 6, Country: "THA", Layer: "faults", LengthM: 4200, A: &Unit{Country: "THA", Identifier: "dmr:F1"}, Center: [2]float64{101.8, 17.5}, Zoom: 12},
	}
	r := &Report{ID: "th-la", Title: "T", ToleranceM: 250, Pairs: []Pair{p}}
	r.Totals.Add(&p.Totals)
	r.Totals.SetShares()
	return r
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestReportJSONNames checks the JSON names the report promises (issue
// #10's contract and tileset/FORMAT.md), and that absent values are left out.
func TestReportJSONNames(t *testing.T) {
	b, err := json.Marshal(sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	top := []string{"border_km", "border_km_by_class", "border_share_by_class", "dangling", "gaps", "id", "overlaps", "pairs", "snapped_line_ends", "title", "tolerance_m"}
	if got := keys(doc); !reflect.DeepEqual(got, top) {
		t.Errorf("top-level keys %v, want %v", got, top)
	}
	byClass := doc["border_km_by_class"].(map[string]any)
	if got, want := keys(byClass), []string{"age_mismatch", "both_mismatch", "compatible", "gap", "lithology_mismatch", "match"}; !reflect.DeepEqual(got, want) {
		t.Errorf("border_km_by_class keys %v, want %v", got, want)
	}
	if byClass["age_mismatch"] != 2.5 || doc["dangling"] != 1.0 || doc["snapped_line_ends"] != 2.0 || doc["gaps"].(map[string]any)["count"] != 1.0 || doc["overlaps"].(map[string]any)["area_km2"] != 0.5 {
		t.Errorf("totals %s", b)
	}
	pair := doc["pairs"].([]any)[0].(map[string]any)
	if c := pair["countries"].([]any); c[0] != "LAO" || c[1] != "THA" {
		t.Errorf("countries %v", c)
	}
	issues := pair["issues"].([]any)
	seg := issues[0].(map[string]any)
	if got, want := keys(seg), []string{"a", "b", "center", "class", "feature_id", "kind", "length_m", "zoom"}; !reflect.DeepEqual(got, want) {
		t.Errorf("segment issue keys %v, want %v", got, want)
	}
	unit := seg["a"].(map[string]any)
	if got, want := keys(unit), []string{"age", "age_uri", "country", "identifier", "lithology", "lithology_uri", "name"}; !reflect.DeepEqual(got, want) {
		t.Errorf("unit keys %v, want %v", got, want)
	}
	if _, ok := issues[1].(map[string]any)["b"]; ok {
		t.Errorf("a gap segment's missing side is written: %v", issues[1])
	}
	overlap := issues[3].(map[string]any)
	if got, want := keys(overlap), []string{"area_km2", "center", "country", "feature_id", "kind", "onto", "zoom"}; !reflect.DeepEqual(got, want) {
		t.Errorf("overlap issue keys %v, want %v", got, want)
	}
	dangling := issues[4].(map[string]any)
	if got, want := keys(dangling), []string{"a", "center", "country", "feature_id", "kind", "layer", "length_m", "zoom"}; !reflect.DeepEqual(got, want) {
		t.Errorf("dangling issue keys %v, want %v", got, want)
	}
	// It reads back as it was written.
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, sampleReport()) {
		t.Errorf("report does not survive JSON (%v):\n%+v", err, back)
	}
}

func TestTotalsAddAndShares(t *testing.T) {
	var sum Totals
	a := Totals{BorderKm: 3, BorderKmByClass: ByClass{Match: 1, Gap: 2}, Gaps: Measured{1, 0.5}}
	b := Totals{BorderKm: 1, BorderKmByClass: ByClass{BothMismatch: 1}, Overlaps: Measured{2, 0.25}, Dangling: 3, SnappedLineEnds: 4}
	sum.Add(&a)
	sum.Add(&b)
	sum.SetShares()
	if sum.BorderKm != 4 || sum.BorderKmByClass != (ByClass{Match: 1, Gap: 2, BothMismatch: 1}) ||
		sum.Gaps != (Measured{1, 0.5}) || sum.Overlaps != (Measured{2, 0.25}) || sum.Dangling != 3 || sum.SnappedLineEnds != 4 {
		t.Errorf("sum = %+v", sum)
	}
	if sum.BorderShare != (ByClass{Match: 0.25, Gap: 0.5, BothMismatch: 0.25}) {
		t.Errorf("shares = %+v", sum.BorderShare)
	}
	total := 0.0
	for _, c := range Classes {
		total += sum.BorderShare.Get(c)
	}
	if math.Abs(total-1) > 1e-12 {
		t.Errorf("shares add up to %g", total)
	}
	var none Totals
	none.SetShares()
	if none.BorderShare != (ByClass{}) {
		t.Errorf("shares of no border = %+v, want zeros", none.BorderShare)
	}
}

func TestViewerHref(t *testing.T) {
	is := Issue{Center: [2]float64{101.123456, 17.5}, Zoom: 12}
	if got, want := is.ViewerHref("http://h:8080"), "http://h:8080/map#12/17.50000/101.12346"; got != want {
		t.Errorf("ViewerHref = %s, want %s", got, want)
	}
}
