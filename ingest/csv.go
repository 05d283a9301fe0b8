package ingest

import (
	"path"
	"strings"

	"github.com/outcrop/outcrop/ingest/gdal"
)

// Column name patterns, case-insensitive, '*' for any run of characters,
// tried pattern by pattern in order so that the most specific wins: a file
// with both LatitudeDegrees and LatitudeDecimal gets the decimal one.
var (
	lonColumns = []string{"longitude", "lon", "long", "lng", "longitude*decimal*", "dec*longitude*", "longitude*dd", "lon*dd", "longitude*wgs*84", "lon*wgs*84", "longitude*", "*longitude*", "*_lon", "*_lng"}
	latColumns = []string{"latitude", "lat", "latitude*decimal*", "dec*latitude*", "latitude*dd", "lat*dd", "latitude*wgs*84", "lat*wgs*84", "latitude*", "*latitude*", "*_lat"}
	xColumns   = []string{"x", "easting", "east", "xcoord", "x_coord", "point_x", "easting*"}
	yColumns   = []string{"y", "northing", "north", "ycoord", "y_coord", "point_y", "northing*"}
	wktColumns = []string{"wkt", "geom", "geometry", "the_geom", "wkt_geom", "geom_wkt", "geometry_wkt", "shape", "wkb_geometry"}
)

// csvOpenOptions chooses the geometry columns of a CSV file and returns the
// CSV driver's open options naming them exactly. The columns are matched here
// rather than by handing GDAL the patterns: with KEEP_GEOM_COLUMNS=NO, GDAL
// 3.6 fails ("Invalid index") or crashes when a pattern matches two columns,
// and an exact match also tells whether the columns hold longitude/latitude.
func csvOpenOptions(file, p string) (openOpts []string, lonLat bool, err error) {
	header, err := csvHeader(p)
	if err != nil {
		return nil, false, fileErr(file, "GDAL cannot read it as CSV (%v); check it is a comma-separated text file with a header row", err)
	}
	common := []string{
		"AUTODETECT_TYPE=YES",
		"AUTODETECT_SIZE_LIMIT=0", // type columns from every row, not the first megabyte
		"KEEP_GEOM_COLUMNS=NO",
		"EMPTY_STRING_AS_NULL=YES",
	}
	if col := matchColumn(header, wktColumns); col != "" {
		return append(common, "GEOM_POSSIBLE_NAMES="+col), false, nil
	}
	if x, y := matchColumn(header, lonColumns), matchColumn(header, latColumns); x != "" && y != "" {
		return append(common, "X_POSSIBLE_NAMES="+x, "Y_POSSIBLE_NAMES="+y), true, nil
	}
	if x, y := matchColumn(header, xColumns), matchColumn(header, yColumns); x != "" && y != "" {
		return append(common, "X_POSSIBLE_NAMES="+x, "Y_POSSIBLE_NAMES="+y), false, nil
	}
	cols := header
	if len(cols) > 12 {
		cols = append(cols[:12:12], "…")
	}
	return nil, false, fileErr(file, "no geometry column among %s; name the coordinate columns longitude and latitude (or x and y), or put WKT geometries in a column named WKT", strings.Join(cols, ", "))
}

// csvHeader returns the column names of a CSV file.
func csvHeader(p string) ([]string, error) {
	ds, err := gdal.Open(p, gdal.VectorOnly(), gdal.Drivers(driverCSV))
	if err != nil {
		return nil, err
	}
	defer ds.Close()
	var names []string
	for _, l := range ds.Layers() {
		for _, f := range l.Layout().Fields {
			names = append(names, f.Name)
		}
	}
	return names, nil
}

// matchColumn returns the first column matching the first pattern that
// matches any, or "". Names with commas are skipped: the driver's option
// value is a comma-separated list.
func matchColumn(columns, patterns []string) string {
	for _, pat := range patterns {
		for _, c := range columns {
			if strings.Contains(c, ",") {
				continue
			}
			if ok, _ := path.Match(pat, strings.ToLower(c)); ok {
				return c
			}
		}
	}
	return ""
}
