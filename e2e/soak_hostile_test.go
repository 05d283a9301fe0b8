package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/tileset"
)

// hostileTable is the committed table of what outcrop ingest does with each
// file of the hostile-input corpus: the exit status and its message.
const hostileTable = "../docs/HOSTILE-INPUT.md"

var updateHostile = flag.Bool("update-hostile", false, "rewrite "+hostileTable+" from what ingest does now")

// hostileFile is one file of the corpus: its name and how to make it in dir
// (extra files beside it included).
type hostileFile struct {
	name, what string
	make       func(t *testing.T, dir, path string)
}

func writeBytes(b []byte) func(t *testing.T, dir, path string) {
	return func(t *testing.T, dir, path string) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// junk is n bytes of noise, the same every run.
func junk(n int) []byte {
	rng := rand.New(rand.NewPCG(15, 3))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// zipOf writes a zip archive of the members, by name.
func zipOf(members ...[2]string) func(t *testing.T, dir, path string) {
	return func(t *testing.T, dir, path string) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, m := range members {
			w, err := zw.Create(m[0])
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(m[1]))
		}
		zw.Close()
		writeBytes(buf.Bytes())(t, dir, path)
	}
}

// shapefile converts GeoJSON to an ESRI Shapefile at path with ogr2ogr,
// then lets edit damage its parts.
func shapefile(geojsonText string, edit func(t *testing.T, path string)) func(t *testing.T, dir, path string) {
	return func(t *testing.T, dir, path string) {
		ogr2ogr := needTool(t, "ogr2ogr", "gdal-bin")
		src := filepath.Join(dir, ".src-"+filepath.Base(path)+".geojson")
		writeBytes([]byte(geojsonText))(t, dir, src)
		if out, err := exec.Command(ogr2ogr, "-f", "ESRI Shapefile", path, src).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
		os.Remove(src)
		if edit != nil {
			edit(t, path)
		}
	}
}

// sibling is path with its extension replaced.
func sibling(path, ext string) string { return strings.TrimSuffix(path, filepath.Ext(path)) + ext }

const (
	square     = `{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[115,-22],[116,-22],[116,-21],[115,-22]]]}}`
	squareUTM  = `{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[500000,7500000],[510000,7500000],[510000,7510000],[500000,7500000]]]}}`
	utm50sWKT  = `PROJCS["GDA94 / MGA zone 50",GEOGCS["GDA94",DATUM["Geocentric_Datum_of_Australia_1994",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",10000000],UNIT["metre",1]]`
	collection = `{"type":"FeatureCollection","features":[%s]}`
)

// hostileCorpus is every hostile file, in the table's order.
func hostileCorpus() []hostileFile {
	fc := func(features ...string) []byte { return fmt.Appendf(nil, collection, strings.Join(features, ",")) }
	wideCSV := func(cols int) []byte {
		var b bytes.Buffer
		b.WriteString("lon,lat")
		for i := range cols {
			fmt.Fprintf(&b, ",c%d", i)
		}
		b.WriteString("\n115,-22")
		for i := range cols {
			fmt.Fprintf(&b, ",%d", i)
		}
		b.WriteString("\n")
		return b.Bytes()
	}
	return []hostileFile{
		{"empty.geojson", "a zero-byte GeoJSON file", writeBytes(nil)},
		{"empty.shp", "a zero-byte shapefile, no .shx or .dbf", writeBytes(nil)},
		{"empty.csv", "a zero-byte CSV", writeBytes(nil)},
		{"empty.zip", "a zero-byte zip", writeBytes(nil)},
		{"junk.geojson", "64 KiB of noise named .geojson", writeBytes(junk(64 << 10))},
		{"junk.shp", "64 KiB of noise named .shp", writeBytes(junk(64 << 10))},
		{"junk.gpkg", "64 KiB of noise named .gpkg", writeBytes(junk(64 << 10))},
		{"junk.zip", "64 KiB of noise named .zip", writeBytes(junk(64 << 10))},
		{"junk.tif", "64 KiB of noise named .tif", writeBytes(junk(64 << 10))},
		{"junk.csv", "64 KiB of noise named .csv", writeBytes(junk(64 << 10))},
		{"slip.zip", "a zip whose member climbs out with ../", zipOf([2]string{"../../evil.geojson", string(fc(square))})},
		{"absolute.zip", "a zip whose member has an absolute path", zipOf([2]string{"/tmp/evil.geojson", string(fc(square))})},
		{"nothing.zip", "a zip of a README only", zipOf([2]string{"README.txt", "no data here"})},
		{"nested.zip", "a zip holding only another zip", func(t *testing.T, dir, path string) {
			inner := filepath.Join(dir, ".inner.zip")
			zipOf([2]string{"a.geojson", string(fc(square))})(t, dir, inner)
			b, _ := os.ReadFile(inner)
			os.Remove(inner)
			zipOf([2]string{"inner.zip", string(b)})(t, dir, path)
		}},
		{"garbage-prj.shp", "a shapefile whose .prj is noise", shapefile(string(fc(square)), func(t *testing.T, path string) {
			writeBytes([]byte("this is not WKT at all ((("))(t, "", sibling(path, ".prj"))
		})},
		{"wrong-crs.shp", "degree coordinates under a UTM .prj", shapefile(string(fc(square)), func(t *testing.T, path string) {
			writeBytes([]byte(utm50sWKT))(t, "", sibling(path, ".prj"))
		})},
		{"no-dbf.shp", "a shapefile without its .dbf", shapefile(string(fc(square)), func(t *testing.T, path string) {
			os.Remove(sibling(path, ".dbf"))
		})},
		{"broken-dbf.shp", "a shapefile whose .dbf header is noise", shapefile(string(fc(square)), func(t *testing.T, path string) {
			writeBytes(junk(200))(t, "", sibling(path, ".dbf"))
		})},
		{"truncated-shp.shp", "a shapefile cut short in its first record", shapefile(string(fc(square)), func(t *testing.T, path string) {
			os.Truncate(path, 120)
		})},
		{"utm-no-prj.geojson", "metre coordinates in GeoJSON, which is WGS 84", writeBytes(fc(squareUTM))},
		{"duplicate-columns.csv", "a CSV with two columns called name", writeBytes([]byte("lon,lat,name,name\n115,-22,a,b\n"))},
		{"wide.csv", "a CSV with 3,000 columns", writeBytes(wideCSV(3000))},
		{"header-only.csv", "a CSV with a header and no rows", writeBytes([]byte("lon,lat,name\n"))},
		{"no-geometry.csv", "a CSV with no coordinate columns", writeBytes([]byte("a,b\n1,2\n"))},
		{"two-point-ring.geojson", "one polygon whose ring has two points, beside a good one", writeBytes(fc(square,
			`{"type":"Feature","id":7,"properties":{"name":"b"},"geometry":{"type":"Polygon","coordinates":[[[115,-22],[116,-22]]]}}`))},
		{"only-bad-ring.geojson", "only a polygon whose ring has two points", writeBytes(fc(
			`{"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Polygon","coordinates":[[[115,-22],[116,-22]]]}}`))},
		{"huge-coords.geojson", "coordinates of 1e308", writeBytes(fc(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e308,1e308]}}`))},
		{"null-geometry.geojson", "features without geometry", writeBytes(fc(`{"type":"Feature","properties":{"name":"a"},"geometry":null}`))},
		{"empty-collection.geojson", "a FeatureCollection of no features", writeBytes(fc())},
		{"deep.geojson", "coordinates nested 100,000 arrays deep", writeBytes([]byte(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":` +
			strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}}`))},
		{"topojson.json", "a TopoJSON topology, not GeoJSON", writeBytes([]byte(`{"type":"Topology","objects":{},"arcs":[]}`))},
		{"latin1-names.geojson", "property names in Latin-1, not UTF-8", writeBytes([]byte("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"\xe9t\xe9\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[115,-22]}}]}"))},
		{"directory.geojson", "a directory named like a file", func(t *testing.T, dir, path string) { os.Mkdir(path, 0o755) }},
	}
}

// hostileRow is one row of the table: the file, what ingest did.
type hostileRow struct {
	name, what, message string
	code                int
}

var hostileRowRE = regexp.MustCompile("^\\| `([^`]+)` \\| (.*?) \\| (\\d+) \\| (.*) \\|$")

// logPrefix is the time stamp of a log line, which the table leaves out.
var logPrefix = regexp.MustCompile(`(?m)^time=\S+ `)

// hostileMessage is ingest's stderr as the table holds it: the temporary
// directory written DIR, log lines without their time, lines joined with
// " / "; and the error lines ("outcrop ingest: ...") among them.
func hostileMessage(stderr, dir string) (msg string, errLines []string) {
	s := strings.ReplaceAll(stderr, dir+string(filepath.Separator), "DIR/")
	s = logPrefix.ReplaceAllString(s, "")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "outcrop ingest: ") {
			errLines = append(errLines, l)
		}
	}
	return strings.Join(lines, " / "), errLines
}

// TestSoakHostileInput generates the hostile-input corpus, runs outcrop
// ingest on each file and checks its exit status and message against the
// table in docs/HOSTILE-INPUT.md (go test -run TestSoakHostileInput
// -update-hostile rewrites the table). Whatever the file, ingest must not
// panic or print a stack trace, a refusal is one line naming the file, and
// a refused file leaves nothing in the store.
func TestSoakHostileInput(t *testing.T) {
	bin := outcropBinary(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	want := map[string]hostileRow{}
	if !*updateHostile {
		f, err := os.Open(hostileTable)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if m := hostileRowRE.FindStringSubmatch(sc.Text()); m != nil {
				code, _ := strconv.Atoi(m[3])
				want[m[1]] = hostileRow{name: m[1], what: m[2], code: code, message: strings.ReplaceAll(m[4], `\|`, "|")}
			}
		}
		f.Close()
	}
	var rows []hostileRow
	for i, h := range hostileCorpus() {
		path := filepath.Join(dir, h.name)
		h.make(t, dir, path)
		id := fmt.Sprintf("h%d", i)
		res := runBinary(t, bin, "ingest", "--quiet", "--store", store, "--id", id, path)
		msg, errLines := hostileMessage(res.stderr, dir)
		row := hostileRow{name: h.name, what: h.what, code: res.code, message: msg}
		rows = append(rows, row)
		if strings.Contains(res.stderr, "panic") || strings.Contains(res.stderr, "goroutine ") {
			t.Errorf("%s: ingest panicked:\n%s", h.name, res.stderr)
		}
		if res.code != 0 {
			if len(errLines) != 1 || !strings.Contains(errLines[0], h.name) {
				t.Errorf("%s: exit %d without one error line naming the file:\n%s", h.name, res.code, res.stderr)
			}
			if _, err := os.Stat(filepath.Join(store, id+tileset.Ext)); err == nil {
				t.Errorf("%s: refused (exit %d), yet %s is in the store", h.name, res.code, id+tileset.Ext)
			}
		}
		if *updateHostile {
			continue
		}
		w, ok := want[h.name]
		switch {
		case !ok:
			t.Errorf("%s is not in %s; run go test -run TestSoakHostileInput -update-hostile ./e2e/", h.name, hostileTable)
		case w.code != res.code || !strings.Contains(msg, w.message):
			t.Errorf("%s: exit %d, message %q; the table says exit %d, %q", h.name, res.code, msg, w.code, w.message)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(store, ".*")); len(left) != 0 {
		t.Errorf("the refused ingests left temporary files: %q", left)
	}
	t.Logf("hostile input: %d files, no panic", len(rows))
	if *updateHostile {
		var b strings.Builder
		b.WriteString(hostileHeader)
		for _, r := range rows {
			fmt.Fprintf(&b, "| `%s` | %s | %d | %s |\n", r.name, r.what, r.code, strings.ReplaceAll(r.message, "|", `\|`))
		}
		if err := os.WriteFile(hostileTable, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const hostileHeader = `# Hostile input: what outcrop ingest does with it

The corpus is generated by ` + "`TestSoakHostileInput`" + ` (e2e/soak_hostile_test.go)
into a temporary directory; each file is ingested with
` + "`outcrop ingest --quiet --store DIR/store --id hN FILE`" + `. The test checks
every row below: the exit status, and that ingest's stderr holds the message
(DIR is the temporary directory; log lines lose their time stamp; lines
are joined with " / "). Whatever the file, ingest must not panic
or print a stack trace, a refusal is one line naming the file, and a refused
file leaves nothing in the store. After a deliberate change of behaviour,
rewrite this table with
` + "`go test -run TestSoakHostileInput -update-hostile ./e2e/`" + ` and review the diff.

Exit status: 0 ingested (warnings, if any, on stderr), 1 refused.

| file | what it is | exit | message |
|---|---|---|---|
`
