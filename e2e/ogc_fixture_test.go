package e2e

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"

	"github.com/outcrop/outcrop/server"
	"github.com/outcrop/outcrop/store"
	"github.com/outcrop/outcrop/tiles"
	"github.com/outcrop/outcrop/tileset"
)

// The OGC client tests serve two real datasets from the repository's data/,
// written as tilesets with their features (and, for the QGIS test, tiles):
//
//   - "asean-borders": the 12 country polygons of Natural Earth's ASEAN
//     subset, multipolygons with thousands of vertices;
//   - "porphyry-copper": the 690 deposits of the USGS porphyry copper
//     database, points read from its CSV as ingest would.
//
// Each test checks what a client got against the source features, read
// here independently of the server.
const (
	ogcBordersID  = "asean-borders"
	ogcCopperID   = "porphyry-copper"
	ogcCopperRows = 690
)

// ogcDataset is a tileset's source features, in id order (id = index + 1).
type ogcDataset struct {
	id       string
	features []*geojson.Feature
}

var ogcData struct {
	once    sync.Once
	borders ogcDataset
	copper  ogcDataset
	err     error
}

// ogcDatasets reads the two sources once for the package.
func ogcDatasets(t *testing.T) (borders, copper ogcDataset) {
	t.Helper()
	ogcData.once.Do(func() {
		ogcData.borders, ogcData.err = readBorders(filepath.Join("..", "data", "borders", "asean-borders-10m.geojson"))
		if ogcData.err == nil {
			ogcData.copper, ogcData.err = readCopper(filepath.Join("..", "data", "occurrences", "usgs-porphyry-copper-deposits-2008.csv"))
		}
	})
	if ogcData.err != nil {
		t.Fatal(ogcData.err)
	}
	return ogcData.borders, ogcData.copper
}

func readBorders(path string) (ogcDataset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ogcDataset{}, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return ogcDataset{}, err
	}
	for i, f := range fc.Features {
		f.ID = i + 1
	}
	return ogcDataset{id: ogcBordersID, features: fc.Features}, nil
}

// readCopper reads the deposits' names, countries, ages and copper grades;
// "n.d." (not determined) becomes a missing value.
func readCopper(path string) (ogcDataset, error) {
	file, err := os.Open(path)
	if err != nil {
		return ogcDataset{}, err
	}
	defer file.Close()
	r := csv.NewReader(file)
	header, err := r.Read()
	if err != nil {
		return ogcDataset{}, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	num := func(s string) any {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil
		}
		return f
	}
	ds := ogcDataset{id: ogcCopperID}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ds, err
		}
		lon, err1 := strconv.ParseFloat(rec[col["LongitudeDecimal"]], 64)
		lat, err2 := strconv.ParseFloat(rec[col["LatitudeDecimal"]], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		f := geojson.NewFeature(orb.Point{lon, lat})
		f.ID = len(ds.features) + 1
		f.Properties = geojson.Properties{
			"name":     rec[col["NameDeposit"]],
			"country":  rec[col["Country"]],
			"age_my":   num(rec[col["AgeMY"]]),
			"cu_grade": num(rec[col["Copper grade"]]),
		}
		ds.features = append(ds.features, f)
	}
	return ds, nil
}

var (
	bordersFields = []tileset.Field{{Name: "iso_a3", Type: "string"}, {Name: "iso_n3", Type: "string"}, {Name: "name", Type: "string"}, {Name: "asean", Type: "boolean"}}
	copperFields  = []tileset.Field{{Name: "name", Type: "string"}, {Name: "country", Type: "string"}, {Name: "age_my", Type: "real"}, {Name: "cu_grade", Type: "real"}}
)

// ogcWriteStore writes both tilesets into dir, with tiles at zooms 0 to
// maxZoom when maxZoom >= 0.
func ogcWriteStore(t *testing.T, dir string, maxZoom int) {
	t.Helper()
	borders, copper := ogcDatasets(t)
	ogcWriteTileset(t, dir, borders, "ASEAN borders (Natural Earth)", "polygon", bordersFields, maxZoom)
	ogcWriteTileset(t, dir, copper, "Porphyry copper deposits (USGS 2008)", "point", copperFields, maxZoom)
}

func ogcWriteTileset(t *testing.T, dir string, ds ogcDataset, title, geomType string, fields []tileset.Field, maxZoom int) {
	t.Helper()
	w, err := tileset.Create(dir, ds.id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.PutFeatures(ds.features); err != nil {
		t.Fatal(err)
	}
	meta := &tileset.Metadata{
		Title: title, Description: "Test copy of " + ds.id, Attribution: "Outcrop e2e tests", License: "public domain",
		Layer: ds.id, GeometryType: geomType, Fields: fields, MinZoom: 0, MaxZoom: max(0, maxZoom),
	}
	if maxZoom >= 0 {
		var batch []tileset.Tile
		stats, err := tiles.Cut(context.Background(), ds.features, tiles.Options{Layer: ds.id, MinZoom: 0, MaxZoom: maxZoom, Workers: 2},
			func(tile tileset.Tile) error {
				batch = append(batch, tile)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.PutTiles(batch); err != nil {
			t.Fatal(err)
		}
		meta.Zooms = stats.Zooms
	}
	b := ds.features[0].Geometry.Bound()
	for _, f := range ds.features {
		b = b.Union(f.Geometry.Bound())
	}
	meta.Bounds = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	c := b.Center()
	meta.Center = [3]float64{c[0], c[1], 3}
	if err := w.Commit(meta); err != nil {
		t.Fatal(err)
	}
}

// ogcServer is a real server over a fresh store, on 127.0.0.1, that
// records the query string of every items request it answers.
type ogcServer struct {
	URL string
	mu  sync.Mutex
	// itemQueries are the query strings of the items requests, by
	// collection id.
	itemQueries map[string][]string
}

func startOGCServer(t *testing.T, maxZoom int) *ogcServer {
	t.Helper()
	dir := t.TempDir()
	ogcWriteStore(t, dir, maxZoom)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(dir, store.Options{PollInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := server.New(server.Config{Catalog: st, Logger: logger})
	s := &ogcServer{itemQueries: map[string][]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/collections/"); ok {
			if id, ok := strings.CutSuffix(rest, "/items"); ok {
				s.mu.Lock()
				s.itemQueries[id] = append(s.itemQueries[id], r.URL.RawQuery)
				s.mu.Unlock()
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// queries returns and forgets the items queries recorded for id.
func (s *ogcServer) queries(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.itemQueries[id]
	delete(s.itemQueries, id)
	return q
}

// getJSON fetches a URL of the server and decodes its JSON body.
func (s *ogcServer) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", path, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// expectInBox returns the ids of the features whose geometry meets box,
// tested directly on the source geometries: a point by containment (edges
// included), anything else by clipping it to the box with orb.
func expectInBox(ds ogcDataset, box orb.Bound) []int {
	var ids []int
	for i, f := range ds.features {
		if ogcIntersects(f.Geometry, box) {
			ids = append(ids, i+1)
		}
	}
	return ids
}

func ogcIntersects(g orb.Geometry, box orb.Bound) bool {
	switch g := g.(type) {
	case orb.Point:
		return box.Contains(g)
	case orb.Collection:
		for _, m := range g {
			if ogcIntersects(m, box) {
				return true
			}
		}
		return false
	}
	if !g.Bound().Intersects(box) {
		return false
	}
	c := clip.Geometry(box, orb.Clone(g))
	if c == nil {
		return false
	}
	switch c := c.(type) {
	case orb.MultiPolygon:
		return len(c) > 0
	case orb.Polygon:
		return len(c) > 0
	case orb.MultiLineString:
		return len(c) > 0
	case orb.LineString:
		return len(c) > 0
	}
	return true
}

// ogcNeeds returns the path of a client program, skipping the test when
// it is missing, or failing it when CI is set: CI must run every client.
func ogcNeeds(t *testing.T, program, install string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		msg := program + " is not installed (" + install + ")"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		t.Skip(msg)
	}
	return p
}
