//go:build cgo

package e2e

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The WMTS vector layer tests read the styles test's units (see
// wms_test.go) as WMTS image tiles and check the colour drawn at Alpha's
// centre, 105 E 0 N, is the one the legend gives its style's class.

// granitePalette is the lithology style's class of Alpha's granite.
const granitePalette = "http://resource.geosciml.org/classifier/cgi/lithology/acidic_igneous_material"

// unitsTileZoom is the units' max zoom, the deepest tile matrix.
const unitsTileZoom = 6

// webMercatorPixel is the WebMercatorQuad tile of zoom z holding lon, lat
// and the pixel of that tile the point falls in.
func webMercatorPixel(lon, lat float64, z int) (col, row, x, y int) {
	world := float64(int(256) << z)
	sin := math.Sin(lat * math.Pi / 180)
	gx := int((lon + 180) / 360 * world)
	gy := int((0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)) * world)
	return gx / 256, gy / 256, gx % 256, gy % 256
}

// TestWMTSVectorGDAL reads a window round Alpha's centre through GDAL's
// WMTS driver by the capabilities URL, in the layer's default style (by
// age) and in the lithology style, and checks the colour at the centre.
func TestWMTSVectorGDAL(t *testing.T) {
	translate := needTool(t, "gdal_translate", "gdal-bin")
	locate := needTool(t, "gdallocationinfo", "gdal-bin")
	srv := stylesServer(t)
	caps := "WMTS:" + srv.URL + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities,layer=" + stylesID
	for _, c := range []struct{ style, kind, uri string }{
		{"", "geology-age", permian},
		{"geology-lithology", "geology-lithology", granitePalette},
	} {
		src := caps
		if c.style != "" {
			src += ",style=" + c.style
		}
		out := filepath.Join(t.TempDir(), "window.tif")
		cmd := exec.Command(translate, "-q", src, "-projwin_srs", "EPSG:4326", "-projwin", "104", "1", "106", "-1", out)
		cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gdal_translate %s: %v\n%s", src, err, b)
		}
		b, err := exec.Command(locate, "-wgs84", "-valonly", out, "105.01", "0.01").Output()
		if err != nil {
			t.Fatalf("gdallocationinfo: %v", err)
		}
		f := strings.Fields(string(b))
		if len(f) != 4 {
			t.Fatalf("gdallocationinfo printed %q, want 4 bands (RGBA)", b)
		}
		var got [4]uint32
		for i := range got {
			v, _ := strconv.Atoi(f[i])
			got[i] = uint32(v)
		}
		want := legendColour(t, srv.URL, stylesID, c.kind, c.uri)
		if hex := hexOf(got[0], got[1], got[2]); hex != want || got[3] != 255 {
			t.Errorf("style %q: GDAL read %s (alpha %d) at Alpha's centre, want the %s colour %s", c.style, hex, got[3], c.kind, want)
		}
	}
}

// TestWMTSVectorOWSLib lists the layer and its styles with OWSLib's
// WebMapTileService and gets the tile of Alpha's centre in the lithology
// style by KVP GetTile.
func TestWMTSVectorOWSLib(t *testing.T) {
	needPython(t, "owslib.wmts", "python3-owslib")
	srv := stylesServer(t)
	col, row, x, y := webMercatorPixel(105.01, 0.01, unitsTileZoom)
	tileFile := filepath.Join(t.TempDir(), "tile.png")
	out, err := exec.Command(owslibPython, filepath.Join("testdata", "wmts_owslib.py"), srv.URL+"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
		stylesID, "geology-lithology", strconv.Itoa(unitsTileZoom), strconv.Itoa(row), strconv.Itoa(col), tileFile).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("wmts_owslib.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var doc struct {
		Layers       []string  `json:"layers"`
		Styles       []string  `json:"styles"`
		DefaultStyle []string  `json:"default_style"`
		Formats      []string  `json:"formats"`
		BBox         []float64 `json:"bbox"`
		Matrices     []string  `json:"matrices"`
		Limits       []string  `json:"limits"`
		TileURL      string    `json:"tile_url"`
		TileType     string    `json:"tile_type"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("wmts_owslib.py printed %q: %v", out, err)
	}
	t.Logf("OWSLib: %+v", doc)
	if !slices.Equal(doc.Layers, []string{stylesID}) {
		t.Errorf("layers %v, want [%s]", doc.Layers, stylesID)
	}
	// The WMS layer's styles (TestWMSOWSLib), the preferred one default.
	if strings.Join(doc.Styles, ",") != "default,geology-age,geology-lithology" || !slices.Equal(doc.DefaultStyle, []string{"geology-age"}) {
		t.Errorf("styles %v, default %v", doc.Styles, doc.DefaultStyle)
	}
	if !slices.Equal(doc.Formats, []string{"image/png", "image/jpeg"}) || len(doc.BBox) != 4 || doc.BBox[0] != 100 || doc.BBox[2] != 125 {
		t.Errorf("formats %v, bbox %v", doc.Formats, doc.BBox)
	}
	if len(doc.Matrices) != unitsTileZoom+1 || len(doc.Limits) != unitsTileZoom+1 {
		t.Errorf("matrices %v, limits %v: want 0 to %d", doc.Matrices, doc.Limits, unitsTileZoom)
	}
	if !strings.Contains(doc.TileURL, "REQUEST=GetTile") || doc.TileType != "image/png" {
		t.Errorf("GetTile at %s answered %q", doc.TileURL, doc.TileType)
	}
	raw, err := os.ReadFile(tileFile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the tile OWSLib got: %v", err)
	}
	r, g, b, a := img.At(x, y).RGBA()
	if got, want := hexOf(r>>8, g>>8, b>>8), legendColour(t, srv.URL, stylesID, "geology-lithology", granitePalette); got != want || a>>8 != 255 {
		t.Errorf("tile pixel %d,%d is %s (alpha %d), want acidic igneous material's %s", x, y, got, a>>8, want)
	}
}

// TestWMTSVectorQGIS adds the units' WMTS layer to headless QGIS by the
// capabilities URL, in the lithology style, and checks the colour QGIS
// drew at Alpha's centre.
func TestWMTSVectorQGIS(t *testing.T) {
	needQGIS(t)
	srv := stylesServer(t)
	// wmts_qgis.py draws zoom-5 pixels round the one whose north-west
	// corner it is given: the pixel holding Alpha's centre.
	const z, half = 5, math.Pi * 6378137
	col, row, x, y := webMercatorPixel(105.01, 0.01, z)
	res := 2 * half / float64(int(256)<<z)
	west, north := -half+float64(col*256+x)*res, half-float64(row*256+y)*res
	shot := filepath.Join(t.TempDir(), "wmts_vector_qgis.png")
	var rep qgisMap
	runQGIS(t, &rep, "wmts_qgis.py", srv.URL+"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", stylesID, "geology-lithology",
		strconv.FormatFloat(west, 'f', -1, 64), strconv.FormatFloat(north, 'f', -1, 64), shot)
	t.Logf("QGIS: %+v", rep)
	rep.check(t, "WMTS")
	want := legendColour(t, srv.URL, stylesID, "geology-lithology", granitePalette)
	if got := hexOf(uint32(rep.Centre[0]), uint32(rep.Centre[1]), uint32(rep.Centre[2])); got != want {
		t.Errorf("QGIS drew %s at Alpha's centre, want acidic igneous material's %s", got, want)
	}
	viewerKeep(t, shot)
}
