package crs

import "math"

// helmert is the seven-parameter transformation from a local datum's
// geocentric coordinates to WGS 84's, in the Position Vector convention
// (EPSG method 9606, PROJ's +towgs84): translations in metres, rotations in
// arc-seconds, scale in parts per million. Three-parameter shifts (EPSG
// method 9603) leave the rotations and scale zero.
type helmert struct {
	tx, ty, tz, rx, ry, rz, ds float64
}

const arcsec = math.Pi / 180 / 3600

// toWGS84 applies the transformation.
func (h helmert) toWGS84(x, y, z float64) (float64, float64, float64) {
	m := 1 + h.ds*1e-6
	rx, ry, rz := h.rx*arcsec, h.ry*arcsec, h.rz*arcsec
	return h.tx + m*(x-rz*y+ry*z), h.ty + m*(rz*x+y-rx*z), h.tz + m*(-ry*x+rx*y+z)
}

// fromWGS84 is the inverse of toWGS84: the translation taken off, the
// scale divided out and the rotation undone by its transpose, as PROJ
// inverts +towgs84.
func (h helmert) fromWGS84(x, y, z float64) (float64, float64, float64) {
	m := 1 + h.ds*1e-6
	rx, ry, rz := h.rx*arcsec, h.ry*arcsec, h.rz*arcsec
	x, y, z = (x-h.tx)/m, (y-h.ty)/m, (z-h.tz)/m
	return x + rz*y - ry*z, -rz*x + y + rx*z, ry*x - rx*y + z
}

// geocentric turns lon, lat in degrees at height 0 on el into geocentric
// x, y, z in metres.
func (el ellipsoid) geocentric(lon, lat float64) (x, y, z float64) {
	e2 := el.e2()
	lam, phi := lon*math.Pi/180, lat*math.Pi/180
	sp, cp := math.Sincos(phi)
	n := el.a / math.Sqrt(1-e2*sp*sp)
	return n * cp * math.Cos(lam), n * cp * math.Sin(lam), n * (1 - e2) * sp
}

// geodetic is the inverse of geocentric, dropping the height: Bowring's
// formula, iterated, which converges to well below a millimetre near the
// surface in two or three rounds.
func (el ellipsoid) geodetic(x, y, z float64) (lon, lat float64) {
	e2 := el.e2()
	p := math.Hypot(x, y)
	phi := math.Atan2(z, p*(1-e2))
	for range 4 {
		sp := math.Sin(phi)
		n := el.a / math.Sqrt(1-e2*sp*sp)
		phi = math.Atan2(z+e2*n*sp, p)
	}
	return math.Atan2(y, x) * 180 / math.Pi, phi * 180 / math.Pi
}
