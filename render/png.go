package render

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// encodePNG writes img as a PNG: 8-bit RGB when every pixel is opaque,
// else 8-bit RGBA (straight alpha, as PNG stores it), each row with the
// Sub filter, deflated at level 1 by klauspost/compress.
//
// Why not image/png: it tries all five filters on every row to pick one
// (60% of its time on a map) and deflates with compress/flate; a map is
// mostly runs of one colour, which Sub turns into runs of zeros whatever
// their direction, so one fixed filter loses little size, and
// klauspost's deflate is several times faster at the same level. The
// output is a plain PNG that image/png and every client decode.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	opaque := img.Opaque()
	bpp := 4
	colourType := byte(6)
	if opaque {
		bpp, colourType = 3, 2
	}
	// One buffer: the IDAT chunk's data is deflated straight after its
	// header, whose length is set when it is known; a map deflates to
	// about a tenth of its pixels.
	out := bytes.NewBuffer(make([]byte, 0, 64+w*h*bpp/8))
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, colourType // bit depth, colour type; compression, filter, interlace 0
	writeChunk(out, "IHDR", ihdr[:])

	start := out.Len()
	out.WriteString("\x00\x00\x00\x00IDAT")
	zw, _ := zlibPool.Get().(*zlib.Writer)
	if zw == nil {
		var err error
		if zw, err = zlib.NewWriterLevel(out, zlib.BestSpeed); err != nil {
			return nil, err
		}
	} else {
		zw.Reset(out)
	}
	defer zlibPool.Put(zw)
	row := make([]byte, 1+w*bpp)
	row[0] = 1 // Sub: each byte less the one of the pixel before
	cur := make([]byte, w*bpp)
	for y := range h {
		src := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][:4*w]
		if opaque {
			// Dropping alpha and filtering in one pass.
			row[1], row[2], row[3] = src[0], src[1], src[2]
			for x := 1; x < w; x++ {
				p, q := src[4*x-4:4*x+3:4*x+3], row[1+3*x:4+3*x:4+3*x]
				q[0], q[1], q[2] = p[4]-p[0], p[5]-p[1], p[6]-p[2]
			}
		} else {
			for x := range w {
				p := src[4*x : 4*x+4 : 4*x+4]
				d := cur[4*x : 4*x+4 : 4*x+4]
				switch a := uint32(p[3]); a {
				case 0:
					d[0], d[1], d[2], d[3] = 0, 0, 0, 0
				case 255:
					copy(d, p)
				default: // un-premultiply
					d[0] = uint8((uint32(p[0])*255 + a/2) / a)
					d[1] = uint8((uint32(p[1])*255 + a/2) / a)
					d[2] = uint8((uint32(p[2])*255 + a/2) / a)
					d[3] = uint8(a)
				}
			}
			copy(row[1:1+bpp], cur[:bpp])
			for i := bpp; i < len(cur); i++ {
				row[1+i] = cur[i] - cur[i-bpp]
			}
		}
		if _, err := zw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	b := out.Bytes()
	binary.BigEndian.PutUint32(b[start:], uint32(len(b)-start-8))
	var crc [4]byte
	binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(b[start+4:]))
	out.Write(crc[:])
	writeChunk(out, "IEND", nil)
	return out.Bytes(), nil
}

// zlibPool holds deflaters for reuse: one holds some 600 kB of tables.
var zlibPool sync.Pool

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}
