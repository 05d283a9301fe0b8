package e2e

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The colour WMTS test's scan: 400×300 pixels of 0.01° from 100°E, 10°N,
// blocks of 50×50 pixels each of one colour, so that a pixel inside a
// block has that colour whatever the resampling.
const colourScanW, colourScanH, colourBlock = 400, 300, 50

func colourScanBlock(bx, by int) [3]int { return [3]int{40 + 20*bx, 220 - 20*by, 90 + 10*(bx+by)%100} }

// TestWMTSColourGDAL ingests a generated RGB scan with the outcrop binary,
// as PNG and as JPEG tiles, serves it, and reads a window of each WMTS
// layer with GDAL's WMTS driver: at the centre of a block the colour GDAL
// reads is the scan's, exactly from PNG (with alpha 255), within 8 from
// JPEG.
func TestWMTSColourGDAL(t *testing.T) {
	translate := needTool(t, "gdal_translate", "gdal-bin")
	locate := needTool(t, "gdallocationinfo", "gdal-bin")
	bin := outcropBinary(t)
	dir := t.TempDir()
	b := []byte(fmt.Sprintf("P6 %d %d 255\n", colourScanW, colourScanH))
	for y := range colourScanH {
		for x := range colourScanW {
			c := colourScanBlock(x/colourBlock, y/colourBlock)
			b = append(b, byte(c[0]), byte(c[1]), byte(c[2]))
		}
	}
	ppm := filepath.Join(dir, "scan.ppm")
	if err := os.WriteFile(ppm, b, 0o644); err != nil {
		t.Fatal(err)
	}
	tif := filepath.Join(dir, "scan.tif")
	if out, err := exec.Command(translate, "-q", "-a_srs", "EPSG:4326", "-a_ullr", "100", "10", "104", "7", ppm, tif).CombinedOutput(); err != nil {
		t.Fatalf("gdal_translate: %v\n%s", err, out)
	}
	storeDir := filepath.Join(dir, "store")
	mustRun(t, bin, "ingest", "--quiet", "--store", storeDir, "--id", "scanpng", tif)
	mustRun(t, bin, "ingest", "--quiet", "--store", storeDir, "--id", "scanjpg", "--tile-format", "jpeg", tif)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(storeDir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(server.New(server.Config{Catalog: st, Logger: logger}))
	t.Cleanup(srv.Close)

	// Block 3, 2: pixels 150–199, 100–149; its centre.
	lon, lat := 100+0.01*175, 10-0.01*125
	want := colourScanBlock(3, 2)
	read := func(layer string, lon, lat float64) []int {
		out := filepath.Join(t.TempDir(), layer+".tif")
		src := "WMTS:" + srv.URL + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities,layer=" + layer
		cmd := exec.Command(translate, "-q", src, "-projwin_srs", "EPSG:4326", "-projwin", "101.5", "9", "102", "8.5", out)
		cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gdal_translate %s: %v\n%s", src, err, b)
		}
		b, err := exec.Command(locate, "-wgs84", "-valonly", out, strconv.FormatFloat(lon, 'f', -1, 64), strconv.FormatFloat(lat, 'f', -1, 64)).Output()
		if err != nil {
			t.Fatalf("gdallocationinfo: %v", err)
		}
		var got []int
		for _, f := range strings.Fields(string(b)) {
			v, _ := strconv.Atoi(f)
			got = append(got, v)
		}
		return got
	}
	got := read("scanpng", lon, lat)
	if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != 255 {
		t.Errorf("GDAL read %v from the PNG layer at the block's centre, want %v and alpha 255", got, want)
	}
	got = read("scanjpg", lon, lat)
	if len(got) < 3 {
		t.Fatalf("GDAL read %v from the JPEG layer", got)
	}
	for i := range 3 {
		if d := got[i] - want[i]; d > 8 || d < -8 {
			t.Errorf("GDAL read %v from the JPEG layer at the block's centre, want within 8 of %v", got, want)
			break
		}
	}
}
