package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outcrop/outcrop/download"
)

// needOgrinfo returns the path of GDAL's ogrinfo, or skips the test when it
// is missing; under CI (CI set) a missing ogrinfo fails the test instead.
func needOgrinfo(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ogrinfo")
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("ogrinfo is not installed: apt-get install gdal-bin (CI is set, so this is a failure, not a skip)")
	}
	t.Skip("ogrinfo is not installed: apt-get install gdal-bin")
	return ""
}

// getDownload fetches a download, checks its headers and saves it; it
// returns the path GDAL opens it by (through /vsizip/ for a Shapefile).
func (f *fixture) getDownload(t *testing.T, id string, fm download.Format, query string) string {
	t.Helper()
	target := "/collections/" + id + "/download?f=" + fm.Name
	if query != "" {
		target += "&" + query
	}
	w := f.get(t, target)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %q", target, w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != fm.MediaType {
		t.Errorf("GET %s: Content-Type %q, want %q", target, ct, fm.MediaType)
	}
	if cd, want := w.Header().Get("Content-Disposition"), `attachment; filename="`+id+`.`+fm.Ext+`"`; cd != want {
		t.Errorf("GET %s: Content-Disposition %q, want %q", target, cd, want)
	}
	if cl := w.Header().Get("Content-Length"); fm == download.GeoPackage && cl != strconv.Itoa(w.Body.Len()) {
		t.Errorf("GET %s: Content-Length %q for %d bytes", target, cl, w.Body.Len())
	}
	path := filepath.Join(t.TempDir(), id+"."+fm.Ext)
	if err := os.WriteFile(path, w.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if fm == download.Shapefile {
		return "/vsizip/" + path
	}
	return path
}

// ogrFeatureCount sums the feature counts ogrinfo reports over every layer.
func ogrFeatureCount(t *testing.T, path string) int {
	t.Helper()
	out := runOgrinfo(t, "-so", "-al", path)
	n := 0
	for _, line := range strings.Split(out, "\n") {
		var c int
		if _, err := fmt.Sscanf(line, "Feature Count: %d", &c); err == nil {
			n += c
		}
	}
	return n
}

func runOgrinfo(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(needOgrinfo(t), append([]string{"-ro"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestDownloadReadByGDAL: each format of the occurrences, read by ogrinfo,
// holds all 95 features, or the subsets a bbox and a filter select; the
// tricky non-ASCII name of occurrence 7 and its place survive; the files
// name WGS 84.
func TestDownloadReadByGDAL(t *testing.T) {
	f := newOGCFixture(t)
	cuBox := "bbox=100,0,102.5,1.5" // occurrences 1-3 and 11-13
	for _, fm := range download.Formats {
		t.Run(fm.Name, func(t *testing.T) {
			path := f.getDownload(t, ogcOccurrencesID, fm, "")
			if n := ogrFeatureCount(t, path); n != ogcOccurrenceCount {
				t.Errorf("%d features, want %d", n, ogcOccurrenceCount)
			}
			summary := runOgrinfo(t, "-so", "-al", path)
			if fm != download.CSV && !strings.Contains(summary, `"WGS 84"`) {
				t.Errorf("the layer's CRS is not WGS 84:\n%s", summary)
			}
			seven := runOgrinfo(t, "-q", "-al", "-spat", "105.9", "-0.1", "106.1", "0.1", path)
			for _, want := range []string{"name (String) = " + ogcTrickyName, "commodity (String) = Cu", "POINT (106 0)"} {
				if !strings.Contains(seven, want) {
					t.Errorf("occurrence 7 lacks %q:\n%s", want, seven)
				}
			}
			for query, want := range map[string]int{
				cuBox:                    6,
				"commodity=Cu":           48,
				cuBox + "&commodity=Cu":  4,
				"datetime=1901-01-01/..": ogcOccurrenceCount,
				"datetime=../1910-12-31": 10,
			} {
				if n := ogrFeatureCount(t, f.getDownload(t, ogcOccurrencesID, fm, query)); n != want {
					t.Errorf("%s: %d features, want %d", query, n, want)
				}
			}
		})
	}
	// Polygons: the holed unit keeps its hole in every format.
	for _, fm := range download.Formats {
		path := f.getDownload(t, ogcUnitsID, fm, "code=Ag")
		out := runOgrinfo(t, "-q", "-al", path)
		// GeoJSON and CSV as stored; a Shapefile's rings clockwise; a
		// GeoPackage's polygons multipolygons.
		if !strings.Contains(out, "POLYGON ((0 0,10 0,10 10,0 10,0 0),(4 4,4 6,6 6,6 4,4 4))") &&
			!strings.Contains(out, "POLYGON ((0 0,0 10,10 10,10 0,0 0),(4 4,6 4,6 6,4 6,4 4))") &&
			!strings.Contains(out, "MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(4 4,4 6,6 6,6 4,4 4)))") {
			t.Errorf("%s: the holed unit is not read back:\n%s", fm.Name, out)
		}
	}
}

// TestDownloadBadRequests: a missing or unknown format, a bad bbox, a
// filter on a property the collection lacks and paging are 400s naming the
// parameter; an unknown collection is a 404.
func TestDownloadBadRequests(t *testing.T) {
	f := newOGCFixture(t)
	base := "/collections/" + ogcOccurrencesID + "/download"
	for target, want := range map[string]string{
		base:                               "parameter f",
		base + "?f=kml":                    `parameter f="kml"`,
		base + "?f=csv&f=shp":              "parameter f",
		base + "?f=csv&bbox=1,2,3":         "parameter bbox",
		base + "?f=gpkg&bbox=10,0,5,1":     "parameter bbox",
		base + "?f=shp&colour=red":         `"colour"`,
		base + "?f=geojson&limit=10":       "parameter limit",
		base + "?f=csv&rank=high":          "filter rank",
		base + "?f=csv&datetime=yesterday": "datetime",
	} {
		w := f.get(t, target)
		e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue")
		if !strings.Contains(e.Description, want) {
			t.Errorf("GET %s: %q does not name %s", target, e.Description, want)
		}
		if w.Header().Get("Content-Disposition") != "" {
			t.Errorf("GET %s: an error is offered as a file", target)
		}
	}
	wantError(t, f.get(t, "/collections/nosuch/download?f=csv"), http.StatusNotFound, "NotFound")
	// HEAD answers the headers of the file, without building it.
	if w := f.do(t, http.MethodHead, base+"?f=gpkg", nil); w.Code != http.StatusOK || w.Body.Len() != 0 ||
		w.Header().Get("Content-Disposition") != `attachment; filename="occurrences.gpkg"` {
		t.Errorf("HEAD: status %d, %d bytes, headers %v", w.Code, w.Body.Len(), w.Header())
	}
	// An empty bbox, as a form leaves it, means none.
	if w := f.get(t, base+"?f=csv&bbox="); w.Code != http.StatusOK {
		t.Errorf("an empty bbox: status %d, %s", w.Code, w.Body.String())
	}
}

// TestDownloadLinks: the collection lists its downloads as enclosures, and
// its HTML page links to them with a form for a bbox.
func TestDownloadLinks(t *testing.T) {
	f := newOGCFixture(t)
	var c collection
	decodeJSON(t, f.get(t, "/collections/"+ogcOccurrencesID+"?f=json"), &c)
	for _, fm := range download.Formats {
		href := linkHref(c.Links, "enclosure", fm.MediaType)
		if href == "" {
			t.Errorf("no enclosure link of type %s in %+v", fm.MediaType, c.Links)
			continue
		}
		u, err := url.Parse(href)
		if err != nil || u.Path != "/collections/"+ogcOccurrencesID+"/download" || u.Query().Get("f") != fm.Name {
			t.Errorf("enclosure link %q", href)
		}
	}
	page := f.getHTML(t, "/collections/"+ogcOccurrencesID+"?f=html")
	for _, want := range []string{`/collections/occurrences/download?f=gpkg"`, `/collections/occurrences/download?f=shp"`,
		`<form class="download" action="http://example.com/collections/occurrences/download"`, `name="bbox"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the collection page lacks %s", want)
		}
	}
}

// TestDownloadLeavesNoTemporaryFiles: a GeoPackage or Shapefile download
// removes its temporary files, whether it finished or its client left
// before the file was built (which stops the work, and sends nothing).
func TestDownloadLeavesNoTemporaryFiles(t *testing.T) {
	f := newOGCFixture(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, fm := range []download.Format{download.GeoPackage, download.Shapefile} {
		target := "/collections/" + ogcOccurrencesID + "/download?f=" + fm.Name
		if w := f.get(t, target); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("GET %s: status %d, %d bytes", target, w.Code, w.Body.Len())
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		w := serve(f.handler, httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx))
		if w.Body.Len() != 0 {
			t.Errorf("GET %s, left by its client: %d bytes sent", target, w.Body.Len())
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
