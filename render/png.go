package render

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"

	"github.com/klauspost/compress/flate"
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
//
// The zlib stream around the deflated rows (RFC 1950: two header bytes,
// an Adler-32 trailer) is written here rather than by a zlib.Writer,
// whose hash/adler32 reads a byte at a time and took an eighth of the
// encoder's time; updateAdler32 below is twice as fast.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// A map deflates to about a tenth of its pixels.
	out := bytes.NewBuffer(make([]byte, 0, 64+w*h*3/8))
	// The rows are written as RGB until one has a pixel not opaque, which
	// a translucent map mostly has in its first rows (its background):
	// then the image is written again, as RGBA. So the opacity is read
	// with the pixels being filtered, not in a pass of its own.
	opaque, err := writePNG(out, img, true)
	if err == nil && !opaque {
		out.Reset()
		_, err = writePNG(out, img, false)
	}
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writePNG writes img to out as a PNG, RGB if rgb, else RGBA; writing RGB
// it stops at the first row with a pixel not opaque, and returns false.
func writePNG(out *bytes.Buffer, img *image.RGBA, rgb bool) (bool, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	bpp := 4
	colourType := byte(6)
	if rgb {
		bpp, colourType = 3, 2
	}
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, colourType // bit depth, colour type; compression, filter, interlace 0
	writeChunk(out, "IHDR", ihdr[:])

	start := out.Len()
	out.WriteString("\x00\x00\x00\x00IDAT")
	// zlib header: deflate, 32 kB window, fastest level, no dictionary.
	out.WriteString("\x78\x01")
	zw, _ := flatePool.Get().(*flate.Writer)
	if zw == nil {
		var err error
		if zw, err = flate.NewWriter(out, flate.BestSpeed); err != nil {
			return false, err
		}
	} else {
		zw.Reset(out)
	}
	defer flatePool.Put(zw)
	// The filtered row, with room for the 4-byte stores of subRGB.
	buf := make([]byte, 1+w*bpp+4)
	row := buf[:1+w*bpp]
	row[0] = 1 // Sub: each byte less the one of the pixel before
	sum := uint32(1)
	for y := range h {
		src := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][:4*w]
		if rgb {
			if !subRGB(buf[1:], src) {
				return false, nil
			}
		} else {
			subNRGBA(row[1:], src)
		}
		sum = updateAdler32(sum, row)
		if _, err := zw.Write(row); err != nil {
			return false, err
		}
	}
	if err := zw.Close(); err != nil {
		return false, err
	}
	var trailer [4]byte
	binary.BigEndian.PutUint32(trailer[:], sum)
	out.Write(trailer[:])
	b := out.Bytes()
	binary.BigEndian.PutUint32(b[start:], uint32(len(b)-start-8))
	var crc [4]byte
	binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(b[start+4:]))
	out.Write(crc[:])
	writeChunk(out, "IEND", nil)
	return true, nil
}

// alphas masks the alpha bytes of two RGBA pixels read little-endian.
const alphas = 0xff000000ff000000

// subRGB writes to dst the Sub-filtered RGB bytes of the opaque RGBA row
// src (the alpha dropped): 3*len(src)/4 bytes, with dst at least 4 bytes
// longer, as each pixel is stored with 4 bytes whose last the next pixel
// overwrites. Two pixels are read and subtracted at a time, byte by byte
// within a word (SWAR). It reports whether every pixel of src is opaque.
func subRGB(dst, src []byte) bool {
	var prev uint64 // the pixel before, in the low half
	acc := uint64(alphas)
	for len(src) >= 8 && len(dst) >= 10 {
		v := binary.LittleEndian.Uint64(src)
		acc &= v
		d := subBytes(v, prev|v<<32)
		binary.LittleEndian.PutUint32(dst, uint32(d))
		binary.LittleEndian.PutUint32(dst[3:], uint32(d>>32))
		prev = v >> 32
		src, dst = src[8:], dst[6:]
	}
	if len(src) >= 4 && len(dst) >= 4 {
		v := binary.LittleEndian.Uint32(src)
		binary.LittleEndian.PutUint32(dst, uint32(subBytes(uint64(v), prev)))
		acc &= uint64(v) | 0xffffffff00ffffff // its alpha in the low pixel's place
	}
	return acc&alphas == alphas
}

// subNRGBA writes to dst the Sub-filtered bytes of the premultiplied RGBA
// row src made straight-alpha (as PNG stores it): len(src) bytes.
func subNRGBA(dst, src []byte) {
	var prev uint64
	for x := 0; x+4 <= len(src); x += 4 {
		p := binary.LittleEndian.Uint32(src[x:])
		switch a := p >> 24; a {
		case 0:
			p = 0
		case 0xff:
		default: // un-premultiply
			r := (p&0xff*255 + a/2) / a
			g := (p>>8&0xff*255 + a/2) / a
			b := (p>>16&0xff*255 + a/2) / a
			p = a<<24 | b&0xff<<16 | g&0xff<<8 | r&0xff
		}
		binary.LittleEndian.PutUint32(dst[x:], uint32(subBytes(uint64(p), prev)))
		prev = uint64(p)
	}
}

// subBytes subtracts each byte of b from that of a, modulo 256, with no
// borrow between bytes.
func subBytes(a, b uint64) uint64 {
	const h = 0x8080808080808080
	return (a | h - b&^h) ^ (a^^b)&h
}

// flatePool holds deflaters for reuse: one holds some 600 kB of tables.
var flatePool sync.Pool

// updateAdler32 returns the Adler-32 checksum (RFC 1950) sum updated with p.
//
// It reads 128-byte blocks eight bytes at a time, the even and the odd
// bytes of a word summed in four 16-bit lanes each (SWAR): a lane sums
// 16 bytes at most, and the running sum of those lane sums, which gives
// the second checksum's weights, stays under 2¹⁶. The lanes are folded
// into the two sums after each block, reduced modulo 65521 every
// adlerBlock bytes, before they could overflow; the tail goes a byte at
// a time.
func updateAdler32(sum uint32, p []byte) uint32 {
	const (
		mod = 65521
	)
	s1, s2 := uint64(sum&0xffff), uint64(sum>>16)
	for len(p) >= 128 {
		n := min(len(p), adlerBlock) &^ 127
		blk := p[:n]
		p = p[n:]
		// For the bytes b[i] of blk, s2 grows by n·s1 + Σ (n-i)·b[i]. With
		// i = 8j+k (word j, byte k), (n-i) = 8(words-j) - k: ab is Σ over
		// words of the running byte sum, wk Σ k·b[i].
		var all, ab, wk uint64
		for ; len(blk) >= 128; blk = blk[128:] {
			ve, vo, be, bo := adlerLanes((*[128]byte)(blk))
			ab += 16*all + lanes(be) + lanes(bo)
			all += lanes(ve) + lanes(vo)
			wk += ve>>16&0xffff*2 + ve>>32&0xffff*4 + ve>>48*6 +
				vo&0xffff + vo>>16&0xffff*3 + vo>>32&0xffff*5 + vo>>48*7
		}
		s2 = (s2 + uint64(n)*s1 + 8*ab - wk) % mod
		s1 = (s1 + all) % mod
	}
	for _, b := range p {
		s1 += uint64(b)
		s2 += s1
	}
	return uint32(s2%mod)<<16 | uint32(s1%mod)
}

// adlerLanes sums the even (ve) and the odd (vo) bytes of blk in four
// 16-bit lanes each, and the running lane sums after each word (be, bo).
// It is apart from updateAdler32, and not inlined, so that its four sums
// stay in registers.
//
//go:noinline
func adlerLanes(blk *[128]byte) (ve, vo, be, bo uint64) {
	const even = 0x00ff00ff00ff00ff
	for i := 0; i < 128; i += 8 {
		v := binary.LittleEndian.Uint64(blk[i:])
		ve += v & even
		vo += v >> 8 & even
		be += ve
		bo += vo
	}
	return ve, vo, be, bo
}

// adlerBlock is the largest multiple of 128 bytes no greater than 5552,
// the most bytes whose sums fit 32 bits before the reduction modulo
// 65521, as in zlib.
const adlerBlock = 5552 &^ 127

// lanes sums the four 16-bit lanes of x.
func lanes(x uint64) uint64 {
	return x&0xffff + x>>16&0xffff + x>>32&0xffff + x>>48
}

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
