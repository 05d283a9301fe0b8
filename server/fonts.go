package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/outcrop/outcrop/glyphs"
)

// glyphRoute is the glyph URL template styles point MapLibre to.
const glyphRoute = "/fonts/{fontstack}/{range}.pbf"

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
func (s *server) handleFontList(w http.ResponseWriter, r *http.Request) {
	names := []string{}
	if s.fonts != nil {
		names = s.fonts.Names()
	}
	s.writeJSON(w, r, docFonts, names)
}

// handleGlyphs serves a glyph range of a fontstack, as MapLibre asks for it
// through a style's "glyphs" URL.
func (s *server) handleGlyphs(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)
	fontstack, rng := v["fontstack"], v["range"]
	start, err := glyphs.ParseRange(rng)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("glyph range %q: %v", rng, err))
		return
	}
	if s.fonts == nil {
		writeError(w, http.StatusNotFound, "this server has no fonts: start outcrop serve with --fonts DIR (a directory of .ttf/.otf files), or install fonts-noto-core")
		return
	}
	body, err := s.glyphs.get(glyphKey{fontstack, start}, func() ([]byte, int, error) {
		b, err := s.fonts.Range(fontstack, start)
		return b, len(b), err
	})
	var unknown *glyphs.UnknownFontError
	switch {
	case errors.As(err, &unknown):
		writeError(w, http.StatusNotFound, err.Error())
		return
	case err != nil:
		s.log.Error("drawing glyphs", "fontstack", fontstack, "range", rng, "err", err)
		writeError(w, http.StatusInternalServerError, "the glyphs could not be drawn; the server log has the cause")
		return
	}
	s.writeBody(w, r, docFonts, "application/x-protobuf", body)
}
