package viewer

import (
	"bytes"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// contentSecurityPolicy confines the page to its own server for scripts,
// styles and workers (MapLibre starts its worker from a blob: URL when the
// script is cross-origin). connect-src stays open because TileJSON may name
// tile URLs on a public base URL other than the one the page was loaded from.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src *; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

// handler serves a viewer read from one file system.
type handler struct {
	assets  map[string]*asset
	version string
	// unavailable is the page served at / when MapLibre was not vendored.
	unavailable []byte
}

// newHandler builds the viewer from fsys, laid out as the static directory.
// An unreadable file system gives a handler that explains itself at /.
func newHandler(fsys fs.FS) *handler {
	assets, version, err := loadAssets(fsys)
	h := &handler{assets: assets, version: version}
	switch {
	case err != nil:
		h.assets, h.version = nil, ""
		h.unavailable = unavailablePage("the viewer's files cannot be read (" + err.Error() + "): rebuild Outcrop")
	case version == "":
		h.unavailable = unavailablePage("MapLibre GL JS is missing from this build: " + missingVendorHint + ".")
	}
	return h
}

func unavailablePage(message string) []byte {
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Outcrop map unavailable</title></head>\n<body data-state=\"error\">\n<h1>The map viewer is unavailable</h1>\n<p>")
	b.WriteString(html.EscapeString(message))
	b.WriteString("</p>\n<p>The tilesets themselves are served: see <a href=\"../collections\">../collections</a>.</p>\n</body></html>\n")
	return b.Bytes()
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the viewer answers GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "" {
		h.redirectToSlash(w, r)
		return
	}
	if p == "/" && h.unavailable != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			w.Write(h.unavailable)
		}
		return
	}
	a, ok := h.assets[p]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Cache-Control", a.cacheControl)
	hd.Set("ETag", a.etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	if p == "/" {
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
	}
	body := a.body
	if a.compressible {
		hd.Add("Vary", "Accept-Encoding")
		if gz := a.gzipBody(); gz != nil && acceptsGzip(r) {
			hd.Set("Content-Encoding", "gzip")
			// The ETag names the representation: the gzipped bytes differ.
			hd.Set("ETag", strings.TrimSuffix(a.etag, `"`)+`-gzip"`)
			body = gz
		}
	}
	// ServeContent answers If-None-Match with 304 and handles HEAD and Range.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// redirectToSlash sends the bare mount point (/map, which StripPrefix turns
// into "") to map/ with a relative Location, so it stays right behind a proxy
// that adds its own path prefix: the page's relative URLs need the slash.
func (h *handler) redirectToSlash(w http.ResponseWriter, r *http.Request) {
	target := "./"
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		if base := path.Base(u.EscapedPath()); base != "/" && base != "." {
			target = base + "/"
		}
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
}

// acceptsGzip reports whether the request's Accept-Encoding admits gzip
// (RFC 9110 §12.5.3: "gzip" or "*" with a non-zero quality).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.TrimSpace(coding)
		if !strings.EqualFold(coding, "gzip") && coding != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(strings.TrimSpace(q), 64); err == nil && v == 0 {
				continue
			}
		}
		return true
	}
	return false
}
