package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/glyphs"
	"github.com/outcrop/outcrop/styles"
)

// notoFonts opens a library of two of Debian's Noto fonts, linked into a
// temporary directory. Without them the test fails in CI (make deps-test
// installs fonts-noto-core) and skips elsewhere.
func notoFonts(t *testing.T) *glyphs.Library {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"NotoSans-Regular.ttf", "NotoSansThai-Regular.ttf"} {
		src := filepath.Join(glyphs.DefaultDirs[0], name)
		if _, err := os.Stat(src); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("fonts-noto-core is not installed: %v", err)
			}
			t.Skipf("fonts-noto-core is not installed: %v", err)
		}
		if err := os.Symlink(src, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	l, err := glyphs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestFonts(t *testing.T) {
	f := newFixture(t, Config{Fonts: notoFonts(t)})

	var names []string
	decodeJSON(t, f.get(t, "/fonts.json"), &names)
	if want := []string{"Noto Sans Regular", "Noto Sans Thai Regular"}; !slices.Equal(names, want) {
		t.Errorf("/fonts.json = %q, want %q", names, want)
	}

	const thai = "/fonts/Noto%20Sans%20Regular,Noto%20Sans%20Thai%20Regular/3584-3839.pbf"
	w := f.get(t, thai)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/x-protobuf" {
		t.Fatalf("status %d, Content-Type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	// The fontstack's name and range lead the message; the Thai glyphs
	// follow, each with a bitmap: tens of kilobytes.
	body := w.Body.Bytes()
	if !strings.Contains(string(body[:80]), "Noto Sans Regular,Noto Sans Thai Regular") || !strings.Contains(string(body[:100]), "3584-3839") {
		t.Errorf("the PBF does not start with its fontstack and range: %q", body[:100])
	}
	if len(body) < 20000 {
		t.Errorf("the Thai range is %d bytes, want the glyphs of Noto Sans Thai (> 20 KB)", len(body))
	}
	etag := w.Header().Get("ETag")
	if etag == "" || w.Header().Get("Cache-Control") != "public, max-age=86400" {
		t.Errorf("ETag %q, Cache-Control %q", etag, w.Header().Get("Cache-Control"))
	}
	if w := f.get(t, thai, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("a revalidation: status %d, want 304", w.Code)
	}
	// Another spelling of the same stack is the same cached range.
	if w := f.get(t, "/fonts/Noto%20Sans%20Regular,Comic%20Sans,Noto%20Sans%20Thai%20Regular/3584-3839.pbf"); w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), body) {
		t.Errorf("a respelled stack: status %d, %d bytes, want the same %d bytes", w.Code, w.Body.Len(), len(body))
	}
	// Latin alone has no Thai: the range is just its name.
	if w := f.get(t, "/fonts/Noto%20Sans%20Regular/3584-3839.pbf"); w.Code != http.StatusOK || w.Body.Len() > 100 {
		t.Errorf("Thai of Noto Sans: status %d, %d bytes, want 200 and no glyphs", w.Code, w.Body.Len())
	}

	// The Thai font's own file, for MapLibre's font-faces.
	w = f.get(t, "/fonts/Noto%20Sans%20Thai%20Regular.ttf")
	want, _ := os.ReadFile(filepath.Join(glyphs.DefaultDirs[0], "NotoSansThai-Regular.ttf"))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "font/ttf" || !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("the Thai font file: status %d, Content-Type %q, %d bytes, want 200, font/ttf and the file's %d", w.Code, w.Header().Get("Content-Type"), w.Body.Len(), len(want))
	}
	wantError(t, f.get(t, "/fonts/Comic%20Sans%20Regular.ttf"), http.StatusNotFound, "NotFound")

	e := wantError(t, f.get(t, "/fonts/Comic%20Sans%20Regular/0-255.pbf"), http.StatusNotFound, "NotFound")
	if !strings.Contains(e.Description, `"Comic Sans Regular"`) || !strings.Contains(e.Description, "/fonts.json") {
		t.Errorf("unknown font: %q, want the fontstack named and /fonts.json", e.Description)
	}
	for _, rng := range []string{"65536-65791", "0-256", "abc"} {
		e := wantError(t, f.get(t, "/fonts/Noto%20Sans%20Regular/"+rng+".pbf"), http.StatusBadRequest, "InvalidParameterValue")
		if !strings.Contains(e.Description, `"`+rng+`"`) {
			t.Errorf("range %s: %q does not name it", rng, e.Description)
		}
	}
}

// TestStylesUseServedGlyphs: with fonts, styles point MapLibre at this
// server's glyphs; without, they have no glyphs and no text.
func TestStylesUseServedGlyphs(t *testing.T) {
	for _, fonts := range []*glyphs.Library{notoFonts(t), nil} {
		f := newFixture(t, Config{Fonts: fonts})
		var doc struct {
			Glyphs    string
			FontFaces map[string][]struct{ URL string } `json:"font-faces"`
		}
		w := f.get(t, "/styles/all.json", "Host", "example.org")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		want := ""
		if fonts != nil {
			want = "http://example.org/fonts/{fontstack}/{range}.pbf"
		}
		if doc.Glyphs != want {
			t.Errorf("fonts %v: glyphs %q, want %q", fonts != nil, doc.Glyphs, want)
		}
		// The geology units are labelled, so the style names the Thai
		// font's file, here, for MapLibre to draw Thai with.
		thai := doc.FontFaces["Noto Sans Thai Regular"]
		if fonts != nil && (len(thai) != 1 || thai[0].URL != "http://example.org/fonts/Noto%20Sans%20Thai%20Regular.ttf") {
			t.Errorf("font-faces of Noto Sans Thai Regular: %+v", thai)
		}
		if fonts == nil && doc.FontFaces != nil {
			t.Errorf("font-faces %+v without fonts", doc.FontFaces)
		}
	}
}

// TestFontsNone: a server without fonts lists none and says how to add them.
func TestFontsNone(t *testing.T) {
	f := newFixture(t, Config{})
	var names []string
	decodeJSON(t, f.get(t, "/fonts.json"), &names)
	if names == nil || len(names) != 0 {
		t.Errorf("/fonts.json = %q, want []", names)
	}
	e := wantError(t, f.get(t, "/fonts/Noto%20Sans%20Regular/0-255.pbf"), http.StatusNotFound, "NotFound")
	if !strings.Contains(e.Description, "--fonts") {
		t.Errorf("%q does not say how to serve fonts", e.Description)
	}
}

// TestWarmGlyphs: the ranges drawn ahead are those of the styles' label
// fontstacks, cached under the stack as served, so that the first request
// for one, in the styles' spelling, is answered from the cache; without
// fonts, or with none of the stacks', nothing is drawn and nothing fails.
func TestWarmGlyphs(t *testing.T) {
	f := newFixture(t, Config{})
	s := newServer(Config{Catalog: f.store, Fonts: notoFonts(t)})
	s.warmGlyphs()
	const stack = "Noto Sans Regular,Noto Sans Thai Regular" // the styles' stack, of the fonts served
	if n := s.glyphs.len(); n != len(warmRanges) {
		t.Errorf("%d ranges drawn ahead, want %d", n, len(warmRanges))
	}
	stacks, err := styles.LabelFontstacks()
	if err != nil {
		t.Fatal(err)
	}
	for _, start := range warmRanges {
		cached, err := s.glyphs.get(glyphKey{stack, start}, func() ([]byte, int, error) {
			return nil, 0, fmt.Errorf("range %d of %q was not drawn ahead", start, stack)
		})
		if err != nil {
			t.Error(err)
			continue
		}
		target := fmt.Sprintf("/fonts/%s/%d-%d.pbf", url.PathEscape(stacks[0]), start, start+255)
		w := httptest.NewRecorder()
		s.routes().ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), cached) {
			t.Errorf("GET %s: status %d, %d bytes, want the %d cached", target, w.Code, w.Body.Len(), len(cached))
		}
	}
	if _, ok := s.glyphs.entries[glyphKey{stack, 0x0e00}]; !ok {
		t.Error("Thai (3584-3839) was not drawn ahead")
	}

	newServer(Config{Catalog: f.store}).warmGlyphs() // no fonts: nothing to do
	other, err := glyphs.Open(otherFontDir(t))
	if err != nil {
		t.Fatal(err)
	}
	s = newServer(Config{Catalog: f.store, Fonts: other})
	s.warmGlyphs()
	if n := s.glyphs.len(); n != 0 {
		t.Errorf("%d ranges drawn ahead of fonts the styles do not name", n)
	}
}

// otherFontDir is a directory of one Noto font that no style names.
func otherFontDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(glyphs.DefaultDirs[0], "NotoMusic-Regular.ttf")
	if _, err := os.Stat(src); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("fonts-noto-core is not installed: %v", err)
		}
		t.Skipf("fonts-noto-core is not installed: %v", err)
	}
	if err := os.Symlink(src, filepath.Join(dir, "NotoMusic-Regular.ttf")); err != nil {
		t.Fatal(err)
	}
	return dir
}
