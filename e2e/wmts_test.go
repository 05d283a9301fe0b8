package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/outcrop/outcrop/raster"
	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
)

// The WMTS reader tests ingest the Slab2 depth grid of data/ with the
// outcrop binary, serve it, and check that each reader draws the pixel at
// slabProbe in the colour the ramp gives its value under the default
// stretch (p2 to p98), worked out here from /collections/{id}/value and
// the band's statistics.
const (
	slabGrid = "../data/rasters/slab2-sumatra-java/sum_slab2_dep_02.23.18.grd"
	slabID   = "slab"
	// slabZoom is the max zoom ingest chooses for the grid's 0.05° cells.
	slabZoom = 5
)

// slabProbe is a point on the slab west of Sumatra, -105 km deep: inside
// the data, away from its edges and from the ramp's ends.
var slabProbe = [2]float64{100, 0}

// wmtsServer is the served Slab2 grid and the requests it saw.
type wmtsServer struct {
	URL string
	mu  sync.Mutex
	log []string // request URIs
}

// requests returns the request URIs seen so far that contain part.
func (s *wmtsServer) requests(part string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.log {
		if strings.Contains(u, part) {
			out = append(out, u)
		}
	}
	return out
}

// startWMTSServer ingests the Slab2 grid into a fresh store and serves it.
func startWMTSServer(t *testing.T) *wmtsServer {
	t.Helper()
	bin := outcropBinary(t)
	dir := t.TempDir()
	mustRun(t, bin, "ingest", "--quiet", "--store", dir, "--id", slabID, slabGrid)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := server.New(server.Config{Catalog: st, Logger: logger})
	s := &wmtsServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// capabilitiesURL is the KVP GetCapabilities URL a user pastes.
func (s *wmtsServer) capabilitiesURL() string {
	return s.URL + "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"
}

// probePixel is the zoom-5 pixel holding slabProbe: its global column and
// row, its centre in lon/lat and its north-west corner in EPSG:3857.
type probePixel struct {
	col, row           int
	lon, lat           float64
	westX, northY      float64
	expected           color.NRGBA
	value, lo, hi      float64
	tileCol, tileRow   int
	inTileX, inTileY   int
	tileZoom, tileSize int
}

// slabProbePixel works out the pixel at slabProbe and the colour style
// draws it in, from the server's value and band statistics.
func slabProbePixel(t *testing.T, s *wmtsServer, style string) probePixel {
	t.Helper()
	const size = 256
	world := float64(size << slabZoom)
	lon, lat := slabProbe[0], slabProbe[1]
	sin := math.Sin(lat * math.Pi / 180)
	p := probePixel{
		col: int((lon + 180) / 360 * world),
		row: int((0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)) * world),
	}
	const half = math.Pi * 6378137
	res := 2 * half / world
	p.westX, p.northY = -half+float64(p.col)*res, half-float64(p.row)*res
	p.lon = (float64(p.col)+0.5)/world*360 - 180
	p.lat = math.Atan(math.Sinh(math.Pi*(1-2*(float64(p.row)+0.5)/world))) * 180 / math.Pi
	p.tileZoom, p.tileSize = slabZoom, size
	p.tileCol, p.tileRow, p.inTileX, p.inTileY = p.col/size, p.row/size, p.col%size, p.row%size

	var v struct {
		Zoom   int `json:"zoom"`
		Values []struct {
			Value *float64 `json:"value"`
		} `json:"values"`
	}
	getJSONInto(t, fmt.Sprintf("%s/collections/%s/value?lon=%v&lat=%v", s.URL, slabID, p.lon, p.lat), &v)
	if v.Zoom != slabZoom || len(v.Values) != 1 || v.Values[0].Value == nil {
		t.Fatalf("value at the probe: %+v, want one value at zoom %d", v, slabZoom)
	}
	var c struct {
		Bands []struct {
			Stats struct {
				Percentiles map[string]float64 `json:"percentiles"`
			} `json:"stats"`
		} `json:"bands"`
	}
	getJSONInto(t, s.URL+"/collections/"+slabID, &c)
	if len(c.Bands) != 1 {
		t.Fatalf("collection bands: %+v", c.Bands)
	}
	p.value, p.lo, p.hi = *v.Values[0].Value, c.Bands[0].Stats.Percentiles["p2"], c.Bands[0].Stats.Percentiles["p98"]
	p.expected = raster.RampByName(style).Colour((p.value - p.lo) / (p.hi - p.lo))
	t.Logf("probe pixel %d,%d (%.4f, %.4f): %g m, stretch %g to %g: %s %v", p.col, p.row, p.lon, p.lat, p.value, p.lo, p.hi, style, p.expected)
	return p
}

// getJSONInto fetches url and decodes its JSON body into v.
func getJSONInto(t *testing.T, url string, v any) {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// near reports whether got is within tol of want in every channel.
func near(got [3]int, want color.NRGBA, tol int) bool {
	d := func(a int, b uint8) bool { return a-int(b) <= tol && int(b)-a <= tol }
	return d(got[0], want.R) && d(got[1], want.G) && d(got[2], want.B)
}

// needPython returns the interpreter once import works in it; a missing
// module skips the test, or fails it when CI is set.
func needPython(t *testing.T, module, debianPackage string) {
	t.Helper()
	if err := exec.Command(owslibPython, "-c", "import "+module).Run(); err != nil {
		msg := fmt.Sprintf("%s cannot import %s: apt-get install %s", owslibPython, module, debianPackage)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Skip(msg)
	}
}

// TestWMTSGDAL reads a window of the WMTS layer with GDAL's WMTS driver,
// by the capabilities URL, to a GeoTIFF, and checks the pixel at the probe.
func TestWMTSGDAL(t *testing.T) {
	translate := needTool(t, "gdal_translate", "gdal-bin")
	locate := needTool(t, "gdallocationinfo", "gdal-bin")
	s := startWMTSServer(t)
	p := slabProbePixel(t, s, raster.DefaultRamp)
	out := filepath.Join(t.TempDir(), "window.tif")
	src := "WMTS:" + s.capabilitiesURL() + ",layer=" + slabID
	w, n := strconv.FormatFloat(slabProbe[0]-1, 'f', -1, 64), strconv.FormatFloat(slabProbe[1]+1, 'f', -1, 64)
	e, so := strconv.FormatFloat(slabProbe[0]+1, 'f', -1, 64), strconv.FormatFloat(slabProbe[1]-1, 'f', -1, 64)
	cmd := exec.Command(translate, "-q", src, "-projwin_srs", "EPSG:4326", "-projwin", w, n, e, so, out)
	// GDAL caches WMTS tiles in ./gdalwmscache by default: a stale cache
	// would answer for the server.
	cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gdal_translate %s: %v\n%s", src, err, b)
	}
	b, err := exec.Command(locate, "-wgs84", "-valonly", out, strconv.FormatFloat(p.lon, 'f', -1, 64), strconv.FormatFloat(p.lat, 'f', -1, 64)).Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 4 {
		t.Fatalf("gdallocationinfo printed %q, want 4 bands (RGBA)", b)
	}
	var got [4]int
	for i := range got {
		got[i], _ = strconv.Atoi(f[i])
	}
	if !near([3]int{got[0], got[1], got[2]}, p.expected, 0) || got[3] != 255 {
		t.Errorf("GDAL read %v at the probe, want %v", got, p.expected)
	}
	if len(s.requests("/wmts/1.0.0/"+slabID+"/"+raster.DefaultRamp+"/WebMercatorQuad/5/")) == 0 && len(s.requests("REQUEST=GetTile")) == 0 {
		t.Errorf("GDAL asked for no zoom-5 tiles of the default style: %v", s.requests(""))
	}
}

// TestWMTSOWSLib parses the capabilities with OWSLib's WebMapTileService
// and gets the probe's tile by KVP GetTile, in the rdbu style.
func TestWMTSOWSLib(t *testing.T) {
	needPython(t, "owslib.wmts", "python3-owslib")
	s := startWMTSServer(t)
	const style = "rdbu"
	p := slabProbePixel(t, s, style)
	tileFile := filepath.Join(t.TempDir(), "tile.png")
	out, err := exec.Command(owslibPython, filepath.Join("testdata", "wmts_owslib.py"), s.capabilitiesURL(), slabID, style,
		strconv.Itoa(p.tileZoom), strconv.Itoa(p.tileRow), strconv.Itoa(p.tileCol), tileFile).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("wmts_owslib.py: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var doc struct {
		Version        string    `json:"version"`
		Layers         []string  `json:"layers"`
		Styles         []string  `json:"styles"`
		DefaultStyle   []string  `json:"default_style"`
		Formats        []string  `json:"formats"`
		TileMatrixSets []string  `json:"tilematrixsets"`
		BBox           []float64 `json:"bbox"`
		CRS            string    `json:"crs"`
		Matrices       []string  `json:"matrices"`
		Scale0         float64   `json:"scale0"`
		Limits         []string  `json:"limits"`
		TileURL        string    `json:"tile_url"`
		TileType       string    `json:"tile_type"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("wmts_owslib.py printed %q: %v", out, err)
	}
	t.Logf("OWSLib: %+v", doc)
	if doc.Version != "1.0.0" || len(doc.Layers) != 1 || doc.Layers[0] != slabID {
		t.Errorf("version %q, layers %v: want 1.0.0 and [%s]", doc.Version, doc.Layers, slabID)
	}
	if strings.Join(doc.Styles, ",") != strings.Join(raster.Ramps(), ",") || len(doc.DefaultStyle) != 1 || doc.DefaultStyle[0] != raster.DefaultRamp {
		t.Errorf("styles %v (default %v), want the ramps %v (default %s)", doc.Styles, doc.DefaultStyle, raster.Ramps(), raster.DefaultRamp)
	}
	if len(doc.Formats) != 1 || doc.Formats[0] != "image/png" || len(doc.TileMatrixSets) != 1 || doc.TileMatrixSets[0] != "WebMercatorQuad" {
		t.Errorf("formats %v, tile matrix sets %v", doc.Formats, doc.TileMatrixSets)
	}
	// The grid's cells span 86.975°E to 139.025°E.
	if len(doc.BBox) != 4 || math.Abs(doc.BBox[0]-86.975) > 0.01 || math.Abs(doc.BBox[2]-139.025) > 0.05 {
		t.Errorf("WGS 84 bounding box %v", doc.BBox)
	}
	if !strings.Contains(doc.CRS, "3857") || len(doc.Matrices) != slabZoom+1 || math.Abs(doc.Scale0-559082264.0287178) > 1e-3 {
		t.Errorf("tile matrix set: crs %q, matrices %v, scale 0 %v", doc.CRS, doc.Matrices, doc.Scale0)
	}
	if len(doc.Limits) == 0 || doc.Limits[len(doc.Limits)-1] != strconv.Itoa(slabZoom) {
		t.Errorf("tile matrix limits %v, want them to end at %d", doc.Limits, slabZoom)
	}
	if !strings.Contains(doc.TileURL, "REQUEST=GetTile") || doc.TileType != "image/png" {
		t.Errorf("GetTile at %s answered %q, want a KVP GetTile answered image/png", doc.TileURL, doc.TileType)
	}
	raw, err := os.ReadFile(tileFile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the tile OWSLib got: %v", err)
	}
	r, g, b, a := img.At(p.inTileX, p.inTileY).RGBA()
	if got := [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}; !near(got, p.expected, 0) || a>>8 != 255 {
		t.Errorf("tile pixel %d,%d is %v (alpha %d), want %v", p.inTileX, p.inTileY, got, a>>8, p.expected)
	}
}

// TestWMTSQGIS adds the layer to headless QGIS by its capabilities URL, in
// the cividis style, and checks the colour QGIS drew at the probe.
func TestWMTSQGIS(t *testing.T) {
	needQGIS(t)
	s := startWMTSServer(t)
	const style = "cividis"
	p := slabProbePixel(t, s, style)
	shot := filepath.Join(t.TempDir(), "wmts_qgis.png")
	var rep qgisMap
	runQGIS(t, &rep, "wmts_qgis.py", s.capabilitiesURL(), slabID, style,
		strconv.FormatFloat(p.westX, 'f', -1, 64), strconv.FormatFloat(p.northY, 'f', -1, 64), shot)
	t.Logf("QGIS: %+v; tile requests: %v", rep, s.requests(style))
	rep.check(t, "WMTS")
	// QGIS takes the capabilities' KVP GetTile when the URL it was given
	// is a KVP one.
	if len(s.requests("REQUEST=GetTile")) == 0 || len(s.requests(style)) == 0 {
		t.Errorf("QGIS asked for no KVP GetTile in style %s: %v", style, s.requests(""))
	}
	// QGIS draws the tiles at their own resolution here; allow for its
	// smoothing of a neighbouring pixel's colour.
	if !near(rep.Centre, p.expected, 3) {
		t.Errorf("QGIS drew %v at the probe, want %v", rep.Centre, p.expected)
	}
	viewerKeep(t, shot)
}
