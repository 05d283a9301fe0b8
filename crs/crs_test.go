package crs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// The expected coordinates are PROJ's (GDAL 3.6, PROJ 9.1), printed by
//
//	gdaltransform -s_srs '+proj=longlat +datum=WGS84' -t_srs EPSG:$code -output_xy
//
// for the lon/lat points of lonLats; for the Indian 1975 zones PROJ picks
// EPSG:1812, the Helmert shift this package uses.
var lonLats = []orb.Point{{117, 0}, {105, 0}, {117.3, 5.2}, {125.5, 20}, {110.2, -3.7}, {140, -8}, {100.5, 13.75}, {98.3, 7.9}}

var proj = map[string][]orb.Point{
	"EPSG:32650": {{500000.0000, 0.0000}, {-845238.0015, 0.0000}, {533246.1644, 574779.9491}, {1391667.4790, 2234219.8579}, {-256879.0749, -411875.6747}, {3103062.7156, -960120.4878}, {-1306143.6958, 1583178.3187}, {-1597587.7700, 921594.3634}},
	"EPSG:32646": {{3252905.2588, 0.0000}, {1845238.0015, 0.0000}, {3276586.2045, 630723.1478}, {4046329.6901, 2584142.4908}, {2439266.9298, -428193.6538}, {6349678.4065, -1291885.8591}, {1312873.5445, 1532776.4922}, {1085005.8222, 876969.5922}},
	"EPSG:32754": {{-2252905.2588, 10000000.0000}, {-3801310.4439, 10000000.0000}, {-2203872.0631, 10627785.0304}, {-1136785.3672, 12288527.2861}, {-3097555.0099, 9523547.7449}, {389795.3979, 9115568.2935}, {-4239515.5022, 11976414.3819}, {-4693447.6017, 11185177.0576}},
	"EPSG:23830": {{2771891.3049, 1500000.0000}, {1375380.2152, 1500000.0000}, {2796194.4001, 2123743.5981}, {3570585.5852, 4047419.1820}, {1966127.6277, 1074990.2945}, {5816506.0221, 242129.1610}, {849894.9707, 3028643.8408}, {619281.8869, 2375417.9280}},
	"EPSG:23845": {{-2371891.3049, 1500000.0000}, {-3897793.8716, 1500000.0000}, {-2324262.5881, 2121040.0435}, {-1276246.6179, 3774707.1158}, {-3206189.8656, 1030606.5668}, {255116.8072, 615403.2826}, {-4337540.3728, 3436630.1967}, {-4775423.4000, 2658258.3521}},
	"EPSG:23870": {{500000.0000, 0.0000}, {-845238.0015, 0.0000}, {533246.1644, 574779.9491}, {1391667.4790, 2234219.8579}, {-256879.0749, -411875.6747}, {3103062.7156, -960120.4878}, {-1306143.6958, 1583178.3187}, {-1597587.7700, 921594.3634}},
	"EPSG:23881": {{-168881.6885, 10000000.0000}, {-1536971.9212, 10000000.0000}, {-132708.5176, 10577631.6126}, {761577.0881, 12213433.9917}, {-933323.1027, 9580568.3613}, {2400550.0597, 9075569.2830}, {-1989989.8957, 11640893.0932}, {-2308029.1841, 10960574.6879}},
	"EPSG:24047": {{2537459.5679, -372.4490}, {1169380.3227, -347.5141}, {2563531.0994, 605055.1583}, {3350999.4366, 2448614.8383}, {1752168.2007, -417290.8601}, {5443711.6774, -1169394.4596}, {662690.9254, 1520229.7285}, {423352.5901, 872958.7464}},
	"EPSG:24048": {{1845799.1112, -362.0558}, {500585.7125, -345.5943}, {1874143.0541, 587922.0338}, {2680897.0650, 2348648.9265}, {1078794.2804, -411006.1240}, {4612184.4154, -1078294.2635}, {13672.3102, 1524262.3476}, {-239547.3482, 878852.4497}},
}

func TestForwardMatchesPROJ(t *testing.T) {
	for code, want := range proj {
		c, ok := Lookup(code)
		if !ok {
			t.Fatalf("Lookup(%s) found nothing", code)
		}
		for i, p := range lonLats {
			got := c.Forward(p)
			if d := math.Hypot(got[0]-want[i][0], got[1]-want[i][1]); d > 0.001 {
				t.Errorf("%s: %v projects to %.4f, PROJ gives %.4f (%.4f m apart)", code, p, got, want[i], d)
			}
		}
	}
}

// The rectified skew orthomorphic grids and Timbalai 1948's UTM zones, at
// points of Borneo and of the Malay Peninsula, from the same gdaltransform
// command (for Timbalai 1948, EPSG:1228's +towgs84=-679,669,-48, which
// PROJ picks for every point here: it picks another only onshore Brunei;
// for Kertau (RSO), PROJ's own choice, EPSG:1158 after a null shift).
// The chain and foot grids are given to a micro-unit, so that 1 mm shows.
var (
	borneoPoints    = []orb.Point{{115, 4}, {116, 5.5}, {118, 6}, {110, 1.5}, {117.5, 7.2}}
	peninsulaPoints = []orb.Point{{102.25, 4}, {100.5, 6.2}, {103.8, 1.4}, {101.7, 3.1}}
	brso            = []orb.Point{{590521.1475, 442890.8605}, {700798.6433, 609168.7402}, {921947.2866, 665815.8142}, {34972.2723, 165861.7584}, {865679.2907, 798094.6697}}
	rso             = map[string][]orb.Point{
		"EPSG:29873": {{590143.9964, 442941.2741}, {700422.3561, 609220.5909}, {921573.0414, 665868.2533}, {34591.8953, 165910.1992}, {865304.4482, 798148.4009}},
		"EPSG:29871": {{29335.929228, 22018.514136}, {34817.842400, 30284.222654}, {45811.194657, 33100.165579}, {1719.555634, 8247.359915}, {43014.095179, 39675.782820}},
		"EPSG:29872": {{1936171.333216, 1453221.937806}, {2297977.602590, 1998758.699993}, {3023538.851555, 2184610.933032}, {113490.676066, 544325.759201}, {2838930.285992, 2618601.670937}},
		"EPSG:29874": {{2590144.0018, 5442941.2805}, {2700422.3615, 5609220.5973}, {2921573.0467, 5665868.2597}, {2034591.9007, 5165910.2056}, {2865304.4535, 5798148.4073}},
		"EPSG:29849": {{943990.6197, 443260.8803}, {1054134.3864, 610308.3877}, {1276199.5054, 668233.5433}, {388362.7484, 165869.6068}, {1218735.5717, 801039.2265}},
		"EPSG:29850": {{277640.3239, 442450.3107}, {388926.1828, 608080.6487}, {610374.8172, 663360.0617}, {-280923.6661, 167098.6222}, {554901.6746, 795944.1637}},
		"EPSG:3376":  brso,
		"EPSG:5247":  brso,
		"EPSG:3375":  {{472830.4261, 442454.0987}, {279583.2813, 686296.6494}, {644846.9852, 154820.8759}, {411518.8947, 343073.6895}},
		"EPSG:3167":  {{23513.957706, 21994.008082}, {13907.690797, 34115.361974}, {32064.852369, 7695.840238}, {20466.177543, 17053.833945}},
		"EPSG:3168":  {{473024.5498, 442448.0940}, {279777.6223, 686290.4127}, {645040.8113, 154815.3403}, {411713.0999, 343067.8163}},
	}
)

func TestObliqueMercatorMatchesPROJ(t *testing.T) {
	for code, want := range rso {
		c, ok := Lookup(code)
		if !ok {
			t.Fatalf("Lookup(%s) found nothing", code)
		}
		pts := borneoPoints
		if code == "EPSG:3375" || code == "EPSG:3167" || code == "EPSG:3168" {
			pts = peninsulaPoints
		}
		metres := 1.0
		if u, ok := c.proj.(inUnit); ok {
			metres = u.metres
		}
		for i, p := range pts {
			got := c.Forward(p)
			if d := math.Hypot(got[0]-want[i][0], got[1]-want[i][1]) * metres; d > 0.001 {
				t.Errorf("%s: %v projects to %.6f, PROJ gives %.6f (%.4f m apart)", code, p, got, want[i], d)
			}
			back := c.Inverse(got)
			if math.Abs(back[0]-p[0]) > 1e-6 || math.Abs(back[1]-p[1]) > 1e-6 {
				t.Errorf("%s: %v comes back as %.9f", code, p, back)
			}
		}
	}
}

func TestInverseRoundTrips(t *testing.T) {
	for _, c := range All() {
		for _, p := range lonLats {
			back := c.Inverse(c.Forward(p))
			// 1e-9 degrees is 0.1 mm. A datum shift in two dimensions
			// drops the height the shift gives the point, as PROJ's does,
			// which costs a few centimetres there and back (1e-6 degrees
			// is 11 cm).
			tol := 1e-9
			if c.datum != nil {
				tol = 1e-6
			}
			if math.Abs(back[0]-p[0]) > tol || math.Abs(back[1]-p[1]) > tol {
				t.Errorf("%s: %v comes back as %.12f", c.Code, p, back)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"EPSG:32650", "epsg:32650", "urn:ogc:def:crs:EPSG::32650", "http://www.opengis.net/def/crs/EPSG/0/32650"} {
		if c, ok := Lookup(name); !ok || c.Code != "EPSG:32650" || c.Name != "WGS 84 / UTM zone 50N" {
			t.Errorf("Lookup(%q) = %+v, %v", name, c, ok)
		}
	}
	for _, name := range []string{"EPSG:4326", "EPSG:32653", "EPSG:32746", "EPSG:4390", ""} {
		if _, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) found a CRS this package does not project to", name)
		}
	}
	names := map[string]string{"EPSG:23830": "DGN95 / Indonesia TM-3 zone 46.2", "EPSG:23831": "DGN95 / Indonesia TM-3 zone 47.1", "EPSG:23845": "DGN95 / Indonesia TM-3 zone 54.1",
		"EPSG:29873": "Timbalai 1948 / RSO Borneo (m)", "EPSG:29871": "Timbalai 1948 / RSO Borneo (ch)", "EPSG:29872": "Timbalai 1948 / RSO Borneo (ftSe)",
		"EPSG:29874": "Timbalai 1948 / RSO Sarawak LSD (m)", "EPSG:29850": "Timbalai 1948 / UTM zone 50N", "EPSG:3375": "GDM2000 / Peninsula RSO",
		"EPSG:23866": "DGN95 / UTM zone 46N", "EPSG:23884": "DGN95 / UTM zone 54S", "EPSG:24048": "Indian 1975 / UTM zone 48N", "EPSG:32747": "WGS 84 / UTM zone 47S"}
	for code, name := range names {
		if c, ok := Lookup(code); !ok || c.Name != name {
			t.Errorf("Lookup(%s) = %+v, want %q", code, c, name)
		}
	}
	units := map[string]string{"EPSG:29871": "British chain (Sears 1922)", "EPSG:29872": "British foot (Sears 1922)", "EPSG:29873": "metre", "EPSG:32650": "metre",
		"EPSG:3167": "British chain (Sears 1922 truncated)"}
	for code, unit := range units {
		if c, _ := Lookup(code); c.Unit != unit {
			t.Errorf("%s is in %q, want %q", code, c.Unit, unit)
		}
	}
	if n := len(All()); n != 7+8+2+7+8+16+2+9 {
		t.Errorf("%d CRSs", n)
	}
}

func TestBounds(t *testing.T) {
	c, _ := Lookup("EPSG:32650")
	b, ok := c.Bounds(orb.Bound{Min: orb.Point{116, 1}, Max: orb.Point{118, 3}})
	// PROJ: 116 E 1 N is 388,736 m E 110,547 m N; 118 E 3 N 611,264 m E
	// 331,644 m N; the south edge bulges down to 110,530 m N at 117 E.
	if !ok || math.Abs(b.Min[0]-388736.19) > 0.01 || math.Abs(b.Max[0]-611263.81) > 0.01 || math.Abs(b.Min[1]-110530.16) > 0.01 || math.Abs(b.Max[1]-331643.94) > 0.01 {
		t.Errorf("bounds %.0f, %v", b, ok)
	}
	if _, ok := c.Bounds(orb.Bound{Min: orb.Point{100, 1}, Max: orb.Point{101, 2}}); ok {
		t.Error("a box in zone 47 has bounds in zone 50")
	}
	if _, ok := c.Bounds(orb.Bound{Min: orb.Point{116, -3}, Max: orb.Point{117, -2}}); ok {
		t.Error("a box south of the equator has bounds in a north zone")
	}
}

// TestBoundsReach checks a box that crosses a zone's edge is followed
// Reach degrees beyond it: Alpha of the e2e tests (100 to 110 E, 5 S to
// 5 N) in UTM 48N (area 102 to 108 E, north of the equator) reaches from
// 100 to 110 E, 5 S to 5 N; a box of half the region stops 6 degrees out
// (96 and 114 E). PROJ: 110 E 0 N is 1,057,087.12 m E; 114 E 1 N is
// 1,505,492.19 m E.
func TestBoundsReach(t *testing.T) {
	c, _ := Lookup("EPSG:32648")
	b, ok := c.Bounds(orb.Bound{Min: orb.Point{100, -5}, Max: orb.Point{110, 5}})
	if !ok || math.Abs(b.Min[0]-(1_000_000-1057087.12)) > 0.01 || math.Abs(b.Max[0]-1057087.12) > 0.01 || b.Min[1] > -550000 || b.Max[1] < 550000 {
		t.Errorf("Alpha's bounds in UTM 48N: %.2f, %v", b, ok)
	}
	b, ok = c.Bounds(orb.Bound{Min: orb.Point{80, 1}, Max: orb.Point{130, 2}})
	if !ok || math.Abs(b.Min[0]-(1_000_000-1505492.19)) > 0.01 || math.Abs(b.Max[0]-1505492.19) > 0.01 {
		t.Errorf("a wide box's bounds in UTM 48N: %.2f, %v", b, ok)
	}
}
