package objstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseLocation(t *testing.T) {
	for in, want := range map[string]Location{
		"s3://tiles":               {Bucket: "tiles"},
		"s3://tiles/":              {Bucket: "tiles"},
		"s3://tiles/outcrop/live/": {Bucket: "tiles", Prefix: "outcrop/live"},
		"s3://tiles//outcrop":      {Bucket: "tiles", Prefix: "outcrop"},
	} {
		got, err := ParseLocation(in)
		if err != nil || got != want {
			t.Errorf("ParseLocation(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "tiles/outcrop", "/srv/tiles", "http://tiles/x", "s3:///x", "s3://b/p?versionId=1"} {
		if _, err := ParseLocation(bad); err == nil || !strings.Contains(err.Error(), "s3://BUCKET/PREFIX") {
			t.Errorf("ParseLocation(%q): %v, want an error showing s3://BUCKET/PREFIX", bad, err)
		}
	}
	l := Location{Bucket: "b", Prefix: "p/q"}
	if k := l.key("geology", manifestName); k != "p/q/geology/manifest.json" {
		t.Errorf("key = %s", k)
	}
	if k := (Location{Bucket: "b"}).key("geology", manifestName); k != "geology/manifest.json" {
		t.Errorf("key without prefix = %s", k)
	}
}

func TestParseManifestRefusesWhatCannotBeTrusted(t *testing.T) {
	good := `{"id":"geology","version":"20260101T000000Z-00ff","object":"20260101T000000Z-00ff.tileset","size":10,"sha256":"` + strings.Repeat("ab", 32) + `"}`
	if _, err := parseManifest("geology", []byte(good)); err != nil {
		t.Fatalf("a sound manifest: %v", err)
	}
	for name, tc := range map[string]struct{ doc, want string }{
		"not JSON":        {"{", "not valid JSON"},
		"other id":        {strings.Replace(good, `"id":"geology"`, `"id":"faults"`, 1), `not "geology"`},
		"escaping object": {strings.Replace(good, `"object":"20260101T000000Z-00ff.tileset"`, `"object":"../../etc/x.tileset"`, 1), "is not 20260101T000000Z-00ff.tileset"},
		"bad version":     {strings.ReplaceAll(good, "20260101T000000Z-00ff", "../x"), "not a tileset version"},
		"no size":         {strings.Replace(good, `"size":10`, `"size":0`, 1), "not a file size"},
		"short sha256":    {strings.Replace(good, strings.Repeat("ab", 32), "abcd", 1), "64 lower-case hex"},
	} {
		if _, err := parseManifest("geology", []byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, tc.want)
		}
	}
}

// TestNewSyncerRemovesInterruptedDownloads leaves the files of others alone.
func TestNewSyncerRemovesInterruptedDownloads(t *testing.T) {
	dir := t.TempDir()
	left := filepath.Join(dir, ".geology.tileset.sync-123")
	others := []string{filepath.Join(dir, ".geology.tileset.tmp-9"), filepath.Join(dir, "geology.tileset"), filepath.Join(dir, "notes.sync-1")}
	for _, p := range append(others, left) {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	NewSyncer(nil, dir, nil, nil)
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("%s was not removed", left)
	}
	for _, p := range others {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
}

func TestPartSizeFor(t *testing.T) {
	const mib, gib = 1 << 20, 1 << 30
	for _, c := range []struct{ size, want int64 }{
		{1, 16 * mib},
		{16 * mib, 16 * mib},
		{10 * gib, 16 * mib},   // 640 parts
		{100 * gib, 21 * mib},  // 20.48 MiB a part, rounded up to whole MiB
		{5 << 40, 1049 * mib},  // 5 TiB, the largest S3 object: 4,998 parts
		{1 << 50, MaxPartSize}, // past S3's limits: the largest part
	} {
		got := PartSizeFor(c.size)
		if got != c.want {
			t.Errorf("PartSizeFor(%d) = %d, want %d", c.size, got, c.want)
		}
		if parts := (c.size + got - 1) / got; got < MaxPartSize && parts > 5000 {
			t.Errorf("PartSizeFor(%d) = %d makes %d parts", c.size, got, parts)
		}
	}
}
