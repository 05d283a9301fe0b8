package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/outcrop/outcrop/download"
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

// linkTitleKeys are the interface strings of the links' titles, by the
// English title the JSON documents carry: an HTML page lists its links in
// the reader's language (pageLinks), the JSON keeps the English.
var linkTitleKeys = map[string]string{
	"This document":            "link.self",
	"This document as HTML":    "link.self_html",
	"The collection":           "link.collection",
	"This collection":          "link.this_collection",
	"This collection as HTML":  "link.this_collection_html",
	"The features, as GeoJSON": "link.items_geojson",
	"The features, as HTML":    "link.items_html",
	"The features of the current version, as GeoJSON (immutable URLs)": "link.items_version",
	"The properties the features can be filtered on":                   "link.queryables",
	"Vector tilesets (OGC API - Tiles)":                                "link.tilesets_vector",
	"Map tilesets (OGC API - Tiles)":                                   "link.tilesets_map",
	"TileJSON 3.0.0 of the vector tiles":                               "link.tilejson_vector",
	"TileJSON of the tileset":                                          "link.tilejson_tileset",
	"Vector tiles (XYZ, WebMercatorQuad)":                              "link.xyz_vector",
	"Vector tiles of this version (immutable)":                         "link.xyz_version",
	"Map tiles (WebMercatorQuad)":                                      "link.map_tiles",
	"MapLibre style":                                                   "link.style",
	"SLD 1.1 / SE 1.1 style for this layer (QGIS, GeoServer)":          "link.sld_layer",
	"QGIS layer style (QML) for this layer":                            "link.qml_layer",
	"SLD 1.1 / SE 1.1 style (QGIS, GeoServer)":                         "link.sld",
	"QGIS layer style (QML)":                                           "link.qml",
	"Every style, with its MapLibre, SLD and QML encodings":            "link.styles",
	"The style this legend belongs to":                                 "link.legend_style",
	"This legend as HTML":                                              "link.legend_html",
	"Legend":                                                           "link.legend",
	"Map viewer":                                                       "link.viewer",
	reportLinkTitle:                                                    "link.report",
	reportJSONLinkTitle:                                                "link.report_json",
	"The tile matrix set":                                              "link.tms",
	"Tile matrix sets":                                                 "link.tms_all",
	"Previous page":                                                    "link.prev",
	"Next page":                                                        "link.next",
	"This feature as HTML":                                             "link.feature_html",
	"This feature as GeoJSON":                                          "link.feature_geojson",
	"The tilesets, as collections":                                     "link.collections",
	"This report as JSON":                                              "link.report_json",
	"This report as CSV":                                               "link.report_csv",
	"The tileset metadata":                                             "link.tileset_meta",
	"Band values at a point (lon=, lat=)":                              "link.band_values",
	"WMTS 1.0.0 capabilities (one layer per raster)":                   "link.wmts",
}

// downloadLinkPrefix begins the title of a download link (download.go).
const downloadLinkPrefix = "Download every feature as "

// pageLinks returns links with their titles in t's language, for a page;
// a title the catalogue lacks (a collection's own) is left as it is.
func pageLinks(links []link, t map[string]string) []link {
	out := slices.Clone(links)
	for i, l := range out {
		if k, ok := linkTitleKeys[l.Title]; ok {
			out[i].Title = t[k]
		} else if name, ok := strings.CutPrefix(l.Title, downloadLinkPrefix); ok {
			out[i].Title = strings.ReplaceAll(t["link.download_as"], "{format}", downloadTitle(name, t))
		}
	}
	return out
}

// downloadTitle is the title of a download format in t's language, by its
// English title (download.Formats).
func downloadTitle(title string, t map[string]string) string {
	for _, f := range download.Formats {
		if f.Title == title {
			if s, ok := t["download."+f.Name]; ok {
				return s
			}
		}
	}
	return title
}
