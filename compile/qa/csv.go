package qa

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSVHeader are the columns of the report as CSV.
var CSVHeader = []string{"countries", "kind", "class", "country", "onto", "length_m", "area_km2", "count",
	"a_identifier", "a_name", "a_age_uri", "a_age", "a_lithology_uri", "a_lithology",
	"b_identifier", "b_name", "b_age_uri", "b_age", "b_lithology_uri", "b_lithology",
	"feature_id", "lon", "lat", "viewer", "layer"}

// WriteCSV writes the report as one table: per pair, a "border" row per
// class (its length), a "gaps" and an "overlaps" row (count and area), a
// "dangling_lines" row (their count), a "snapped_line_ends" row (the
// ends of lines extended to the border), then one row per issue. Viewer
// links are made under base.
func (r *Report) WriteCSV(w io.Writer, base string) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	blank := make([]string, len(CSVHeader))
	for _, p := range r.Pairs {
		pair := p.Countries[0] + "-" + p.Countries[1]
		row := func(set func(rec []string)) {
			rec := append([]string(nil), blank...)
			rec[0] = pair
			set(rec)
			cw.Write(rec)
		}
		for _, c := range Classes {
			row(func(rec []string) { rec[1], rec[2], rec[5] = "border", c, num(p.BorderKmByClass.Get(c)*1000) })
		}
		row(func(rec []string) { rec[1], rec[6], rec[7] = "gaps", num(p.Gaps.AreaKm2), strconv.Itoa(p.Gaps.Count) })
		row(func(rec []string) {
			rec[1], rec[6], rec[7] = "overlaps", num(p.Overlaps.AreaKm2), strconv.Itoa(p.Overlaps.Count)
		})
		row(func(rec []string) { rec[1], rec[7] = "dangling_lines", strconv.Itoa(p.Dangling) })
		row(func(rec []string) { rec[1], rec[7] = "snapped_line_ends", strconv.Itoa(p.SnappedLineEnds) })
		for _, is := range p.Issues {
			row(func(rec []string) {
				rec[1], rec[2], rec[3], rec[4] = is.Kind, is.Class, is.Country, is.Onto
				if is.LengthM != 0 {
					rec[5] = num(is.LengthM)
				}
				if is.AreaKm2 != 0 {
					rec[6] = num(is.AreaKm2)
				}
				for k, u := range []*Unit{is.A, is.B} {
					if u != nil {
						copy(rec[8+6*k:], []string{u.Identifier, u.Name, u.AgeURI, u.Age, u.LithologyURI, u.Lithology})
					}
				}
				rec[20] = strconv.FormatUint(is.FeatureID, 10)
				rec[21], rec[22] = num(is.Center[0]), num(is.Center[1])
				rec[23] = is.ViewerHref(base)
				rec[24] = is.Layer
			})
		}
	}
	cw.Flush()
	return cw.Error()
}
