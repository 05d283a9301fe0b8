package server

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/styles"
)

// glyphRoute is the glyph URL template styles point MapLibre to.
const glyphRoute = "/fonts/{fontstack}/{range}.pbf"

// fontFileRoute serves a font's file, for MapLibre's "font-faces".
const fontFileRoute = "/fonts/{font}.ttf"

// glyphCacheBytes bounds the glyph ranges kept: a Latin range is about 60
// KB, a range of Chinese characters about 250 KB.
const glyphCacheBytes = 32 << 20

// glyphKey names one glyph range of one fontstack.
type glyphKey struct {
	fontstack string
	start     rune
}

// Glyph ranges and the font list change only with a restart: clients may
// keep them a day.
var docFonts = jsonDoc{cacheControl: "public, max-age=86400"}

// handleFontList serves /fonts.json: the font names a fontstack may hold,
// as the fonts.json of other glyph servers (a JSON array of names).
func (s *server) handleFontList(w http.ResponseWriter, r *http.Request) error {
	names := []string{}
	if s.fonts != nil {
		names = s.fonts.Names()
	}
	return s.writeJSON(w, r, docFonts, names)
}

// handleFontFile serves the TrueType file of a font /fonts.json lists,
// which styles name in "font-faces" for MapLibre GL JS 6 to shape the
// complex scripts (Thai, Lao, Khmer, Myanmar) with. A font of a collection
// (.ttc) or an OpenType CFF file (.otf) has no such file: a 404.
func (s *server) handleFontFile(w http.ResponseWriter, r *http.Request) error {
	name := mux.Vars(r)["font"]
	var path string
	ok := s.fonts != nil
	if ok {
		path, ok = s.fonts.File(name)
	}
	if !ok || !strings.EqualFold(filepath.Ext(path), ".ttf") {
		return statusError(http.StatusNotFound, fmt.Sprintf("no TrueType file of a font named %q is served; GET /fonts.json lists the fonts", name))
	}
	f, err := os.Open(path)
	if err != nil {
		return failure(http.StatusInternalServerError, "the font file could not be read; the server log has the cause",
			err, "opening a font file", "path", path)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return statusError(http.StatusInternalServerError, "the font file could not be read; the server log has the cause")
	}
	w.Header().Set("Content-Type", "font/ttf")
	w.Header().Set("Cache-Control", docFonts.cacheControl)
	http.ServeContent(w, r, "", fi.ModTime(), f)
	return nil
}

// handleGlyphs serves a glyph range of a fontstack, as MapLibre asks for it
// through a style's "glyphs" URL.
func (s *server) handleGlyphs(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	fontstack, rng := v["fontstack"], v["range"]
	start, err := glyphs.ParseRange(rng)
	if err != nil {
		return statusError(http.StatusBadRequest, fmt.Sprintf("glyph range %q: %v", rng, err))
	}
	if s.fonts == nil {
		return statusError(http.StatusNotFound, "this server has no fonts: start outcrop serve with --fonts DIR (a directory of .ttf/.otf files), or install fonts-noto-core")
	}
	// Spellings of one stack (fonts not served, repeats) share a cache
	// entry, so that made-up stacks cannot make the server draw a range
	// over and over.
	stack, err := s.fonts.Fontstack(fontstack)
	var body []byte
	if err == nil {
		body, err = s.glyphRange(stack, start)
	}
	var unknown *glyphs.UnknownFontError
	switch {
	case errors.As(err, &unknown):
		return statusError(http.StatusNotFound, err.Error()+"; GET /fonts.json lists the font names")
	case err != nil:
		return failure(http.StatusInternalServerError, "the glyphs could not be drawn; the server log has the cause",
			err, "drawing glyphs", "fontstack", fontstack, "range", rng)
	}
	s.writeBody(w, r, docFonts, "application/x-protobuf", body)
	return nil
}

// glyphRange returns a range of stack (as Library.Fontstack gives it),
// drawn once and cached.
func (s *server) glyphRange(stack string, start rune) ([]byte, error) {
	return s.glyphs.get(glyphKey{stack, start}, func() ([]byte, int, error) {
		b, err := s.fonts.Range(stack, start)
		return b, len(b), err
	})
}

// warmRanges are the glyph ranges a map of the region asks for first, in
// that order: Latin-1 (every label), Latin Extended-A and -B and Latin
// Extended Additional (Vietnamese, the accents of Natural Earth's place
// names and of survey data), General Punctuation, and Thai and Lao.
var warmRanges = []rune{0, 0x100, 0x200, 0x1e00, 0x2000, 0x0e00}

// warmGlyphs draws warmRanges of the fontstacks of the generated styles'
// labels into the glyph cache, one range at a time, so that the first map
// does not wait for them: a range that is being drawn when a request asks
// for it is waited for, not drawn twice. A stack none of whose fonts is
// served is passed over. It then draws the other ranges the served data's
// labels use (dataRanges), up to glyphWarmDataBytes.
func (s *server) warmGlyphs() {
	if s.fonts == nil {
		return
	}
	stacks, err := styles.LabelFontstacks()
	if err != nil {
		s.log.Warn("glyphs not drawn ahead", "err", err)
		return
	}
	began, drawn := time.Now(), 0
	for _, start := range warmRanges {
		for _, fontstack := range stacks {
			stack, err := s.fonts.Fontstack(fontstack)
			if err != nil {
				continue
			}
			if _, err := s.glyphRange(stack, start); err != nil {
				s.log.Warn("drawing glyphs ahead", "fontstack", stack, "range", start, "err", err)
				continue
			}
			drawn++
		}
	}
	common := time.Since(began)
	// Then the ranges the data's labels use beyond those (Chinese or
	// Japanese unit and place names, Khmer, Myanmar…), most used first,
	// within glyphWarmDataBytes.
	began = time.Now()
	more, size := 0, 0
	for _, u := range s.dataRanges() {
		stack, err := s.fonts.Fontstack(u.fontstack)
		if err != nil {
			continue
		}
		b, err := s.glyphRange(stack, u.start)
		if err != nil {
			s.log.Warn("drawing glyphs ahead", "fontstack", stack, "range", u.start, "err", err)
			continue
		}
		more++
		if size += len(b); size >= glyphWarmDataBytes {
			break
		}
	}
	s.log.Debug("glyph ranges drawn ahead", "ranges", drawn, "took", common, "data_ranges", more, "data_bytes", size, "data_took", time.Since(began))
}
