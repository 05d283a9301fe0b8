package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Rock names as a Thai or Vietnamese survey writes them.
const (
	thaiGranite   = "หินแกรนิต"      // granite
	vietLimestone = "Đá vôi Nghệ An" // limestone of Nghệ An; ệ needs a combining mark in CP1258
)

// legacyShapefile writes a one-point shapefile whose .dbf holds name in
// encoding enc, declared in a .cpg, and returns the .shp path.
func legacyShapefile(t *testing.T, enc, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := writeFile(t, dir, "unit.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"`+name+`","code":3},"geometry":{"type":"Point","coordinates":[100.5,13.7]}}]}`)
	shp := filepath.Join(dir, "units.shp")
	gdalTool(t, "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING="+enc, shp, src)
	if cpg, err := os.ReadFile(strings.TrimSuffix(shp, ".shp") + ".cpg"); err != nil || string(cpg) != enc {
		t.Fatalf(".cpg = %q, %v; want %s", cpg, err, enc)
	}
	dbf, err := os.ReadFile(strings.TrimSuffix(shp, ".shp") + ".dbf")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(dbf, []byte(name)) {
		t.Fatalf("the .dbf holds %q as UTF-8, not %s", name, enc)
	}
	return shp
}

func TestEncodingDeclaredInCPG(t *testing.T) {
	for _, tc := range []struct{ enc, name string }{
		{"CP874", thaiGranite},
		{"CP1258", vietLimestone},
	} {
		t.Run(tc.enc, func(t *testing.T) {
			shp := legacyShapefile(t, tc.enc, tc.name)
			_, feats, attrs := mustRead(t, shp, Options{})
			if got := feats[0].Properties["name"]; got != tc.name {
				t.Errorf("name = %q, want %q", got, tc.name)
			}
			if attrs[0].name != "name" || feats[0].Properties["code"] != int64(3) {
				t.Errorf("fields %+v, properties %v", attrs, feats[0].Properties)
			}
		})
	}
}

func TestEncodingUndeclared(t *testing.T) {
	for _, tc := range []struct{ enc, name string }{
		{"CP874", thaiGranite},
		{"CP1258", vietLimestone},
	} {
		t.Run(tc.enc, func(t *testing.T) {
			shp := legacyShapefile(t, tc.enc, tc.name)
			if err := os.Remove(strings.TrimSuffix(shp, ".shp") + ".cpg"); err != nil {
				t.Fatal(err)
			}
			_, _, _, err := readOnly(t, shp, Options{})
			assertUserError(t, err, shp, "feature 1", "not UTF-8", "--encoding")

			_, feats, _ := mustRead(t, shp, Options{Encoding: tc.enc})
			if got := feats[0].Properties["name"]; got != tc.name {
				t.Errorf("with --encoding %s: name = %q, want %q", tc.enc, got, tc.name)
			}
		})
	}
}

func TestEncodingDeclaredWinsOverFlag(t *testing.T) {
	shp := legacyShapefile(t, "CP874", thaiGranite)
	logs := &logRecorder{}
	_, feats, _ := mustRead(t, shp, Options{Encoding: "CP1258", Logger: logs.logger()})
	if got := feats[0].Properties["name"]; got != thaiGranite {
		t.Errorf("name = %q, want %q", got, thaiGranite)
	}
	if !logs.contains("--encoding ignored") {
		t.Errorf("no warning that --encoding was ignored; logged %q", logs.msgs)
	}
}

func TestEncodingFlagUnknown(t *testing.T) {
	shp := legacyShapefile(t, "CP874", thaiGranite)
	_, err := Run(t.Context(), shp, Options{Store: t.TempDir(), ID: "units", MaxZoom: -1, Encoding: "CP9999"})
	assertUserError(t, err, "--encoding", "CP9999", "CP874")
}

func TestEncodingWronglyDeclared(t *testing.T) {
	// Thai bytes in a file whose .cpg says UTF-8.
	shp := legacyShapefile(t, "CP874", thaiGranite)
	os.WriteFile(strings.TrimSuffix(shp, ".shp")+".cpg", []byte("UTF-8"), 0o644)
	_, _, _, err := readOnly(t, shp, Options{})
	assertUserError(t, err, shp, "feature 1", ".cpg")
}
