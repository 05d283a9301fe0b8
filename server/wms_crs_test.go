package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/crs"
	"github.com/outcrop/outcrop/render"
	"github.com/outcrop/outcrop/styles"
)

// TestWMSGetMapProjected draws the fixture's units in WGS 84 / UTM zone
// 50S (EPSG:32750, 1.3.0 CRS and 1.1.1 SRS), and in Timbalai 1948 / RSO
// Borneo in British chains and in British feet (far from Borneo, but the
// projection holds there), and checks that each known point shows the same
// colour as in CRS:84 and the style's colour: inside both units, in the
// hole, and a pixel and a half either side of the boundary at 117 E, so
// that a unit drawn a pixel or more out of place fails. GetFeatureInfo at
// a point answers the unit there.
func TestWMSGetMapProjected(t *testing.T) {
	for _, code := range []string{"EPSG:32750", "EPSG:29871", "EPSG:29872"} {
		t.Run(code, func(t *testing.T) { testWMSGetMapProjected(t, code) })
	}
}

func testWMSGetMapProjected(t *testing.T, code string) {
	fx := newWMSFixture(t, Config{})
	utm, _ := crs.Lookup(code)
	// The fixture's window in the CRS (Bounds would clip it to the CRS's
	// area, which RSO Borneo's leaves out).
	b := orb.Bound{Min: utm.Forward(orb.Point{116, -23}), Max: utm.Forward(orb.Point{116, -23})}
	for i := range 101 {
		f := float64(i) / 50
		for _, p := range []orb.Point{{116 + f, -23}, {116 + f, -21}, {116, -23 + f}, {118, -23 + f}} {
			b = b.Extend(utm.Forward(p))
		}
	}
	bbox := fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	view := render.View{CRS: render.Projected, Proj: utm, BBox: b, Width: 200, Height: 200}
	lonlat := render.View{CRS: render.LonLat, BBox: orb.Bound{Min: orb.Point{116, -23}, Max: orb.Point{118, -21}}, Width: 200, Height: 200}
	white := color.RGBA{255, 255, 255, 255}
	granite := fx.symbolColour(t, "units", styles.KindGeologyAge, icsURI+"Permian")
	basalt := fx.symbolColour(t, "units", styles.KindGeologyAge, icsURI+"Neoarchean")
	// A pixel is about 1.05 km, 0.0102° of longitude at 22.5 S.
	points := []struct {
		p    orb.Point
		want color.RGBA
		id   string
	}{
		{orb.Point{116.2, -22.8}, granite, "units/1"},
		{orb.Point{117.5, -22.5}, basalt, "units/2"},
		{orb.Point{116.5, -22.5}, white, ""}, // the hole
		{orb.Point{116.985, -22.5}, granite, "units/1"},
		{orb.Point{117.015, -22.5}, basalt, "units/2"},
		{orb.Point{117.5, -21.5}, white, ""},
	}
	crs84 := decodeImage(t, fx.get(t, getMap130("units", "")), pngType)
	for _, q := range []string{
		getMap130("units", "", "CRS", code, "BBOX", bbox),
		getMap130("units", "", "VERSION", "1.1.1", "CRS", "", "SRS", code, "BBOX", bbox),
	} {
		img := decodeImage(t, fx.get(t, q), pngType)
		for _, c := range points {
			px, ll := view.Pixel(c.p), lonlat.Pixel(c.p)
			got := rgbaAt(img, int(px[0]), int(px[1]))
			if want := rgbaAt(crs84, int(ll[0]), int(ll[1])); got != c.want || want != c.want {
				t.Errorf("%v: %s pixel (%.1f,%.1f) is %v, CRS:84 pixel %v, want %v", c.p, code, px[0], px[1], got, want, c.want)
			}
		}
	}
	for _, c := range points {
		px := view.Pixel(c.p)
		q := getMap130("units", "", "CRS", code, "BBOX", bbox, "REQUEST", "GetFeatureInfo", "QUERY_LAYERS", "units",
			"I", itoa(int(px[0])), "J", itoa(int(px[1])), "INFO_FORMAT", "application/json")
		resp := fx.get(t, q)
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		var doc struct {
			Features []struct {
				ID    json.Number `json:"id"`
				Layer string      `json:"layer"`
			} `json:"features"`
		}
		if err := json.Unmarshal(body.Bytes(), &doc); err != nil {
			t.Fatalf("%v: %s", err, body.String())
		}
		var got []string
		for _, f := range doc.Features {
			got = append(got, f.Layer+"/"+f.ID.String())
		}
		if strings.Join(got, ",") != c.id {
			t.Errorf("GetFeatureInfo in %s at %v: %v, want %q", code, c.p, got, c.id)
		}
	}
}

// TestWMSProjectedCRSs checks the CRSs GetMap takes beyond the three
// geographic and Mercator ones, and the exception for one it does not.
func TestWMSProjectedCRSs(t *testing.T) {
	for _, code := range []string{"EPSG:32646", "EPSG:32652", "EPSG:32747", "EPSG:32754", "EPSG:24047", "EPSG:24048", "EPSG:23830", "EPSG:23845", "EPSG:23866", "EPSG:23884", "EPSG:29873", "EPSG:29871", "EPSG:29872", "EPSG:29874", "EPSG:29849", "EPSG:29850", "EPSG:3167", "EPSG:3168", "EPSG:3375", "EPSG:3376", "EPSG:5247"} {
		v, err := mapView(wms130, code, "400000,100000,600000,300000", 10, 10)
		if err != nil || v.CRS != render.Projected || v.Proj == nil {
			t.Errorf("%s: %+v, %v", code, v, err)
		}
		// Easting first in both versions: EPSG's axis order for these.
		if v.BBox.Min[0] != 400000 {
			t.Errorf("%s: box %v read northing first", code, v.BBox)
		}
	}
	if _, err := mapView(wms130, "EPSG:4390", "0,0,1,1", 10, 10); err == nil || !strings.Contains(err.Error(), "GetCapabilities lists") {
		t.Errorf("EPSG:4390 (Kertau 1968 / Johor Grid, Cassini, not served): %v", err)
	}
}

// TestWMSCapabilitiesProjectedBoxes checks the fixture's layers have a
// BoundingBox in the UTM zone they lie in, equal to PROJ's box of the
// same extent, and none in zones far from them.
func TestWMSCapabilitiesProjectedBoxes(t *testing.T) {
	_, _, boxes := wmsExtent(orb.Bound{Min: orb.Point{116, -23}, Max: orb.Point{118, -21}}, wms130)
	got := map[string]wmsBBox{}
	for _, b := range boxes {
		got[b.CRS] = b
	}
	z50, ok := got["EPSG:32750"]
	// PROJ: 116 E 21 S is 396,067.24 m E, 118 E 21 S 603,932.76 m E (the
	// box is widest on its north edge); the north edge bulges up to
	// 7,677,852.36 m N on the meridian.
	if !ok || math.Abs(float64(z50.MinX)-396067.24) > 0.01 || math.Abs(float64(z50.MaxX)-603932.76) > 0.01 || math.Abs(float64(z50.MaxY)-7677852.36) > 0.01 {
		t.Errorf("EPSG:32750 box %+v", z50)
	}
	for _, far := range []string{"EPSG:32650", "EPSG:32747", "EPSG:24047", "EPSG:23866"} {
		if b, ok := got[far]; ok {
			t.Errorf("a box in %s, where the layer is not: %+v", far, b)
		}
	}
	// A layer in Borneo east of 114 E: RSO Borneo in metres, chains and
	// feet (the same box in each unit, but for the grids' false eastings
	// and northings differing by millimetres), Timbalai 1948 / UTM 50N,
	// not 49N.
	_, _, boxes = wmsExtent(orb.Bound{Min: orb.Point{115, 4}, Max: orb.Point{117, 6}}, wms130)
	got = map[string]wmsBBox{}
	for _, b := range boxes {
		got[b.CRS] = b
	}
	m, ch, ft := got["EPSG:29873"], got["EPSG:29871"], got["EPSG:29872"]
	for _, c := range []struct {
		name  string
		box   wmsBBox
		metre float64
	}{{"chains", ch, 20.1167651215526}, {"feet", ft, 0.304799471538676}} {
		for i, v := range []num{c.box.MinX, c.box.MinY, c.box.MaxX, c.box.MaxY} {
			want := []num{m.MinX, m.MinY, m.MaxX, m.MaxY}[i]
			if m.MaxX == 0 || math.Abs(float64(v)*c.metre-float64(want)) > 0.2 {
				t.Errorf("RSO Borneo in %s: %+v is not the box in metres %+v", c.name, c.box, m)
			}
		}
	}
	if _, ok := got["EPSG:29850"]; !ok {
		t.Error("no box in Timbalai 1948 / UTM zone 50N for a layer in it")
	}
	if b, ok := got["EPSG:29849"]; ok {
		t.Errorf("a box in Timbalai 1948 / UTM zone 49N, west of the layer: %+v", b)
	}
	if len(wmsCRSs) != 3+len(crs.All()) || wmsCRSs[3] != "EPSG:32646" {
		t.Errorf("CRSs %v", wmsCRSs)
	}
}
