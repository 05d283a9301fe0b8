package server

import (
	"fmt"
	"net/http"

	"golang.org/x/text/language"

	"github.com/outcrop/outcrop/server/viewer"
)

// LangCookie is the cookie the viewer's and the catalogue's language
// switch sets: the interface language the reader chose.
const LangCookie = "outcrop-lang"

// uiMatcher matches a request's languages to those the interface comes in.
var uiLanguages = viewer.Languages()

var uiMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(uiLanguages))
	for i, l := range uiLanguages {
		tags[i] = language.Make(l)
	}
	return language.NewMatcher(tags)
}()

// CheckLang returns an error naming lang and the languages there are when
// the interface does not come in lang (Config.Lang, serve --lang).
func CheckLang(lang string) error {
	if lang == "" || viewer.Strings(lang) != nil {
		return nil
	}
	return fmt.Errorf("the interface does not come in %q; give one of %q", lang, uiLanguages)
}

// matchLang is the interface language closest to the given BCP 47 tags
// (Accept-Language's form), and whether one matched better than by default.
func matchLang(accept string) (string, bool) {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	_, i, conf := uiMatcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	return uiLanguages[i], true
}

// uiLang is the interface language of a request: ?lang= (a link), then
// the language switch's cookie, then the server's (Config.Lang, serve
// --lang), then the browser's Accept-Language, then English. A lang= or
// cookie the interface does not come in is passed over.
func (s *server) uiLang(r *http.Request) string {
	if l, ok := matchLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil {
		if l, ok := matchLang(c.Value); ok {
			return l
		}
	}
	if s.lang != "" {
		return s.lang
	}
	if l, ok := matchLang(r.Header.Get("Accept-Language")); ok {
		return l
	}
	return "en"
}

// i18nDoc is /map/i18n.json: the interface strings in the request's
// language, and the languages a switch offers, each named in itself.
type i18nDoc struct {
	Lang      string            `json:"lang"`
	Languages []i18nLanguage    `json:"languages"`
	Strings   map[string]string `json:"strings"`
}

type i18nLanguage struct {
	Lang string `json:"lang"`
	Name string `json:"name"`
}

// uiChoices are the languages a switch offers, each named in itself.
func uiChoices() []i18nLanguage {
	out := make([]i18nLanguage, 0, len(uiLanguages))
	for _, l := range uiLanguages {
		out = append(out, i18nLanguage{Lang: l, Name: viewer.Strings(l)["language"]})
	}
	return out
}

// handleI18n serves /map/i18n.json, chosen as uiLang says: it varies by
// Cookie and Accept-Language, so a cache must key on both.
func (s *server) handleI18n(w http.ResponseWriter, r *http.Request) error {
	lang := s.uiLang(r)
	doc := i18nDoc{Lang: lang, Strings: viewer.Strings(lang), Languages: uiChoices()}
	w.Header().Add("Vary", "Cookie, Accept-Language")
	return s.writeJSON(w, r, jsonDoc{cacheControl: "private, no-cache"}, doc)
}
