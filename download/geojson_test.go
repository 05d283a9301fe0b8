package download

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestGeoJSONReadByGDAL(t *testing.T) {
	path := writeAll(t, GeoJSON, testFeatures(t))
	summary := ogrinfo(t, "-so", "-al", path)
	wantIn(t, "ogrinfo -so", summary, "Layer name: occurrences", "Feature Count: 5", `"WGS 84"`)
	one := ogrinfo(t, "-q", "-al", "-where", "rank = 7", path)
	wantIn(t, "feature 11", one, "name (String) = "+thaiName, "grade (Real) = 1.25", "POINT (118.5 -22.25)")
}

func TestGeoJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	w := NewGeoJSON(&buf, testLayer())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string            `json:"type"`
		Name     string            `json:"name"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil || fc.Type != "FeatureCollection" || fc.Name != "occurrences" || fc.Features == nil || len(fc.Features) != 0 {
		t.Fatalf("empty collection %q: %+v, %v", buf.String(), fc, err)
	}
}
