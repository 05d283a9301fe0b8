package ingest

import (
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
