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
}

// resolve checks the options and returns the base URL and the glyphs URL
// (empty when there are no glyphs).
func (o Options) resolve() (base, glyphs string, err error) {
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
