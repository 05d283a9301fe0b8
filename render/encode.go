package render

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
)

// jpegQuality is the JPEG quality of maps: high enough that unit colours
// stay within a few levels of the style's.
const jpegQuality = 90

// PNG encodes img as a PNG with its alpha (RGB when it is opaque), at the
// fastest compression: maps are drawn per request, and speed matters more
// than a few per cent of bytes. A canvas's image goes through encodePNG.
func PNG(img image.Image) ([]byte, error) {
	if rgba, ok := img.(*image.RGBA); ok {
		return encodePNG(rgba)
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// JPEG encodes img as a JPEG over the background bg (JPEG has no alpha).
func JPEG(img image.Image, bg color.Color) ([]byte, error) {
	flat := image.NewRGBA(img.Bounds())
	draw.Draw(flat, flat.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(flat, flat.Rect, img, img.Bounds().Min, draw.Over)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, flat, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
