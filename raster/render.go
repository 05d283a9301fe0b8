package raster

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"
)

// Window selects the part of a data tile to draw: the square of Span×Span
// pixels whose north-west corner is column X, row Y. The whole tile is
// {0, 0, Size}; a quarter of it, drawn over a whole output tile, is how a
// tile one zoom deeper than the data is made (each value drawn as a block).
type Window struct{ X, Y, Span int }

// Source is what Draw reads: a data tile, the window of it to draw, and
// where the drawn tile is.
type Source struct {
	Tile   *Tile
	Window Window
	// Z and Y are the zoom and row of the tile drawn (not of the data tile,
	// when it is drawn deeper): they give a hillshade its ground pixel size.
	Z, Y int
	// Around returns the data tile dx, dy (each -1, 0 or 1) tiles from Tile,
	// or nil where there is none; a hillshade reads their edge pixels, so
	// that tiles join without a seam. A nil Around, or a nil tile, repeats
	// Tile's edge pixels instead (a flat edge: a one-pixel line of the
	// shade of flat ground, on slopes, along that tile edge).
	Around func(dx, dy int) *Tile
}

// Style says how Draw turns values into pixels.
type Style struct {
	Band int // from 0
	// Ramp colours the values: a bundled ramp through Stretch, or a custom
	// ramp (Ramp.Custom) directly by value.
	Ramp    *Ramp
	Stretch Stretch
	// Hillshade, when set, shades the band as a surface lit by the sun.
	Hillshade *Hillshade
	// Encoding, when set (Terrarium or TerrainRGB), writes the band's
	// values as elevations in the pixels' colours instead, for MapLibre's
	// raster-dem; Ramp, Stretch and Hillshade are then ignored.
	Encoding string
	// ZFactor multiplies the values an Encoding writes (1000 turns km into
	// metres; a small factor fits depths past the encoding's range); 0 is
	// taken as 1.
	ZFactor float64
}

// Render draws band b of t through ramp, values from lo to hi spread over
// the ramp (values outside are clamped), into a size×size image; nodata is
// transparent. Pixels are sampled nearest-neighbour from w.
func Render(t *Tile, b int, w Window, size int, ramp *Ramp, lo, hi float64) *image.NRGBA {
	return Draw(Source{Tile: t, Window: w}, size, Style{Band: b, Ramp: ramp, Stretch: Linear(lo, hi)})
}

// Draw draws src into a size×size image in style s. Values are sampled
// nearest-neighbour from the window (so a tile drawn deeper than the data
// shows each value as a block), except a hillshade's elevations, which are
// interpolated bilinearly so that slopes stay smooth. Nodata is
// transparent, and so are pixels whose shade cannot be computed; an
// Encoding writes nodata as elevation 0 with alpha 0.
func Draw(src Source, size int, s Style) *image.NRGBA {
	t, w := src.Tile, src.Window
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	plane := t.Data[s.Band*t.Size*t.Size : (s.Band+1)*t.Size*t.Size]
	var shade []float32
	if s.Hillshade != nil && s.Encoding == "" {
		shade = s.Hillshade.shade(src, size, s.Band)
	}
	encode := encoders[s.Encoding]
	zf := s.ZFactor
	if zf == 0 {
		zf = 1
	}
	for j := range size {
		row := (w.Y + j*w.Span/size) * t.Size
		out := img.Pix[j*img.Stride:]
		for i := range size {
			v := plane[row+w.X+i*w.Span/size]
			o := out[4*i : 4*i+4 : 4*i+4]
			if encode != nil {
				if v != v {
					o[0], o[1], o[2] = encode(0)
					continue // alpha 0
				}
				o[0], o[1], o[2] = encode(float64(v) * zf)
				o[3] = 255
				continue
			}
			if v != v {
				continue // stays transparent
			}
			if shade != nil {
				sh := shade[j*size+i]
				if sh != sh {
					continue
				}
				if s.Hillshade.Mode == ShadeGrey {
					g := uint8(sh*255 + 0.5)
					o[0], o[1], o[2], o[3] = g, g, g, 255
					continue
				}
				c := s.colour(float64(v))
				o[0], o[1], o[2], o[3] = uint8(float32(c.R)*sh+0.5), uint8(float32(c.G)*sh+0.5), uint8(float32(c.B)*sh+0.5), 255
				continue
			}
			c := s.colour(float64(v))
			o[0], o[1], o[2], o[3] = c.R, c.G, c.B, 255
		}
	}
	return img
}

// colour is the ramp's colour for the value v.
func (s *Style) colour(v float64) color.NRGBA {
	if s.Ramp.Custom() {
		return s.Ramp.Value(v)
	}
	return s.Ramp.Colour(s.Stretch.At(v))
}

// The elevation encodings of MapLibre's raster-dem.
const (
	// Terrarium (Mapzen): elevation = R×256 + G + B/256 − 32768, in steps
	// of 1/256 from −32768 to 32767.996.
	Terrarium = "terrarium"
	// TerrainRGB (Mapbox): elevation = −10000 + (R×65536 + G×256 + B)×0.1,
	// in steps of 0.1 from −10000 to 1667721.5.
	TerrainRGB = "terrain-rgb"
)

// Encodings lists the elevation encodings Style.Encoding takes.
var Encodings = []string{Terrarium, TerrainRGB}

// encoders write an elevation, rounded to the encoding's step and clamped
// to its range, as red, green and blue.
var encoders = map[string]func(float64) (uint8, uint8, uint8){
	Terrarium:  func(v float64) (uint8, uint8, uint8) { return rgb24((v + 32768) * 256) },
	TerrainRGB: func(v float64) (uint8, uint8, uint8) { return rgb24((v + 10000) * 10) },
}

func rgb24(x float64) (uint8, uint8, uint8) {
	n := int(min(max(math.Round(x), 0), 1<<24-1))
	return uint8(n >> 16), uint8(n >> 8), uint8(n)
}

// pngBuffers keeps the PNG encoder's compressor and row buffers between
// encodings, which would otherwise allocate a megabyte each time.
type pngBuffers struct{ sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.Pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.Pool.Put(b) }

var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

// PNG encodes img for the web, favouring speed over the last bytes.
func PNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
