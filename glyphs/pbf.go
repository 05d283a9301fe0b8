package glyphs

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/image/font/sfnt"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of MapLibre's glyphs.proto: glyphs{stacks}, fontstack{name,
// range, glyphs}, glyph{id, bitmap, width, height, left, top, advance}.
const (
	fieldStacks = 1

	fieldStackName   = 1
	fieldStackRange  = 2
	fieldStackGlyphs = 3

	fieldGlyphID      = 1
	fieldGlyphBitmap  = 2
	fieldGlyphWidth   = 3
	fieldGlyphHeight  = 4
	fieldGlyphLeft    = 5
	fieldGlyphTop     = 6
	fieldGlyphAdvance = 7
)

// ParseRange reads a range as MapLibre asks for it, "start-end": 256 code
// points from a multiple of 256, up to 65535. Anything else is ErrRange.
func ParseRange(s string) (start rune, err error) {
	a, b, ok := strings.Cut(s, "-")
	first, err1 := strconv.Atoi(a)
	last, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || first < 0 || first%256 != 0 || last != first+255 || last > 65535 {
		return 0, ErrRange
	}
	return rune(first), nil
}

// Range returns the glyph PBF of the 256 code points from start (a multiple
// of 256 below 65536) in fontstack, a comma-separated list of font names:
// each code point is drawn by the first font that has it, and left out
// when none has. The PBF names the stack as Fontstack gives it. A
// fontstack with no font the library holds is an *UnknownFontError.
func (l *Library) Range(fontstack string, start rune) ([]byte, error) {
	if start < 0 || start%256 != 0 || start > 65535 {
		return nil, ErrRange
	}
	fontstack, err := l.Fontstack(fontstack)
	if err != nil {
		return nil, err
	}
	var faces []*face
	for name := range strings.SplitSeq(fontstack, ",") {
		faces = append(faces, l.faces[name])
	}
	// Which font draws each code point is looked up first, so that a font
	// that draws none of the range is not read: the CJK font at the end of
	// a stack, for a Latin range.
	type pick struct {
		r    rune
		font int
		x    sfnt.GlyphIndex
	}
	var b sfnt.Buffer
	var picks []pick
	for r := start; r < start+256; r++ {
		for i, fc := range faces {
			f, err := fc.lookup()
			if err != nil {
				return nil, err
			}
			if x, err := f.GlyphIndex(&b, r); err == nil && x != 0 {
				picks = append(picks, pick{r, i, x})
				break
			}
		}
	}
	fonts := make([]*sfnt.Font, len(faces))
	ascents := make([]int, len(faces))
	var glyphs []byte
	for _, p := range picks {
		f := fonts[p.font]
		if f == nil {
			if f, err = faces[p.font].load(); err != nil {
				return nil, err
			}
			if ascents[p.font], err = ascent(f, &b); err != nil {
				return nil, err
			}
			fonts[p.font] = f
		}
		g, err := render(f, &b, p.r, p.x, ascents[p.font])
		if err != nil {
			return nil, fmt.Errorf("drawing U+%04X of %s: %w", p.r, fontstack, err)
		}
		glyphs = protowire.AppendTag(glyphs, fieldStackGlyphs, protowire.BytesType)
		glyphs = protowire.AppendBytes(glyphs, g.encode())
	}
	var stack []byte
	stack = protowire.AppendTag(stack, fieldStackName, protowire.BytesType)
	stack = protowire.AppendString(stack, fontstack)
	stack = protowire.AppendTag(stack, fieldStackRange, protowire.BytesType)
	stack = protowire.AppendString(stack, fmt.Sprintf("%d-%d", start, start+255))
	stack = append(stack, glyphs...)
	out := protowire.AppendTag(nil, fieldStacks, protowire.BytesType)
	return protowire.AppendBytes(out, stack), nil
}

// encode is the glyph as a glyphs.proto glyph message.
func (g glyph) encode() []byte {
	var m []byte
	m = protowire.AppendTag(m, fieldGlyphID, protowire.VarintType)
	m = protowire.AppendVarint(m, uint64(g.id))
	if g.bitmap != nil {
		m = protowire.AppendTag(m, fieldGlyphBitmap, protowire.BytesType)
		m = protowire.AppendBytes(m, g.bitmap)
	}
	for _, f := range []struct {
		num protowire.Number
		v   uint64
	}{
		{fieldGlyphWidth, uint64(g.width)},
		{fieldGlyphHeight, uint64(g.height)},
		{fieldGlyphLeft, protowire.EncodeZigZag(int64(g.left))},
		{fieldGlyphTop, protowire.EncodeZigZag(int64(g.top))},
		{fieldGlyphAdvance, uint64(g.advance)},
	} {
		m = protowire.AppendTag(m, f.num, protowire.VarintType)
		m = protowire.AppendVarint(m, f.v)
	}
	return m
}
