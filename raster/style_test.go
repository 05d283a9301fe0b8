package raster

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

// decodePNG round-trips img through PNG, as a client sees it.
func decodePNG(t *testing.T, img image.Image) *image.NRGBA {
	t.Helper()
	b, err := PNG(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := image.NewNRGBA(got.Bounds())
	for y := range got.Bounds().Dy() {
		for x := range got.Bounds().Dx() {
			n.Set(x, y, got.At(x, y))
		}
	}
	return n
}

func TestElevationEncodings(t *testing.T) {
	tile := NewTile(4, 1)
	values := []float32{-10000, -5.3, 0, 0.7, 1234.567, 8848.86, -432.1, 32000}
	copy(tile.Data, values)
	for _, c := range []struct {
		enc    string
		decode func(r, g, b uint8) float64
		tol    float64
	}{
		{Terrarium, func(r, g, b uint8) float64 { return float64(r)*256 + float64(g) + float64(b)/256 - 32768 }, 1.0 / 512},
		{TerrainRGB, func(r, g, b uint8) float64 { return -10000 + float64(int(r)<<16|int(g)<<8|int(b))*0.1 }, 0.05 + 1e-6},
	} {
		img := decodePNG(t, Draw(Source{Tile: tile, Window: Window{0, 0, 4}}, 4, Style{Encoding: c.enc}))
		for k, v := range values {
			p := img.NRGBAAt(k%4, k/4)
			if got := c.decode(p.R, p.G, p.B); math.Abs(got-float64(v)) > c.tol || p.A != 255 {
				t.Errorf("%s: %v decodes as %v (alpha %d)", c.enc, v, got, p.A)
			}
		}
		p := img.NRGBAAt(3, 3) // nodata: elevation 0, transparent
		if got := c.decode(p.R, p.G, p.B); got != 0 || p.A != 0 {
			t.Errorf("%s: nodata is %v alpha %d, want 0 alpha 0", c.enc, got, p.A)
		}
	}
}

func TestCustomRamp(t *testing.T) {
	r, err := ParseRamp("-600:0000ff,-300:ffffff,0:ff0000")
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[float64]color.NRGBA{
		-1000: {0, 0, 255, 255}, -600: {0, 0, 255, 255}, -450: {128, 128, 255, 255},
		-300: {255, 255, 255, 255}, -150: {255, 128, 128, 255}, 0: {255, 0, 0, 255}, 50: {255, 0, 0, 255},
	} {
		if got := r.Value(v); got != want {
			t.Errorf("%v: %v, want %v", v, got, want)
		}
	}
	tile := NewTile(2, 1)
	tile.Data[0], tile.Data[1] = -450, 0
	img := Draw(Source{Tile: tile, Window: Window{0, 0, 2}}, 2, Style{Ramp: r, Stretch: Linear(5, 6)})
	if img.NRGBAAt(0, 0) != (color.NRGBA{128, 128, 255, 255}) || img.NRGBAAt(1, 0) != (color.NRGBA{255, 0, 0, 255}) {
		t.Errorf("a custom ramp follows the stretch: %v %v", img.NRGBAAt(0, 0), img.NRGBAAt(1, 0))
	}
	for _, bad := range []string{"", "0:ff0000", "0:ff0000,0:00ff00", "5:ff0000,1:00ff00", "0:#ff0000,1:00ff00", "0:ff00,1:00ff00", "x:ff0000,1:00ff00", "NaN:ff0000,1:00ff00"} {
		if _, err := ParseRamp(bad); err == nil {
			t.Errorf("ParseRamp(%q) succeeded", bad)
		}
	}
}

func TestStretches(t *testing.T) {
	// 90 values at 0…1 and 10 at 9…10: an equalised stretch gives the
	// crowded low values most of the ramp.
	var v []float32
	for i := range 90 {
		v = append(v, float32(i)/90)
	}
	for i := range 10 {
		v = append(v, 9+float32(i)/9)
	}
	st := Compute(v)
	eq := Equalise(st)
	if got := eq.At(st.Min); got != 0 {
		t.Errorf("equalised min at %v", got)
	}
	if got := eq.At(st.Max); got != 1 {
		t.Errorf("equalised max at %v", got)
	}
	if got := eq.At(1); math.Abs(got-0.9) > 0.04 {
		t.Errorf("equalised 1 at %v, want 0.9 (90%% of the values are below it), to the histogram's resolution", got)
	}
	if got := Linear(st.Min, st.Max).At(1); math.Abs(got-0.1) > 0.001 {
		t.Errorf("linear 1 at %v, want 0.1", got)
	}
	if Linear(3, 3).At(4) != 0 || Equalise(nil).At(4) != 0 {
		t.Error("degenerate stretches are not 0")
	}
}

// plane returns a size×size tile of a plane dropping by tan(slope°) towards
// the compass direction az, true on the ground of tile z/x/y.
func plane(size, z, y int, az, slope float64) *Tile { return planeAt(size, z, y, 0, 0, az, slope) }

// planeAt is the tile ox, oy tiles from plane's, continuing its plane.
func planeAt(size, z, y, ox, oy int, az, slope float64) *Tile {
	t := NewTile(size, 1)
	mercRes := earthCircumference / float64(size<<z)
	g := math.Tan(slope * math.Pi / 180)
	dx, dy := -g*math.Sin(az*math.Pi/180), -g*math.Cos(az*math.Pi/180) // height per metre east, north
	for j := range size {
		py := (float64((y+oy)*size+j) + 0.5) / float64(size<<z)
		res := mercRes * math.Cos(math.Atan(math.Sinh(math.Pi*(1-2*py))))
		for i := range size {
			t.Data[j*size+i] = float32(1000 + dx*float64(ox*size+i)*res - dy*float64(oy*size+j)*res)
		}
	}
	return t
}

func TestHillshade(t *testing.T) {
	const size, z, y = 32, 10, 400
	grey := func(tile *Tile, h Hillshade, around func(dx, dy int) *Tile) *image.NRGBA {
		h.Mode = ShadeGrey
		return decodePNG(t, Draw(Source{Tile: tile, Window: Window{0, 0, size}, Z: z, Y: y, Around: around}, size, Style{Hillshade: &h}))
	}
	sun := Hillshade{Azimuth: 315, Altitude: 45, ZFactor: 1}
	// A plane facing the sun (dropping 45° to the north-west) is lit fully.
	facing := plane(size, z, y, 315, 45)
	img := grey(facing, sun, nil)
	if p := img.NRGBAAt(10, 10); p != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("a plane facing the sun is %v, want white", p)
	}
	// Other planes are darker, by the cosine of their normal's angle to the
	// sun: one facing away is black, flat ground sin(45°), a 20° slope
	// cos(25°), one facing across the light cos(60°).
	for _, c := range []struct {
		az, slope float64
		want      uint8
	}{{135, 45, 0}, {0, 0, 180}, {315, 20, 231}, {45, 45, 128}} {
		if p := grey(plane(size, z, y, c.az, c.slope), sun, nil).NRGBAAt(10, 10); p.R != c.want {
			t.Errorf("a plane dropping %v° towards %v° shades %d, want %d", c.slope, c.az, p.R, c.want)
		}
	}
	// The edge: with no neighbours the edge pixel is a flatter slope; with
	// the plane's neighbours it is the same as inside.
	if p := img.NRGBAAt(0, 5); p.R == 255 {
		t.Errorf("edge without neighbours is %v; expected the documented flat edge", p)
	}
	around := func(dx, dy int) *Tile { return planeAt(size, z, y, dx, dy, 315, 45) }
	img = grey(facing, sun, around)
	for _, p := range [][2]int{{0, 5}, {size - 1, 5}, {5, 0}, {5, size - 1}, {0, 0}} {
		if c := img.NRGBAAt(p[0], p[1]); c.R < 254 {
			t.Errorf("edge pixel %v with neighbours shades %d, want 255 as inside", p, c.R)
		}
	}
	// Multidirectional: flat ground is sin(altitude) whatever the lights.
	if p := grey(plane(size, z, y, 0, 0), Hillshade{Altitude: 45, ZFactor: 1, Multidirectional: true}, nil).NRGBAAt(10, 10); p.R != 180 {
		t.Errorf("multidirectional flat ground shades %d, want 180", p.R)
	}
	// A slope facing south-east is black to a north-west sun but lit from
	// the multidirectional lights that shine across it.
	if p := grey(plane(size, z, y, 135, 30), Hillshade{Altitude: 45, ZFactor: 1, Multidirectional: true}, nil).NRGBAAt(10, 10); p.R < 60 {
		t.Errorf("multidirectional slope away from 315° shades %d", p.R)
	}
	// Blend: the ramp's colour times the shade; nodata stays transparent.
	ramp := RampByName("viridis")
	facing.Data[3*size+3] = float32(math.NaN())
	h := Hillshade{Mode: ShadeBlend, Azimuth: 135, Altitude: 45, ZFactor: 1}
	flat := plane(size, z, y, 0, 0)
	flat.Data[3*size+3] = float32(math.NaN())
	img = decodePNG(t, Draw(Source{Tile: flat, Window: Window{0, 0, size}, Z: z, Y: y}, size, Style{Ramp: ramp, Stretch: Linear(0, 2000), Hillshade: &h}))
	c := ramp.Colour(0.5)
	k := math.Sin(math.Pi / 4)
	want := color.NRGBA{uint8(float64(c.R)*k + 0.5), uint8(float64(c.G)*k + 0.5), uint8(float64(c.B)*k + 0.5), 255}
	if p := img.NRGBAAt(10, 10); p != want {
		t.Errorf("blend on flat ground is %v, want %v (ramp %v × sin 45°)", p, want, c)
	}
	if img.NRGBAAt(3, 3).A != 0 {
		t.Error("nodata is not transparent under a hillshade")
	}
}

func TestHillshadeOverzoomSmooth(t *testing.T) {
	// Drawn a zoom deeper, the facing plane is still lit fully: the
	// elevations are interpolated, not blocks.
	const size = 32
	facing := plane(size, 10, 400, 315, 45)
	h := Hillshade{Mode: ShadeGrey, Azimuth: 315, Altitude: 45, ZFactor: 1}
	img := Draw(Source{Tile: facing, Window: Window{8, 8, size / 2}, Z: 11, Y: 800}, size, Style{Hillshade: &h})
	for _, x := range []int{5, 6, 7, 8} {
		if p := img.NRGBAAt(x, 9); p.R < 253 {
			t.Errorf("overzoomed pixel %d shades %d, want about 255", x, p.R)
		}
	}
}

// BenchmarkDrawBlend draws a 256 tile through a ramp blended with a
// hillshade, its neighbours read for the edges (the PNG encoding apart).
func BenchmarkDrawBlend(b *testing.B) {
	tile := plane(256, 8, 100, 200, 30)
	h := Hillshade{Mode: ShadeBlend, Azimuth: 315, Altitude: 45, ZFactor: 1}
	s := Style{Ramp: RampByName("terrain"), Stretch: Linear(0, 5000), Hillshade: &h}
	src := Source{Tile: tile, Window: Window{0, 0, 256}, Z: 8, Y: 100, Around: func(dx, dy int) *Tile { return tile }}
	for b.Loop() {
		Draw(src, 256, s)
	}
}

// BenchmarkPNG encodes a drawn 256 tile.
func BenchmarkPNG(b *testing.B) {
	img := Draw(Source{Tile: plane(256, 8, 100, 200, 30), Window: Window{0, 0, 256}}, 256, Style{Ramp: RampByName("terrain"), Stretch: Linear(0, 5000)})
	for b.Loop() {
		PNG(img)
	}
}
