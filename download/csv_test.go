package download

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

func TestCSVReadByGDAL(t *testing.T) {
	path := writeAll(t, CSV, testFeatures(t))
	summary := ogrinfo(t, "-so", "-al", path)
	wantIn(t, "ogrinfo -so", summary, "Feature Count: 5", "WKT: String", "id: String", "name: String", "commodity_secondary: String")
	one := ogrinfo(t, "-q", "-al", "-where", "id = '11'", path)
	wantIn(t, "feature 11", one, "name (String) = "+thaiName, "rank (String) = 7", "grade (String) = 1.25",
		"active (String) = true", "found (String) = 1999-05-01", "POINT (118.5 -22.25)")
	holed := ogrinfo(t, "-q", "-al", "-where", "id = '13'", path)
	wantIn(t, "feature 13", holed, "POLYGON ((0 0,10 0,10 10,0 10,0 0),(4 4,4 6,6 6,6 4,4 4))")
	sub := ogrinfo(t, "-so", "-al", "-spat", "29", "29", "42", "32", path)
	wantIn(t, "ogrinfo -spat", sub, "Feature Count: 1")
}

// TestCSVColumns checks that fields named like the added columns keep their
// values under a suffixed name, and that a missing geometry is an empty
// cell.
func TestCSVColumns(t *testing.T) {
	var buf bytes.Buffer
	layer := Layer{Name: "x", Fields: []tileset.Field{{Name: "id", Type: "string"}, {Name: "wkt", Type: "string"}}}
	w := NewCSV(&buf, layer)
	if err := w.Write([]byte(`{"type":"Feature","id":3,"geometry":null,"properties":{"id":"a,\"b\"","wkt":"POINT (1 2)"}}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"WKT", "id", "id_1", "wkt_1"}, {"", "3", `a,"b"`, "POINT (1 2)"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}
}
