package server

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/outcrop/outcrop/server/viewer"
	"github.com/outcrop/outcrop/styles"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// The home page a browser gets at / is a catalogue: a card per collection
// with a thumbnail map (an image of its own, thumbnail.go), its extent,
// licence, attribution and links, and a
// search over the collections. The search runs on the server (?q= and
// ?theme=), so the page needs no script; for tens of collections the cost
// is a scan of their metadata.

// cataloguePreview is how many features a card's thumbnail draws.
const cataloguePreview = 100

// catalogue is the home page's data.
type catalogue struct {
	*landing
	// Query and Theme are the search as given; Themes offers each theme
	// with how many collections it has.
	Query  string
	Theme  string
	Themes []themeChoice
	Cards  []catalogueCard
	// Lang is the interface language (uiLang), T its strings by key and
	// Languages the switch's choices.
	Lang      string
	T         map[string]string
	Languages []i18nLanguage
	// Matched says how many cards are shown, of how many, for what.
	Matched string
	// Total is how many collections there are, matched or not.
	Total int
}

// themeChoice is one theme of the catalogue's filter.
type themeChoice struct {
	Name    string
	Count   int
	Href    string
	Current bool
}

// catalogueCard is one collection on the home page.
type catalogueCard struct {
	collection
	Extent      string
	Features    int64
	Commodities []string
	// Thumbnail is the URL of the card's map (handleThumbnail).
	Thumbnail string
	// MapHref opens the map on this collection (over any basemap).
	MapHref string
	// Report is whether the collection has an edge-matching report.
	Report bool
	// Search is the lower-case text the search matches.
	search string
}

// writeCatalogueHTML answers a browser's / with the catalogue.
func (s *server) writeCatalogueHTML(w http.ResponseWriter, r *http.Request, base string, doc *landing) error {
	if err := s.heavy.enter(); err != nil {
		return err
	}
	defer s.heavy.leave()
	q := r.URL.Query()
	cat := catalogue{landing: doc, Query: strings.TrimSpace(q.Get("q")), Theme: strings.ToLower(strings.TrimSpace(q.Get("theme")))}
	cat.Lang = s.uiLang(r)
	cat.T, cat.Languages = viewer.Strings(cat.Lang), uiChoices()
	// The switch is a plain form (the page has no script): its choice is
	// remembered as the viewer's switch remembers it.
	if _, ok := matchLang(q.Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: cat.Lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	}
	all := s.catalogueCards(base, cat.Lang)
	cat.Total = len(all)
	var basemaps []string
	counts := map[string]int{}
	for _, c := range all {
		counts[c.Theme]++
		if c.Theme == "basemap" {
			basemaps = append(basemaps, c.ID)
		}
	}
	words := strings.Fields(strings.ToLower(cat.Query))
	for _, c := range all {
		c.MapHref = base + "/map/#layers=" + strings.Join(append(slices.Clone(basemaps), c.ID), ",")
		if cat.Theme != "" && c.Theme != cat.Theme {
			continue
		}
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(c.search, w) }) {
			cat.Cards = append(cat.Cards, c)
		}
	}
	for _, t := range themes {
		if counts[t] == 0 {
			continue
		}
		v := url.Values{"theme": {t}}
		if cat.Query != "" {
			v.Set("q", cat.Query)
		}
		cat.Themes = append(cat.Themes, themeChoice{Name: cat.T["theme."+t], Count: counts[t], Href: base + "/?" + v.Encode(), Current: t == cat.Theme})
	}
	cat.Matched = strings.NewReplacer("{n}", strconv.Itoa(len(cat.Cards)), "{total}", strconv.Itoa(cat.Total)).Replace(cat.T["cat.matched"])
	if cat.Query != "" {
		cat.Matched += " " + strings.ReplaceAll(cat.T["cat.matching"], "{q}", cat.Query)
	}
	if cat.Theme != "" {
		cat.Matched += " " + strings.ReplaceAll(cat.T["cat.in_theme"], "{theme}", cat.T["theme."+cat.Theme])
	}
	return s.writeHTML(w, r, "landing", &htmlPage{Title: doc.Title, Base: base, Links: doc.Links, JSON: base + "/?f=json", Data: &cat, Lang: cat.Lang, T: cat.T})
}

// catalogueCards describes every collection the catalog lists, by title.
// cardKey names a catalogue card: a version of a tileset as shown under
// a base URL in a language.
type cardKey struct{ id, version, base, lang string }

// maxCards is how many cards the server keeps drawn.
const maxCards = 1024

func (s *server) catalogueCards(base, lang string) []catalogueCard {
	var cards []catalogueCard
	for id, ts := range s.tilesets() {
		// A card costs a scan of metadata and vocabularies, not worth
		// redoing at each visit.
		key := cardKey{id: id, version: ts.Metadata().Version, base: base, lang: lang}
		c, _ := s.cards.get(key, func() (catalogueCard, int, error) { return s.catalogueCard(ts, id, base, lang), 1, nil })
		cards = append(cards, c)
	}
	sort.SliceStable(cards, func(i, j int) bool { return strings.ToLower(cards[i].Title) < strings.ToLower(cards[j].Title) })
	return cards
}

func (s *server) catalogueCard(ts *tileset.Reader, id, base, lang string) catalogueCard {
	m := ts.Metadata()
	c := catalogueCard{collection: newCollection(m, id, base), Features: m.FeatureCount, Commodities: commodityLabels(m, lang)}
	b := m.Bounds
	c.Extent = strings.NewReplacer("{west}", degrees(b[0], "E", "W"), "{east}", degrees(b[2], "E", "W"),
		"{south}", degrees(b[1], "N", "S"), "{north}", degrees(b[3], "N", "S")).Replace(viewer.Strings(lang)["page.extent_text"])
	c.Thumbnail = thumbnailHref(base, id, m)
	c.Report = hasReport(ts)
	c.search = strings.ToLower(strings.Join(append(append([]string{id, c.Title, c.Description, c.Theme, c.Attribution, c.License,
		strings.Join(c.Keywords, " "), m.Source.File}, c.Commodities...), commodityLabels(m, "en")...), " "))
	return c
}

// commodityLabels names the commodities of a tileset's features, by their
// vocabulary labels in English, most common first.
func commodityLabels(m *tileset.Metadata, lang string) []string {
	counts := m.ValueCounts[styles.FieldCommodity]
	uris := make([]string, 0, len(counts))
	for u := range counts {
		uris = append(uris, u)
	}
	sort.Slice(uris, func(i, j int) bool {
		if counts[uris[i]] != counts[uris[j]] {
			return counts[uris[i]] > counts[uris[j]]
		}
		return uris[i] < uris[j]
	})
	var out []string
	for _, u := range uris {
		if c, ok := vocab.Lookup(u); ok {
			if l := c.Label(lang); l != "" && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// degrees writes a longitude or latitude as 117.25° E.
func degrees(v float64, pos, neg string) string {
	h := pos
	if v < 0 {
		h, v = neg, -v
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "° " + h
}
