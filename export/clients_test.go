package export

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// TestOgrinfoReadsMBTiles opens the MBTiles export with GDAL's MBTiles
// driver: it lists the layer with the tileset's fields, and at the deepest
// zoom the features around the occurrence are the three the tiles hold
// there, with their attributes.
func TestOgrinfoReadsMBTiles(t *testing.T) {
	ogrinfo := needTool(t, "ogrinfo", "gdal-bin")
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "pilbara.mbtiles")
	if err := Write(r, MBTiles, out, false); err != nil {
		t.Fatal(err)
	}
	summary, err := exec.Command(ogrinfo, "-ro", "-so", "-al", out).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -so: %v\n%s", err, summary)
	}
	for _, want := range []string{"Layer name: " + testLayer, "code: String", "age_ma: ", "Pilbara units"} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("ogrinfo -so does not show %q:\n%s", want, summary)
		}
	}
	// A box of 0.1° around the occurrence, which lies inside the unit and
	// away from the fault, at zoom 8.
	lo := project.WGS84.ToMercator(orb.Point{117.2, -22.55})
	hi := project.WGS84.ToMercator(orb.Point{117.3, -22.45})
	got, err := exec.Command(ogrinfo, "-ro", "-q", "-oo", "ZOOM_LEVEL=8", out, testLayer,
		"-spat", ftoa(lo[0]), ftoa(lo[1]), ftoa(hi[0]), ftoa(hi[1])).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo at the occurrence: %v\n%s", err, got)
	}
	codes := regexp.MustCompile(`code \(String\) = (\w+)`).FindAllStringSubmatch(string(got), -1)
	var seen []string
	for _, c := range codes {
		seen = append(seen, c[1])
	}
	if strings.Join(seen, ",") != "A,B" {
		t.Errorf("features around the occurrence have codes %v, want the unit A and the occurrence B:\n%s", seen, got)
	}
	if !regexp.MustCompile(`POINT \(13052`).Match(got) { // 117.25° E is x ≈ 13052365 m in Web Mercator
		t.Errorf("the occurrence is not at 117.25° E:\n%s", got)
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// qgisEnv turns the QGIS test on outside CI, as in e2e: QGIS is a large
// install (Debian's qgis and python3-qgis).
const qgisEnv = "OUTCROP_TEST_QGIS"

// TestQGISLoadsMBTiles adds the MBTiles export to headless QGIS as a
// vector tile layer and checks that it is valid, spans the tileset's zooms
// and draws the unit: at least a tenth of the picture, whose middle third
// the 6° square fills.
func TestQGISLoadsMBTiles(t *testing.T) {
	if os.Getenv(qgisEnv) == "" && os.Getenv("CI") == "" {
		t.Skip("set " + qgisEnv + "=1 to run the QGIS test (make test-clients does)")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import qgis.core").Run(); err != nil {
		t.Fatalf("QGIS's Python bindings are missing for /usr/bin/python3 (Debian: qgis python3-qgis): %v", err)
	}
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "pilbara.mbtiles")
	if err := Write(r, MBTiles, out, false); err != nil {
		t.Fatal(err)
	}
	res, err := exec.Command("/usr/bin/python3", filepath.Join("testdata", "qgis_mbtiles.py"), out, filepath.Join(dir, "qgis.png")).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("qgis_mbtiles.py: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(string(res)), "\n")
	var rep struct {
		Valid            bool
		MinZoom, MaxZoom int
		Drawn            int
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatalf("qgis_mbtiles.py printed %q: %v", res, err)
	}
	if !rep.Valid || rep.MinZoom != 0 || rep.MaxZoom != testMaxZoom {
		t.Errorf("QGIS: %+v; want a valid layer of zooms 0-%d", rep, testMaxZoom)
	}
	if rep.Drawn < 256*256/10 {
		t.Errorf("QGIS drew %d non-white pixels of %d, want at least a tenth", rep.Drawn, 256*256)
	}
}

// TestPmtilesCLIVerifiesExport runs the pmtiles tool of go-pmtiles, built
// from the module proxy by go run: verify accepts the archive and show
// reports its type, compression, zooms and tile counts.
func TestPmtilesCLIVerifiesExport(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	dir := t.TempDir()
	r := writeTestTileset(t, dir)
	out := filepath.Join(dir, "pilbara.pmtiles")
	if err := Write(r, PMTiles, out, false); err != nil {
		t.Fatal(err)
	}
	pmtilesCLI := func(args ...string) string {
		cmd := exec.Command(goTool, append([]string{"run", "github.com/protomaps/go-pmtiles@v1.31.2"}, args...)...)
		cmd.Dir = dir // outside this module: go run pkg@version builds the tool's own
		b, err := cmd.CombinedOutput()
		if err != nil {
			if os.Getenv("CI") == "" && strings.Contains(string(b), "proxy") {
				t.Skipf("cannot fetch go-pmtiles from the module proxy: %s", b)
			}
			t.Fatalf("pmtiles %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	pmtilesCLI("verify", out)
	show := pmtilesCLI("show", out)
	for _, want := range []string{"tile type: mvt", "tile compression: gzip", "min zoom: 0", "max zoom: 8", "addressed tiles count: 51", "Pilbara units"} {
		if !strings.Contains(show, want) {
			t.Errorf("pmtiles show does not say %q:\n%s", want, show)
		}
	}
}
