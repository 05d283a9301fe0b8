package tileset

import (
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestMetaRoundTrip stores a harmonisation document and value counts and
// reads them back, through the Reader and through bbolt alone as FORMAT.md
// describes, also when Commit had to compact the file (tiles written out of
// key order), which copies every bucket.
func TestMetaRoundTrip(t *testing.T) {
	for _, ordered := range []bool{true, false} {
		dir := t.TempDir()
		w, err := Create(dir, "geology")
		if err != nil {
			t.Fatal(err)
		}
		tiles := pyramid(t, "v1", 2)
		if !ordered {
			slices.Reverse(tiles)
		}
		for _, tile := range tiles {
			if err := w.PutTiles([]Tile{tile}); err != nil {
				t.Fatal(err)
			}
		}
		doc := []byte(`{"mapping":"gswa-geology.yaml","unmapped":[]}`)
		if err := w.PutMeta(MetaHarmonisation, doc); err != nil {
			t.Fatal(err)
		}
		doc[0] = 'X' // PutMeta must have copied it
		age := "http://resource.geosciml.org/classifier/ics/ischart/Permian"
		meta := &Metadata{Title: "Geology", Layer: "geology", GeometryType: "polygon", Language: "th",
			Description: "Bedrock geology of the Hamersley region", Keywords: []string{"geology", "Hamersley"},
			ValueCounts: map[string]map[string]int64{"representativeAge_uri": {age: 12}}}
		if err := w.Commit(meta); err != nil {
			t.Fatal(err)
		}

		r, err := Open(tilesetPath(dir, "geology"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Meta(MetaHarmonisation)
		if err != nil || string(got) != `{"mapping":"gswa-geology.yaml","unmapped":[]}` {
			t.Errorf("ordered %v: Meta(harmonisation) = %q, %v", ordered, got, err)
		}
		if none, err := r.Meta("no-such-key"); none != nil || err != nil {
			t.Errorf("Meta of a missing key = %q, %v; want nil, nil", none, err)
		}
		m := r.Metadata()
		if m.Language != "th" || m.ValueCounts["representativeAge_uri"][age] != 12 {
			t.Errorf("metadata language %q, value counts %v", m.Language, m.ValueCounts)
		}
		if m.Description != "Bedrock geology of the Hamersley region" || !slices.Equal(m.Keywords, []string{"geology", "Hamersley"}) {
			t.Errorf("metadata description %q, keywords %q", m.Description, m.Keywords)
		}
		r.Close()
		if _, err := r.Meta(MetaHarmonisation); err == nil {
			t.Error("Meta after Close succeeded")
		}

		db, err := bolt.Open(tilesetPath(dir, "geology"), 0, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx *bolt.Tx) error {
			if v := string(tx.Bucket([]byte("meta")).Get([]byte("harmonisation"))); !strings.HasPrefix(v, `{"mapping"`) {
				t.Errorf("meta/harmonisation read with bbolt = %q", v)
			}
			return nil
		})
		db.Close()
	}
}

// TestPutMetaRefuses keeps callers off the keys Commit owns.
func TestPutMetaRefuses(t *testing.T) {
	w, err := Create(t.TempDir(), "geology")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, key := range []string{"metadata", "format_version", "", strings.Repeat("k", 65)} {
		if err := w.PutMeta(key, []byte("{}")); err == nil {
			t.Errorf("PutMeta(%q) succeeded", key)
		}
	}
	w.Abort()
	if err := w.PutMeta(MetaHarmonisation, []byte("{}")); err == nil || !strings.Contains(err.Error(), "already committed or aborted") {
		t.Errorf("PutMeta after Abort: %v", err)
	}
}

// TestMetadataWithoutValueCounts: both additions are optional, so a
// tileset without them keeps its metadata JSON as before.
func TestMetadataWithoutValueCounts(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "plain", pyramid(t, "v1", 0), 1, nil)
	raw := readMetaJSON(t, tilesetPath(dir, "plain"))
	for _, key := range []string{`"value_counts"`, `"language"`} {
		if strings.Contains(raw, key) {
			t.Errorf("metadata of a tileset without %s holds it: %s", key, raw)
		}
	}
}

func readMetaJSON(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var raw string
	db.View(func(tx *bolt.Tx) error {
		raw = string(tx.Bucket([]byte("meta")).Get([]byte("metadata")))
		return nil
	})
	return raw
}
