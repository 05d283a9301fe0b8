package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/zlib"
	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/styles"
)

// TestPNGDecodes checks that image/png decodes what encodePNG writes to
// the pixels drawn, opaque (RGB) and translucent (RGBA, straight alpha),
// antialiased edges included.
func TestPNGDecodes(t *testing.T) {
	for _, bg := range []color.Color{color.White, nil} {
		c := NewCanvas(view, bg)
		fill := styles.Symbol{Kind: "fill", Fill: "#F04028", Stroke: "#9C291A", StrokeWidth: 1.5, Opacity: 0.55}
		c.Draw(orb.Polygon{{at(view, 20.3, 20.7), at(view, 150, 40), at(view, 120, 170), at(view, 20.3, 20.7)}}, &fill)
		line := styles.Symbol{Kind: "line", Stroke: "#2166AC", StrokeWidth: 2.4, Dash: []float64{5, 3}}
		c.Draw(orb.LineString{at(view, 5, 190), at(view, 190, 5)}, &line)
		b, err := encodePNG(c.Image())
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("bg %v: %v", bg, err)
		}
		if got.Bounds() != c.Image().Rect {
			t.Fatalf("bounds %v", got.Bounds())
		}
		if _, rgb := got.(*image.RGBA); (bg != nil) != rgb {
			t.Errorf("bg %v: decoded as %T", bg, got)
		}
		bad := 0
		for y := range view.Height {
			for x := range view.Width {
				w := color.NRGBAModel.Convert(c.Image().At(x, y)).(color.NRGBA)
				g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
				d := func(a, b uint8) bool { return int(a)-int(b) > 1 || int(b)-int(a) > 1 }
				if w.A != g.A || w.A != 0 && (d(w.R, g.R) || d(w.G, g.G) || d(w.B, g.B)) {
					if bad++; bad < 5 {
						t.Errorf("bg %v: pixel (%d,%d) decodes as %v, drawn %v", bg, x, y, g, w)
					}
				}
			}
		}
	}
}

// TestPNGSameBytes checks that encodePNG writes the very bytes of the
// plain encoder below (one row, one pixel at a time), so that its speed
// costs neither size nor pixels: on maps opaque and translucent, on every
// alpha level, on widths odd and even, on a sub-image, and on a map
// translucent at its last pixel only.
func TestPNGSameBytes(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	every := image.NewRGBA(image.Rect(0, 0, 256, 7))
	for x := range 256 {
		for y := range 7 {
			c := color.RGBA{uint8(rnd.IntN(x + 1)), uint8(rnd.IntN(x + 1)), uint8(rnd.IntN(x + 1)), uint8(x)}
			every.SetRGBA(x, y, c)
		}
	}
	cases := map[string]*image.RGBA{
		"opaque map":      benchMap(View{CRS: LonLat, BBox: view.BBox, Width: 301, Height: 97}, color.White),
		"translucent map": benchMap(View{CRS: LonLat, BBox: view.BBox, Width: 300, Height: 97}, nil),
		"every alpha":     every,
		"sub-image":       benchMap(view, color.White).SubImage(image.Rect(3, 5, 120, 77)).(*image.RGBA),
	}
	for _, w := range []int{1, 2, 3, 5} {
		cases[fmt.Sprintf("width %d", w)] = benchMap(View{CRS: LonLat, BBox: view.BBox, Width: w, Height: 4}, color.White)
	}
	// Opaque but for the last pixel, read alone (odd width) or in a pair:
	// written as RGB up to the last row, then again as RGBA.
	for _, w := range []int{300, 301} {
		img := benchMap(View{CRS: LonLat, BBox: view.BBox, Width: w, Height: 97}, color.White)
		img.SetRGBA(w-1, 96, color.RGBA{0x40, 0x30, 0x20, 0x80})
		cases[fmt.Sprintf("last pixel translucent, width %d", w)] = img
	}
	for name, img := range cases {
		got, err := encodePNG(img)
		if err != nil {
			t.Fatal(err)
		}
		want := plainPNG(t, img)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the plain encoder's %d", name, len(got), len(want))
		}
		dec, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if dec.Bounds().Size() != img.Rect.Size() {
			t.Errorf("%s: decoded %v, drawn %v", name, dec.Bounds(), img.Rect)
		}
	}
}

// TestAdler32 checks updateAdler32 against hash/adler32 on lengths short and
// long, about multiples of its 5552-byte reduction block, on bytes random
// and all 0xff (the largest sums), from a fresh and from a running sum.
func TestAdler32(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	lengths := []int{0, 1, 7, 127, 128, 129, 255, 3073, 4097, 100000}
	for _, k := range []int{1, 2, 3, 7} {
		for d := -130; d <= 130; d += 13 {
			lengths = append(lengths, k*5552+d)
		}
	}
	for range 50 {
		lengths = append(lengths, rnd.IntN(40000))
	}
	for _, n := range lengths {
		random, full := make([]byte, n), bytes.Repeat([]byte{0xff}, n)
		for i := range random {
			random[i] = byte(rnd.Uint32())
		}
		for name, p := range map[string][]byte{"random": random, "0xff": full} {
			if got, want := updateAdler32(1, p), adler32.Checksum(p); got != want {
				t.Errorf("%s %d bytes: %08x, hash/adler32 %08x", name, n, got, want)
			}
			// From a running sum: the rest after a split.
			cut := n / 3
			h := adler32.New()
			h.Write(p)
			if got, want := updateAdler32(updateAdler32(1, p[:cut]), p[cut:]), h.Sum32(); got != want {
				t.Errorf("%s %d bytes split at %d: %08x, hash/adler32 %08x", name, n, cut, got, want)
			}
		}
	}
}

// plainPNG is encodePNG as first written: the opacity read by
// image.RGBA.Opaque, each row filtered a byte at a time.
func plainPNG(t *testing.T, img *image.RGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	opaque := img.Opaque()
	bpp, colourType := 4, byte(6)
	if opaque {
		bpp, colourType = 3, 2
	}
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	for y := range h {
		var px []byte
		for x := range w {
			c := img.RGBAAt(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			if !opaque {
				n := color.NRGBA{A: c.A}
				if a := uint32(c.A); a != 0 {
					n.R = uint8((uint32(c.R)*255 + a/2) / a)
					n.G = uint8((uint32(c.G)*255 + a/2) / a)
					n.B = uint8((uint32(c.B)*255 + a/2) / a)
				}
				px = append(px, n.R, n.G, n.B, n.A)
			} else {
				px = append(px, c.R, c.G, c.B)
			}
		}
		row := []byte{1}
		for i := range px {
			if i < bpp {
				row = append(row, px[i])
			} else {
				row = append(row, px[i]-px[i-bpp])
			}
		}
		zw.Write(row)
	}
	zw.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, colourType
	writeChunk(&out, "IHDR", ihdr[:])
	writeChunk(&out, "IDAT", idat.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

// benchMap draws a map like a geological one: a grid of jittered
// four-sided units in a dozen colours, each outlined a pixel wide.
func benchMap(v View, bg color.Color) *image.RGBA {
	rnd := rand.New(rand.NewPCG(3, 4))
	c := NewCanvas(v, bg)
	const nx, ny = 32, 24
	var corner [nx + 1][ny + 1]orb.Point
	for i := range nx + 1 {
		for j := range ny + 1 {
			x := float64(i)*float64(v.Width)/nx + (rnd.Float64()-0.5)*float64(v.Width)/nx*0.6
			y := float64(j)*float64(v.Height)/ny + (rnd.Float64()-0.5)*float64(v.Height)/ny*0.6
			corner[i][j] = at(v, x, y)
		}
	}
	colours := []string{"#F04028", "#FDB462", "#B3DE69", "#80B1D3", "#BEBADA", "#FB8072", "#8DD3C7", "#FFFFB3", "#BC80BD", "#CCEBC5", "#FFED6F", "#D9D9D9"}
	for i := range nx {
		for j := range ny {
			if bg == nil && (i+j)%5 == 0 {
				continue // gaps show the transparent background
			}
			sym := styles.Symbol{Kind: "fill", Fill: colours[rnd.IntN(len(colours))], Stroke: "#5A4A3A", StrokeWidth: 1, Opacity: 1}
			if bg == nil {
				sym.Opacity = 0.7
			}
			c.Draw(orb.Polygon{{corner[i][j], corner[i+1][j], corner[i+1][j+1], corner[i][j+1], corner[i][j]}}, &sym)
		}
	}
	return c.Image()
}

// BenchmarkPNG encodes a 1024×768 map, opaque and translucent, and
// reports its size and the process's CPU time per map (cpu-ms/op), which
// a busy machine inflates less than wall time.
//
//	go test ./render -run '^$' -bench PNG
func BenchmarkPNG(b *testing.B) {
	for _, bg := range []struct {
		name string
		c    color.Color
	}{{"opaque", color.White}, {"transparent", nil}} {
		img := benchMap(View{CRS: LonLat, BBox: view.BBox, Width: 1024, Height: 768}, bg.c)
		b.Run(bg.name, func(b *testing.B) {
			var n int
			cpu0 := cpuTime()
			for range b.N {
				out, err := encodePNG(img)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "bytes")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkAdler32 sums a map's worth of filtered rows (3073 bytes each).
func BenchmarkAdler32(b *testing.B) {
	row := make([]byte, 3073)
	for i := range row {
		row[i] = byte(i * 7)
	}
	b.Run("updateAdler32", func(b *testing.B) {
		b.SetBytes(int64(len(row)))
		for range b.N {
			updateAdler32(1, row)
		}
	})
	b.Run("hash/adler32", func(b *testing.B) {
		b.SetBytes(int64(len(row)))
		for range b.N {
			adler32.Checksum(row)
		}
	})
}
