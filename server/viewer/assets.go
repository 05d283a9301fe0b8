package viewer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"strings"
	"sync"
)

// missingVendorHint is what /map/ says when the binary was built without
// MapLibre; the browser test and the README refer to the same words.
const missingVendorHint = "run make (MapLibre is vendored at build time)"

const (
	// revalidate makes browsers check the page and its script on every
	// load, so a new binary's viewer is seen at once (a 304 costs little).
	revalidate = "no-cache"
	// immutable suits vendor files: their URL names the MapLibre version,
	// so a different file always has a different URL.
	immutable = "public, max-age=31536000, immutable"
)

// versionRE is what vendor.sh writes to vendor/VERSION; anything else is
// treated as a build without MapLibre rather than put into URLs.
var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.-]*$`)

// vendorRefRE finds the page's references to vendor files, which are
// rewritten to the versioned directory they are served from.
var vendorRefRE = regexp.MustCompile(`(["'])(\./)?vendor/`)

// asset is one file as served: its bytes, headers and, for text, a gzipped
// copy made on first demand.
type asset struct {
	body         []byte
	contentType  string
	etag         string
	cacheControl string
	compressible bool

	gzipOnce sync.Once
	gzipped  []byte // nil when gzip does not make it smaller
}

func newAsset(name string, body []byte, cacheControl string) *asset {
	sum := sha256.Sum256(body)
	ct := contentType(name)
	return &asset{
		body:         body,
		contentType:  ct,
		etag:         `"` + hex.EncodeToString(sum[:12]) + `"`,
		cacheControl: cacheControl,
		compressible: len(body) > 1024 && (strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json")),
	}
}

// gzipBody returns the gzipped body, or nil when it should go uncompressed.
func (a *asset) gzipBody() []byte {
	if !a.compressible {
		return nil
	}
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
		if _, err := zw.Write(a.body); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.body) {
			a.gzipped = buf.Bytes()
		}
	})
	return a.gzipped
}

// contentType is fixed here for what the viewer serves rather than taken
// from the host's mime.types: browsers refuse a module script served with any
// type but JavaScript's.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// loadAssets reads the viewer from fsys (the static directory) into the URL
// paths it is served at, relative to the mount point. It returns the
// vendored MapLibre version, "" when fsys has none.
func loadAssets(fsys fs.FS) (assets map[string]*asset, version string, err error) {
	assets = make(map[string]*asset)
	if v, err := fs.ReadFile(fsys, "vendor/VERSION"); err == nil {
		version = strings.TrimSpace(string(v))
		if !versionRE.MatchString(version) {
			version = ""
		}
		if _, err := fs.Stat(fsys, "vendor/maplibre-gl.mjs"); err != nil {
			version = ""
		}
	}
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		switch {
		case name == "index.html":
			if version == "" {
				return nil
			}
			body = vendorRefRE.ReplaceAll(body, []byte("${1}${2}vendor/"+version+"/"))
			assets["/"] = newAsset(name, body, revalidate)
		case strings.HasPrefix(name, "vendor/"):
			if version == "" || name == "vendor/VERSION" {
				return nil
			}
			rest := strings.TrimPrefix(name, "vendor/")
			assets["/vendor/"+version+"/"+rest] = newAsset(name, body, immutable)
		default:
			assets["/"+name] = newAsset(name, body, revalidate)
		}
		return nil
	})
	return assets, version, err
}
