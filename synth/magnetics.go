package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
)

// MagneticsPRJ is the .prj that goes beside a synthetic magnetics grid: its
// CRS (CRS, Indian 1975 / UTM zone 47N) as ESRI WKT, which GDAL's AAIGrid
// driver reads.
const MagneticsPRJ = `PROJCS["Indian_1975_UTM_Zone_47N",GEOGCS["GCS_Indian_1975",DATUM["D_Indian_1975",SPHEROID["Everest_Adjustment_1937",6377276.345,300.8017]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",99.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]` + "\n"

// MagneticsNoData is the grid's NODATA_value: cells outside the survey's
// flight lines.
const MagneticsNoData = -99999

// MagneticsOptions sizes a synthetic magnetic-anomaly grid.
type MagneticsOptions struct {
	Cols, Rows int     // cells; 0 means 600 by 450
	Cell       float64 // cell size in metres; 0 means 200
	Seed       uint64
}

// WriteMagnetics writes a SYNTHETIC total magnetic intensity anomaly grid
// (nT, reduced to the main field) as an ESRI ASCII grid (.asc, which GDAL
// reads as AAIGrid; write MagneticsPRJ beside it as the .prj). Its lower
// left corner is at (400000, 1800000) in CRS metres. The field sums a
// regional gradient, buried bodies (each a positive lobe with a weaker
// negative lobe to its north, as at the low inclination of the region) and
// a few linear dykes; cells outside an irregular survey outline are
// MagneticsNoData. Values have two decimals. The same options give a
// byte-identical file.
func WriteMagnetics(w io.Writer, o MagneticsOptions) error {
	if o.Cols == 0 {
		o.Cols = 600
	}
	if o.Rows == 0 {
		o.Rows = 450
	}
	if o.Cell == 0 {
		o.Cell = 200
	}
	if o.Cols < 2 || o.Rows < 2 || o.Cell <= 0 {
		return fmt.Errorf("synth: a magnetics grid needs at least 2×2 cells of a positive size")
	}
	const x0, y0 = 400000, 1800000
	rng := rand.New(rand.NewPCG(o.Seed, 0x6d61676e))
	width, height := float64(o.Cols)*o.Cell, float64(o.Rows)*o.Cell
	type body struct{ x, y, depth, amp float64 }
	bodies := make([]body, 40)
	for i := range bodies {
		bodies[i] = body{rng.Float64() * width, rng.Float64() * height, 800 + rng.Float64()*6000, (rng.Float64()*2 - 0.6) * 400}
	}
	type dyke struct{ x, y, dx, dy, half, amp float64 }
	dykes := make([]dyke, 5)
	for i := range dykes {
		a := rng.Float64() * math.Pi
		dykes[i] = dyke{rng.Float64() * width, rng.Float64() * height, math.Cos(a), math.Sin(a), 150 + rng.Float64()*300, 50 + rng.Float64()*150}
	}
	// The outline: an ellipse whose radius wobbles with the angle.
	var wobble [4]float64
	for i := range wobble {
		wobble[i] = rng.Float64() * 2 * math.Pi
	}
	gx, gy := rng.Float64()*0.002, rng.Float64()*0.002 // nT per metre
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "ncols %d\nnrows %d\nxllcorner %d\nyllcorner %d\ncellsize %g\nNODATA_value %d\n", o.Cols, o.Rows, x0, y0, o.Cell, MagneticsNoData)
	for j := range o.Rows {
		y := height - (float64(j)+0.5)*o.Cell
		for i := range o.Cols {
			x := (float64(i) + 0.5) * o.Cell
			if i > 0 {
				bw.WriteByte(' ')
			}
			u, v := 2*x/width-1, 2*y/height-1
			a := math.Atan2(v, u)
			r := 0.92 + 0.05*math.Sin(3*a+wobble[0]) + 0.03*math.Sin(7*a+wobble[1])
			if u*u+v*v > r*r {
				fmt.Fprint(bw, MagneticsNoData)
				continue
			}
			f := gx*x - gy*y
			for _, b := range bodies {
				dx, dy := x-b.x, y-b.y
				d2 := b.depth * b.depth
				f += b.amp * (math.Exp(-(dx*dx+dy*dy)/(2*d2)) - 0.5*math.Exp(-(dx*dx+(dy-1.5*b.depth)*(dy-1.5*b.depth))/(2*d2)))
			}
			for _, d := range dykes {
				off := (x-d.x)*d.dy - (y-d.y)*d.dx // distance across the dyke
				f += d.amp * math.Exp(-off*off/(2*d.half*d.half))
			}
			bw.WriteString(fmt.Sprintf("%.2f", f))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
