package styles

import (
	"fmt"
	"net/url"
	"strings"
)

// Options are what a generated style needs to know about the server that
// publishes it.
type Options struct {
	// Base is the server's public base URL, absolute, without a trailing
	// slash ("http://localhost:8080", "https://geo.example.org/outcrop").
	// Every URL in a style is built on it: a source is {Base}/tiles/{id}.json.
	Base string
	// Lang is a BCP 47 tag ("th", "vi-VN"): legend entries carry the
	// vocabulary's label in that language beside the English one, where the
	// vocabulary has one. Empty or "en" adds none.
	Lang string
	// Glyphs is the path under Base where the server serves font glyph
	// ranges, with MapLibre's tokens ("/fonts/{fontstack}/{range}.pbf"). Text
	// needs glyphs, so when it is empty no style has a text layer: the
	// occurrence style then draws commodity groups without their codes.
	Glyphs string
	// FontFiles is the path under Base where the server serves a font's
	// file, with the token {font} for its name ("/fonts/{font}.ttf"). With
	// Glyphs, styles then name the files of the complex scripts' fonts in
	// "font-faces", for MapLibre GL JS 6, which draws those scripts from font
	// files and otherwise from the browser's own fonts.
	FontFiles string
}

// resolve checks the options and returns the base URL, the glyphs URL
// (empty when there are no glyphs) and the font file URL (empty when there
// are no glyphs or no font files).
func (o Options) resolve() (base, glyphs, fontFiles string, err error) {
	base, glyphs, err = o.resolveGlyphs()
	if err != nil || glyphs == "" || o.FontFiles == "" {
		return base, glyphs, "", err
	}
	if !strings.HasPrefix(o.FontFiles, "/") || strings.Contains(o.FontFiles, "://") || !strings.Contains(o.FontFiles, "{font}") {
		return "", "", "", fmt.Errorf("styles: font files path %q must be a path on this server, starting with / and holding {font}, as /fonts/{font}.ttf", o.FontFiles)
	}
	return base, glyphs, base + o.FontFiles, nil
}

// resolveGlyphs checks the base URL and the glyphs path.
func (o Options) resolveGlyphs() (base, glyphs string, err error) {
	base = strings.TrimRight(strings.TrimSpace(o.Base), "/")
	u, perr := url.Parse(base)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("styles: base URL %q must be absolute, as http://host[:port][/prefix]; set the server's public base URL", o.Base)
	}
	if o.Glyphs == "" {
		return base, "", nil
	}
	if !strings.HasPrefix(o.Glyphs, "/") || strings.Contains(o.Glyphs, "://") ||
		!strings.Contains(o.Glyphs, "{fontstack}") || !strings.Contains(o.Glyphs, "{range}") {
		return "", "", fmt.Errorf("styles: glyphs path %q must be a path on this server, starting with / and holding {fontstack} and {range}, as /fonts/{fontstack}/{range}.pbf", o.Glyphs)
	}
	return base, base + o.Glyphs, nil
}
