package raster

import (
	"bytes"
	"image"
	"image/png"
)

// Window selects the part of a data tile to draw: the square of Span×Span
// pixels whose north-west corner is column X, row Y. The whole tile is
// {0, 0, Size}; a quarter of it, drawn over a whole output tile, is how a
// tile one zoom deeper than the data is made (each value drawn as a block).
type Window struct{ X, Y, Span int }

// Render draws band b of t through ramp, values from lo to hi spread over
// the ramp (values outside are clamped), into a size×size image; nodata is
// transparent. Pixels are sampled nearest-neighbour from w.
func Render(t *Tile, b int, w Window, size int, ramp *Ramp, lo, hi float64) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := 1 / (hi - lo)
	if hi == lo {
		scale = 0
	}
	plane := t.Data[b*t.Size*t.Size : (b+1)*t.Size*t.Size]
	for j := range size {
		row := (w.Y + j*w.Span/size) * t.Size
		out := img.Pix[j*img.Stride:]
		for i := range size {
			v := plane[row+w.X+i*w.Span/size]
			if v != v {
				continue // stays transparent
			}
			c := ramp.Colour((float64(v) - lo) * scale)
			o := out[4*i:]
			o[0], o[1], o[2], o[3] = c.R, c.G, c.B, 255
		}
	}
	return img
}

// PNG encodes img for the web, favouring speed over the last bytes.
func PNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	e := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := e.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
