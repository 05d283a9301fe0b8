package tileset

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/rtree"
)

func readFormatDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonFields lists the JSON names of typ's fields, qualified the way FORMAT.md
// writes them: "source.file" for a field of an object, "zooms[].tiles" for a
// field of the objects in an array.
func jsonFields(typ reflect.Type, prefix string) []string {
	var names []string
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, prefix+name)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft.PkgPath() == typ.PkgPath():
			names = append(names, jsonFields(ft, prefix+name+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			names = append(names, jsonFields(ft.Elem(), prefix+name+"[].")...)
		}
	}
	return names
}

// TestFormatDocumentsMetadata keeps FORMAT.md's metadata table and the
// Metadata struct in step: every JSON field is documented, and every
// documented field exists.
func TestFormatDocumentsMetadata(t *testing.T) {
	doc := readFormatDoc(t)
	_, section, ok := strings.Cut(doc, "\n## Metadata\n")
	if !ok {
		t.Fatal("FORMAT.md has no \"## Metadata\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` ").FindAllStringSubmatch(section, -1) {
		documented[m[1]] = true
	}
	fields := jsonFields(reflect.TypeFor[Metadata](), "")
	if len(fields) < 25 {
		t.Fatalf("found only %d JSON fields in Metadata: %v", len(fields), fields)
	}
	for _, f := range fields {
		if !documented[f] {
			t.Errorf("FORMAT.md's metadata table does not document %q", f)
		}
		delete(documented, f)
	}
	for f := range documented {
		t.Errorf("FORMAT.md documents %q, which Metadata does not have", f)
	}
}

// TestFormatExampleKey checks the worked key example against the encoder.
func TestFormatExampleKey(t *testing.T) {
	k, _ := tileKey(14, 13107, 7710)
	spaced := hex.EncodeToString(k[:1]) + " " + hex.EncodeToString(k[1:5]) + " " + hex.EncodeToString(k[5:])
	doc := readFormatDoc(t)
	if !strings.Contains(doc, "tile 14/13107/7710") || !strings.Contains(doc, "    "+spaced+"\n") {
		t.Errorf("FORMAT.md should give the key of tile 14/13107/7710 as %q", spaced)
	}
	if !strings.Contains(doc, "tiles "+hex.EncodeToString(k[:])+" ") {
		t.Errorf("FORMAT.md's bbolt command should fetch key %x", k)
	}
}

// TestFormatGoExample checks that the Go example in FORMAT.md is the one in
// format_example_test.go, which TestReadTileExample runs.
func TestFormatGoExample(t *testing.T) {
	doc := readFormatDoc(t)
	_, block, ok := strings.Cut(doc, "```go\n")
	if !ok {
		t.Fatal("FORMAT.md has no Go example")
	}
	block, _, _ = strings.Cut(block, "```")
	src, err := os.ReadFile("format_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, _ := bytes.Cut(src, []byte("// BEGIN FORMAT.md example\n"))
	code, _, _ = bytes.Cut(code, []byte("// END FORMAT.md example"))
	if strings.TrimSpace(block) != strings.TrimSpace(string(code)) || len(code) < 200 {
		t.Errorf("FORMAT.md's Go example differs from format_example_test.go; copy it over:\n%s", code)
	}
}

// TestFormatBuckets checks that the documented buckets and keys are the ones
// the code uses.
func TestFormatBuckets(t *testing.T) {
	doc := readFormatDoc(t)
	for _, row := range []string{
		"| `" + bucketMeta + "`     | `" + keyFormatVersion + "` ",
		"| `" + bucketMeta + "`     | `" + keyMetadata + "` ",
		"| `" + bucketTiles + "`    | 9 bytes: zoom, x, y ",
		"| `" + bucketFeatures + "` | 8 bytes: feature id ",
		"| `" + bucketIndex + "`    | `" + keyRTree + "` ",
		"| `" + bucketIndex + "`    | `" + keyPositions + "` ",
	} {
		if !strings.Contains(doc, row) {
			t.Errorf("FORMAT.md's bucket table has no row starting %q", row)
		}
	}
	if !strings.Contains(doc, "`.ID"+Ext+TempMarker+"`") {
		t.Errorf("FORMAT.md should name the temporary file pattern .ID.tileset%s", TempMarker)
	}
}

// TestFormatExampleFeature checks the worked feature example, its key and
// the constants the feature sections state, against the code.
func TestFormatExampleFeature(t *testing.T) {
	doc := readFormatDoc(t)
	f := geojson.NewFeature(orb.Polygon{{{117.25, -22.5}, {117.75, -22.5}, {117.5, -22.125}, {117.25, -22.5}}})
	f.Properties = geojson.Properties{"max_age_ma": 2629.5, "code": "A-HAj-xs"}
	js, _, _, err := appendFeature(nil, 1234, f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, "\n"+string(js)+"\n") {
		t.Errorf("FORMAT.md's feature example should read\n%s", js)
	}
	k := featureKey(1234)
	if !strings.Contains(doc, "feature 1234 has the key `"+hex.EncodeToString(k[:])+"`") ||
		!strings.Contains(doc, "features "+hex.EncodeToString(k[:])+" ") {
		t.Errorf("FORMAT.md should give the key of feature 1234 as %x", k)
	}
	for _, want := range []string{
		fmt.Sprintf("(Outcrop writes %d)", rtree.DefaultNodeSize),
		fmt.Sprintf("(Outcrop writes %d)", positionStride),
		fmt.Sprintf("(layout version %d)", rtree.Version),
		"ASCII `" + positionsMagic + "`",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("FORMAT.md should say %q", want)
		}
	}
}
