package glyphs

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// decodedGlyph is a glyph message read back with protowire, independently
// of the encoder.
type decodedGlyph struct {
	id                          rune
	bitmap                      []byte
	width, height, advance      int
	left, top                   int
	hasWidth, hasHeight, hasAdv bool
}

type decodedStack struct {
	name, rng string
	glyphs    map[rune]decodedGlyph
}

// decode reads a glyphs message of one fontstack.
func decode(t *testing.T, b []byte) decodedStack {
	t.Helper()
	var stacks [][]byte
	eachField(t, b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
		if num == 1 && typ == protowire.BytesType {
			stacks = append(stacks, v)
		}
	})
	if len(stacks) != 1 {
		t.Fatalf("%d fontstacks in the PBF, want 1", len(stacks))
	}
	s := decodedStack{glyphs: map[rune]decodedGlyph{}}
	eachField(t, stacks[0], func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) {
		switch num {
		case 1:
			s.name = string(v)
		case 2:
			s.rng = string(v)
		case 3:
			var g decodedGlyph
			eachField(t, v, func(num protowire.Number, _ protowire.Type, v []byte, n uint64) {
				switch num {
				case 1:
					g.id = rune(n)
				case 2:
					g.bitmap = v
				case 3:
					g.width, g.hasWidth = int(n), true
				case 4:
					g.height, g.hasHeight = int(n), true
				case 5:
					g.left = int(protowire.DecodeZigZag(n))
				case 6:
					g.top = int(protowire.DecodeZigZag(n))
				case 7:
					g.advance, g.hasAdv = int(n), true
				}
			})
			s.glyphs[g.id] = g
		}
	})
	return s
}

// eachField calls fn with each field of the message b: its bytes for a
// length-delimited field, its value for a varint.
func eachField(t *testing.T, b []byte, fn func(protowire.Number, protowire.Type, []byte, uint64)) {
	t.Helper()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatalf("bad varint in field %d: %v", num, protowire.ParseError(n))
			}
			fn(num, typ, nil, v)
			b = b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("bad bytes in field %d: %v", num, protowire.ParseError(n))
			}
			fn(num, typ, v, 0)
			b = b[n:]
		default:
			t.Fatalf("field %d has wire type %d, which glyphs.proto does not use", num, typ)
		}
	}
}

// notoLibrary opens Debian's Noto fonts; without them the test fails in CI
// (make deps-test installs fonts-noto-core and fonts-noto-cjk) and skips
// elsewhere.
func notoLibrary(t *testing.T) *Library {
	t.Helper()
	notoOnce.Do(func() { noto, notoErr = openNoto() })
	if notoErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(notoErr)
		}
		t.Skip(notoErr)
	}
	return noto
}

var (
	notoOnce sync.Once
	noto     *Library
	notoErr  error
)

func openNoto() (*Library, error) {
	if _, err := os.Stat(DefaultDirs[0] + "/NotoSans-Regular.ttf"); err != nil {
		return nil, fmt.Errorf("Noto fonts missing (apt-get install fonts-noto-core fonts-noto-cjk): %w", err)
	}
	return Open(DefaultDirs...)
}

func TestRangeLatin(t *testing.T) {
	l := notoLibrary(t)
	b, err := l.Range("Noto Sans Regular", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := decode(t, b)
	if s.name != "Noto Sans Regular" || s.rng != "0-255" {
		t.Errorf("fontstack %q range %q, want Noto Sans Regular 0-255", s.name, s.rng)
	}
	// Noto Sans has all of Latin-1 printable characters, and no controls.
	if _, ok := s.glyphs[0x07]; ok {
		t.Error("U+0007, a control character, has a glyph")
	}
	for r := rune(0x20); r < 0x7f; r++ {
		if _, ok := s.glyphs[r]; !ok {
			t.Errorf("%q has no glyph", r)
		}
	}
	for r, g := range s.glyphs {
		if !g.hasWidth || !g.hasHeight || !g.hasAdv {
			t.Errorf("%q lacks a required field: %+v", r, g)
		}
		want := (g.width + 2*Buffer) * (g.height + 2*Buffer)
		if g.width == 0 {
			want = 0
		}
		if len(g.bitmap) != want {
			t.Errorf("%q is %dx%d with a bitmap of %d bytes, want %d", r, g.width, g.height, len(g.bitmap), want)
		}
	}
	// 'A' of Noto Sans is 639 units wide of 1000, 714 high: at 24 px an
	// advance of 15, 17.1 px high, so 18 rows, its top 26 px (the ascent,
	// 1069 units) above the font's ascent line less 18.
	a := s.glyphs['A']
	if a.advance != 15 || a.height != 18 || a.top != 18-26 {
		t.Errorf("'A' advance %d height %d top %d, want 15, 18, -8", a.advance, a.height, a.top)
	}
	// The field: 255 inside the stem, 0 in the far corner of the buffer,
	// the outline (192) crossed along the middle row.
	w := a.width + 2*Buffer
	mid := a.bitmap[(a.height/2+Buffer)*w : (a.height/2+Buffer+1)*w]
	if mid[0] > 100 {
		t.Errorf("the left edge of 'A''s middle row is %d, want far outside (< 100)", mid[0])
	}
	if maxByte(mid) < 210 {
		t.Errorf("'A''s middle row peaks at %d, want inside a stroke, a pixel in from the outline (>= 210)", maxByte(mid))
	}
	sp := s.glyphs[' ']
	if sp.width != 0 || sp.bitmap != nil || sp.advance != 6 {
		t.Errorf("space is %+v, want no bitmap and an advance of 6 (260 units)", sp)
	}
}

func maxByte(b []byte) byte {
	var m byte
	for _, v := range b {
		m = max(m, v)
	}
	return m
}

// TestRangeFallback checks that a fontstack draws each code point with the
// first font that has it: Thai from Noto Sans Thai after Noto Sans, which
// has no Thai.
func TestRangeFallback(t *testing.T) {
	l := notoLibrary(t)
	const thai = 0x0e00 // 3584-3839
	alone := decode(t, must(l.Range("Noto Sans Regular", thai)))
	if len(alone.glyphs) != 0 {
		t.Errorf("Noto Sans alone has %d Thai glyphs, want none", len(alone.glyphs))
	}
	s := decode(t, must(l.Range("Noto Sans Regular,Noto Sans Thai Regular", thai)))
	for _, r := range "เชียงใหม่" {
		g, ok := s.glyphs[r]
		if !ok {
			t.Errorf("%q has no glyph", r)
			continue
		}
		if g.width == 0 || maxByte(g.bitmap) < 192 {
			t.Errorf("%q is drawn empty: %dx%d, max %d", r, g.width, g.height, maxByte(g.bitmap))
		}
	}
}

// TestRangeVietnamese: Noto Sans draws the precomposed Vietnamese letters
// (Latin Extended Additional, 7680-7935) itself.
func TestRangeVietnamese(t *testing.T) {
	l := notoLibrary(t)
	s := decode(t, must(l.Range("Noto Sans Regular", 0x1e00)))
	for _, r := range "ệỹữ" {
		if g, ok := s.glyphs[r]; !ok || g.width == 0 || maxByte(g.bitmap) < 192 {
			t.Errorf("%q is %+v, want a drawn glyph", r, g)
		}
	}
}

// regionStack is the label fontstack of the generated styles
// (styles/palettes): Latin, then the region's scripts, CJK last.
const regionStack = "Noto Sans Regular,Noto Sans Thai Regular,Noto Sans Lao Regular,Noto Sans Khmer Regular,Noto Sans Myanmar Regular,Noto Sans CJK SC Regular"

// TestRangeReadsOnlyDrawingFonts: a range reads the files of the fonts
// that draw some of it only, so a cold Latin range of the region's stack
// does not read the 19 MB CJK file, and is the same as Noto Sans's alone;
// a range the CJK font draws part of reads it.
func TestRangeReadsOnlyDrawingFonts(t *testing.T) {
	l := notoLibrary(t)
	cjk := l.faces["Noto Sans CJK SC Regular"]
	if cjk == nil {
		t.Fatal("no Noto Sans CJK SC Regular (apt-get install fonts-noto-cjk)")
	}
	stack := decode(t, must(l.Range(regionStack, 0)))
	if cjk.loaded.Load() || cjk.file.data != nil {
		t.Error("drawing 0-255 of the region's stack read the CJK font's file")
	}
	alone := decode(t, must(l.Range("Noto Sans Regular", 0)))
	if len(stack.glyphs) != len(alone.glyphs) {
		t.Errorf("0-255 of the region's stack has %d glyphs, Noto Sans alone %d", len(stack.glyphs), len(alone.glyphs))
	}
	for r, g := range alone.glyphs {
		if s, ok := stack.glyphs[r]; !ok || string(s.bitmap) != string(g.bitmap) || s.advance != g.advance || s.top != g.top {
			t.Errorf("%q differs from Noto Sans's", r)
		}
	}
	// General Punctuation: Noto Sans lacks two that Noto Sans CJK has.
	punct := decode(t, must(l.Range(regionStack, 0x2000)))
	if !cjk.loaded.Load() {
		t.Error("drawing 8192-8447 did not read the CJK font, which draws part of it")
	}
	sans, _, err := l.Font("Noto Sans Regular")
	if err != nil {
		t.Fatal(err)
	}
	fromCJK := 0
	for r := range punct.glyphs {
		if x, _ := sans.GlyphIndex(nil, r); x == 0 {
			fromCJK++
		}
	}
	if fromCJK == 0 {
		t.Error("8192-8447 of the region's stack has no glyph Noto Sans lacks")
	}
}

func TestRangeCJK(t *testing.T) {
	l := notoLibrary(t)
	s := decode(t, must(l.Range("Noto Sans CJK SC Regular", 0x4e00)))
	g, ok := s.glyphs['中']
	if !ok || g.width == 0 || maxByte(g.bitmap) < 192 {
		t.Fatalf("'中' is %+v, want a drawn glyph", g)
	}
	if g.advance != Size {
		t.Errorf("'中' advance %d, want a full em, %d", g.advance, Size)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestRangeErrors(t *testing.T) {
	l := notoLibrary(t)
	var unknown *UnknownFontError
	if _, err := l.Range("Comic Sans Regular", 0); !errors.As(err, &unknown) {
		t.Errorf("an unknown font: %v, want an UnknownFontError", err)
	}
	if _, err := l.Range("Comic Sans Regular,Noto Sans Regular", 0); err != nil {
		t.Errorf("a stack with one font served: %v, want its glyphs", err)
	}
	if got, err := l.Fontstack(" Noto Sans Regular,Comic Sans Regular,Noto Sans Thai Regular,Noto Sans Regular"); err != nil || got != "Noto Sans Regular,Noto Sans Thai Regular" {
		t.Errorf("Fontstack = %q, %v; want the fonts served, in order, once each", got, err)
	}
	for _, s := range []string{"0-255", "256-511", "65280-65535"} {
		if _, err := ParseRange(s); err != nil {
			t.Errorf("ParseRange(%q): %v", s, err)
		}
	}
	for _, s := range []string{"65536-65791", "-256--1", "1-256", "0-254", "0-511", "a-b", "0", ""} {
		if _, err := ParseRange(s); !errors.Is(err, ErrRange) {
			t.Errorf("ParseRange(%q): %v, want ErrRange", s, err)
		}
	}
	if _, err := l.Range("Noto Sans Regular", 65536); !errors.Is(err, ErrRange) {
		t.Errorf("Range from 65536: %v, want ErrRange", err)
	}
}

func TestNames(t *testing.T) {
	l := notoLibrary(t)
	for _, name := range []string{"Noto Sans Regular", "Noto Sans Bold", "Noto Sans Thai Regular", "Noto Sans Lao Regular",
		"Noto Sans Khmer Regular", "Noto Sans Myanmar Regular", "Noto Sans CJK SC Regular"} {
		if !l.Has(name) {
			t.Errorf("no font named %q", name)
		}
	}
	if p, ok := l.File("Noto Sans Thai Regular"); !ok || p != DefaultDirs[0]+"/NotoSansThai-Regular.ttf" {
		t.Errorf("File(Noto Sans Thai Regular) = %q, %v", p, ok)
	}
	if p, ok := l.File("Noto Sans CJK SC Regular"); ok {
		t.Errorf("File(Noto Sans CJK SC Regular) = %q, want none: it is one font of a collection", p)
	}
	if len(l.Skipped) > 0 {
		t.Errorf("skipped fonts: %v", l.Skipped)
	}
}

// TestDistanceField checks the transform on a filled square: 255 far
// inside, 192 midway between the last pixel in and the first out, and
// falling by 255/8 a pixel outside. Distances are from pixel centres, as
// in TinySDF.
func TestDistanceField(t *testing.T) {
	const w, h = 21, 21
	cov := make([]byte, w*h)
	for y := 5; y < 16; y++ {
		for x := 5; x < 16; x++ {
			cov[y*w+x] = 255
		}
	}
	f := distanceField(cov, w, h)
	at := func(x, y int) int { return int(f[y*w+x]) }
	// (10,10) is 6 px from the nearest pixel out, (5,10) 1 px; (4,10) is 1
	// px from the nearest pixel in, (1,10) 4 px, (0,0) over 7.
	for _, c := range []struct{ x, y, want int }{
		{10, 10, 255}, {5, 10, 223}, {4, 10, 159}, {1, 10, 64}, {0, 0, 0},
	} {
		if got := at(c.x, c.y); got < c.want-2 || got > c.want+2 {
			t.Errorf("field at (%d,%d) = %d, want %d±2", c.x, c.y, got, c.want)
		}
	}
}

// TestRangeConcurrent: ranges drawn at once from a fresh library, whose
// fonts are then opened and read by several goroutines together, are the
// same as drawn one at a time (run with -race).
func TestRangeConcurrent(t *testing.T) {
	starts := []rune{0, 0x0e00, 0x2000, 0x0e00, 0, 0x2000}
	l := notoLibrary(t)
	fresh, err := Open(DefaultDirs...)
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]byte, len(starts))
	var wg sync.WaitGroup
	for i, start := range starts {
		wg.Go(func() { got[i] = must(fresh.Range(regionStack, start)) })
	}
	wg.Wait()
	for i, start := range starts {
		if want := must(l.Range(regionStack, start)); string(got[i]) != string(want) {
			t.Errorf("range %d drawn concurrently differs from drawn alone", start)
		}
	}
}
