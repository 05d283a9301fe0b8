package viewer

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// i18nDir holds one table of interface strings per language, {lang}.json
// (a BCP 47 tag), served with the viewer at /map/i18n/{lang}.json: the
// viewer's and the catalogue's labels by key. en.json has every key.
const i18nDir = "static/i18n"

// tables are the string tables by language, read once.
var tables = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{}
	entries, _ := fs.ReadDir(static, i18nDir) // embedded: readable
	for _, e := range entries {
		lang, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		raw, err := fs.ReadFile(static, path.Join(i18nDir, e.Name()))
		var t map[string]string
		if err == nil && json.Unmarshal(raw, &t) == nil {
			out[lang] = t
		}
	}
	return out
})

// Languages lists the languages the interface comes in, English first and
// the others in the order of their tags.
func Languages() []string {
	var out []string
	for lang := range tables() {
		if lang != "en" {
			out = append(out, lang)
		}
	}
	slices.Sort(out)
	return append([]string{"en"}, out...)
}

// Strings returns the interface strings of lang by key (nil when the
// interface does not come in lang); a key its table lacks has the English.
func Strings(lang string) map[string]string {
	t, ok := tables()[lang]
	if !ok {
		return nil
	}
	out := make(map[string]string, len(tables()["en"]))
	for k, v := range tables()["en"] {
		out[k] = v
	}
	for k, v := range t {
		out[k] = v
	}
	return out
}
