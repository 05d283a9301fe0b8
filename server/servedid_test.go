package server

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// TestServedIDEverywhere: a copy of a tileset file under another name (a
// backup moved into place, a renamed file) still holds the id it was written
// as; every document names it by the file name the store serves it under, so
// the combined style draws both, /styles lists each style once, and every
// link of the copy's styles and legends resolves.
func TestServedIDEverywhere(t *testing.T) {
	f := newFixture(t, Config{})
	data, err := os.ReadFile(filepath.Join(f.dir, geologyID+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	const backup = "geology_backup"
	if err := os.WriteFile(filepath.Join(f.dir, backup+tileset.Ext), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Refresh(); err != nil {
		t.Fatal(err)
	}

	w := f.get(t, "/styles/all.json")
	if w.Code != http.StatusOK {
		t.Fatalf("/styles/all.json: status %d: %s", w.Code, w.Body)
	}
	var all styleDoc
	if err := json.Unmarshal(w.Body.Bytes(), &all); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{geologyID, backup, faultsID} {
		if src, ok := all.Sources[id]; !ok || !strings.HasSuffix(src.URL, "/tiles/"+id+".json") {
			t.Errorf("combined style: source %q is %+v (present %v), want one on /tiles/%s.json", id, src, ok, id)
		}
	}
	layers := map[string]bool{}
	for _, l := range all.Layers {
		if layers[l.ID] {
			t.Errorf("combined style: layer %q twice", l.ID)
		}
		layers[l.ID] = true
	}

	w = f.get(t, "/styles")
	var list styleList
	decodeJSON(t, w, &list)
	var ids []string
	for _, s := range list.Styles {
		if slices.Contains(ids, s.ID) {
			t.Errorf("/styles lists %q twice", s.ID)
		}
		ids = append(ids, s.ID)
		if s.Tileset != "" && !strings.HasPrefix(s.ID, s.Tileset+".") {
			t.Errorf("/styles: style %q of tileset %q", s.ID, s.Tileset)
		}
		for _, l := range s.Links {
			f.mustResolve(t, "/styles "+s.ID, l.Href)
		}
	}
	if !slices.Contains(ids, backup+".default") {
		t.Errorf("/styles lists %q, want %s.default among them", ids, backup)
	}

	w = f.get(t, "/styles/"+backup+".default.json")
	if w.Code != http.StatusOK {
		t.Fatalf("style of the copy: status %d: %s", w.Code, w.Body)
	}
	var doc styleDoc
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Sources[backup]; !ok || len(doc.Sources) != 1 {
		t.Errorf("style of the copy has sources %v, want %q only", doc.Sources, backup)
	}
	for _, l := range doc.Layers {
		if l.Type != "background" && (l.Source != backup || !strings.HasPrefix(l.ID, backup+".")) {
			t.Errorf("style of the copy: layer %q on source %q", l.ID, l.Source)
		}
	}
	for _, src := range doc.Sources {
		f.mustResolve(t, "style source", src.URL)
	}

	w = f.get(t, "/collections/"+backup+"/legend")
	var leg legendDoc
	decodeJSON(t, w, &leg)
	if leg.Style != backup+".default" || leg.Tileset != backup {
		t.Errorf("legend of the copy: style %q, tileset %q; want %s.default, %s", leg.Style, leg.Tileset, backup, backup)
	}
	for _, l := range leg.Links {
		f.mustResolve(t, "legend", l.Href)
	}
	for _, target := range []string{"/collections/" + backup + "/legend?f=html", "/styles/" + backup + ".default.sld", "/styles/" + backup + ".default.qml"} {
		w = f.get(t, target)
		if w.Code != http.StatusOK {
			t.Errorf("%s: status %d", target, w.Code)
		}
		if body := w.Body.String(); strings.Contains(body, geologyID+".default") {
			t.Errorf("%s names the written id's style %s.default", target, geologyID)
		}
	}
}

// mustResolve fails the test unless href, a link of this server, answers 200.
func (f *fixture) mustResolve(t *testing.T, what, href string) {
	t.Helper()
	path := strings.TrimPrefix(href, "http://example.com")
	w := f.get(t, path)
	if w.Code != http.StatusOK {
		body, _ := io.ReadAll(w.Body)
		t.Errorf("%s: link %s: status %d: %.200s", what, href, w.Code, body)
	}
}
