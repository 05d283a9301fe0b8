package raster

import (
	"math"
	"sync"
)

// The hillshade modes.
const (
	// ShadeGrey draws the shade alone, in grey.
	ShadeGrey = "grey"
	// ShadeBlend multiplies the ramp's colour by the shade.
	ShadeBlend = "blend"
)

// earthCircumference is the width of the Web Mercator plane in metres.
const earthCircumference = 2 * math.Pi * 6378137

// Hillshade lights the band as a surface, as gdaldem hillshade does (Horn's
// 3×3 slope), the shade being the cosine of the angle between the surface's
// normal and the sun, 0 (facing away) to 1 (facing the sun).
type Hillshade struct {
	Mode     string  // ShadeGrey or ShadeBlend
	Azimuth  float64 // degrees clockwise from north that the light comes from
	Altitude float64 // degrees of the sun above the horizon
	// ZFactor multiplies the values to make them metres of height (1000
	// for kilometres) and exaggerates them beyond that.
	ZFactor float64
	// Multidirectional lights from 225°, 270°, 315° and 360° at once,
	// each weighted by how across the slope it shines, after Mark (1992),
	// as gdaldem -multidirectional; Azimuth is then not used.
	Multidirectional bool
}

// multiAzimuths are the lights of a multidirectional hillshade.
var multiAzimuths = [4]float64{225, 270, 315, 360}

// shade returns the shade of each of the size×size pixels drawn from src,
// NaN where the centre elevation is nodata. The ground pixel size is the
// drawn tile's Web Mercator pixel times the cosine of each row's latitude.
func (h *Hillshade) shade(src Source, size, band int) []float32 {
	e := elevations(src, size, band)
	defer float64s.Put(&e)
	out := make([]float32, size*size)
	type light struct{ x, y, z float64 }
	sun := func(az float64) light {
		a, b := az*math.Pi/180, h.Altitude*math.Pi/180
		return light{math.Sin(a) * math.Cos(b), math.Cos(a) * math.Cos(b), math.Sin(b)}
	}
	one := sun(h.Azimuth)
	var multi [4]light
	for k, az := range multiAzimuths {
		multi[k] = sun(az)
	}
	stride := size + 2
	mercRes := earthCircumference / float64(size<<src.Z)
	for j := range size {
		py := (float64(src.Y*size+j) + 0.5) / float64(size<<src.Z)
		lat := math.Atan(math.Sinh(math.Pi * (1 - 2*py)))
		k := h.ZFactor / (8 * mercRes * math.Cos(lat))
		for i := range size {
			at := (j+1)*stride + i + 1
			c := e[at]
			if c != c {
				out[j*size+i] = float32(math.NaN())
				continue
			}
			v := func(d int) float64 {
				if x := e[at+d]; x == x {
					return x
				}
				return c
			}
			nw, n, ne := v(-stride-1), v(-stride), v(-stride+1)
			w, east := v(-1), v(1)
			sw, s, se := v(stride-1), v(stride), v(stride+1)
			p := ((ne + 2*east + se) - (nw + 2*w + sw)) * k // dz/dx, eastward
			q := ((nw + 2*n + ne) - (sw + 2*s + se)) * k    // dz/dy, northward
			norm := 1 / math.Sqrt(p*p+q*q+1)
			nx, ny, nz := -p*norm, -q*norm, norm
			dot := func(l light) float64 { return max(0, nx*l.x+ny*l.y+nz*l.z) }
			var sh float64
			if h.Multidirectional {
				aspect := math.Atan2(nx, ny) // downslope, clockwise from north
				for k, az := range multiAzimuths {
					s := math.Sin(aspect - az*math.Pi/180)
					sh += s * s * dot(multi[k])
				}
				sh /= 2 // the four weights sum to 2
			} else {
				sh = dot(one)
			}
			out[j*size+i] = float32(min(sh, 1))
		}
	}
	return out
}

// elevations returns the band's values at the centres of the size×size
// pixels drawn from src and of a one-pixel ring around them, (size+2)²
// row by row, interpolated bilinearly from the data tile and, past its
// edges, from the tiles Around it (NaN where all four are nodata).
func elevations(src Source, size, band int) []float64 {
	t, w := src.Tile, src.Window
	n := t.Size
	var around [3][3]*Tile
	var asked [3][3]bool
	get := func(c, r int) float64 {
		dx, dy := floorDiv(c, n), floorDiv(r, n)
		tile := t
		if dx != 0 || dy != 0 {
			if !asked[dy+1][dx+1] {
				asked[dy+1][dx+1] = true
				if src.Around != nil {
					around[dy+1][dx+1] = src.Around(dx, dy)
				}
			}
			if a := around[dy+1][dx+1]; a != nil {
				tile, c, r = a, c-dx*n, r-dy*n
			} else {
				c, r = min(max(c, 0), n-1), min(max(r, 0), n-1)
			}
		}
		return float64(tile.At(band, c, r))
	}
	stride := size + 2
	e := getFloat64s(stride * stride)
	f := float64(w.Span) / float64(size)
	for j := -1; j <= size; j++ {
		sy := float64(w.Y) + (float64(j)+0.5)*f - 0.5
		r := int(math.Floor(sy))
		fy := sy - float64(r)
		for i := -1; i <= size; i++ {
			sx := float64(w.X) + (float64(i)+0.5)*f - 0.5
			c := int(math.Floor(sx))
			fx := sx - float64(c)
			at := (j+1)*stride + i + 1
			if fx == 0 && fy == 0 {
				e[at] = get(c, r)
				continue
			}
			var sum, wt float64
			for _, p := range [4]struct {
				dc, dr int
				w      float64
			}{{0, 0, (1 - fx) * (1 - fy)}, {1, 0, fx * (1 - fy)}, {0, 1, (1 - fx) * fy}, {1, 1, fx * fy}} {
				if p.w == 0 {
					continue
				}
				if v := get(c+p.dc, r+p.dr); v == v {
					sum += v * p.w
					wt += p.w
				}
			}
			e[at] = math.NaN()
			if wt > 0 {
				e[at] = sum / wt
			}
		}
	}
	return e
}

func floorDiv(a, b int) int {
	if a < 0 {
		return -((-a + b - 1) / b)
	}
	return a / b
}

// float64s keeps the elevation buffers of hillshades between renders
// (half a megabyte each for a 256 tile), as *[]float64.
var float64s sync.Pool

// getFloat64s returns a buffer of n values from float64s, or a new one;
// its values are left as they were.
func getFloat64s(n int) []float64 {
	if p, ok := float64s.Get().(*[]float64); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float64, n)
}
