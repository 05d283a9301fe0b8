package glyphs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/image/font/sfnt"
)

// DefaultDirs are where Debian's Noto packages put their fonts:
// fonts-noto-core (Latin, Vietnamese, Thai, Lao, Khmer, Myanmar and more)
// and fonts-noto-cjk (Chinese, Japanese, Korean).
var DefaultDirs = []string{"/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto"}

// Library is the fonts found in a set of directories, by name. It is safe
// for concurrent use. A font's file is opened the first time a fontstack
// looks a code point up in it, and kept open; the whole file is read, and
// kept, the first time one of its glyphs is drawn.
type Library struct {
	faces map[string]*face
	names []string
	// Skipped lists the font files that could not be read, each with why.
	Skipped []string
}

// face is one font of a file (a collection holds several).
type face struct {
	file  *fontFile
	index int
	alone bool // the only font of its file

	once   sync.Once
	font   *sfnt.Font // parsed from the file's bytes, to draw with
	err    error
	loaded atomic.Bool // once and font are done

	lookOnce sync.Once
	look     *sfnt.Font // parsed from the open file, to look code points up in
	lookErr  error
}

// fontFile is a font file whose bytes are read once, for all its faces,
// and which is opened once to look code points up in.
type fontFile struct {
	path string
	once sync.Once
	data []byte
	err  error

	openOnce sync.Once
	coll     *sfnt.Collection // read from the open file
	openErr  error
}

// Open finds the TrueType and OpenType fonts (.ttf, .otf, .ttc, .otc) in
// dirs and their subdirectories. A directory that cannot be read is an
// error naming it; a font file that cannot be parsed is left out and listed
// in Skipped. When two files hold fonts of the same name, the first in path
// order is kept.
func Open(dirs ...string) (*Library, error) {
	l := &Library{faces: map[string]*face{}}
	for _, dir := range dirs {
		var paths []string
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".ttf", ".otf", ".ttc", ".otc":
				if !d.IsDir() {
					paths = append(paths, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading fonts from %s: %w", dir, err)
		}
		slices.Sort(paths) // WalkDir's order already is; kept explicit for the first-wins rule
		for _, path := range paths {
			if err := l.add(path); err != nil {
				l.Skipped = append(l.Skipped, fmt.Sprintf("%s: %v", path, err))
			}
		}
	}
	for name := range l.faces {
		l.names = append(l.names, name)
	}
	slices.Sort(l.names)
	return l, nil
}

// add names the fonts of the file at path.
func (l *Library) add(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := sfnt.ParseCollectionReaderAt(zeroPadded{f})
	if err != nil {
		return err
	}
	file := &fontFile{path: path}
	var b sfnt.Buffer
	for i := range c.NumFonts() {
		fnt, err := c.Font(i)
		if err != nil {
			return err
		}
		name, err := fontName(fnt, &b)
		if err != nil {
			return err
		}
		if _, dup := l.faces[name]; !dup {
			l.faces[name] = &face{file: file, index: i, alone: c.NumFonts() == 1}
		}
	}
	return nil
}

// zeroPadded reads a file as if zeros followed its end. Parsing a font from
// a file, sfnt (x/image v0.48) reads some tables further than the file
// goes, and fails with io.EOF, on most Noto fonts (NotoSans-Regular.ttf
// among them); parsed from its bytes the same font is read without error.
// Naming the fonts from their files rather than their bytes reads a
// fraction of them: Debian's 130 MB of Noto are named in 0.14 s rather than
// 1.8 s.
type zeroPadded struct{ f *os.File }

func (z zeroPadded) ReadAt(p []byte, off int64) (int, error) {
	n, err := z.f.ReadAt(p, off)
	if err == io.EOF {
		clear(p[n:])
		return len(p), nil
	}
	return n, err
}

// fontName is a font's family and style, from its typographic names when
// it has them ("Noto Sans" and "Medium" rather than "Noto Sans Medium" and
// "Regular"), as other glyph servers name fonts.
func fontName(f *sfnt.Font, b *sfnt.Buffer) (string, error) {
	family, err := f.Name(b, sfnt.NameIDTypographicFamily)
	if err != nil {
		if family, err = f.Name(b, sfnt.NameIDFamily); err != nil {
			return "", fmt.Errorf("no family name: %w", err)
		}
	}
	style, err := f.Name(b, sfnt.NameIDTypographicSubfamily)
	if err != nil {
		if style, err = f.Name(b, sfnt.NameIDSubfamily); err != nil {
			style = "Regular"
		}
	}
	return strings.TrimSpace(family) + " " + strings.TrimSpace(style), nil
}

// Names returns the names of the fonts, sorted; these are what fontstacks
// are made of.
func (l *Library) Names() []string { return l.names }

// Has reports whether the library holds a font named name.
func (l *Library) Has(name string) bool {
	_, ok := l.faces[name]
	return ok
}

// File returns the path of the file of the font named name, when the font
// is the only one its file holds (not a member of a collection, .ttc), so
// that the file may be served as that font.
func (l *Library) File(name string) (path string, ok bool) {
	fc, ok := l.faces[name]
	if !ok || !fc.alone {
		return "", false
	}
	return fc.file.path, true
}

// load returns the parsed font, reading its file on first use.
func (fc *face) load() (*sfnt.Font, error) {
	fc.once.Do(func() {
		ff := fc.file
		ff.once.Do(func() { ff.data, ff.err = os.ReadFile(ff.path) })
		if ff.err != nil {
			fc.err = ff.err
			return
		}
		c, err := sfnt.ParseCollection(ff.data)
		if err != nil {
			fc.err = fmt.Errorf("%s: %w", ff.path, err)
			return
		}
		fc.font, fc.err = c.Font(fc.index)
	})
	fc.loaded.Store(true)
	return fc.font, fc.err
}

// lookup returns the font to look code points up in without reading its
// whole file: the font itself once loaded, else the font parsed from its
// open file, of which a look-up reads the few bytes it needs. Reading a
// whole file costs a request that draws none of its glyphs much: a cold
// Latin range of a stack ending with Noto Sans CJK SC (19 MB) read and
// parsed it, and drew nothing with it.
func (fc *face) lookup() (*sfnt.Font, error) {
	if fc.loaded.Load() {
		return fc.font, fc.err
	}
	fc.lookOnce.Do(func() {
		ff := fc.file
		ff.openOnce.Do(func() {
			f, err := os.Open(ff.path)
			if err != nil {
				ff.openErr = err
				return
			}
			// Kept open for the library's life: its fonts are looked up
			// through it.
			if ff.coll, err = sfnt.ParseCollectionReaderAt(zeroPadded{f}); err != nil {
				f.Close()
				ff.openErr = fmt.Errorf("%s: %w", ff.path, err)
			}
		})
		if ff.openErr != nil {
			fc.lookErr = ff.openErr
			return
		}
		fc.look, fc.lookErr = ff.coll.Font(fc.index)
	})
	return fc.look, fc.lookErr
}

// UnknownFontError is the error of a fontstack none of whose fonts the
// library holds.
type UnknownFontError struct {
	Fontstack string
}

func (e *UnknownFontError) Error() string {
	return fmt.Sprintf("no font of the fontstack %q is served", e.Fontstack)
}

// ErrRange is the error of a range that is not 256 code points starting at
// a multiple of 256 below 65536.
var ErrRange = errors.New("a glyph range is 256 code points from a multiple of 256, up to 65535, such as 0-255 or 3584-3839")

// Fontstack returns the fonts of fontstack (a comma-separated list of
// names) that the library holds, in order, once each, comma-separated: the
// stack Range draws, and so a key for a cache of ranges that spellings of
// the same stack share. Names it does not hold are left out, so that a
// style naming a font that is not installed still gets its labels from the
// others; none at all is an *UnknownFontError.
func (l *Library) Fontstack(fontstack string) (string, error) {
	var names []string
	for name := range strings.SplitSeq(fontstack, ",") {
		name = strings.TrimSpace(name)
		if _, ok := l.faces[name]; ok && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", &UnknownFontError{Fontstack: fontstack}
	}
	return strings.Join(names, ","), nil
}

// Font returns the parsed font named name, reading its file on first use,
// for drawing text with (golang.org/x/image/font/opentype takes it as an
// *opentype.Font, the same type); false when the library has no such font.
func (l *Library) Font(name string) (*sfnt.Font, bool, error) {
	fc, ok := l.faces[name]
	if !ok {
		return nil, false, nil
	}
	f, err := fc.load()
	return f, true, err
}
