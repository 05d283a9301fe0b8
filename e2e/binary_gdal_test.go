package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/project"
)

// TestBinaryGDALReadsServedTile has a real GIS client, GDAL's MVT driver
// (ogrinfo), read a tile served by the binary: once fetching it itself over
// HTTP (/vsicurl/), once from a z/x/y.pbf file holding the gzip bytes the
// server sent. With z/x/y in the path GDAL georeferences the tile, so its
// spatial filter can ask which unit lies at a known point.
func TestBinaryGDALReadsServedTile(t *testing.T) {
	ogrinfo := needTool(t, "ogrinfo", "gdal-bin")
	fx := sharedStore(t)
	srv := startServe(t, fx.bin, fx.dir)

	tj := getTileJSON(t, srv.url, fx.gswa.id)
	layer := tj.VectorLayers[0].ID
	p := interiorProbes(t, readFeatures(t, gswaGeology), "EPSG:28350", "code", 1)[0]
	z := lowestClearZoom(p, *tj.MinZoom, *tj.MaxZoom)
	if z < 0 {
		t.Fatalf("probe %v is too near a boundary for any zoom", p.src)
	}
	tile, _ := tileOf(p.lonLat, z)
	want := getTile(t, srv.url, fx.gswa.id, layer, z, int(tile.X), int(tile.Y))
	var codes []string
	for _, f := range want.Features {
		codes = append(codes, fmt.Sprint(f.Properties["code"]))
	}
	slices.Sort(codes)

	path := fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", fx.gswa.id, z, tile.X, tile.Y)
	resp, gz := get(t, srv.url+path, "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s with gzip accepted: Content-Encoding %q", path, resp.Header.Get("Content-Encoding"))
	}
	file := filepath.Join(t.TempDir(), strconv.Itoa(z), strconv.Itoa(int(tile.X)), strconv.Itoa(int(tile.Y))+".pbf")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, gz, 0o644); err != nil {
		t.Fatal(err)
	}

	// The tile's extent in EPSG:3857, and the probe there.
	b := tile.Bound()
	lo, hi := project.WGS84.ToMercator(b.Min), project.WGS84.ToMercator(b.Max)
	at := project.WGS84.ToMercator(p.lonLat)

	for name, src := range map[string]string{"over HTTP": "/vsicurl/" + srv.url + path, "from a z/x/y.pbf file": file} {
		t.Run(name, func(t *testing.T) {
			summary := runOgrinfo(t, ogrinfo, "-ro", "-al", "-so", src)
			if m := regexp.MustCompile(`(?m)^Layer name: (\S+)$`).FindStringSubmatch(summary); m == nil || m[1] != layer {
				t.Errorf("ogrinfo layer name %v, want %q:\n%s", m, layer, summary)
			}
			if m := regexp.MustCompile(`(?m)^Feature Count: (\d+)$`).FindStringSubmatch(summary); m == nil || m[1] != strconv.Itoa(len(want.Features)) {
				t.Errorf("ogrinfo feature count %v, want %d (as orb decodes the tile):\n%s", m, len(want.Features), summary)
			}
			m := regexp.MustCompile(`(?m)^Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)$`).FindStringSubmatch(summary)
			if m == nil {
				t.Fatalf("ogrinfo printed no extent:\n%s", summary)
			}
			// GDAL clips to the tile, so the extent lies in the tile (plus a
			// metre for rounding): the tile was georeferenced from z/x/y.
			ext := make([]float64, 4)
			for i := range ext {
				ext[i], _ = strconv.ParseFloat(m[i+1], 64)
			}
			if ext[0] < lo[0]-1 || ext[1] < lo[1]-1 || ext[2] > hi[0]+1 || ext[3] > hi[1]+1 || ext[0] >= ext[2] || ext[1] >= ext[3] {
				t.Errorf("ogrinfo extent %v is not within tile %d/%d/%d's %v - %v in EPSG:3857", ext, z, tile.X, tile.Y, lo, hi)
			}

			all := runOgrinfo(t, ogrinfo, "-ro", "-al", "-geom=NO", src)
			var got []string
			for _, m := range regexp.MustCompile(`(?m)^  code \(String\) = (.*)$`).FindAllStringSubmatch(all, -1) {
				got = append(got, m[1])
			}
			slices.Sort(got)
			if !slices.Equal(got, codes) {
				t.Errorf("ogrinfo reads codes %q, want %q", got, codes)
			}

			// A 2 m box around the probe meets exactly the unit holding it.
			spat := []string{"-spat", ftoa(at[0] - 1), ftoa(at[1] - 1), ftoa(at[0] + 1), ftoa(at[1] + 1)}
			here := runOgrinfo(t, ogrinfo, append([]string{"-ro", "-al", "-geom=NO"}, append(spat, src)...)...)
			found := regexp.MustCompile(`(?m)^  code \(String\) = (.*)$`).FindAllStringSubmatch(here, -1)
			if len(found) != 1 || found[0][1] != p.props["code"] {
				t.Errorf("ogrinfo -spat at %v (EPSG:3857): codes %v, want exactly [%v] from the source", at, found, p.props["code"])
			}
		})
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

// runOgrinfo runs ogrinfo and returns its output; a failure fails the test.
func runOgrinfo(t *testing.T, ogrinfo string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, ogrinfo, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
