package raster

import (
	"image"
	"image/color"
	"testing"
)

// TestColourEncodings round-trips a tile with a transparent corner through
// both encodings: PNG exactly; JPEG falls back to PNG for that tile (JPEG
// has no alpha) and is a JPEG within a small difference for an opaque one.
func TestColourEncodings(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	img.SetNRGBA(0, 0, color.NRGBA{})
	for _, enc := range []string{ColourPNG, ColourJPEG} {
		b, err := EncodeColour(img, enc)
		if err != nil {
			t.Fatal(err)
		}
		if ColourType(b) != "image/png" {
			t.Errorf("%s tile with a transparent pixel stored as %q, want image/png", enc, ColourType(b))
		}
		got, err := DecodeColour(b)
		if err != nil {
			t.Fatal(err)
		}
		if got.NRGBAAt(0, 0).A != 0 || got.NRGBAAt(100, 50) != (color.NRGBA{100, 50, 200, 255}) {
			t.Errorf("%s: decoded %v and %v, want transparent and {100 50 200 255}", enc, got.NRGBAAt(0, 0), got.NRGBAAt(100, 50))
		}
	}
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 200, 255})
	b, err := EncodeColour(img, ColourJPEG)
	if err != nil {
		t.Fatal(err)
	}
	if ColourType(b) != "image/jpeg" {
		t.Fatalf("opaque jpeg tile stored as %q", ColourType(b))
	}
	got, err := DecodeColour(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int{{10, 10}, {128, 64}, {250, 250}} {
		c := got.NRGBAAt(p[0], p[1])
		if d := max(absDiff(c.R, uint8(p[0])), absDiff(c.G, uint8(p[1])), absDiff(c.B, 200)); d > 6 || c.A != 255 {
			t.Errorf("jpeg pixel %v = %v, want within 6 of {%d %d 200 255}", p, c, p[0], p[1])
		}
	}
	if !ColourEmpty(image.NewNRGBA(image.Rect(0, 0, 4, 4))) || ColourEmpty(img) {
		t.Error("ColourEmpty wrong")
	}
	// WebP is encoded by ingest through GDAL (cgo), not here.
	if _, err := EncodeColour(img, ColourWebP); err == nil {
		t.Error("EncodeColour wrote WebP")
	}
	if _, err := DecodeColour([]byte("ORD1....")); err == nil {
		t.Error("a data tile decoded as colour")
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestHalveColour: a block half transparent keeps its colour at half the
// alpha; a block of two colours is their alpha-weighted mean; a missing
// child is transparent.
func TestHalveColour(t *testing.T) {
	nw := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	// Block 0,0: two red opaque, two transparent (black, alpha 0).
	nw.SetNRGBA(0, 0, color.NRGBA{200, 0, 0, 255})
	nw.SetNRGBA(1, 0, color.NRGBA{200, 0, 0, 255})
	// Block 1,0: white at alpha 255 and black at alpha 85, twice each.
	for _, p := range [][2]int{{2, 0}, {3, 1}} {
		nw.SetNRGBA(p[0], p[1], color.NRGBA{255, 255, 255, 255})
	}
	for _, p := range [][2]int{{3, 0}, {2, 1}} {
		nw.SetNRGBA(p[0], p[1], color.NRGBA{0, 0, 0, 85})
	}
	out := HalveColour([4]*image.NRGBA{nw, nil, nil, nil})
	if got := out.NRGBAAt(0, 0); got != (color.NRGBA{200, 0, 0, 128}) {
		t.Errorf("half-transparent red block = %v, want {200 0 0 128}", got)
	}
	// (2×255×255 + 2×0×85) / (2×255 + 2×85) = 191.25
	if got := out.NRGBAAt(1, 0); got != (color.NRGBA{191, 191, 191, 170}) {
		t.Errorf("weighted block = %v, want {191 191 191 170}", got)
	}
	if got := out.NRGBAAt(3, 3); got.A != 0 {
		t.Errorf("pixel of a missing child = %v, want transparent", got)
	}
	if HalveColour([4]*image.NRGBA{}) != nil {
		t.Error("four missing children gave a tile")
	}
}
