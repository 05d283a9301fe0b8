package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// Layer names the writers give their FeatureCollections; GDAL reads a
// collection's "name" as the layer name.
const (
	GeologyLayer     = "synthetic_geology"
	OccurrencesLayer = "synthetic_mineral_occurrences"
)

var epsgCode = regexp.MustCompile(`^EPSG:([0-9]+)$`)

// WriteGeoJSON writes features as one GeoJSON FeatureCollection named layer,
// a feature at a time, so that memory does not grow with the collection.
// crs, such as "EPSG:24047" or an OGC URN, is written as the legacy named-CRS
// member that GDAL and QGIS honour for coordinates that are not WGS 84
// longitude and latitude; "" omits it, as RFC 7946 wants for WGS 84.
func WriteGeoJSON(w io.Writer, layer, crs string, features iter.Seq[*geojson.Feature]) error {
	urn := ""
	if m := epsgCode.FindStringSubmatch(crs); m != nil {
		urn = "urn:ogc:def:crs:EPSG::" + m[1]
	} else if strings.HasPrefix(crs, "urn:ogc:def:crs:") {
		urn = crs
	} else if crs != "" {
		return fmt.Errorf("synth: CRS %q is not understood; give EPSG:<code>, an urn:ogc:def:crs URN, or nothing for WGS 84", crs)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	name, _ := json.Marshal(layer)
	fmt.Fprintf(bw, `{"type":"FeatureCollection","name":%s,`, name)
	if urn != "" {
		u, _ := json.Marshal(urn)
		fmt.Fprintf(bw, `"crs":{"type":"name","properties":{"name":%s}},`, u)
	}
	bw.WriteString("\"features\":[\n")
	first := true
	for f := range features {
		b, err := f.MarshalJSON()
		if err != nil {
			return fmt.Errorf("synth: encoding feature %v: %w", f.ID, err)
		}
		if !first {
			bw.WriteString(",\n")
		}
		first = false
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("synth: writing GeoJSON: %w", err)
		}
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: writing GeoJSON: %w", err)
	}
	return nil
}

// WriteGeology builds a synthetic geological map and writes it to w as
// GeoJSON in Indian 1975 / UTM 47N: what `outcrop synth geology` does.
func WriteGeology(w io.Writer, opts GeologyOptions) error {
	features, err := Geology(opts)
	if err != nil {
		return err
	}
	return WriteGeoJSON(w, GeologyLayer, CRS, features)
}

// WriteOccurrences generates synthetic mineral occurrences and writes them to
// w as GeoJSON in Indian 1975 / UTM 47N: what `outcrop synth occurrences` does.
func WriteOccurrences(w io.Writer, opts OccurrenceOptions) error {
	features, err := Occurrences(opts)
	if err != nil {
		return err
	}
	return WriteGeoJSON(w, OccurrencesLayer, CRS, features)
}
