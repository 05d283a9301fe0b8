package gdal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes content to name in a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// wktLayer writes one CSV row per WKT geometry and opens it; the features'
// geometries are in the returned features, in order.
func wktLayer(t *testing.T, wkts ...string) (*Dataset, []*Feature) {
	t.Helper()
	var b strings.Builder
	b.WriteString("WKT,n\n")
	for i, w := range wkts {
		b.WriteString(`"` + w + `",` + string(rune('0'+i%10)) + "\n")
	}
	ds, err := Open(writeFile(t, "g.csv", b.String()), VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ds.Close() })
	layer := ds.Layers()[0]
	var feats []*Feature
	for {
		f, err := layer.NextFeature()
		if err != nil {
			t.Fatal(err)
		}
		if f == nil {
			break
		}
		t.Cleanup(f.Close)
		feats = append(feats, f)
	}
	if len(feats) != len(wkts) {
		t.Fatalf("read %d features, want %d", len(feats), len(wkts))
	}
	return ds, feats
}
