package raster

import (
	"bytes"
	"errors"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"slices"

	"golang.org/x/image/webp"
)

// Colour tile encodings, recorded as raster.encoding in the metadata of a
// tileset of colour (a scanned map, an RGB(A) image) rather than values:
// its tiles are images, served as stored.
const (
	// ColourPNG tiles are 8-bit RGBA PNGs, lossless; alpha 0 is nodata or
	// outside the source.
	ColourPNG = "png"
	// ColourJPEG tiles are baseline JPEGs where every pixel is opaque, and
	// RGBA PNGs where any is not (JPEG has no alpha), so that nodata stays
	// transparent.
	ColourJPEG = "jpeg"
	// ColourWebP tiles are lossy WebPs (quality 85) with an alpha channel,
	// encoded at ingest by GDAL's WEBP driver (libwebp): Go has no
	// maintained WebP encoder, only golang.org/x/image/webp's decoder.
	ColourWebP = "webp"
)

// ColourEncodings are the colour tile encodings ingest writes
// (--tile-format).
var ColourEncodings = []string{ColourPNG, ColourJPEG, ColourWebP}

// IsColour reports whether a raster tileset's encoding is a colour one.
func IsColour(encoding string) bool { return slices.Contains(ColourEncodings, encoding) }

// JPEGQuality is the quality colour JPEG tiles are written at: the value
// gdal2tiles and MapProxy use, where scanned linework keeps its edges.
const JPEGQuality = 85

// EncodeColour returns img as a stored colour tile of the given encoding
// (ColourPNG or ColourJPEG; WebP needs cgo, see ColourWebP).
func EncodeColour(img *image.NRGBA, encoding string) ([]byte, error) {
	switch encoding {
	case ColourPNG:
		var buf bytes.Buffer
		e := png.Encoder{CompressionLevel: png.DefaultCompression}
		err := e.Encode(&buf, img)
		return buf.Bytes(), err
	case ColourJPEG:
		if !img.Opaque() {
			return EncodeColour(img, ColourPNG)
		}
		var buf bytes.Buffer
		err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
		return buf.Bytes(), err
	}
	return nil, errors.New("raster: unknown colour encoding " + encoding)
}

// ColourType is the media type of a stored colour tile, from its first
// bytes: image/png, image/jpeg or image/webp; "" for anything else.
func ColourType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// DecodeColour reverses EncodeColour: the tile as non-premultiplied RGBA.
func DecodeColour(b []byte) (*image.NRGBA, error) {
	var img image.Image
	var err error
	switch ColourType(b) {
	case "image/png":
		img, err = png.Decode(bytes.NewReader(b))
	case "image/jpeg":
		img, err = jpeg.Decode(bytes.NewReader(b))
	case "image/webp":
		img, err = webp.Decode(bytes.NewReader(b))
	default:
		return nil, errors.New("not a PNG, JPEG or WebP colour tile")
	}
	if err != nil {
		return nil, err
	}
	if n, ok := img.(*image.NRGBA); ok {
		return n, nil
	}
	n := image.NewNRGBA(img.Bounds())
	draw.Draw(n, n.Bounds(), img, img.Bounds().Min, draw.Src)
	return n, nil
}

// ColourEmpty reports whether every pixel of img is transparent.
func ColourEmpty(img *image.NRGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 {
			return false
		}
	}
	return true
}

// HalveColour returns the tile one zoom up from its four children (north-
// west, north-east, south-west, south-east; nil for one without colour),
// each pixel the mean of a 2×2 block weighted by alpha: a transparent
// pixel (nodata, outside the source) adds nothing to the colour, so edges
// keep their colour rather than darkening, and the alpha is the block's
// mean. It returns nil when every child is nil.
func HalveColour(children [4]*image.NRGBA) *image.NRGBA {
	size := 0
	for _, c := range children {
		if c != nil {
			size = c.Rect.Dx()
		}
	}
	if size == 0 {
		return nil
	}
	out := image.NewNRGBA(image.Rect(0, 0, size, size))
	half := size / 2
	for q, c := range children {
		if c == nil {
			continue
		}
		ox, oy := q%2*half, q/2*half
		for j := range half {
			for i := range half {
				var r, g, b, a uint32
				for _, o := range [4]int{0, 4, c.Stride, c.Stride + 4} {
					p := c.Pix[(2*j)*c.Stride+(2*i)*4+o:]
					w := uint32(p[3])
					r, g, b, a = r+uint32(p[0])*w, g+uint32(p[1])*w, b+uint32(p[2])*w, a+w
				}
				if a == 0 {
					continue
				}
				d := out.Pix[(oy+j)*out.Stride+(ox+i)*4:]
				d[0], d[1], d[2], d[3] = uint8((r+a/2)/a), uint8((g+a/2)/a), uint8((b+a/2)/a), uint8((a+2)/4)
			}
		}
	}
	return out
}
