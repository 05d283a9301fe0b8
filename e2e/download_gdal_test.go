package e2e

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/outcrop/outcrop/download"
)

// TestGDALReadsDownloads downloads the real collections over HTTP in every
// format and reads the files with ogrinfo: the counts match the sources,
// whole and in a bbox or filter subset; a deposit with an accented name is
// read back with its name, country and place; the files name WGS 84.
func TestGDALReadsDownloads(t *testing.T) {
	ogrinfo := ogcNeeds(t, "ogrinfo", "Debian: gdal-bin")
	srv := startOGCServer(t, -1)
	borders, copper := ogcDatasets(t)
	// Maní, Chile: a name a Latin-1 or ASCII file would mangle.
	var mani *orb.Point
	for _, f := range copper.features {
		if f.Properties["name"] == "Maní" {
			p := f.Geometry.(orb.Point)
			mani = &p
		}
	}
	if mani == nil {
		t.Fatal("the copper source has no deposit named Maní")
	}
	andes := orb.Bound{Min: orb.Point{-75, -35}, Max: orb.Point{-65, -15}}
	inAndes := len(expectInBox(copper, andes))
	chile := 0
	for _, f := range copper.features {
		if f.Properties["country"] == "Chile" {
			chile++
		}
	}
	get := func(t *testing.T, id string, fm download.Format, query string) string {
		t.Helper()
		target := srv.URL + "/collections/" + id + "/download?f=" + fm.Name + query
		resp, err := http.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("GET %s: %s: %s", target, resp.Status, body)
		}
		path := filepath.Join(t.TempDir(), id+"."+fm.Ext)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(f, resp.Body); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if fm == download.Shapefile {
			return "/vsizip/" + path
		}
		return path
	}
	count := func(t *testing.T, path string) int {
		t.Helper()
		n := 0
		for _, line := range strings.Split(runGDAL(t, ogrinfo, "-ro", "-so", "-al", path), "\n") {
			var c int
			if _, err := fmt.Sscanf(line, "Feature Count: %d", &c); err == nil {
				n += c
			}
		}
		return n
	}
	for _, fm := range download.Formats {
		t.Run(fm.Name, func(t *testing.T) {
			path := get(t, ogcCopperID, fm, "")
			if n := count(t, path); n != ogcCopperRows {
				t.Errorf("%d deposits, want %d", n, ogcCopperRows)
			}
			const d = 1e-6
			out := runGDAL(t, ogrinfo, "-ro", "-q", "-al", "-spat", coordText(mani[0]-d), coordText(mani[1]-d), coordText(mani[0]+d), coordText(mani[1]+d), path)
			for _, want := range []string{"name (String) = Maní", "country (String) = Chile"} {
				if !strings.Contains(out, want) {
					t.Errorf("Maní lacks %q:\n%s", want, out)
				}
			}
			var x, y float64
			if i := strings.Index(out, "POINT ("); i < 0 {
				t.Errorf("Maní has no point:\n%s", out)
			} else if _, err := fmt.Sscanf(out[i:], "POINT (%g %g)", &x, &y); err != nil || math.Abs(x-mani[0]) > 1e-7 || math.Abs(y-mani[1]) > 1e-7 {
				t.Errorf("Maní at %v %v (%v), want %v", x, y, err, *mani)
			}
			if n := count(t, get(t, ogcCopperID, fm, "&bbox=-75,-35,-65,-15")); n != inAndes {
				t.Errorf("bbox: %d deposits, want %d", n, inAndes)
			}
			if n := count(t, get(t, ogcCopperID, fm, "&country="+url.QueryEscape("Chile"))); n != chile {
				t.Errorf("country=Chile: %d deposits, want %d", n, chile)
			}
			// China is a geometry collection of polygons and two lines: a
			// Shapefile has its polygons in the polygons file and its lines
			// in another.
			b := get(t, ogcBordersID, fm, "")
			countBorders := b
			if fm == download.Shapefile {
				countBorders = b + "/" + ogcBordersID + "_polygons.shp"
			}
			if n := count(t, countBorders); n != len(borders.features) {
				t.Errorf("%d borders, want %d", n, len(borders.features))
			}
			if fm != download.CSV {
				if s := runGDAL(t, ogrinfo, "-ro", "-so", "-al", b); !strings.Contains(s, `GEOGCRS["WGS 84"`) {
					t.Errorf("the borders are not in WGS 84:\n%s", s)
				}
			}
		})
	}
}

// coordText writes a coordinate in full.
func coordText(f float64) string { return fmt.Sprint(f) }
