package crs

import "math"

// Transverse Mercator by Krüger's series to the sixth order in the third
// flattening n (Karney, "Transverse Mercator with an accuracy of a few
// nanometers", J. Geodesy 85, 2011), the method of PROJ's etmerc, which PROJ
// uses for tmerc and utm: accurate to a few nanometres within 3,900 km of
// the central meridian. It is written here because the pure-Go libraries
// that offer it (github.com/wroge/wgs84) use Snyder's older series, which
// drifts by metres a few zones away from the central meridian and whose
// inverse has an integer-division slip (3/2 == 1 in the radius of
// curvature); the server builds with CGO_ENABLED=0, so PROJ itself is out.

// ellipsoid is a reference ellipsoid: semi-major axis a in metres and
// inverse flattening rf.
type ellipsoid struct{ a, rf float64 }

var (
	wgs84Ellipsoid = ellipsoid{6378137, 298.257223563}
	// everest1937 is Everest 1830 (1937 Adjustment), EPSG:7015.
	everest1937 = ellipsoid{6377276.345, 300.8017}
	// everest1967 is Everest 1830 (1967 Definition), EPSG:7016.
	everest1967 = ellipsoid{6377298.556, 300.8017}
	// everest1969 is Everest 1830 (RSO 1969), EPSG:7056.
	everest1969 = ellipsoid{6377295.664, 300.8017}
	grs80       = ellipsoid{6378137, 298.257222101}
)

func (e ellipsoid) f() float64  { return 1 / e.rf }
func (e ellipsoid) e2() float64 { f := e.f(); return f * (2 - f) }

// tmerc is a transverse Mercator projection on an ellipsoid, with its
// origin on the equator.
type tmerc struct {
	lon0        float64 // central meridian, radians
	k0          float64
	x0, y0      float64 // false easting and northing, metres
	e           float64 // eccentricity
	ka          float64 // k0 × the rectifying radius A
	alpha, beta [6]float64
}

func newTmerc(el ellipsoid, lon0Deg, k0, x0, y0 float64) *tmerc {
	f := el.f()
	n := f / (2 - f)
	n2 := n * n
	n3 := n2 * n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	t := &tmerc{lon0: lon0Deg * math.Pi / 180, k0: k0, x0: x0, y0: y0, e: math.Sqrt(el.e2())}
	t.ka = k0 * el.a / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	t.alpha = [6]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	t.beta = [6]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return t
}

// conformal is tan χ, the tangent of the conformal latitude, of tau = tan φ.
func (t *tmerc) conformal(tau float64) float64 {
	s := math.Sinh(t.e * math.Atanh(t.e*tau/math.Hypot(1, tau)))
	return tau*math.Hypot(1, s) - s*math.Hypot(1, tau)
}

// forward projects lon, lat in degrees on the projection's ellipsoid to
// easting, northing in metres.
func (t *tmerc) forward(lon, lat float64) (x, y float64) {
	lam := lon*math.Pi/180 - t.lon0
	lam = math.Remainder(lam, 2*math.Pi)
	phi := lat * math.Pi / 180
	taup := t.conformal(math.Tan(phi))
	cl := math.Cos(lam)
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(math.Sin(lam) / math.Hypot(taup, cl))
	xi, eta := xip, etap
	for j, a := range t.alpha {
		k := 2 * float64(j+1)
		xi += a * math.Sin(k*xip) * math.Cosh(k*etap)
		eta += a * math.Cos(k*xip) * math.Sinh(k*etap)
	}
	return t.x0 + t.ka*eta, t.y0 + t.ka*xi
}

// inverse is the inverse of forward.
func (t *tmerc) inverse(x, y float64) (lon, lat float64) {
	xi, eta := (y-t.y0)/t.ka, (x-t.x0)/t.ka
	xip, etap := xi, eta
	for j, b := range t.beta {
		k := 2 * float64(j+1)
		xip -= b * math.Sin(k*xi) * math.Cosh(k*eta)
		etap -= b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	se, cx := math.Sinh(etap), math.Cos(xip)
	taup := math.Sin(xip) / math.Hypot(se, cx)
	lam := math.Atan2(se, cx)
	// Newton's method for tan φ from tan χ (Karney 2011, eqs. 19–21).
	e2m := 1 - t.e*t.e
	tau := taup
	for range 8 {
		tp := t.conformal(tau)
		d := (taup - tp) / math.Hypot(1, tp) * (1 + e2m*tau*tau) / (e2m * math.Hypot(1, tau))
		tau += d
		if math.Abs(d) < 1e-14*max(1, math.Abs(tau)) {
			break
		}
	}
	return (lam + t.lon0) * 180 / math.Pi, math.Atan(tau) * 180 / math.Pi
}
