// Package crs projects WGS 84 longitude, latitude to the projected
// coordinate reference systems of South-East Asia that the WMS offers
// beside EPSG:4326 and EPSG:3857, and back, in pure Go (the server builds
// with CGO_ENABLED=0, so PROJ is out): the WGS 84 UTM zones 46N–52N and
// 47S–54S, DGN95's UTM zones and Indonesia TM-3 zones (DGN95 is WGS 84 to
// the metre), Indian 1975 / UTM 47N and 48N through EPSG's published
// Helmert shift for onshore Thailand, all transverse Mercator; and the
// Hotine oblique Mercator grids of Malaysia and Brunei: Timbalai 1948 /
// RSO Borneo in metres, British chains and British feet, and RSO Sarawak
// LSD, Kertau (RSO) / RSO Malaya in chains and metres, GDM2000 / East
// Malaysia BRSO and Peninsula RSO, GDBD2009 / Brunei BRSO; and Timbalai
// 1948 / UTM 49N and 50N. Timbalai 1948 and Kertau are shifted through
// EPSG's Helmert transformations for East and West Malaysia. Every one has
// easting, northing axes, in metres but for the chains and feet of the
// older Malaysian grids.
package crs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// CRS is a projected CRS: x is the easting and y the northing, in the
// CRS's unit (Unit).
type CRS struct {
	// Code is the CRS's name in WMS, "EPSG:32650".
	Code string
	// Name is EPSG's name of it, "WGS 84 / UTM zone 50N".
	Name string
	// Unit is EPSG's name of the unit of x and y: "metre", or "British
	// chain (Sears 1922)" or "British foot (Sears 1922)".
	Unit string
	// Area is the lon/lat box it is meant for (EPSG's area of use,
	// rounded out): capabilities give a layer's extent in the CRSs whose
	// area it meets.
	Area orb.Bound
	proj projection
	// datum is the shift from the CRS's datum to WGS 84; nil for WGS 84
	// and the datums equal to it at the metre.
	datum *helmert
	el    ellipsoid
}

// Forward projects a WGS 84 lon/lat point to the CRS's x, y.
func (c *CRS) Forward(p orb.Point) orb.Point {
	lon, lat := p[0], p[1]
	if c.datum != nil {
		x, y, z := wgs84Ellipsoid.geocentric(lon, lat)
		lon, lat = c.el.geodetic(c.datum.fromWGS84(x, y, z))
	}
	x, y := c.proj.forward(lon, lat)
	return orb.Point{x, y}
}

// Inverse returns the WGS 84 lon/lat point at the CRS's x, y.
func (c *CRS) Inverse(p orb.Point) orb.Point {
	lon, lat := c.proj.inverse(p[0], p[1])
	if c.datum != nil {
		x, y, z := c.el.geocentric(lon, lat)
		lon, lat = wgs84Ellipsoid.geodetic(c.datum.toWGS84(x, y, z))
	}
	return orb.Point{lon, lat}
}

// Reach is how far beyond its area of use, in degrees of longitude and
// latitude, Bounds follows a box: a unit that crosses the area's edge is
// drawn whole in the CRS, and clients that draw a layer no further than its
// box in the CRS (QGIS) must be told of all of it. Six degrees is a UTM
// zone's width, well within the few thousand kilometres where the
// projections here keep their millimetre.
const Reach = 6.0

// Bounds is the box, in the CRS, of the part of lon/lat box b within
// Reach degrees of the CRS's area; ok is false when b does not meet the
// area itself. The box's edges are followed at a hundred points each, so
// that their curvature in the projection is held.
func (c *CRS) Bounds(b orb.Bound) (out orb.Bound, ok bool) {
	a := c.Area
	if a.Min[0] > b.Max[0] || a.Max[0] < b.Min[0] || a.Min[1] > b.Max[1] || a.Max[1] < b.Min[1] {
		return orb.Bound{}, false
	}
	in := orb.Bound{
		Min: orb.Point{max(a.Min[0]-Reach, b.Min[0]), max(a.Min[1]-Reach, b.Min[1], -85)},
		Max: orb.Point{min(a.Max[0]+Reach, b.Max[0]), min(a.Max[1]+Reach, b.Max[1], 85)},
	}
	const steps = 100
	first := true
	for i := range steps + 1 {
		t := float64(i) / steps
		x := in.Min[0] + t*(in.Max[0]-in.Min[0])
		y := in.Min[1] + t*(in.Max[1]-in.Min[1])
		for _, p := range []orb.Point{{x, in.Min[1]}, {x, in.Max[1]}, {in.Min[0], y}, {in.Max[0], y}} {
			q := c.Forward(p)
			if first {
				out, first = orb.Bound{Min: q, Max: q}, false
			} else {
				out = out.Extend(q)
			}
		}
	}
	return out, true
}

// The areas the CRSs are meant for, from EPSG's areas of use, rounded out.
var (
	indonesia = orb.Bound{Min: orb.Point{92, -13}, Max: orb.Point{142, 8}}
	thailand  = orb.Bound{Min: orb.Point{97.3, 5.6}, Max: orb.Point{105.7, 20.5}}
	borneo    = orb.Bound{Min: orb.Point{109.3, 0.8}, Max: orb.Point{119.7, 7.7}}
	sarawak   = orb.Bound{Min: orb.Point{109.5, 0.8}, Max: orb.Point{115.7, 5.1}}
	brunei    = orb.Bound{Min: orb.Point{112.3, 4}, Max: orb.Point{115.4, 6.4}}
	peninsula = orb.Bound{Min: orb.Point{98, 1.1}, Max: orb.Point{105.9, 7.9}}
	malaya    = orb.Bound{Min: orb.Point{99.5, 1.2}, Max: orb.Point{104.6, 6.8}}
)

// The units of the older Malaysian grids, in metres: EPSG:9042, 9041 and
// 9301.
const (
	britishChainSears1922          = 20.1167651215526
	britishFootSears1922           = 0.304799471538676
	britishChainSears1922Truncated = 20.116756
)

// unitNames are EPSG's names of the units, by their length in metres.
var unitNames = map[float64]string{
	britishChainSears1922: "British chain (Sears 1922)", britishFootSears1922: "British foot (Sears 1922)",
	britishChainSears1922Truncated: "British chain (Sears 1922 truncated)",
}

// inUnit is projection p with x, y in a unit of metres metres: PROJ's
// to_meter, applied after the false easting and northing, which are then
// given in metres too.
type inUnit struct {
	p      projection
	metres float64
}

func (u inUnit) forward(lon, lat float64) (x, y float64) {
	x, y = u.p.forward(lon, lat)
	return x / u.metres, y / u.metres
}

func (u inUnit) inverse(x, y float64) (lon, lat float64) {
	return u.p.inverse(x*u.metres, y*u.metres)
}

// indian1975 is EPSG:1812, Indian 1975 to WGS 84 (4): onshore Thailand,
// accurate to 3 m.
var indian1975 = &helmert{293, 836, 318, 0.5, 1.6, -2.8, 2.1}

// kertauRSO is EPSG:1158, Kertau 1968 to WGS 84 (1), 15 m, after
// EPSG:15896, the null shift from Kertau (RSO) to Kertau 1968, as PROJ
// chains them: West Malaysia.
var kertauRSO = &helmert{tx: -11, ty: 851, tz: 5}

// timbalai1948 is EPSG:1228, Timbalai 1948 to WGS 84 (1): Brunei and East
// Malaysia, PROJ's choice there but for onshore Brunei.
var timbalai1948 = &helmert{tx: -679, ty: 669, tz: -48}

var (
	all    []*CRS
	byCode = map[string]*CRS{}
)

// projection is a map projection on the CRS's own ellipsoid, lon/lat in
// degrees to x, y in metres and back.
type projection interface {
	forward(lon, lat float64) (x, y float64)
	inverse(x, y float64) (lon, lat float64)
}

func add(code int, name string, area orb.Bound, el ellipsoid, datum *helmert, p projection) {
	unit := "metre"
	if u, ok := p.(inUnit); ok {
		unit = unitNames[u.metres]
	}
	c := &CRS{Code: fmt.Sprintf("EPSG:%d", code), Name: name, Unit: unit, Area: area, proj: p, datum: datum, el: el}
	all = append(all, c)
	byCode[c.Code] = c
}

// utm adds the UTM zone's CRS, its area the zone's six degrees of
// longitude in hemisphere's part of area.
func utm(code int, datum string, zone int, south bool, area orb.Bound, el ellipsoid, h *helmert) {
	lon0 := float64(6*zone - 183)
	hemi, y0 := "N", 0.0
	a := orb.Bound{Min: orb.Point{max(area.Min[0], lon0-3), max(area.Min[1], 0)}, Max: orb.Point{min(area.Max[0], lon0+3), area.Max[1]}}
	if south {
		hemi, y0 = "S", 10_000_000
		a.Min[1], a.Max[1] = area.Min[1], min(area.Max[1], 0)
	}
	add(code, fmt.Sprintf("%s / UTM zone %d%s", datum, zone, hemi), a, el, h, newTmerc(el, lon0, 0.9996, 500_000, y0))
}

func init() {
	world := orb.Bound{Min: orb.Point{-180, -80}, Max: orb.Point{180, 84}}
	for z := 46; z <= 52; z++ {
		utm(32600+z, "WGS 84", z, false, world, wgs84Ellipsoid, nil)
	}
	for z := 47; z <= 54; z++ {
		utm(32700+z, "WGS 84", z, true, world, wgs84Ellipsoid, nil)
	}
	utm(24047, "Indian 1975", 47, false, thailand, everest1937, indian1975)
	utm(24048, "Indian 1975", 48, false, thailand, everest1937, indian1975)
	for z := 46; z <= 52; z++ {
		utm(23866+z-46, "DGN95", z, false, indonesia, wgs84Ellipsoid, nil)
	}
	for z := 47; z <= 54; z++ {
		utm(23877+z-47, "DGN95", z, true, indonesia, wgs84Ellipsoid, nil)
	}
	// Indonesia TM-3: zones three degrees wide, 46.2 centred on 94.5 E
	// to 54.1 on 139.5 E.
	for i := range 16 {
		lon0 := 94.5 + 3*float64(i)
		zone := fmt.Sprintf("%d.%d", 46+(i+1)/2, 1+(i+1)%2)
		area := orb.Bound{Min: orb.Point{lon0 - 1.5, indonesia.Min[1]}, Max: orb.Point{lon0 + 1.5, indonesia.Max[1]}}
		add(23830+i, "DGN95 / Indonesia TM-3 zone "+zone, area, wgs84Ellipsoid, nil, newTmerc(wgs84Ellipsoid, lon0, 0.9999, 200_000, 1_500_000))
	}
	// The rectified skew orthomorphic grids of Malaysia and Brunei. GDM2000
	// and GDBD2009 are WGS 84 to the metre, as PROJ takes them.
	utm(29849, "Timbalai 1948", 49, false, borneo, everest1967, timbalai1948)
	utm(29850, "Timbalai 1948", 50, false, borneo, everest1967, timbalai1948)
	// RSO Borneo: one grid in three units, its false easting and northing
	// given in each unit (so the metre grid's differ from the others' by
	// a few millimetres).
	rsoBorneo := func(x0, y0 float64) *omerc {
		return newOmerc(everest1967, 4, 115, 53.3158204722222, 53.1301023611111, 0.99984, x0, y0, true)
	}
	add(29871, "Timbalai 1948 / RSO Borneo (ch)", borneo, everest1967, timbalai1948,
		inUnit{rsoBorneo(29352.4763*britishChainSears1922, 22014.3572*britishChainSears1922), britishChainSears1922})
	add(29872, "Timbalai 1948 / RSO Borneo (ftSe)", borneo, everest1967, timbalai1948,
		inUnit{rsoBorneo(1937263.44*britishFootSears1922, 1452947.58*britishFootSears1922), britishFootSears1922})
	add(29873, "Timbalai 1948 / RSO Borneo (m)", borneo, everest1967, timbalai1948, rsoBorneo(590476.87, 442857.65))
	add(29874, "Timbalai 1948 / RSO Sarawak LSD (m)", sarawak, everest1967, timbalai1948,
		newOmerc(everest1967, 4, 115, 53.3158204722222, 53.1301023611111, 0.99984, 2_000_000, 5_000_000, false))
	add(3376, "GDM2000 / East Malaysia BRSO", borneo, grs80, nil,
		newOmerc(grs80, 4, 115, 53.31580995, 53.1301023611111, 0.99984, 0, 0, false))
	add(5247, "GDBD2009 / Brunei BRSO", brunei, grs80, nil,
		newOmerc(grs80, 4, 115, 53.31580995, 53.1301023611111, 0.99984, 0, 0, false))
	add(3375, "GDM2000 / Peninsula RSO", peninsula, grs80, nil,
		newOmerc(grs80, 4, 102.25, 323.025796466667, 323.130102361111, 0.99984, 804671, 0, false))
	// RSO Malaya on Kertau (RSO), in chains and in metres.
	rsoMalaya := func(x0 float64) *omerc {
		return newOmerc(everest1969, 4, 102.25, 323.0257905, 323.130102361111, 0.99984, x0, 0, false)
	}
	add(3167, "Kertau (RSO) / RSO Malaya (ch)", malaya, everest1969, kertauRSO,
		inUnit{rsoMalaya(40000 * britishChainSears1922Truncated), britishChainSears1922Truncated})
	add(3168, "Kertau (RSO) / RSO Malaya (m)", malaya, everest1969, kertauRSO, rsoMalaya(804670.24))
}

// Lookup returns the CRS named code ("EPSG:32650", any case; also the OGC
// URN and URL forms of an EPSG code), or false when this package does not
// know it.
func Lookup(code string) (*CRS, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	for _, prefix := range []string{"URN:OGC:DEF:CRS:EPSG::", "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/"} {
		if rest, ok := strings.CutPrefix(c, prefix); ok {
			c = "EPSG:" + rest
		}
	}
	crs, ok := byCode[c]
	return crs, ok
}

// All returns every CRS this package knows, in a fixed order (WGS 84 UTM
// north, south, then the national ones).
func All() []*CRS { return slices.Clone(all) }
