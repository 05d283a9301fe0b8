package server

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tileset"
)

// TestUnitLegendServed: a tileset with a legend of units offers the
// geology-unit style; its legend, over HTTP, lists the units by age, the
// oldest at the bottom, with the survey's colour where it gives one; the
// style and its SLD fill that unit in exactly that colour.
func TestUnitLegendServed(t *testing.T) {
	dir := t.TempDir()
	commit(t, dir, "mapunits", nil, &tileset.Metadata{
		Title: "Map units", Layer: "mapunits", GeometryType: "polygon",
		Fields: []tileset.Field{{Name: "representativeAge_uri", Type: "string"}, {Name: "code", Type: "string"}},
		Bounds: [4]float64{100, 10, 105, 15}, MinZoom: 0, MaxZoom: 8, FeatureCount: 6,
		ValueCounts: map[string]map[string]int64{"representativeAge_uri": {icsPermian: 4, icsJurassic: 2}},
		Units: &tileset.Units{Field: "code", Units: []tileset.Unit{
			{Code: "Jls", Name: "Limestone", Age: icsJurassic, Features: 2},
			{Code: "Pgr", Name: "Granite", Age: icsPermian, Colour: "#E06060", Features: 3},
			{Code: "Prh", Name: "Rhyolite", Age: icsPermian, Features: 1},
		}},
	})
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := New(Config{Catalog: st, Logger: slog.New(slog.DiscardHandler)})

	w := serve(h, httptestRequest(http.MethodGet, "/collections/mapunits/legend?style=geology-unit"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var doc legendDoc
	decodeJSON(t, w, &doc)
	if strings.Join(doc.Styles, " ") != "geology-unit geology-age default" || doc.Field != "code" {
		t.Errorf("styles %q, field %q", doc.Styles, doc.Field)
	}
	var got []string
	for _, e := range doc.Entries {
		got = append(got, e.Code+" "+e.Label)
	}
	if strings.Join(got, "; ") != "Jls Limestone (Jls); Pgr Granite (Pgr); Prh Rhyolite (Prh)" {
		t.Errorf("entries %q; want the Jurassic unit above the Permian ones", got)
	}
	if doc.Entries[1].Colour != "#E06060" || doc.Entries[2].Colour == "#E06060" {
		t.Errorf("Pgr %s, Prh %s; want the survey's #E06060 for Pgr only", doc.Entries[1].Colour, doc.Entries[2].Colour)
	}

	w = serve(h, httptestRequest(http.MethodGet, "/styles/mapunits.geology-unit.json"))
	if w.Code != http.StatusOK || !strings.Contains(strings.Join(strings.Fields(w.Body.String()), ""), `["Pgr"],"#E06060"`) {
		t.Errorf("style: status %d, fill of Pgr not #E06060: %s", w.Code, w.Body)
	}
	w = serve(h, httptestRequest(http.MethodGet, "/styles/mapunits.geology-unit.sld"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "#E06060") || !strings.Contains(w.Body.String(), "Pgr") {
		t.Errorf("SLD: status %d, no Pgr in #E06060: %s", w.Code, w.Body)
	}
	w = serve(h, httptestRequest(http.MethodGet, "/collections/mapunits/legend?style=geology-unit&f=html"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Granite (Pgr)") {
		t.Errorf("HTML legend: status %d, no Granite (Pgr)", w.Code)
	}
}
