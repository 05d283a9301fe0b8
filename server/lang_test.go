package server

import (
	"strings"
	"testing"
)

// TestInterfaceLanguage: /map/i18n.json picks the interface language from
// ?lang=, the switch's cookie, serve --lang and Accept-Language, in that
// order, passing over languages the interface does not come in.
func TestInterfaceLanguage(t *testing.T) {
	plain := newFixture(t, Config{})
	indonesian := newFixture(t, Config{Lang: "id"})
	for _, c := range []struct {
		name   string
		f      *fixture
		target string
		header []string
		want   string
	}{
		{"nothing said", plain, "/map/i18n.json", nil, "en"},
		{"browser in Indonesian", plain, "/map/i18n.json", []string{"Accept-Language", "id-ID,id;q=0.9,en;q=0.8"}, "id"},
		{"browser in French, not offered", plain, "/map/i18n.json", []string{"Accept-Language", "fr-FR"}, "en"},
		{"--lang id", indonesian, "/map/i18n.json", []string{"Accept-Language", "en-GB"}, "id"},
		{"switch to English over --lang", indonesian, "/map/i18n.json", []string{"Cookie", LangCookie + "=en"}, "en"},
		{"switch to Indonesian", plain, "/map/i18n.json", []string{"Cookie", LangCookie + "=id"}, "id"},
		{"a bad cookie passed over", indonesian, "/map/i18n.json", []string{"Cookie", LangCookie + "=zz-!!"}, "id"},
		{"link over switch", plain, "/map/i18n.json?lang=id", []string{"Cookie", LangCookie + "=en"}, "id"},
	} {
		w := c.f.get(t, c.target, c.header...)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", c.name, w.Code, w.Body)
		}
		var doc i18nDoc
		decodeJSON(t, w, &doc)
		if doc.Lang != c.want {
			t.Errorf("%s: lang %q, want %q", c.name, doc.Lang, c.want)
		}
		want := map[string]string{"en": "Layers", "id": "Lapisan"}[c.want]
		if doc.Strings["layers"] != want || len(doc.Languages) < 2 {
			t.Errorf("%s: layers is %q, %d languages; want %q and a choice", c.name, doc.Strings["layers"], len(doc.Languages), want)
		}
		if v := strings.Join(w.Header().Values("Vary"), ","); !strings.Contains(v, "Cookie") || !strings.Contains(v, "Accept-Language") {
			t.Errorf("%s: Vary %q, want Cookie and Accept-Language", c.name, v)
		}
	}
	if err := CheckLang("xx"); err == nil || !strings.Contains(err.Error(), `"xx"`) {
		t.Errorf("CheckLang(xx) = %v, want an error naming it", err)
	}
	if err := CheckLang("id"); err != nil {
		t.Errorf("CheckLang(id) = %v", err)
	}
}
