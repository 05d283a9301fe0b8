package ingest

import "testing"

func TestReadRefusesLayersWithNothingToTile(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.geojson", `{"type":"FeatureCollection","features":[]}`)
	_, _, _, err := readOnly(t, empty, Options{})
	assertUserError(t, err, empty, `layer "empty" has no features`, "--source-layer")

	nulls := writeFile(t, dir, "nulls.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"a":1},"geometry":null},
{"type":"Feature","properties":{"a":2},"geometry":{"type":"GeometryCollection","geometries":[]}}]}`)
	_, _, _, err = readOnly(t, nulls, Options{})
	assertUserError(t, err, nulls, "none of the 2 features", "1 empty geometry, 1 null geometry")
}
