package crs

import "math"

// Hotine oblique Mercator (EPSG methods 9812, variant A, and 9815, variant
// B), as EPSG Guidance Note 7-2 gives it and PROJ's omerc computes it: the
// rectified skew orthomorphic grids of Malaysia and Brunei (RSO Borneo,
// BRSO, Peninsula RSO). No pure-Go library has it (wroge/wgs84 offers
// transverse Mercator, Lambert and Web Mercator only).
type omerc struct {
	a, e           float64
	ab, b, h       float64 // A×a/B, B and H (PROJ's E) of the guidance note
	lam0           float64 // longitude of the projection's origin, radians
	sinG0, cosG0   float64 // of γ0, the azimuth of the initial line at the equator
	sinRot, cosRot float64 // of γc, the rectified grid's angle
	u0             float64 // u of the projection's centre (variant B), metres
	x0, y0         float64
}

// newOmerc sets up the projection from its centre latC, lonC, the initial
// line's azimuth alpha and the grid's angle gamma (degrees), the scale kc
// on the initial line, and false easting and northing; variantB measures u
// from the centre rather than from the natural origin.
func newOmerc(el ellipsoid, latC, lonC, alpha, gamma, kc, x0, y0 float64, variantB bool) *omerc {
	rad := math.Pi / 180
	phi0, lamc, alphaC := latC*rad, lonC*rad, alpha*rad
	e2 := el.e2()
	e := math.Sqrt(e2)
	sp, cp := math.Sincos(phi0)
	con := 1 - e2*sp*sp
	b := math.Sqrt(1 + e2*cp*cp*cp*cp/(1-e2))
	a := b * kc * math.Sqrt(1-e2) / con
	d := b * math.Sqrt(1-e2) / (cp * math.Sqrt(con))
	f := 0.0
	if d*d > 1 {
		f = math.Sqrt(d*d - 1)
		if phi0 < 0 {
			f = -f
		}
	}
	f += d
	h := f * math.Pow(tsfn(phi0, e), b)
	g0 := math.Asin(math.Sin(alphaC) / d)
	o := &omerc{a: el.a, e: e, b: b, h: h, x0: x0, y0: y0}
	o.ab = a / b * el.a
	o.lam0 = lamc - math.Asin(0.5*(f-1/f)*math.Tan(g0))/b
	o.sinG0, o.cosG0 = math.Sincos(g0)
	o.sinRot, o.cosRot = math.Sincos(gamma * rad)
	if variantB {
		o.u0 = math.Abs(o.ab * math.Atan(math.Sqrt(d*d-1)/math.Cos(alphaC)))
		if phi0 < 0 {
			o.u0 = -o.u0
		}
	}
	return o
}

// tsfn is t of the guidance note: tan(π/4 − φ/2) over the ellipsoid's
// correction.
func tsfn(phi, e float64) float64 {
	s := e * math.Sin(phi)
	return math.Tan(math.Pi/4-phi/2) / math.Pow((1-s)/(1+s), e/2)
}

func (o *omerc) forward(lon, lat float64) (x, y float64) {
	rad := math.Pi / 180
	lam := math.Remainder(lon*rad-o.lam0, 2*math.Pi)
	phi := lat * rad
	q := o.h / math.Pow(tsfn(phi, o.e), o.b)
	s, t := (q-1/q)/2, (q+1/q)/2
	vl := math.Sin(o.b * lam)
	u := (s*o.sinG0 - vl*o.cosG0) / t
	v := o.ab / 2 * math.Log((1-u)/(1+u))
	us := o.ab*math.Atan2(s*o.cosG0+vl*o.sinG0, math.Cos(o.b*lam)) - o.u0
	return o.x0 + v*o.cosRot + us*o.sinRot, o.y0 + us*o.cosRot - v*o.sinRot
}

func (o *omerc) inverse(x, y float64) (lon, lat float64) {
	x, y = x-o.x0, y-o.y0
	v := x*o.cosRot - y*o.sinRot
	u := y*o.cosRot + x*o.sinRot + o.u0
	qp := math.Exp(-v / o.ab)
	sp, tp := (qp-1/qp)/2, (qp+1/qp)/2
	vp := math.Sin(u / o.ab)
	up := (vp*o.cosG0 + sp*o.sinG0) / tp
	if math.Abs(math.Abs(up)-1) < 1e-12 {
		return o.lam0 * 180 / math.Pi, math.Copysign(90, up)
	}
	ts := math.Pow(o.h/math.Sqrt((1+up)/(1-up)), 1/o.b)
	// φ from t by fixed-point iteration (PROJ's pj_phi2).
	phi := math.Pi/2 - 2*math.Atan(ts)
	for range 15 {
		s := o.e * math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(ts*math.Pow((1-s)/(1+s), o.e/2))
		if math.Abs(next-phi) < 1e-14 {
			phi = next
			break
		}
		phi = next
	}
	lam := -math.Atan2(sp*o.cosG0-vp*o.sinG0, math.Cos(u/o.ab)) / o.b
	return (lam + o.lam0) * 180 / math.Pi, phi * 180 / math.Pi
}
