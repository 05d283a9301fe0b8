//go:build cgo

package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The WMS client tests read the styles test's units (Alpha, a Permian
// granite on 100..110 E, 5 S..5 N; Beta, a Jurassic sandstone on 115..125 E)
// through the WMS, and check the colour drawn inside Alpha is the one its
// legend gives the Permian, and that asking what is there answers Alpha.

// wmsWindow is the window the clients ask for, 400 pixels a side, 0.1° a
// pixel: pixel (i, j) has its centre at 95.05+0.1i E, 19.95-0.1j N; Alpha's
// centre, 105 E 0 N, is pixel (99, 199).
const (
	wmsWindow = "95,-20,135,20"
	wmsSize   = 400
	alphaI    = 99
	alphaJ    = 199
)

// legendColour is the colour /collections/{id}/legend gives the entry of
// the style kind whose URI is uri.
func legendColour(t *testing.T, base, id, kind, uri string) string {
	t.Helper()
	var doc struct {
		Entries []struct {
			URI    string `json:"uri"`
			Colour string `json:"colour"`
		} `json:"entries"`
	}
	getJSONInto(t, base+"/collections/"+id+"/legend?style="+kind, &doc)
	for _, e := range doc.Entries {
		if e.URI == uri {
			return e.Colour
		}
	}
	t.Fatalf("the %s legend of %s has no %s: %+v", kind, id, uri, doc.Entries)
	return ""
}

func hexOf(r, g, b uint32) string {
	return "#" + strings.ToUpper(strconv.FormatUint(uint64(1<<24|r<<16|g<<8|b), 16)[1:])
}

// owslibWMS is what wms_owslib.py reports.
type owslibWMS struct {
	Version    string         `json:"version"`
	Layers     []string       `json:"layers"`
	Styles     []string       `json:"styles"`
	Legend     string         `json:"legend"`
	CRS        []string       `json:"crs"`
	BBox       []float64      `json:"bbox"`
	Queryable  int            `json:"queryable"`
	Formats    []string       `json:"formats"`
	MapType    string         `json:"map_type"`
	MapURL     string         `json:"map_url"`
	InfoURL    string         `json:"info_url"`
	Info       map[string]any `json:"info"`
	GMLFormats []string       `json:"gml_formats"`
	GML        struct {
		Root     string `json:"root"`
		Returned string `json:"returned"`
		Members  []struct {
			Element string `json:"element"`
			Name    string `json:"name"`
		} `json:"members"`
	} `json:"gml"`
}

// runWMSOWSLib runs wms_owslib.py against the styles server's WMS in
// version, in the geology-age style, for the window w,s,e,n of wmsSize
// pixels a side in crs ("" for the script's lon/lat default), asking
// what is at pixel i, j; it returns the report and the map.
func runWMSOWSLib(t *testing.T, base, version, crs, window string, i, j int) (owslibWMS, image.Image) {
	t.Helper()
	mapFile := filepath.Join(t.TempDir(), "map.png")
	args := []string{filepath.Join("testdata", "wms_owslib.py"), base + "/wms", version, stylesID, "geology-age",
		window, strconv.Itoa(wmsSize), strconv.Itoa(i), strconv.Itoa(j), mapFile}
	if crs != "" {
		args = append(args, crs)
	}
	out, err := exec.Command(owslibPython, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("wms_owslib.py %s %s: %v\n%s", version, crs, err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var doc owslibWMS
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("wms_owslib.py printed %q: %v", out, err)
	}
	t.Logf("OWSLib %s %s: %s", version, crs, out)
	raw, err := os.ReadFile(mapFile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s %s: the map OWSLib got: %v", version, crs, err)
	}
	return doc, img
}

// TestWMSOWSLib reads the WMS with OWSLib's WebMapService in 1.3.0 and
// 1.1.1: capabilities, a map, the feature at Alpha's centre.
func TestWMSOWSLib(t *testing.T) {
	needPython(t, "owslib.wms", "python3-owslib")
	srv := stylesServer(t)
	want := legendColour(t, srv.URL, stylesID, "geology-age", permian)
	for _, version := range []string{"1.3.0", "1.1.1"} {
		doc, img := runWMSOWSLib(t, srv.URL, version, "", wmsWindow, alphaI, alphaJ)
		if doc.Version != version || strings.Join(doc.Layers, ",") != stylesID || doc.Queryable != 1 {
			t.Errorf("%s: version %q, layers %v, queryable %d", version, doc.Version, doc.Layers, doc.Queryable)
		}
		if strings.Join(doc.Styles, ",") != "default,geology-age,geology-lithology" || !strings.Contains(doc.Legend, "GetLegendGraphic") {
			t.Errorf("%s: styles %v, legend %q", version, doc.Styles, doc.Legend)
		}
		if !slices.Contains(doc.CRS, "CRS:84") || !slices.Contains(doc.CRS, "EPSG:3857") || !slices.Contains(doc.CRS, "EPSG:4326") ||
			!slices.Contains(doc.CRS, "EPSG:32650") || !slices.Contains(doc.CRS, "EPSG:24047") || len(doc.BBox) < 4 || doc.BBox[0] != 100 || doc.BBox[2] != 125 {
			t.Errorf("%s: CRSs %v, bbox %v", version, doc.CRS, doc.BBox)
		}
		if doc.MapType != "image/png" {
			t.Errorf("%s: map type %q", version, doc.MapType)
		}
		r, g, b, a := img.At(alphaI, alphaJ).RGBA()
		if got := hexOf(r>>8, g>>8, b>>8); got != want || a>>8 != 255 {
			t.Errorf("%s: Alpha's centre is %s (alpha %d), want the Permian's %s", version, got, a>>8, want)
		}
		if _, _, _, a := img.At(5, 5).RGBA(); a != 0 {
			t.Errorf("%s: the empty corner has alpha %d, want transparent", version, a>>8)
		}
		fs, _ := doc.Info["features"].([]any)
		if len(fs) != 1 {
			t.Fatalf("%s: GetFeatureInfo at Alpha: %v", version, doc.Info)
		}
		props, _ := fs[0].(map[string]any)["properties"].(map[string]any)
		if props["name"] != "Alpha" || props["representativeAge_uri"] != permian {
			t.Errorf("%s: GetFeatureInfo at Alpha found %v", version, props)
		}
		// GML 3.2 with FEATURE_COUNT=5: Alpha alone, as GeologicUnitView.
		gml := doc.GML
		if !slices.Contains(doc.GMLFormats, "application/gml+xml; version=3.2") || gml.Root != "{http://www.opengis.net/wfs/2.0}FeatureCollection" || gml.Returned != "1" ||
			len(gml.Members) != 1 || gml.Members[0].Element != "{http://xmlns.geosciml.org/geosciml-portrayal/4.0}GeologicUnitView" || gml.Members[0].Name != "Alpha" {
			t.Errorf("%s: GetFeatureInfo in GML at Alpha: %+v (formats %v)", version, gml, doc.GMLFormats)
		}
	}
}

// The UTM window of the OWSLib and QGIS tests: Alpha's own zone, WGS 84 /
// UTM 48N (EPSG:32648), whose central meridian, 105 E, runs through
// Alpha's centre (500,000 m E, 0 m N). The window is 2,400 km a side,
// 6 km a pixel at wmsSize: pixel (i, j) has its centre at
// -697,000+6,000i m E, 1,197,000-6,000j m N. By PROJ, Alpha's east edge,
// 110 E, is 1,057,087 m E at the equator (pixel 292.8), and 99 E 10.5 N,
// north-west of Alpha, is -157,673 m E 1,166,988 m N (pixel 90, 5).
const (
	utmCRS    = "EPSG:32648"
	utmWindow = "-700000,-1200000,1700000,1200000"
)

// TestWMSOWSLibUTM reads the WMS with OWSLib's WebMapService in WGS 84 /
// UTM zone 48N, 1.3.0 and 1.1.1: the map OWSLib gets has the Permian's
// colour at Alpha's centre and three pixels (18 km) inside its east edge,
// and none three pixels outside it or north-west of Alpha; GetFeatureInfo
// at Alpha's centre, asked in that CRS, answers Alpha, in GeoJSON and
// in GML.
func TestWMSOWSLibUTM(t *testing.T) {
	needPython(t, "owslib.wms", "python3-owslib")
	srv := stylesServer(t)
	want := legendColour(t, srv.URL, stylesID, "geology-age", permian)
	for _, version := range []string{"1.3.0", "1.1.1"} {
		doc, img := runWMSOWSLib(t, srv.URL, version, utmCRS, utmWindow, 199, 199)
		param := map[string]string{"1.3.0": "CRS", "1.1.1": "SRS"}[version]
		for _, u := range []string{doc.MapURL, doc.InfoURL} {
			q, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for k, v := range q.Query() {
				got[strings.ToUpper(k)] = v[0]
			}
			if got[param] != utmCRS || strings.ReplaceAll(got["BBOX"], ".0", "") != utmWindow {
				t.Errorf("%s: OWSLib asked %s, want %s=%s and the window easting first", version, u, param, utmCRS)
			}
		}
		if !slices.Contains(doc.CRS, utmCRS) {
			t.Errorf("%s: the layer's CRSs %v lack %s", version, doc.CRS, utmCRS)
		}
		for _, c := range []struct {
			i, j  int
			alpha bool
		}{{199, 199, true}, {290, 199, true}, {295, 199, false}, {90, 5, false}} {
			r, g, b, a := img.At(c.i, c.j).RGBA()
			got := hexOf(r>>8, g>>8, b>>8)
			if c.alpha && (got != want || a>>8 != 255) || !c.alpha && a != 0 {
				t.Errorf("%s: pixel (%d, %d) in %s is %s (alpha %d); in Alpha %v, whose Permian is %s", version, c.i, c.j, utmCRS, got, a>>8, c.alpha, want)
			}
		}
		fs, _ := doc.Info["features"].([]any)
		if len(fs) != 1 {
			t.Fatalf("%s: GetFeatureInfo in %s at Alpha: %v", version, utmCRS, doc.Info)
		}
		props, _ := fs[0].(map[string]any)["properties"].(map[string]any)
		if props["name"] != "Alpha" || props["representativeAge_uri"] != permian {
			t.Errorf("%s: GetFeatureInfo in %s at Alpha found %v", version, utmCRS, props)
		}
		if gml := doc.GML; gml.Returned != "1" || len(gml.Members) != 1 || gml.Members[0].Name != "Alpha" {
			t.Errorf("%s: GetFeatureInfo in GML in %s at Alpha: %+v", version, utmCRS, gml)
		}
	}
}

// TestWMSGDAL reads the map with GDAL's WMS driver to a GeoTIFF and checks
// the colour at Alpha's centre: by a GetMap URL, which GDAL reads without
// its STYLES (so the layer's default style, geology by age), in EPSG:4326
// with GDAL's own latitude-first BBOX; and by a service description naming
// the lithology style.
func TestWMSGDAL(t *testing.T) {
	needTool(t, "gdal_translate", "gdal-bin")
	needTool(t, "gdallocationinfo", "gdal-bin")
	srv := stylesServer(t)
	byURL := "WMS:" + srv.URL + "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=" + stylesID + "&CRS=EPSG:4326&BBOX=-20,95,20,135&FORMAT=image/png"
	if got, want := gdalColourAtAlpha(t, byURL), legendColour(t, srv.URL, stylesID, "geology-age", permian); got != want {
		t.Errorf("GDAL read %s at Alpha's centre by URL, want the Permian's %s", got, want)
	}
	xmlFile := filepath.Join(t.TempDir(), "units.xml")
	desc := `<GDAL_WMS><Service name="WMS"><Version>1.3.0</Version><ServerUrl>` + srv.URL + `/wms?</ServerUrl>
<Layers>` + stylesID + `</Layers><Styles>geology-lithology</Styles><CRS>CRS:84</CRS><ImageFormat>image/png</ImageFormat></Service>
<DataWindow><UpperLeftX>95</UpperLeftX><UpperLeftY>20</UpperLeftY><LowerRightX>135</LowerRightX><LowerRightY>-20</LowerRightY>
<SizeX>` + strconv.Itoa(wmsSize) + `</SizeX><SizeY>` + strconv.Itoa(wmsSize) + `</SizeY></DataWindow><BandsCount>3</BandsCount></GDAL_WMS>`
	if err := os.WriteFile(xmlFile, []byte(desc), 0o644); err != nil {
		t.Fatal(err)
	}
	// Granite falls in the palette class of acidic igneous material.
	want := legendColour(t, srv.URL, stylesID, "geology-lithology", "http://resource.geosciml.org/classifier/cgi/lithology/acidic_igneous_material")
	if got := gdalColourAtAlpha(t, xmlFile); got != want {
		t.Errorf("GDAL read %s at Alpha's centre in the lithology style, want acidic igneous material's %s", got, want)
	}
}

// TestWMSGDALUTM reads the map with GDAL's WMS driver in WGS 84 / UTM zone
// 50N (EPSG:32650), a window of 1,600 km around Alpha's centre (105 E 0 N,
// 845,238 m west of zone 50's false easting), to a georeferenced GeoTIFF,
// and checks the colour GDAL finds at Alpha's centre, in lon/lat, is the
// Permian's: the server projects as GDAL does.
func TestWMSGDALUTM(t *testing.T) {
	needTool(t, "gdal_translate", "gdal-bin")
	needTool(t, "gdallocationinfo", "gdal-bin")
	srv := stylesServer(t)
	xmlFile := filepath.Join(t.TempDir(), "utm.xml")
	desc := `<GDAL_WMS><Service name="WMS"><Version>1.3.0</Version><ServerUrl>` + srv.URL + `/wms?</ServerUrl>
<Layers>` + stylesID + `</Layers><Styles>geology-age</Styles><CRS>EPSG:32650</CRS><ImageFormat>image/png</ImageFormat></Service>
<DataWindow><UpperLeftX>-1645238</UpperLeftX><UpperLeftY>800000</UpperLeftY><LowerRightX>-45238</LowerRightX><LowerRightY>-800000</LowerRightY>
<SizeX>` + strconv.Itoa(wmsSize) + `</SizeX><SizeY>` + strconv.Itoa(wmsSize) + `</SizeY></DataWindow><BandsCount>3</BandsCount></GDAL_WMS>`
	if err := os.WriteFile(xmlFile, []byte(desc), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := gdalColourAtAlpha(t, xmlFile), legendColour(t, srv.URL, stylesID, "geology-age", permian); got != want {
		t.Errorf("GDAL read %s at Alpha's centre in EPSG:32650, want the Permian's %s", got, want)
	}
	out := filepath.Join(t.TempDir(), "window.tif")
	cmd := exec.Command("gdal_translate", "-q", xmlFile, out)
	cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gdal_translate: %v\n%s", err, b)
	}
	// Alpha's east edge, 110 E, is 280,883 m west of zone 50's false
	// easting at the equator: 50 km (a dozen pixels) east of it is empty,
	// 50 km west of it is Alpha.
	for _, c := range []struct {
		x    string
		want bool
	}{{"-230883", false}, {"-330883", true}} {
		b, err := exec.Command("gdallocationinfo", "-geoloc", "-valonly", out, c.x, "0").Output()
		if err != nil {
			t.Fatalf("gdallocationinfo: %v", err)
		}
		f := strings.Fields(string(b))
		if got := len(f) >= 3 && f[0]+f[1]+f[2] != "255255255" && f[0]+f[1]+f[2] != "000"; got != c.want {
			t.Errorf("GDAL read %v at %s m E 0 m N in EPSG:32650: Alpha there is %v, want %v", f, c.x, got, c.want)
		}
	}
}

// gdalColourAtAlpha translates the window of src to a 400-pixel GeoTIFF and
// returns the colour at Alpha's centre.
func gdalColourAtAlpha(t *testing.T, src string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "window.tif")
	cmd := exec.Command("gdal_translate", "-q", "-outsize", strconv.Itoa(wmsSize), strconv.Itoa(wmsSize), src, out)
	// GDAL caches WMS blocks in ./gdalwmscache by default: a stale cache
	// would answer for the server.
	cmd.Env = append(os.Environ(), "GDAL_DEFAULT_WMS_CACHE_PATH="+t.TempDir())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gdal_translate %s: %v\n%s", src, err, b)
	}
	b, err := exec.Command("gdallocationinfo", "-wgs84", "-valonly", out, "105.05", "0.05").Output()
	if err != nil {
		t.Fatalf("gdallocationinfo: %v", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		t.Fatalf("gdallocationinfo printed %q, want RGB(A)", b)
	}
	var got [3]uint32
	for i := range got {
		v, _ := strconv.Atoi(f[i])
		got[i] = uint32(v)
	}
	return hexOf(got[0], got[1], got[2])
}

// TestWMSOneGeologyLayer ingests the Hamersley geology with the binary as
// make demo does, --country AUS --theme geology --scale 1:500000
// --data-owner GSWA, serves it with a service metadata file, and reads the
// layer with OWSLib: its name, title and keywords are OneGeology's forms,
// and a map by that name draws.
func TestWMSOneGeologyLayer(t *testing.T) {
	needPython(t, "owslib.wms", "python3-owslib")
	bin := outcropBinary(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustRun(t, bin, "ingest", "--quiet", "--store", store, "--id", "gswa-geology", "--attribution", "Geological Survey of Western Australia",
		"--mapping", "../data/mappings/gswa-geology.yaml", "--country", "AUS", "--theme", "geology", "--data-owner", "GSWA", "--scale", "1:500000", gswaGeology)
	meta := filepath.Join(dir, "service.yaml")
	if err := os.WriteFile(meta, []byte("organization: Geological Survey of Western Australia\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, bin, store, "--service-metadata", meta)
	script := `import json, sys
from owslib.wms import WebMapService
wms = WebMapService(sys.argv[1], version="1.3.0")
out = {n: {"title": l.title, "keywords": l.keywords} for n, l in wms.contents.items()}
img = wms.getmap(layers=["AUS_GSWA_500k_GeolUnits"], styles=[""], srs="CRS:84", bbox=(116, -23, 119, -21), size=(64, 64), format="image/png")
out["map_type"] = img.info()["Content-Type"]
print(json.dumps(out))`
	b, err := exec.Command(owslibPython, "-c", script, srv.url+"/wms").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("OWSLib: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("OWSLib printed %s: %v", b, err)
	}
	l, _ := doc["AUS_GSWA_500k_GeolUnits"].(map[string]any)
	if l == nil || l["title"] != "AUS GSWA 1:500k Geology" || doc["map_type"] != "image/png" {
		t.Fatalf("OWSLib read %s", b)
	}
	var kw []string
	for _, k := range l["keywords"].([]any) {
		kw = append(kw, k.(string))
	}
	for _, k := range []string{"OneGeology", "Australia", "continent@Oceania", "subcontinent@Australia and New Zealand", "geographicarea@Australia",
		"dataprovider@Geological Survey of Western Australia", "serviceprovider@Geological Survey of Western Australia",
		"DS_TOPIC@geoscientificinformation", "thematic@Geology", "Geosciml_portrayal_age_or_litho_queryable"} {
		if !slices.Contains(kw, k) {
			t.Errorf("the layer's keywords lack %q: %q", k, kw)
		}
	}
	if !slices.ContainsFunc(kw, func(k string) bool { return strings.HasPrefix(k, "DS_DATE@20") }) {
		t.Errorf("the layer's keywords lack DS_DATE@: %q", kw)
	}
}
