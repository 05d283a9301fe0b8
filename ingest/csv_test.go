package ingest

import (
	"fmt"
	"strings"
	"testing"
)

func TestMatchColumn(t *testing.T) {
	for _, tc := range []struct {
		columns  []string
		patterns []string
		want     string
	}{
		// The most specific pattern wins, whatever the column order.
		{[]string{"LatitudeDegrees", "LatitudeMinutes", "LatitudeDecimal"}, latColumns, "LatitudeDecimal"},
		{[]string{"LongitudeDegrees", "LongitudeDecimal"}, lonColumns, "LongitudeDecimal"},
		{[]string{"name", "LAT", "LON"}, latColumns, "LAT"},
		{[]string{"name", "LAT", "LON"}, lonColumns, "LON"},
		{[]string{"site_lat", "site_lon"}, latColumns, "site_lat"},
		{[]string{"Latitude (WGS84)", "Longitude (WGS84)"}, lonColumns, "Longitude (WGS84)"},
		{[]string{"long_name", "description"}, lonColumns, ""},
		{[]string{"Easting", "Northing"}, xColumns, "Easting"},
		{[]string{"id", "WKT"}, wktColumns, "WKT"},
		{[]string{"Longitude, decimal", "Lon"}, lonColumns, "Lon"}, // commas cannot be named to GDAL
	} {
		if got := matchColumn(tc.columns, tc.patterns); got != tc.want {
			t.Errorf("matchColumn(%q) = %q, want %q", tc.columns, got, tc.want)
		}
	}
}

func TestCSVWithoutGeometryColumns(t *testing.T) {
	csv := writeFile(t, t.TempDir(), "assays.csv", "sample,Cu_ppm,Au_ppb\nA1,120,5\n")
	_, _, _, err := readOnly(t, csv, Options{})
	assertUserError(t, err, csv, "no geometry column", "sample, Cu_ppm, Au_ppb", "longitude and latitude", "WKT")
}

func TestCSVEastingNorthingNeedsCRS(t *testing.T) {
	csv := writeFile(t, t.TempDir(), "collars.csv", "hole,Easting,Northing,depth\nDH1,661000,1520000,120.5\n")
	_, _, _, err := readOnly(t, csv, Options{})
	assertUserError(t, err, csv, "no coordinate reference system", "--s-srs")

	_, feats, _ := mustRead(t, csv, Options{SrcSRS: "EPSG:24047"})
	if feats[0].Properties["depth"] != 120.5 || feats[0].Properties["hole"] != "DH1" {
		t.Errorf("properties %v", feats[0].Properties)
	}
	if _, kept := feats[0].Properties["Easting"]; kept {
		t.Error("Easting kept as an attribute")
	}
}

// A CSV wider than GDAL's default 2,000 columns is read whole; GDAL kept the
// first 1,998 attributes with a warning. One past Outcrop's own limit is
// refused.
func TestWideCSV(t *testing.T) {
	dir := t.TempDir()
	wide := func(name string, n int) string {
		var head, row strings.Builder
		head.WriteString("lon,lat")
		row.WriteString("100,10")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&head, ",c%d", i)
			fmt.Fprintf(&row, ",%d", i)
		}
		return writeFile(t, dir, name, head.String()+"\n"+row.String()+"\n")
	}
	_, feats, attrs := mustRead(t, wide("wide.csv", 2500), Options{})
	if len(attrs) != 2500 {
		t.Errorf("%d attributes, want 2500", len(attrs))
	}
	if got := feats[0].Properties["c2499"]; got != int64(2499) {
		t.Errorf("last column c2499 = %v, want 2499", got)
	}

	_, _, _, err := readOnly(t, wide("wider.csv", maxCSVColumns+1), Options{})
	if err == nil || !strings.Contains(err.Error(), "wider.csv: has more than 100000 columns") {
		t.Errorf("error %v, want the column limit named", err)
	}
}
