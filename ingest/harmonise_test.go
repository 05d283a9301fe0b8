package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"

	"github.com/outcrop/outcrop/harmonise"
	"github.com/outcrop/outcrop/tileset"
	"github.com/outcrop/outcrop/vocab"
)

// The demo's GSWA Hamersley geology and its mapping, in the repository.
const (
	gswaGeology = "../data/geology/gswa-hamersley/geology.geojson"
	gswaMapping = "../data/mappings/gswa-geology.yaml"
	icsNS       = "http://resource.geosciml.org/classifier/ics/ischart/"
)

// storedDoc is the harmonisation document as FORMAT.md describes it.
type storedDoc struct {
	Mapping  string `json:"mapping"`
	View     string `json:"view"`
	Features int    `json:"features"`
	Fields   []tileset.Field
	Unmapped []harmonise.Unmapped    `json:"unmapped"`
	Legend   *harmonise.LegendReport `json:"legend"`
}

// TestRunWithMapping ingests the GSWA geology through its mapping: every
// unit reaches the tiles with the ICS age URI of its agefrom name, the
// source's fields beside the harmonised ones; the stored report lists
// exactly the one unmapped lithology; the metadata counts the features per
// age, and lists the units, as the styles need them.
func TestRunWithMapping(t *testing.T) {
	store := t.TempDir()
	var printed bytes.Buffer
	sum, err := Run(context.Background(), gswaGeology, Options{
		Store: store, ID: "gswa-geology", MaxZoom: 9, Mapping: gswaMapping, Report: &printed,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Harmonisation == nil || sum.Harmonisation.Features != 61 {
		t.Fatalf("summary's harmonisation report: %+v", sum.Harmonisation)
	}
	if !strings.Contains(printed.String(), `"pyroxene spinifex-textured basalt": 1 feature`) {
		t.Errorf("printed report lacks the unmapped lithology:\n%s", printed.String())
	}

	r, err := tileset.Open(filepath.Join(store, "gswa-geology"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()

	// The schema: harmonised fields first, in the view's order, then the
	// source's own.
	names := map[string]int{}
	for i, f := range m.Fields {
		names[f.Name] = i
	}
	if m.Fields[0].Name != harmonise.FieldIdentifier {
		t.Errorf("first field %q, want identifier", m.Fields[0].Name)
	}
	for _, f := range []string{harmonise.FieldRepresentativeAgeURI, harmonise.FieldRepresentativeLithologyURI, "agefrom", "ageto", "code"} {
		if _, ok := names[f]; !ok {
			t.Errorf("metadata fields lack %q", f)
		}
	}
	if names[harmonise.FieldRepresentativeAgeURI] > names["agefrom"] {
		t.Error("harmonised fields do not come before the source's")
	}

	wantAges := map[string]int64{icsNS + "Neoarchean": 45, icsNS + "Paleoproterozoic": 11, icsNS + "Paleoarchean": 5}
	if got := m.ValueCounts[harmonise.FieldRepresentativeAgeURI]; !equalCounts(got, wantAges) {
		t.Errorf("value counts of representativeAge_uri = %v, want %v", got, wantAges)
	}
	if got := m.ValueCounts[harmonise.FieldRepresentativeLithologyURI][harmonise.NilUnknown]; got != 1 {
		t.Errorf("value counts give %d features an unknown lithology, want 1", got)
	}
	if _, ok := m.ValueCounts["agefrom"]; ok {
		t.Error("value counts hold a source field")
	}
	// The legend of units: the 19 codes of the 61 polygons, each with the
	// age its features share, from which the geology-unit style is made.
	if u := m.Units; u == nil || u.Field != "code" || len(u.Units) != 19 {
		t.Errorf("metadata units %+v; want the 19 unit codes of field code", u)
	} else {
		var n int64
		for _, x := range u.Units {
			n += x.Features
			if x.Code == "A-HAm-cib" && (x.Age != icsNS+"Neoarchean" || x.Name != "Marra Mamba Iron Formation" || x.Features != 7) {
				t.Errorf("unit A-HAm-cib: %+v", x)
			}
		}
		if n != 61 {
			t.Errorf("units hold %d features, want 61", n)
		}
	}

	raw, err := r.Meta(tileset.MetaHarmonisation)
	if err != nil || raw == nil {
		t.Fatalf("stored harmonisation: %q, %v", raw, err)
	}
	var doc storedDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Mapping != "gswa-geology.yaml" || doc.View != harmonise.ViewGeologicUnit || doc.Features != 61 {
		t.Errorf("stored report: mapping %q, view %q, %d features", doc.Mapping, doc.View, doc.Features)
	}
	if len(doc.Unmapped) != 1 || doc.Unmapped[0].Value != "pyroxene spinifex-textured basalt" ||
		doc.Unmapped[0].Field != harmonise.FieldRepresentativeLithologyURI || doc.Unmapped[0].Features != 1 {
		t.Errorf("stored unmapped values: %+v; want exactly the pyroxene spinifex-textured basalt, 1 feature", doc.Unmapped)
	}
	if doc.Legend == nil || doc.Legend.Field != "code" || len(doc.Legend.Units) != 19 || doc.Legend.Uncoloured != 19 {
		t.Errorf("stored legend of units: %+v; want 19 units by code, none coloured by the survey", doc.Legend)
	}
	if !strings.Contains(printed.String(), "legend: 19 units by code") {
		t.Errorf("printed report lacks the legend:\n%s", printed.String())
	}
	if len(doc.Fields) == 0 || doc.Fields[0].Name != harmonise.FieldIdentifier {
		t.Errorf("stored harmonised fields: %+v", doc.Fields)
	}
	for _, f := range doc.Fields {
		if f.Name == "agefrom" {
			t.Error("stored harmonised fields list a source field")
		}
	}

	// Every unit, in the tiles, carries the ICS unit its agefrom names.
	seen := map[string]bool{}
	err = r.ForEach(func(z, x, y int, gz []byte) error {
		layers, err := mvt.UnmarshalGzipped(gz)
		if err != nil {
			return err
		}
		for _, f := range layers[0].Features {
			older, _, err := vocab.ParseAge(f.Properties.MustString("agefrom"))
			if err != nil {
				return fmt.Errorf("feature %v: %v", f.ID, err)
			}
			if got := f.Properties[harmonise.FieldRepresentativeAgeURI]; got != older.URI {
				return fmt.Errorf("tile %d/%d/%d, feature %v (agefrom %v): representativeAge_uri %v, want %s",
					z, x, y, f.ID, f.Properties["agefrom"], got, older.URI)
			}
			seen[fmt.Sprint(f.ID)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 61 {
		t.Errorf("%d units in the tiles, want 61", len(seen))
	}
}

func equalCounts(got, want map[string]int64) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestRunStrictRefuses: --strict fails on the GSWA mapping's one unmapped
// value, names it, and leaves the previous version in place.
func TestRunStrictRefuses(t *testing.T) {
	store := t.TempDir()
	if _, err := Run(context.Background(), gswaGeology, Options{Store: store, ID: "gswa", MaxZoom: 6}); err != nil {
		t.Fatal(err)
	}
	before := storeSnapshot(t, store)
	var printed bytes.Buffer
	_, err := Run(context.Background(), gswaGeology, Options{
		Store: store, ID: "gswa", MaxZoom: 6, Mapping: gswaMapping, Strict: true, Report: &printed,
	})
	assertUserError(t, err, "--strict", "gswa-geology.yaml", "1 feature with an unmapped value")
	if !strings.Contains(printed.String(), "pyroxene spinifex-textured basalt") {
		t.Errorf("the report printed before refusing lacks the unmapped value:\n%s", printed.String())
	}
	assertStoreUnchanged(t, store, before)
}

// TestRunBadMapping: a mapping with malformed YAML, a field the source
// lacks or a URI outside the vocabulary fails with the mapping's file and
// line, before anything is written.
func TestRunBadMapping(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	os.Mkdir(store, 0o755)
	good := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	if _, err := Run(context.Background(), good, Options{Store: store, ID: "deposits", MaxZoom: 4}); err != nil {
		t.Fatal(err)
	}
	before := storeSnapshot(t, store)

	cases := []struct {
		name, file, yaml string
		want             []string
	}{
		{"malformed YAML", "malformed.yaml", "view: MineralOccurrenceView\nfields:\n  name: name\n   identifier: name\n", []string{"malformed.yaml:4", "YAML"}},
		{"missing field", "missing.yaml", "view: MineralOccurrenceView\nfields:\n  identifier: name\n  name: deposit_name\n", []string{"missing.yaml:4", `"deposit_name"`}},
		{"URI not in vocabulary", "uri.yaml", "view: MineralOccurrenceView\nfields:\n  name: name\n  representativeCommodity_uri: {constant: unobtainium}\n",
			[]string{"uri.yaml:4", "unobtainium"}},
		{"unknown view field", "field.yaml", "view: MineralOccurrenceView\nfields:\n  commodity_uri: name\n", []string{"field.yaml:3", "commodity_uri"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFile(t, dir, tc.file, tc.yaml)
			_, err := Run(context.Background(), good, Options{Store: store, ID: "deposits", MaxZoom: 4, Mapping: file})
			assertUserError(t, err, append([]string{"--mapping"}, tc.want...)...)
			assertStoreUnchanged(t, store, before)
		})
	}
	t.Run("missing mapping file", func(t *testing.T) {
		_, err := Run(context.Background(), good, Options{Store: store, ID: "deposits", Mapping: filepath.Join(dir, "nope.yaml")})
		assertUserError(t, err, "--mapping", "nope.yaml")
		assertStoreUnchanged(t, store, before)
	})
	t.Run("bad language", func(t *testing.T) {
		_, err := Run(context.Background(), good, Options{Store: store, ID: "deposits", Language: "not a tag"})
		assertUserError(t, err, "--lang", "BCP 47")
		assertStoreUnchanged(t, store, before)
	})
}

func assertStoreUnchanged(t *testing.T, store string, before map[string][]byte) {
	t.Helper()
	after := storeSnapshot(t, store)
	if len(after) != len(before) {
		t.Errorf("store holds %d files, had %d", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed", name)
		}
	}
}

// TestRunCountsNativeURIFields: a source that already carries GeoSciML-Lite
// fields gets value counts without a mapping (so it can be styled), and no
// harmonisation document; its language is kept, canonicalised.
func TestRunCountsNativeURIFields(t *testing.T) {
	dir := t.TempDir()
	permian, jurassic := icsNS+"Permian", icsNS+"Jurassic"
	src := writeFile(t, dir, "units.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"representativeAge_uri":"`+permian+`","note":"a"},"geometry":{"type":"Polygon","coordinates":[[[100,10],[101,10],[101,11],[100,10]]]}},
{"type":"Feature","properties":{"representativeAge_uri":"`+permian+`","note":"b"},"geometry":{"type":"Polygon","coordinates":[[[102,10],[103,10],[103,11],[102,10]]]}},
{"type":"Feature","properties":{"representativeAge_uri":"`+jurassic+`","note":"c"},"geometry":{"type":"Polygon","coordinates":[[[104,10],[105,10],[105,11],[104,10]]]}}]}`)
	store := t.TempDir()
	if _, err := Run(context.Background(), src, Options{Store: store, ID: "units", MaxZoom: 4, Language: "TH"}); err != nil {
		t.Fatal(err)
	}
	r, err := tileset.Open(filepath.Join(store, "units"+tileset.Ext))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := r.Metadata()
	want := map[string]int64{permian: 2, jurassic: 1}
	if got := m.ValueCounts[harmonise.FieldRepresentativeAgeURI]; !equalCounts(got, want) || len(m.ValueCounts) != 1 {
		t.Errorf("value counts %v, want only representativeAge_uri %v", m.ValueCounts, want)
	}
	if m.Language != "th" {
		t.Errorf("language %q, want th", m.Language)
	}
	if doc, err := r.Meta(tileset.MetaHarmonisation); doc != nil || err != nil {
		t.Errorf("a tileset ingested without a mapping has a harmonisation document %q (%v)", doc, err)
	}
}

// TestValueCountsKeepMostFrequent bounds the counts of a field holding
// more distinct values than a legend can list.
func TestValueCountsKeepMostFrequent(t *testing.T) {
	c := map[string]int64{"a": 5, "b": 1, "c": 5, "d": 3}
	got := mostFrequent(c, 2)
	if !equalCounts(got, map[string]int64{"a": 5, "c": 5}) {
		t.Errorf("mostFrequent = %v", got)
	}
}

// TestLanguageCanonical: --lang is kept as a canonical BCP 47 tag, and
// English, whose labels are always shown, as none.
func TestLanguageCanonical(t *testing.T) {
	for in, want := range map[string]string{"th": "th", "VI-vn": "vi-VN", "en": "", "en-AU": "", "": ""} {
		opts := Options{Language: in}
		if err := loadHarmonisation(&opts); err != nil || opts.Language != want {
			t.Errorf("--lang %q: %q, %v; want %q", in, opts.Language, err, want)
		}
	}
}

// TestRunMappingLeavesOutMandatory: a mapping without identifier, which
// every view requires, is ingested with a one-line warning naming the
// mapping file, the field and the fix; --strict refuses it, writing
// nothing.
func TestRunMappingLeavesOutMandatory(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, dir, "deposits.geojson", depositsGeoJSON)
	mapping := writeFile(t, dir, "deposits.yaml", "view: MineralOccurrenceView\nfields:\n  name: name\n  mineralOccurrenceType: {constant: deposit}\n  commodity: {constant: gold}\n")
	store := filepath.Join(dir, "store")
	os.Mkdir(store, 0o755)
	var logs logRecorder
	if _, err := Run(context.Background(), src, Options{Store: store, ID: "deposits", MaxZoom: 4, Mapping: mapping, Logger: logs.logger()}); err != nil {
		t.Fatal(err)
	}
	if !logs.contains("harmonise: deposits.yaml: MineralOccurrenceView requires identifier in every feature, and the mapping leaves it out") ||
		!logs.contains(`map it under fields:, e.g. identifier: {template:`) || logs.contains("requires commodity") {
		t.Errorf("warnings %q", logs.msgs)
	}
	before := storeSnapshot(t, store)
	_, err := Run(context.Background(), src, Options{Store: store, ID: "deposits", MaxZoom: 4, Mapping: mapping, Strict: true})
	assertUserError(t, err, "--strict", "deposits.yaml", "the mapping leaves out identifier, which MineralOccurrenceView requires")
	assertStoreUnchanged(t, store, before)
}
