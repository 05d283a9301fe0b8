package overzoom

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/protoscan"

	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// needTool returns the path of a command-line tool, or skips the test when
// it is missing; under CI (CI set) a missing tool fails the test instead.
func needTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: apt-get install %s", name, debianPackage)
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
	return ""
}

// readGeoJSON reads a GeoJSON file of the repository's data/, in WGS 84,
// numbering its features from 1.
func readGeoJSON(t testing.TB, path string) []*geojson.Feature {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for i, f := range fc.Features {
		f.ID = i + 1
	}
	return fc.Features
}

// gswaGeology reads the GSWA Hamersley geology, which is in GDA94 / MGA 50,
// reprojected to WGS 84 with ogr2ogr.
func gswaGeology(t testing.TB) []*geojson.Feature {
	t.Helper()
	ogr2ogr := needTool(t, "ogr2ogr", "gdal-bin")
	out := filepath.Join(t.TempDir(), "geology.geojson")
	cmd := exec.Command(ogr2ogr, "-f", "GeoJSON", "-t_srs", "EPSG:4326", out, filepath.Join("..", "data", "geology", "gswa-hamersley", "geology.geojson"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, b)
	}
	return readGeoJSON(t, out)
}

// cutTiles cuts features into tiles at maxZoom alone, as the ingest does.
func cutTiles(t testing.TB, features []*geojson.Feature, maxZoom int) []tileset.Tile {
	t.Helper()
	var out []tileset.Tile
	_, err := tiles.Cut(context.Background(), features, tiles.Options{Layer: "layer", MinZoom: maxZoom, MaxZoom: maxZoom, Workers: 2},
		func(tile tileset.Tile) error {
			out = append(out, tile)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOverzoomedPolygonsAreValid cuts every descendant, one to three zooms
// down, of the max-zoom tiles of two real polygon maps (Natural Earth's
// ASEAN borders and the GSWA Hamersley geology) and has GDAL check every
// polygon of them with GEOS: none may be invalid. Overzooming keeps valid
// input valid and promises nothing of invalid input, so the features that
// GDAL finds invalid in a native tile are left out of that tile's
// descendants (and counted in the log); most must be valid for the
// test to mean something.
func TestOverzoomedPolygonsAreValid(t *testing.T) {
	ogrinfo := needTool(t, "ogrinfo", "gdal-bin")
	for _, c := range []struct {
		name     string
		features func(testing.TB) []*geojson.Feature
		maxZoom  int
	}{
		{"asean-borders", func(t testing.TB) []*geojson.Feature {
			return readGeoJSON(t, filepath.Join("..", "data", "borders", "asean-borders-10m.geojson"))
		}, 6},
		{"gswa-geology", gswaGeology, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			native := cutTiles(t, c.features(t), c.maxZoom)
			dir := t.TempDir()
			if d := os.Getenv("OZDIR"); d != "" {
				dir = filepath.Join(d, c.name)
			}
			write := func(z, x, y int, data []byte) string {
				path := filepath.Join(dir, strconv.Itoa(z), strconv.Itoa(x), strconv.Itoa(y)+".pbf")
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			}
			const depths = 3
			count := map[int]int{}
			features, skipped := 0, 0
			for _, nt := range native {
				path := write(nt.Z, nt.X, nt.Y, nt.Data)
				bad := gdalInvalidIDs(t, ogrinfo, "/vsigzip/"+path, "-oo", "X="+strconv.Itoa(nt.X), "-oo", "Y="+strconv.Itoa(nt.Y), "-oo", "Z="+strconv.Itoa(nt.Z))
				tile, err := Decode(nt.Data)
				if err != nil {
					t.Fatal(err)
				}
				l := &tile.layers[0]
				valid := l.features[:0]
				for _, f := range l.features {
					if !bad[featureID(t, f)] {
						valid = append(valid, f)
					}
				}
				features += len(l.features)
				skipped += len(l.features) - len(valid)
				l.features = valid
				for d := 1; d <= depths; d++ {
					for dy := 0; dy < 1<<d; dy++ {
						for dx := 0; dx < 1<<d; dx++ {
							data, err := tile.Cut(d, dx, dy, DefaultBuffer)
							if err != nil {
								t.Fatal(err)
							}
							if data != nil {
								write(nt.Z+d, nt.X<<d+dx, nt.Y<<d+dy, data)
								count[nt.Z+d]++
							}
						}
					}
				}
			}
			t.Logf("%d native tiles at zoom %d: %d of their %d features left out for being invalid there", len(native), c.maxZoom, skipped, features)
			if skipped*2 > features {
				t.Errorf("%d of %d features of the native tiles are invalid: too few valid ones to test on", skipped, features)
			}
			for z := c.maxZoom + 1; z <= c.maxZoom+depths; z++ {
				polys, invalid := gdalValidity(t, ogrinfo, filepath.Join(dir, strconv.Itoa(z)))
				t.Logf("zoom %d: %d tiles, %d polygons, %d invalid", z, count[z], polys, invalid)
				if polys == 0 {
					t.Errorf("zoom %d: GDAL read no polygon from %d overzoomed tiles", z, count[z])
				}
				if invalid != 0 {
					t.Errorf("zoom %d: %d of %d overzoomed polygons are invalid", z, invalid, polys)
				}
			}
		})
	}
}

// gdalInvalidIDs returns the ids of the features GDAL finds invalid in a
// tile.
func gdalInvalidIDs(t *testing.T, ogrinfo, path string, opts ...string) map[uint64]bool {
	t.Helper()
	args := append([]string{"-q", "-ro", "-oo", "CLIP=NO"}, opts...)
	args = append(args, "-dialect", "sqlite", "-sql", "SELECT mvt_id FROM layer WHERE NOT ST_IsValid(geometry)", path)
	out, err := exec.Command(ogrinfo, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	ids := map[uint64]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "mvt_id (Integer64) = "); ok {
			id, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				t.Fatalf("ogrinfo %s: mvt_id %q", path, v)
			}
			ids[id] = true
		}
	}
	return ids
}

// gdalValidity has GDAL's MVT driver read a tile or a directory of one
// zoom's tiles, unclipped, and count the polygons and those GEOS finds
// invalid.
func gdalValidity(t *testing.T, ogrinfo, path string, opts ...string) (polygons, invalid int) {
	t.Helper()
	args := append([]string{"-q", "-ro", "-oo", "CLIP=NO"}, opts...)
	args = append(args, "-dialect", "sqlite", "-sql", "SELECT count(*) AS n, sum(NOT ST_IsValid(geometry)) AS bad FROM layer", path)
	out, err := exec.Command(ogrinfo, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	found := false
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), " = ")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(v)
		switch strings.Fields(k)[0] {
		case "n":
			polygons, found = n, true
		case "bad":
			invalid = n
		}
	}
	if !found {
		t.Fatalf("ogrinfo %s printed no count:\n%s", path, out)
	}
	return polygons, invalid
}

// featureID reads the id of an encoded feature.
func featureID(t *testing.T, f feature) uint64 {
	t.Helper()
	m := protoscan.New(f.data)
	for m.Next() {
		if m.FieldNumber() == 1 {
			id, err := m.Uint64()
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		m.Skip()
	}
	t.Fatalf("feature without an id: %v", m.Err())
	return 0
}
