package ingest

import (
	"errors"
	"path"
	"strconv"
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
	if tm := (*tooManyColumns)(nil); errors.As(err, &tm) {
		return nil, false, fileErr(file, "has more than %d columns, more than Outcrop reads (GDAL: %s); keep only the columns the map needs", maxCSVColumns, strings.TrimSuffix(tm.msg, "."))
	}
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

// maxCSVColumns is how many columns of a CSV file are read. GDAL's CSV
// driver reads 2,000 unless told more (OGR_CSV_MAX_FIELD_COUNT), silently
// but for a warning; Outcrop raises that limit and refuses a file past it.
const maxCSVColumns = 100000

// tooManyColumns is GDAL's CSV driver dropping columns past the limit.
type tooManyColumns struct{ msg string }

func (e *tooManyColumns) Error() string { return e.msg }

// csvHeader returns the column names of a CSV file.
func csvHeader(p string) ([]string, error) {
	// Process-wide, and read by the driver at every open of a CSV file:
	// this one and the ingest's own that follows.
	gdal.SetConfigOption("OGR_CSV_MAX_FIELD_COUNT", strconv.Itoa(maxCSVColumns))
	ds, err := gdal.Open(p, gdal.VectorOnly(), gdal.Drivers(driverCSV), gdal.ErrLogger(func(ec gdal.ErrorCategory, code int, msg string) error {
		if ec >= gdal.CE_Failure {
			return &gdal.Error{Code: code, Msg: msg}
		}
		if strings.Contains(msg, "columns detected. Limiting to") {
			return &tooManyColumns{msg: msg}
		}
		return nil
	}))
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
