package qa

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

// TestWriteCSV checks the report as one table: the header, per pair a
// border row per class, the gap and overlap totals, then one row per issue
// with both units and a viewer link; text with commas and quotes survives.
func TestWriteCSV(t *testing.T) {
	var b strings.Builder
	if err := sampleReport().WriteCSV(&b, "http://h"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(rows[0], CSVHeader) {
		t.Fatalf("header %v", rows[0])
	}
	// Each row as column=value for the columns it fills.
	var got []string
	for _, r := range rows[1:] {
		if len(r) != len(CSVHeader) {
			t.Fatalf("row of %d columns: %v", len(r), r)
		}
		var cells []string
		for i, v := range r {
			if v != "" {
				cells = append(cells, CSVHeader[i]+"="+v)
			}
		}
		got = append(got, strings.Join(cells, " "))
	}
	want := []string{
		"countries=LAO-THA kind=border class=match length_m=6000",
		"countries=LAO-THA kind=border class=compatible length_m=0",
		"countries=LAO-THA kind=border class=age_mismatch length_m=2500",
		"countries=LAO-THA kind=border class=lithology_mismatch length_m=0",
		"countries=LAO-THA kind=border class=both_mismatch length_m=0",
		"countries=LAO-THA kind=border class=gap length_m=1500",
		"countries=LAO-THA kind=gaps area_km2=1.25 count=1",
		"countries=LAO-THA kind=overlaps area_km2=0.5 count=2",
		"countries=LAO-THA kind=dangling_lines count=1",
		"countries=LAO-THA kind=snapped_line_ends count=2",
		"countries=LAO-THA kind=segment class=age_mismatch length_m=2500 a_identifier=dgm:LA1 a_name=ໜ່ວຍ " +
			"a_age_uri=http://resource.geosciml.org/classifier/ics/ischart/Permian a_age=Permian " +
			"a_lithology_uri=http://resource.geosciml.org/classifier/cgi/lithology/granite a_lithology=granite " +
			"b_identifier=dmr:TH1 b_name=หน่วยหิน, \"ก\" b_age_uri=http://resource.geosciml.org/classifier/ics/ischart/Jurassic b_age=Jurassic " +
			"b_lithology_uri=http://resource.geosciml.org/classifier/cgi/lithology/granite b_lithology=granite " +
			"feature_id=2 lon=101.5 lat=17.25 viewer=http://h/map#11/17.25000/101.50000",
		"countries=LAO-THA kind=segment class=gap length_m=1500 a_identifier=dgm:LA1 a_name=ໜ່ວຍ " +
			"a_age_uri=http://resource.geosciml.org/classifier/ics/ischart/Permian a_age=Permian " +
			"a_lithology_uri=http://resource.geosciml.org/classifier/cgi/lithology/granite a_lithology=granite " +
			"feature_id=3 lon=101.6 lat=17.3 viewer=http://h/map#12/17.30000/101.60000",
		"countries=LAO-THA kind=gap country=THA area_km2=1.25 feature_id=4 lon=101.61 lat=17.31 viewer=http://h/map#12/17.31000/101.61000",
		"countries=LAO-THA kind=overlap country=LAO onto=THA area_km2=0.5 feature_id=5 lon=101.7 lat=17.4 viewer=http://h/map#13/17.40000/101.70000",
		"countries=LAO-THA kind=dangling country=THA length_m=4200 a_identifier=dmr:F1 feature_id=6 lon=101.8 lat=17.5 viewer=http://h/map#12/17.50000/101.80000 layer=faults",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
